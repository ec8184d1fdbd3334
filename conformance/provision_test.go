package conformance

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/fixtures"
	"github.com/acsconform/acsconform/spec"
)

// provisionedProfile writes the embedded mock's profile without every
// input a contract recipe can make but those in keep, with provision:
// true, and returns its path and the inputs it dropped.
func provisionedProfile(t *testing.T, api *spec.API, dir string, keep ...string) (string, []string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(fixtures.MockProfile, &doc); err != nil {
		t.Fatal(err)
	}
	root := doc.Content[0]
	var dropped []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "inputs" {
			continue
		}
		m := root.Content[i+1]
		var kept []*yaml.Node
		for j := 0; j+1 < len(m.Content); j += 2 {
			name := m.Content[j].Value
			if d := api.Inputs[name]; d != nil && d.Provision != nil && !slices.Contains(keep, name) {
				dropped = append(dropped, name)
				continue
			}
			kept = append(kept, m.Content[j], m.Content[j+1])
		}
		m.Content = kept
	}
	root.Content = append(root.Content,
		&yaml.Node{Kind: yaml.ScalarNode, Value: "provision"},
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
	out, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "provisioned.yaml")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, dropped
}

// TestProvisioningKeepsResults: the embedded mock's profile without the
// inputs the contract's recipes make, run with provision: true, makes them
// through the documented operations and gets the same verdict on every
// case as the full profile: the same codes exercised and passed. The
// record of what it made is gone after the run.
func TestProvisioningKeepsResults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in subprocesses; skipped with -short")
	}
	api, err := spec.LoadNamed("")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The seed holds several pending invitations to the invitee (a real
	// directory holds one per account: the mock refuses a second), so the
	// recipes that invite it cannot run here; provision_test.go of package
	// provision runs them on a seed without.
	path, dropped := provisionedProfile(t, api, dir, "declinedHandshakeId", "cancelledHandshakeId")
	if len(dropped) < 10 {
		t.Fatalf("the embedded profile gives only %d inputs a recipe makes (%v): the test shows nothing", len(dropped), dropped)
	}
	full, prov := filepath.Join(dir, "full"), filepath.Join(dir, "prov")
	record := filepath.Join(dir, "record.json")
	if code, out := runSuite(t, "--report-dir", full); code != 0 {
		t.Fatalf("the full profile: exit %d\n%s", code, tail(out, 20))
	}
	code, out := runSuite(t, "--profile", path, "--report-dir", prov, "--provision-record", record)
	if code != 0 {
		t.Fatalf("the provisioned profile: exit %d\n%s", code, tail(out, 30))
	}
	if !strings.Contains(out, "acsconform: provision: made ") || !strings.Contains(out, "removed what the run made") {
		t.Errorf("the run does not say what it made and removed:\n%s", tail(out, 30))
	}
	for _, name := range dropped {
		if !strings.Contains(out, name) {
			t.Errorf("the run does not name %s among what it made", name)
		}
	}
	if _, err := os.Stat(record); !os.IsNotExist(err) {
		t.Errorf("the record %s is left after a clean run (stat: %v)", record, err)
	}
	a, b := readCoverage(t, full), readCoverage(t, prov)
	results := func(rows []struct{ check, result string }) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r.check+" "+r.result)
		}
		slices.Sort(out)
		return out
	}
	collect := func(dir string) []struct{ check, result string } {
		var out []struct{ check, result string }
		for _, r := range readCoverage(t, dir).Rows {
			out = append(out, struct{ check, result string }{r.Check, r.Result})
		}
		return out
	}
	ra, rb := results(collect(full)), results(collect(prov))
	if len(a.Rows) != len(b.Rows) || a.Verdict != b.Verdict {
		t.Fatalf("full: %d cases, %s; provisioned: %d cases, %s", len(a.Rows), a.Verdict, len(b.Rows), b.Verdict)
	}
	for i := range ra {
		if ra[i] != rb[i] {
			t.Errorf("verdicts differ: full %q, provisioned %q", ra[i], rb[i])
		}
	}
	t.Logf("profile inputs: %d given by the full profile, %d made by the run", len(fixtureInputs(t)), len(dropped))
}

func fixtureInputs(t *testing.T) map[string]any {
	var p struct {
		Inputs map[string]any `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(fixtures.MockProfile, &p); err != nil {
		t.Fatal(err)
	}
	return p.Inputs
}
