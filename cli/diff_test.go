package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

func TestDiffCommand(t *testing.T) {
	pages := filepath.Join("..", "fixtures", "docs")
	old, new := filepath.Join(pages, "000_0d983348c5d5b34f.txt"), filepath.Join(pages, "001_10066c6888da468c.txt")
	dir := withLayer(t, t.TempDir())
	loosened := filepath.Join(dir, "loosened.yaml")
	if err := os.WriteFile(loosened, bytes.Replace(spec.Embedded(), []byte("maxItems: 5"), []byte("maxItems: 10"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	embedded := filepath.Join(dir, "embedded.yaml")
	if err := os.WriteFile(embedded, spec.Embedded(), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := Run(append([]string{"diff"}, args...), &out, &errOut)
		return code, out.String(), errOut.String()
	}
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"pages", []string{old, new}, 0, "client breaking server warning  ram-action-added"},
		{"pages fail on breaking", []string{old, new, "--fail-on-breaking"}, 1, "1 breaking for clients, 0 breaking for servers"},
		{"pages, servers only", []string{old, new, "--fail-on-breaking", "--breaking-for", "server"}, 0, "ram-action-added"},
		{"loosened limit breaks servers", []string{embedded, loosened, "--fail-on-breaking", "--breaking-for", "server"}, 1, "request-parameter-max-items-increased"},
		{"loosened limit spares clients", []string{embedded, loosened, "--fail-on-breaking", "--breaking-for", "client"}, 0, "0 breaking for clients, 1 breaking for servers"},
		{"same", []string{embedded, embedded, "--fail-on-breaking"}, 0, "no changes"},
		{"markdown", []string{old, new, "--format", "markdown"}, 0, "| AssociateMembers | `ram-action-added` | **breaking** | warning |"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.contains) {
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.contains, out, errOut)
			}
		})
	}
	t.Run("json", func(t *testing.T) {
		code, out, _ := run(embedded, loosened, "--format", "json")
		var rep struct {
			Changes []struct{ ID, Client, Server string }
		}
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Changes) != 1 || rep.Changes[0].Server != "breaking" || rep.Changes[0].Client != "none" {
			t.Fatalf("exit %d, JSON:\n%s", code, out)
		}
	})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"one argument", []string{old}, "accepts 2 arg(s)"},
		{"bad format", []string{old, new, "--format", "html"}, `--format "html": want text, markdown, json`},
		{"bad side", []string{old, new, "--breaking-for", "both"}, `--breaking-for "both"`},
		{"missing file", []string{old, filepath.Join(dir, "nope.yaml")}, "nope.yaml: no such file"},
		{"garbage", []string{old, writeFile(t, dir, "garbage.bin", "\x00\x01\x02")}, "neither a contract nor a page"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := run(tc.args...)
			if code != ExitUsage || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d (want 2), stderr lacks %q:\n%s", code, tc.want, errOut)
			}
		})
	}
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
