package conformance

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMisspeltInputNamed: a profile input no case looks up is named, with
// the input it was probably meant to be, as misspelt keys are.
func TestMisspeltInputNamed(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "activeContactId:") {
		t.Fatal("the mock profile no longer has activeContactId: pick another input")
	}
	prof := filepath.Join(t.TempDir(), "misspelt.yaml")
	misspelt := strings.Replace(string(data), "activeContactId:", "activeContactID:", 1)
	misspelt = strings.Replace(misspelt, "inputs:\n", "inputs:\n  someOtherProductsInput: x\n", 1)
	if err := os.WriteFile(prof, []byte(misspelt), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := runSuite(t, "--dry-run", "--profile", prof)
	if code != 0 {
		t.Fatalf("dry run: exit %d:\n%s", code, tail(out, 20))
	}
	for _, want := range []string{`uses input "activeContactID" (did you mean "activeContactId"?)`, `1 input(s) used by no case of ResourceDirectoryMaster 2022-04-19 (meant for another contract?): someOtherProductsInput`} {
		if !strings.Contains(out, want) {
			t.Errorf("the run does not say %q:\n%s", want, tail(out, 20))
		}
	}
	code, out = runSuite(t, "--dry-run", "--profile", filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if code != 0 || strings.Contains(out, "uses input") || strings.Contains(out, "used by no case") {
		t.Errorf("the mock's own profile: exit %d, or an input reported unused:\n%s", code, tail(out, 20))
	}
}
