package acs

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const secretValue = "s3cr3t-never-printed"

func TestCredentialsNeverPrintTheSecret(t *testing.T) {
	c := Credentials{AccessKeyID: "LTAIid", AccessKeySecret: secretValue, SecurityToken: "tok-never-printed"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("call", "creds", c)
	outs := []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprintf("%v", &c), logged.String()}
	for _, s := range outs {
		if strings.Contains(s, secretValue) || strings.Contains(s, "tok-never-printed") || !strings.Contains(s, "LTAIid") {
			t.Errorf("leaks or loses the key ID: %s", s)
		}
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := CredentialsFromEnv(env(map[string]string{EnvAccessKeyID: "id", EnvAccessKeySecret: "sec", EnvSecurityToken: "tok"}))
	if err != nil || c != (Credentials{"id", "sec", "tok"}) {
		t.Fatalf("%v, %v", c, err)
	}
	if _, err := CredentialsFromEnv(env(nil)); err != ErrNoCredentials {
		t.Errorf("empty env: %v", err)
	}
	if _, err := CredentialsFromEnv(env(map[string]string{EnvAccessKeyID: "id"})); err == nil || !strings.Contains(err.Error(), EnvAccessKeySecret) {
		t.Errorf("half set: %v", err)
	}
}

func TestCredentialsFromProfile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	cfg := `{"current":"work","profiles":[{"name":"default","mode":"AK","access_key_id":"d","access_key_secret":"ds"},
	{"name":"work","mode":"StsToken","access_key_id":"w","access_key_secret":"ws","sts_token":"wt"},
	{"name":"role","mode":"RamRoleArn","access_key_id":"r","access_key_secret":"rs"}]}`
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := CredentialsFromProfile(path, ""); err != nil || c != (Credentials{"w", "ws", "wt"}) {
		t.Errorf("current: %v, %v", c, err)
	}
	if c, err := CredentialsFromProfile(path, "default"); err != nil || c.AccessKeyID != "d" {
		t.Errorf("named: %v, %v", c, err)
	}
	for name, want := range map[string]string{"role": `mode "RamRoleArn" is not supported`, "ghost": `profile "ghost" not found`} {
		if _, err := CredentialsFromProfile(path, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	_ = os.WriteFile(path, []byte("{"), 0o600)
	if _, err := CredentialsFromProfile(path, ""); err == nil || !strings.Contains(err.Error(), "not a valid config file") {
		t.Errorf("corrupt: %v", err)
	}
}
