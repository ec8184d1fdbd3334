package conformance

import (
	"strings"
	"testing"
)

// TestExitTableSkippedOperations drives the exit table's rows about
// operations whose cases were all skipped: one the user chose (a label
// filter) makes the run unproven (exit 2, naming it); over the whole
// contract, operations a cautious profile skips entirely beside others that
// prove something do not (exit 0).
func TestExitTableSkippedOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite; skipped with -short")
	}
	url, prof := serve(t, variant{name: "faithful"})
	code, out := runSuite(t, "--profile", prof, "--target", url, "--label-filter", "(op:AcceptHandshake && exhausting) || op:AssociateMembers")
	if code != 2 || !strings.Contains(out, "every selected case of AcceptHandshake was skipped") {
		t.Fatalf("a chosen operation whose cases all skipped: exit %d, want 2 naming it:\n%s", code, tail(out, 15))
	}
	dir := t.TempDir()
	code, out = runSuite(t, "--profile", prof, "--target", url, "--report-dir", dir)
	if code != 0 {
		t.Fatalf("the whole contract, mutating and exhausting cases skipped: exit %d, want 0:\n%s", code, tail(out, 15))
	}
	allSkipped := 0
	for _, op := range readCoverage(t, dir).Operations {
		if op.Conclusive() == 0 && op.Skipped > 0 {
			allSkipped++
		}
	}
	if allSkipped == 0 {
		t.Fatal("no operation had every case skipped: the second half proves nothing; give the run a profile that skips one")
	}
}
