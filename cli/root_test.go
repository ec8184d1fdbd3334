package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := run(args...)
		if code != 0 || !strings.HasPrefix(out, "acsconform ") || !strings.Contains(out, "contract: ResourceDirectoryMaster 2022-04-19, 70 operations, sha256:") {
			t.Fatalf("%v: exit %d:\n%s", args, code, out)
		}
	}
	old := version
	version = "v9.9.9"
	defer func() { version = old }()
	if _, out, _ := run("version"); !strings.HasPrefix(out, "acsconform v9.9.9 ") {
		t.Fatalf("the link-time version is not printed: %s", out)
	}
}

// TestHelp: every command has a one-line summary and a long text, the root
// help groups them, and an unknown command or flag is a usage error.
func TestHelp(t *testing.T) {
	root := newRoot(&bytes.Buffer{}, &bytes.Buffer{})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Short == "" || (c.Long == "" && c.Name() != "version") {
			t.Errorf("%s has no summary or no description", c.Name())
		}
		code, out, _ := run(c.Name(), "--help")
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%s --help: exit %d:\n%s", c.Name(), code, out)
		}
	}
	_, out, _ := run("--help")
	for _, want := range []string{"The contract:", "Endpoints:", "Examples:", "acsconform test"} {
		if !strings.Contains(out, want) {
			t.Errorf("root help lacks %q", want)
		}
	}
	if code, _, errOut := run("frobnicate"); code != ExitUsage || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("an unknown command: exit %d, %s", code, errOut)
	}
	if code, _, errOut := run("test", "--no-such-flag"); code != ExitUsage || !strings.Contains(errOut, "unknown flag: --no-such-flag") {
		t.Errorf("an unknown flag: exit %d, %s", code, errOut)
	}
}

// TestCompletion: the scripts generate for each shell, bash's script loads
// in bash, and flag values complete.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, _ := run("completion", shell)
		if code != 0 || !strings.Contains(out, "acsconform") || len(out) < 500 {
			t.Errorf("completion %s: exit %d, %d bytes", shell, code, len(out))
		}
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		_, script, _ := run("completion", "bash")
		file := filepath.Join(t.TempDir(), "acsconform.bash")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bash, "-c", "source "+file+" && complete -p acsconform").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "acsconform") {
			t.Errorf("bash cannot load the completion script: %v\n%s", err, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "diff", "--format", ""}, []string{"text", "markdown", "json"}},
		{[]string{"__complete", "test", "--message-match", ""}, []string{"exact", "prefix", "any"}},
		{[]string{"__complete", "d"}, []string{"diff"}},
	} {
		_, out, _ := run(tc.args...)
		for _, w := range tc.want {
			if !strings.Contains(out, w+"\n") && !strings.Contains(out, w+"\t") {
				t.Errorf("%v: %q not offered:\n%s", tc.args, w, out)
			}
		}
	}
}
