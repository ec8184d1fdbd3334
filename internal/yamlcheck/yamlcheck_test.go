package yamlcheck

import (
	"strings"
	"testing"
	"time"
)

type cred struct {
	ID     string `yaml:"access-key-id"`
	Secret string `yaml:"access-key-secret-env"`
}

type doc struct {
	Name   string          `yaml:"name"`
	Creds  map[string]cred `yaml:"credentials"`
	Hold   time.Duration   `yaml:"hold-time"`
	Until  time.Time       `yaml:"until"`
	Limit  int             `yaml:"limit"`
	On     bool            `yaml:"on"`
	Tags   []string        `yaml:"tags"`
	Hidden string          `yaml:"-"`
}

func TestDecodeSaysWhatAndWhere(t *testing.T) {
	hint := func(path []string, key string) string {
		if key == "access-key-secret" {
			return "secrets live in the environment: " + strings.Join(path, ".")
		}
		return ""
	}
	for _, tc := range []struct{ name, in, want string }{
		{"misspelt key", "nmae: x\n", `f.yaml:1:1: unknown key "nmae" here (did you mean "name"?)`},
		{"far key", "zzzzzzzz: x\n", `unknown key "zzzzzzzz" here (known keys: credentials, hold-time, limit, name, on, tags, until)`},
		{"nested", "credentials:\n  a:\n    acess-key-id: x\n", `f.yaml:3:5: unknown key "acess-key-id" under "credentials.a" (did you mean "access-key-id"?)`},
		{"hint", "credentials:\n  a:\n    access-key-secret: s\n", "f.yaml:3:5: secrets live in the environment: credentials.a"},
		{"scalar for mapping", "credentials:\n  a: abc\n", `f.yaml:2:6: key "credentials.a" is a mapping with the keys access-key-id, access-key-secret-env, not "abc"`},
		{"duration", "hold-time: 5z\n", `f.yaml:1:12: key "hold-time" is a duration (such as 500ms or 2s), not "5z"`},
		{"time", "until: tomorrow\n", `f.yaml:1:8: key "until" is a time (such as 2030-01-01T00:00:00Z), not "tomorrow"`},
		{"number", "limit: many\n", `f.yaml:1:8: key "limit" is a whole number, not "many"`},
		{"bool", "on: [1]\n", `key "on" is true or false, not a list`},
		{"list", "tags: a\n", `f.yaml:1:7: key "tags" is a list, not "a"`},
		{"string", "name: {a: 1}\n", `key "name" is a string, not a mapping`},
		{"top level", "- a\n", `key "the file"`},
		{"syntax", "name: x\ntags: [a\n", `not valid YAML: `},
		{"empty", "", "f.yaml: the file is empty"},
		{"several at once", "nmae: x\nlimit: y\n", "f.yaml:1:1: unknown key \"nmae\" here (did you mean \"name\"?)\nf.yaml:2:8: key \"limit\" is a whole number, not \"y\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := Decode("f.yaml", []byte(tc.in), &d, hint)
			if err == nil || !strings.Contains(err.Error(), strings.ReplaceAll(tc.want, `key "the file"`, "the file is a mapping")) {
				t.Fatalf("got %v\nwant %s", err, tc.want)
			}
			for _, goWord := range []string{"yamlcheck.", "!!", "unmarshal", "%!"} {
				if strings.Contains(err.Error(), goWord) {
					t.Errorf("the message speaks Go (%q): %v", goWord, err)
				}
			}
		})
	}
	var d doc
	if err := Decode("f.yaml", []byte("name: x\nhold-time: 2s\nuntil: 2030-01-01T00:00:00Z\nlimit: 3\non: true\ntags: [a, b]\ncredentials: {a: {access-key-id: k}}\n"), &d, nil); err != nil {
		t.Fatal(err)
	}
	if d.Name != "x" || d.Hold != 2*time.Second || d.Limit != 3 || !d.On || len(d.Tags) != 2 || d.Creds["a"].ID != "k" {
		t.Errorf("decoded %+v", d)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"endpoint", "signature", "reset"}
	for in, want := range map[string]string{"endpont": "endpoint", "Signatur": "signature", "rest": "reset", "credentials": ""} {
		if got := Suggest(in, known); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{"name: x\n", "credentials:\n  a: {access-key-id: 1}\n", "hold-time: [\n", "tags: *a\n", "a: &a [b]\ntags: *a\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		err := Decode("f.yaml", data, &d, nil)
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("an error that does not name the file: %v", err)
		}
	})
}
