package profile

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

// TestMockProfileProvidesEveryInput: the embedded mock's profile has a value
// for every input any trigger of the contract needs, but those the contract
// declares absent (the suite makes them up), so no case is skipped against
// it for lack of inputs.
func TestMockProfileProvidesEveryInput(t *testing.T) {
	p, err := Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range api.Operations {
		for _, e := range op.Errors {
			for _, tr := range e.Triggers {
				var missing []string
				for _, n := range p.Missing(tr.Needs) {
					if d := api.Inputs[n]; d == nil || d.Status != "absent" {
						missing = append(missing, n)
					}
				}
				if len(missing) > 0 {
					t.Errorf("%s %s (%s) needs %v", op.Action, e.Code, tr.State, missing)
				}
			}
		}
	}
	for name := range p.Credentials {
		if _, err := p.Resolve(name, func(string) string { return "" }); err != nil {
			t.Errorf("credentials %s: %v", name, err)
		}
	}
}

func TestExampleRealProfile(t *testing.T) {
	p, err := Load(filepath.Join("..", "fixtures", "targets", "example-real.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIreal", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "s"}
	c, err := p.Resolve("default", func(k string) string { return env[k] })
	if err != nil || c.AccessKeyID != "LTAIreal" || c.AccessKeySecret != "s" {
		t.Fatalf("%v, %v", c, err)
	}
	if _, err := p.Resolve("no-directory", func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "ACSCONFORM_NODIR_ACCESS_KEY_ID is not set") {
		t.Errorf("unset env: %v", err)
	}
	if p.Has("fullContactId") || !p.Has("activeContactId") {
		t.Error("Has")
	}
}

func TestBadProfiles(t *testing.T) {
	cases := map[string]string{
		"":                        "the file is empty",
		"name: x\nsignatur: v3\n": `p.yaml:2:1: unknown key "signatur" here (did you mean "signature"?)`,
		"signature: v2\n":         `signature "v2": want v1 or v3`,
		"site: cn\n":              `site "cn": want one of china, intl`,
		"endpoint: example.com\n": "want an http:// or https:// URL",
		"credentials:\n  default: {access-key-id: X}\n": "give access-key-secret-env",
		"inputs:\n  a: {credentials: nope}\n":           `names credentials "nope"`,
		"inputs:\n  a: {other: 1}\n":                    "{credentials: NAME}",
	}
	for in, want := range cases {
		_, err := Parse("p.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "p.yaml") {
			t.Errorf("%q: %v (want %q)", in, err, want)
		}
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none.yaml")); err == nil || !strings.HasSuffix(err.Error(), "none.yaml: no such file") {
		t.Errorf("missing file: %v", err)
	}
}
