package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/conformance/report"

	"github.com/acsconform/acsconform/spec"
)

// TestBaselineGate runs the suite against a mock that answers a wrong code:
// the run fails; --write-baseline lists the deviations; with that baseline
// the same target passes and reports them as known; the faithful mock with
// it reports them fixed; an expired baseline fails again; a malformed one
// stops the run with exit 2.
func TestBaselineGate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite five times; skipped with -short")
	}
	var broken variant
	for _, v := range variants() {
		if v.name == "wrong code" {
			broken = v
		}
	}
	dir := t.TempDir()
	url, prof := serve(t, broken)
	only := []string{"--label-filter", "op:AssociateMembers", "--allow-mutating", "--allow-exhausting"}
	base := filepath.Join(dir, "baseline.yaml")

	code, out := runSuite(t, append([]string{"--profile", prof, "--target", url, "--write-baseline", base, "--report-dir", filepath.Join(dir, "r1")}, only...)...)
	if code != 1 {
		t.Fatalf("the broken mock: exit %d, want 1:\n%s", code, tail(out, 30))
	}
	written, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	api, _ := spec.Load()
	b, err := report.ParseBaseline(base, written, api)
	if err != nil {
		t.Fatalf("the written baseline does not load: %v\n%s", err, written)
	}
	// The wrong code shows on the error case and its JSON wire variants
	// (XML is not rewritten); the boundary cases ride on the profile's real
	// contact and members, so no state check refuses them.
	want := []string{
		"AssociateMembers/error:InvalidMember/member-outside-directory",
		"AssociateMembers/wire:GET/error:InvalidMember/member-outside-directory",
		"AssociateMembers/wire:POST-form/error:InvalidMember/member-outside-directory",
		"AssociateMembers/wire:POST-query/error:InvalidMember/member-outside-directory",
		"AssociateMembers/wire:signature-v1/error:InvalidMember/member-outside-directory",
	}
	var ids []string
	for _, e := range b.Entries {
		ids = append(ids, e.Check)
		if e.Observed == "" || e.Reason == "" {
			t.Errorf("entry %s has no observed deviation or no reason", e.Check)
		}
		if strings.Contains(e.Check, "InvalidMember") && !strings.Contains(e.Observed, "wrong code: InvalidParameter.Member, documented InvalidMember") {
			t.Errorf("entry %s observed %q, want the deviation", e.Check, e.Observed)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, want) {
		t.Fatalf("baseline lists\n%s\nwant\n%s", strings.Join(ids, "\n"), strings.Join(want, "\n"))
	}

	code, out = runSuite(t, append([]string{"--profile", prof, "--target", url, "--baseline", base, "--report-dir", filepath.Join(dir, "r2")}, only...)...)
	if code != 0 || !strings.Contains(out, "5 known deviation(s) not failing, 0 fixed, 0 expired") {
		t.Fatalf("with the baseline: exit %d, want 0 and 5 known deviations:\n%s", code, tail(out, 30))
	}
	var cov report.Coverage
	data, _ := os.ReadFile(filepath.Join(dir, "r2", "coverage.json"))
	if err := json.Unmarshal(data, &cov); err != nil {
		t.Fatal(err)
	}
	known := 0
	for _, r := range cov.Rows {
		if r.Result == report.BaselineKnown {
			known++
			if r.Sent == "" || !strings.Contains(r.Received, "InvalidParameter.Member") {
				t.Errorf("known row %s lacks what was sent and received", r.Check)
			}
		}
	}
	if known != 5 {
		t.Fatalf("coverage.json has %d known rows, want 5", known)
	}

	// An entry whose observed deviation differs still excuses the case, and
	// the summary says the deviation changed.
	changed := filepath.Join(dir, "changed.yaml")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(written), "wrong code: InvalidParameter.Member, documented InvalidMember", "wrong status: 400, documented 404", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = runSuite(t, append([]string{"--profile", prof, "--target", url, "--baseline", changed}, only...)...)
	if code != 0 || !strings.Contains(out, "the deviation changed since the baseline was written (it observed: wrong status: 400, documented 404)") {
		t.Fatalf("a changed known deviation: exit %d, want 0 and a note:\n%s", code, tail(out, 30))
	}

	furl, fprof := serve(t, variant{name: "faithful"})
	code, out = runSuite(t, append([]string{"--profile", fprof, "--target", furl, "--baseline", base}, only...)...)
	if code != 0 || !strings.Contains(out, "0 known deviation(s) not failing, 5 fixed, 0 expired") || !strings.Contains(out, "conforms now; remove it from the baseline") {
		t.Fatalf("the faithful mock with the baseline: exit %d, want 0 and 5 fixed:\n%s", code, tail(out, 30))
	}

	expired := filepath.Join(dir, "expired.yaml")
	yesterday := time.Now().AddDate(0, 0, -2).Format(time.DateOnly)
	if err := os.WriteFile(expired, []byte(`version: 1
deviations:
  - operation: AssociateMembers
    check: AssociateMembers/*InvalidMember*
    reason: waiting for the emulator's fix
    expires: `+yesterday+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = runSuite(t, append([]string{"--profile", prof, "--target", url, "--baseline", expired}, only...)...)
	if code != 1 || !strings.Contains(out, "known deviation expired on "+yesterday) || !strings.Contains(out, "1 fixed, 5 expired") {
		t.Fatalf("an expired baseline: exit %d, want 1 naming the expiry:\n%s", code, tail(out, 30))
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("version: 1\ndeviations:\n  - operation: AssociateMembers\n    check: AssociateMembers/x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = runSuite(t, "--profile", prof, "--target", url, "--baseline", bad)
	if code != 2 || !strings.Contains(out, bad+":3: reason is missing") {
		t.Fatalf("a malformed baseline: exit %d, want 2 naming the line:\n%s", code, tail(out, 10))
	}
}
