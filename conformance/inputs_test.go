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

// TestDryRunNamesClashes: a profile whose inputs break what the contract
// declares they must be — two inputs naming one entity, a name that is its
// own entity's, an entity of the wrong status, one that should not exist,
// a value outside the form of the parameter it is sent as — is refused by
// --dry-run, exit 2, with each clash named.
func TestDryRunNamesClashes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	edits := []struct{ from, to, says string }{
		{"  lockedContactId: c-LockedContact01\n", "  lockedContactId: c-ActiveContact01\n", `lockedContactId must name a contact other than activeContactId (both are "c-ActiveContact01")`},
		{"  usedContactName: LockOps\n", "  usedContactName: AliceOps\n", `usedContactName must name a contact other than activeContactId ("AliceOps" is activeContactId's own name)`},
		{"  declinedHandshakeId: h-Declined00001\n", "  declinedHandshakeId: h-ForDecline001\n", `declinedHandshakeId must name a Declined handshake; the mock's seed has "h-ForDecline001" Pending`},
		{"  unknownFolderId: fd-0000000000\n", "  unknownFolderId: fd-a1b2c3d4e5\n", `unknownFolderId must name no folder, but the mock's seed has folder "fd-a1b2c3d4e5"`},
		{"  usedMAName: opsadmin@rdadmin.aliyunid.com", "  usedMAName: Ops Admin", `usedMAName ("Ops Admin") is sent as EnableResourceDirectory's MAName, and does not have its form`},
		{"  strangerCredentials: {credentials: no-directory}", "  strangerCredentials: {credentials: invitee}", `strangerCredentials must name a caller other than inviteeCredentials`},
	}
	text := string(data)
	for _, e := range edits {
		if !strings.Contains(text, e.from) {
			t.Fatalf("the mock profile no longer has %q", e.from)
		}
		text = strings.Replace(text, e.from, e.to, 1)
	}
	prof := filepath.Join(t.TempDir(), "clashing.yaml")
	if err := os.WriteFile(prof, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out := runSuite(t, "--profile", prof, "--dry-run")
	if code != 2 {
		t.Fatalf("exit %d, want 2:\n%s", code, tail(out, 20))
	}
	for _, e := range edits {
		if !strings.Contains(out, e.says) {
			t.Errorf("the clash is not named: %s\n%s", e.says, tail(out, 20))
		}
	}
	// The embedded mock's own profile has none.
	if code, out := runSuite(t, "--dry-run"); code != 0 || strings.Contains(out, "must name") {
		t.Fatalf("the embedded profile: exit %d:\n%s", code, tail(out, 20))
	}
}
