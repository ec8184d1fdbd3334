package acs

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// Credentials are an access key pair and an optional STS security token.
// String, GoString and LogValue redact the secret and the token, so a
// Credentials value printed by accident leaks nothing.
type Credentials struct {
	AccessKeyID     string
	AccessKeySecret string
	SecurityToken   string
}

func (c Credentials) String() string {
	s := "acs.Credentials{AccessKeyID: " + c.AccessKeyID + ", AccessKeySecret: " + redact(c.AccessKeySecret)
	if c.SecurityToken != "" {
		s += ", SecurityToken: " + redact(c.SecurityToken)
	}
	return s + "}"
}

// GoString keeps %#v from printing the secret.
func (c Credentials) GoString() string { return c.String() }

// LogValue keeps log/slog from printing the secret.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("access_key_id", c.AccessKeyID), slog.String("access_key_secret", redact(c.AccessKeySecret)))
}

func redact(s string) string {
	if s == "" {
		return `""`
	}
	return "[redacted]"
}

// Environment variables of the vendor's credential chain.
const (
	EnvAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	EnvAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
	EnvSecurityToken   = "ALIBABA_CLOUD_SECURITY_TOKEN"
	EnvProfile         = "ALIBABA_CLOUD_PROFILE"
)

// ErrNoCredentials means no source in the chain held credentials.
var ErrNoCredentials = errors.New("acs: no credentials: set " + EnvAccessKeyID + " and " + EnvAccessKeySecret + ", or configure a profile in ~/.aliyun/config.json")

// CredentialsFromEnv reads the ALIBABA_CLOUD_* variables through getenv
// (os.Getenv when nil). Both key variables must be set.
func CredentialsFromEnv(getenv func(string) string) (Credentials, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Credentials{AccessKeyID: getenv(EnvAccessKeyID), AccessKeySecret: getenv(EnvAccessKeySecret), SecurityToken: getenv(EnvSecurityToken)}
	switch {
	case c.AccessKeyID == "" && c.AccessKeySecret == "":
		return Credentials{}, ErrNoCredentials
	case c.AccessKeyID == "":
		return Credentials{}, fmt.Errorf("acs: %s is set but %s is not", EnvAccessKeySecret, EnvAccessKeyID)
	case c.AccessKeySecret == "":
		return Credentials{}, fmt.Errorf("acs: %s is set but %s is not", EnvAccessKeyID, EnvAccessKeySecret)
	}
	return c, nil
}

// aliyunConfig is the part of the aliyun CLI's ~/.aliyun/config.json we read.
type aliyunConfig struct {
	Current  string `json:"current"`
	Profiles []struct {
		Name            string `json:"name"`
		Mode            string `json:"mode"`
		AccessKeyID     string `json:"access_key_id"`
		AccessKeySecret string `json:"access_key_secret"`
		StsToken        string `json:"sts_token"`
	} `json:"profiles"`
}

// CredentialsFromProfile reads profile name (the file's "current" profile
// when empty) from an aliyun CLI config file. Modes AK and StsToken are
// supported; others are an error naming the mode.
func CredentialsFromProfile(path, name string) (Credentials, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Credentials{}, fmt.Errorf("acs: profile: %w", err)
	}
	var cfg aliyunConfig
	if err := json.Unmarshal(data, &cfg); err != nil {
		return Credentials{}, fmt.Errorf("acs: profile: %s is not a valid config file: %w", path, err)
	}
	if name == "" {
		name = cfg.Current
	}
	for _, p := range cfg.Profiles {
		if p.Name != name {
			continue
		}
		switch p.Mode {
		case "", "AK", "StsToken":
		default:
			return Credentials{}, fmt.Errorf("acs: profile %q in %s: mode %q is not supported (want AK or StsToken)", name, path, p.Mode)
		}
		if p.AccessKeyID == "" || p.AccessKeySecret == "" {
			return Credentials{}, fmt.Errorf("acs: profile %q in %s has no access key pair", name, path)
		}
		return Credentials{AccessKeyID: p.AccessKeyID, AccessKeySecret: p.AccessKeySecret, SecurityToken: p.StsToken}, nil
	}
	return Credentials{}, fmt.Errorf("acs: profile %q not found in %s", name, path)
}

// DefaultCredentials follows the vendor's chain: the environment, then the
// profile named by ALIBABA_CLOUD_PROFILE (or the current one) in
// ~/.aliyun/config.json.
func DefaultCredentials() (Credentials, error) {
	c, err := CredentialsFromEnv(nil)
	if !errors.Is(err, ErrNoCredentials) {
		return c, err
	}
	home, herr := os.UserHomeDir()
	if herr != nil {
		return Credentials{}, ErrNoCredentials
	}
	path := filepath.Join(home, ".aliyun", "config.json")
	if _, serr := os.Stat(path); serr != nil {
		return Credentials{}, ErrNoCredentials
	}
	return CredentialsFromProfile(path, os.Getenv(EnvProfile))
}
