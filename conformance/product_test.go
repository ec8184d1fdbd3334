package conformance

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/report"

	"github.com/acsconform/acsconform/acs"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// TestSecondProduct: the suite runs the second product's contract
// (ResourceManager, imported from its metadata) against its contract-only
// mock and every rule of every operation passes; served by a handler that
// skips the validators, the same suite fails on the rules it states.
func TestSecondProduct(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in subprocesses; skipped with -short")
	}
	api, err := spec.LoadProduct("resourcemanager")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, out := runSuite(t, "--contract", "resourcemanager", "--report-dir", dir)
	cov := readCoverage(t, dir)
	if code != 0 || cov.Verdict != report.VerdictConforming || cov.Contract.Product != "ResourceManager" {
		t.Fatalf("exit %d, verdict %s, product %s:\n%s", code, cov.Verdict, cov.Contract.Product, tail(out, 30))
	}
	passed := map[string]int{}
	for _, r := range cov.Rows {
		if r.Result == "failed" {
			t.Errorf("%s failed: %s", r.Check, r.Reason)
		}
		if r.Kind == plan.KindRule && r.Result == "passed" {
			passed[r.Operation]++
		}
	}
	for _, op := range api.Operations {
		if len(op.Rules) > 0 && passed[op.Action] == 0 {
			t.Errorf("%s: %d rules, no rule case passed", op.Action, len(op.Rules))
		}
	}

	// The same contract against a server that validates nothing.
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	secrets := map[string]string{}
	for _, c := range p.Mock.Callers {
		secrets[c.AccessKeyID] = c.AccessKeySecret
	}
	lax := rm.NewHandler(rm.Samples{}, rm.HandlerOptions{
		Verifier: &acs.Verifier{Secrets: func(id string) (string, bool) { s, ok := secrets[id]; return s, ok }, MaxSkew: api.ClockSkew},
		Validate: func(rm.Request) error { return nil },
	})
	srv := httptest.NewServer(lax)
	t.Cleanup(srv.Close)
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(t.TempDir(), "lax.yaml")
	if err := os.WriteFile(prof, []byte(strings.Replace(string(data), "name: embedded-mock", "name: lax", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	laxDir := t.TempDir()
	code, out = runSuite(t, "--contract", "resourcemanager", "--profile", prof, "--target", srv.URL, "--label-filter", "kind:rule", "--report-dir", laxDir)
	failed := 0
	for _, r := range readCoverage(t, laxDir).Rows {
		if r.Result == "failed" {
			if r.Kind != plan.KindRule {
				t.Errorf("%s failed, but only the rules were broken", r.Check)
			}
			failed++
		}
	}
	if code != 1 || failed == 0 {
		t.Fatalf("a server validating nothing: exit %d, %d failed rule cases:\n%s", code, failed, tail(out, 30))
	}
	t.Logf("contract-only mock: %d operations with passing rule cases; lax server: %d rule cases failed", len(passed), failed)
}
