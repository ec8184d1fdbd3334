package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLintContract(t *testing.T) {
	for _, args := range [][]string{{"lint"}, {"lint", "../spec/resourcedirectorymaster.yaml"}} {
		code, out, errOut := run(args...)
		if code != ExitOK || errOut != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, errOut)
		}
		if !strings.Contains(out, "info disagreement: AssociateMembers: Whether AssociateMembers requires ContactId") || !regexp.MustCompile(`\n0 error\(s\), 0 warning\(s\), [0-9]+ note\(s\)\n$`).MatchString(out) {
			t.Errorf("%v: output:\n%s", args, out)
		}
	}
}

func TestLintJSON(t *testing.T) {
	code, out, _ := run("lint", "--format", "json")
	var fs []struct {
		Rule, Severity, File, Message string
		Line                          int
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &fs) != nil || len(fs) == 0 || fs[0].Line == 0 || fs[0].Severity != "info" {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

// withLayer writes the contract's imported layer into dir, so a copy of
// the curated document written there loads as the embedded one does.
func withLayer(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"gateway.yaml", "resourcedirectorymaster.imported.yaml"} {
		data, err := spec.EmbeddedLayer(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLintBadInput(t *testing.T) {
	dir := withLayer(t, t.TempDir())
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	broken := strings.Replace(string(spec.Embedded()), "kind: uniqueItems\n          error: InvalidParameter.Members.Duplicate", "kind: unique\n          error: InvalidParameter.Members.Duplicate", 1)
	incomplete := strings.Replace(string(spec.Embedded()), "          description: The ID of the contact.\n          schema:", "          schema:", 1)
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"missing file", []string{"lint", filepath.Join(dir, "nope.yaml")}, ExitUsage, "", "no such file"},
		{"not yaml", []string{"lint", write("bad.yaml", "openapi: [")}, ExitFindings, "", "not YAML"},
		{"empty", []string{"lint", write("empty.yaml", "")}, ExitFindings, "", "the file is empty"},
		{"inconsistent", []string{"lint", write("broken.yaml", broken)}, ExitFindings, `error spec-invalid: AssociateMembers: rule Members.uniqueItems: unknown kind "unique"`, ""},
		{"incomplete", []string{"lint", write("incomplete.yaml", incomplete)}, ExitFindings, "error param-description: AssociateMembers: parameter ContactId has no description", ""},
		{"bad format", []string{"lint", "--format", "yaml"}, ExitUsage, "", `--format "yaml": want text, json, github, sarif`},
		{"bad flag", []string{"lint", "--frmat", "json"}, ExitUsage, "", "unknown flag: --frmat"},
		{"too many args", []string{"lint", "a", "b"}, ExitUsage, "", "accepts at most 1 arg"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(c.args...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			if strings.Contains(errOut, "goroutine") || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr is not one clear line: %q", errOut)
			}
		})
	}
}
