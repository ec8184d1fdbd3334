package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

func TestImportCommand(t *testing.T) {
	pages, _ := filepath.Glob(filepath.Join("..", "fixtures", "docs", "*.txt"))
	out := filepath.Join(t.TempDir(), "imported.yaml")
	code, _, errOut := run(append([]string{"import", "-o", out}, pages...)...)
	if code != ExitOK || !strings.Contains(errOut, "3 operation(s) from 5 page(s)") {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := spec.LoadFile(out); err != nil {
		t.Fatalf("the output does not load: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	_ = os.WriteFile(empty, nil, 0o644)
	code, _, errOut = run("import", empty)
	if code != ExitFindings || !strings.Contains(errOut, "nothing could be imported") || !strings.Contains(errOut, "empty.txt: the file is empty") {
		t.Fatalf("nothing importable: exit %d: %s", code, errOut)
	}
}

// TestImportMergeInto: a new operation is added; for an existing one the
// differences are reported and the contract is not overwritten.
func TestImportMergeInto(t *testing.T) {
	dir := withLayer(t, t.TempDir())
	contract := filepath.Join(dir, "contract.yaml")
	_ = os.WriteFile(contract, spec.Embedded(), 0o644)
	page := filepath.Join("..", "spec", "docimport", "testdata", "pages", "list-accounts.md")
	changed := filepath.Join(dir, "assoc.txt")
	data, _ := os.ReadFile(filepath.Join("..", "fixtures", "docs", "001_10066c6888da468c.txt"))
	_ = os.WriteFile(changed, []byte(strings.Replace(string(data), "You must specify ContactId.", "ContactId is required.", 1)), 0o644)
	out := filepath.Join(dir, "merged.yaml")
	code, _, errOut := run("import", "--merge-into", contract, "-o", out, page, changed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, `differs: AssociateMembers error MissingParameter.ContactId message: pages say "ContactId is required.", contract says "You must specify ContactId."`) {
		t.Errorf("no difference reported:\n%s", errOut)
	}
	merged, err := spec.LoadFile(out)
	if err != nil {
		t.Fatalf("the merged contract does not load: %v", err)
	}
	if merged.Operation("ListAccounts") == nil {
		t.Error("ListAccounts was not added")
	}
	if e := merged.Operation("AssociateMembers").Error("MissingParameter.ContactId"); e.Message != "You must specify ContactId." || len(merged.Operation("AssociateMembers").Rules) == 0 {
		t.Error("the curated operation was overwritten")
	}
	// The merge changes only what changed: every line of the contract is
	// still there, in order, but the curation entry it reported removing;
	// what is new is the operation's path item and its page's source.
	before := strings.Split(string(spec.Embedded()), "\n")
	after, _ := os.ReadFile(out)
	lines := strings.Split(string(after), "\n")
	kept := commonLines(before, lines)
	removed := len(before) - kept
	added := len(lines) - kept
	if removed > 20 || added > 260 || added < 100 {
		t.Errorf("the merge rewrote the contract: %d lines removed, %d added (want only the ListAccounts curation entry out, its path item and source in)", removed, added)
	}
}

// commonLines is the length of the longest common subsequence of two
// files' lines: what a line diff keeps.
func commonLines(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			switch {
			case a[i-1] == b[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestImportMetadataStandalone: without --layer, a metadata file becomes a
// contract of its own — the gateway's facts, platform codes and signature
// window included — that lints clean and generates; with --layer, the
// layer a curated document imports beside the gateway, which has none.
func TestImportMetadataStandalone(t *testing.T) {
	dir := t.TempDir()
	alone := filepath.Join(dir, "sts.yaml")
	meta := filepath.Join("..", "fixtures", "metadata", "sts-2015-04-01.api-docs.json")
	if code, _, errOut := run("import", "--metadata", meta, "-o", alone); code != ExitOK {
		t.Fatalf("import --metadata: exit %d: %s", code, errOut)
	}
	data, err := os.ReadFile(alone)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"x-acs-gateway:", "x-acs-platform-errors:", "clock-skew: 15m"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("the standalone contract lacks %q", want)
		}
	}
	if code, out, _ := run("lint", alone); code != ExitOK || !strings.Contains(out, "\n0 error(s)") {
		t.Errorf("lint of the standalone contract: exit %d\n%s", code, out)
	}
	if code, _, errOut := run("gen", "--contract", alone, "--out", filepath.Join(dir, "gen"), "--package", "stsalone"); code != ExitOK {
		t.Errorf("gen of the standalone contract: exit %d: %s", code, errOut)
	}
	layer := filepath.Join(dir, "sts.imported.yaml")
	if code, _, errOut := run("import", "--layer", "--metadata", meta, "-o", layer); code != ExitOK {
		t.Fatalf("import --layer: exit %d: %s", code, errOut)
	}
	if data, _ := os.ReadFile(layer); strings.Contains(string(data), "x-acs-gateway:") {
		t.Error("the layer carries the gateway, which its curated document imports itself")
	}
}
