package report

import (
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/acsconform/acsconform/conformance/plan"
)

// reportRows is one row of every result a report shows.
func reportRows() []Row {
	return []Row{
		{Operation: "AssociateMembers", Check: "AssociateMembers/ContactId.pattern/reject", Kind: plan.KindRule, Rule: "ContactId.pattern", Expect: []string{"InvalidParameter.ContactId"}, Result: "passed", Labels: []string{"op:AssociateMembers", "kind:rule"}, Seconds: 0.00008113, Selected: true, Where: "spec/x.yaml:12"},
		{Operation: "AssociateMembers", Check: "AssociateMembers/Members.maxItems/reject", Kind: plan.KindRule, Result: "failed", Reason: "got HTTP 200\nwith a body", Evidence: "stated", Sent: "POST /?Action=AssociateMembers", Received: "HTTP/1.1 200", Seconds: 1.5, Selected: true, Where: "spec/x.yaml:40"},
		{Operation: "DisassociateMembers", Check: "DisassociateMembers/ContactId.maxLength/edge-1", Kind: plan.KindRule, Result: ResultInferred, Reason: "our reading", Evidence: "inferred", Inference: "length 32", Selected: true},
		{Operation: "DisassociateMembers", Check: "DisassociateMembers/error:X/state", Kind: plan.KindErrorCode, Result: ResultInconclusive, Reason: "refused with Throttling.User", Selected: true},
		{Operation: "DisassociateMembers", Check: "DisassociateMembers/error:Y/state", Kind: plan.KindErrorCode, Result: "skipped", Reason: "needs input x", Selected: true},
		{Operation: "DisassociateMembers", Check: "DisassociateMembers/error:Z/state", Kind: plan.KindErrorCode, Result: BaselineKnown, Reason: "excused", Selected: true},
		{Operation: "InviteAccountToResourceDirectory", Check: "InviteAccountToResourceDirectory/example/success", Kind: plan.KindExample, Result: "skipped", Reason: ReasonNotSelected},
		{Operation: "", Check: "platform/InternalError/internal-failure", Kind: plan.KindPlatform, Result: "skipped", Reason: "no portable way", Selected: true},
	}
}

func TestReportVerdictAndTotals(t *testing.T) {
	cov := Coverage{Rows: reportRows()}
	cov.Settle("")
	want := Totals{Selected: 7, Passed: 1, Failed: 1, Inferred: 1, Inconclusive: 1, Skipped: 2, Known: 1, NotSelected: 1}
	if cov.Totals != want {
		t.Errorf("totals %+v, want %+v", cov.Totals, want)
	}
	if cov.Verdict != VerdictDeviates || !strings.Contains(cov.Headline(), "DEVIATES — 7 cases: 1 passed, 1 deviate from the docs, 1 deviate from our reading, 1 inconclusive, 2 skipped, 1 known") {
		t.Errorf("verdict %q, headline %q", cov.Verdict, cov.Headline())
	}
	var am OpScore
	for _, o := range cov.Operations {
		if o.Operation == "AssociateMembers" {
			am = o
		}
	}
	if am.Score != "1/2 (50%)" {
		t.Errorf("AssociateMembers score %q, want 1/2 (50%%)", am.Score)
	}
	devs := cov.Deviations()
	var order []string
	for _, d := range devs {
		order = append(order, d.Result)
	}
	if strings.Join(order, ",") != "failed,known,deviates-from-inference,inconclusive" {
		t.Errorf("deviations in order %v, want failures first", order)
	}
	cov.Settle("no case was selected")
	if cov.Verdict != VerdictUnproven || cov.VerdictReason != "no case was selected" {
		t.Errorf("an empty run: verdict %q (%q)", cov.Verdict, cov.VerdictReason)
	}
	cov.Rows = cov.Rows[:1]
	cov.Settle("")
	if cov.Verdict != VerdictConforming {
		t.Errorf("a run with no failure: verdict %q", cov.Verdict)
	}
	if got := string(breakable("Op/rule:x<y")); got != "Op/<wbr>rule:<wbr>x&lt;y" {
		t.Errorf("breakable: %q", got)
	}
}

func TestJUnitAsCIToolsReadIt(t *testing.T) {
	cov := Coverage{Rows: reportRows(), Tool: "acsconform test", Started: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Seconds: 3.25}
	cov.Settle("")
	out, err := junit(cov)
	if err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, out)
	}
	if doc.Tests != 7 || doc.Failures != 1 || doc.Skipped != 5 {
		t.Errorf("counts: tests %d failures %d skipped %d, want 7 1 5 (the unselected case and no suite hook counted)", doc.Tests, doc.Failures, doc.Skipped)
	}
	decimalRE := regexp.MustCompile(`^\d+\.\d{3}$`)
	seen := map[string]junitCase{}
	for _, su := range doc.Suites {
		if !decimalRE.MatchString(su.Time) {
			t.Errorf("suite %s time %q is not a decimal", su.Name, su.Time)
		}
		for _, tc := range su.Cases {
			seen[tc.Name] = tc
			if tc.Classname != su.Name || tc.Classname == "" {
				t.Errorf("%s: classname %q in suite %q, want the operation", tc.Name, tc.Classname, su.Name)
			}
			if !decimalRE.MatchString(tc.Time) {
				t.Errorf("%s: time %q is not a decimal", tc.Name, tc.Time)
			}
			if strings.ContainsAny(tc.Name, "[]") || strings.Contains(tc.Name, "kind:") {
				t.Errorf("%s: the name carries labels", tc.Name)
			}
		}
	}
	pass := seen["AssociateMembers/ContactId.pattern/reject"]
	if pass.Failure != nil || pass.Skipped != nil || pass.Time != "0.000" {
		t.Errorf("passed case: %+v", pass)
	}
	var labels []string
	for _, p := range pass.Properties {
		if p.Name == "label" {
			labels = append(labels, p.Value)
		}
	}
	if strings.Join(labels, " ") != "kind:rule op:AssociateMembers" {
		t.Errorf("labels as properties: %v", labels)
	}
	fail := seen["AssociateMembers/Members.maxItems/reject"]
	if fail.Failure == nil || fail.Failure.Message != "got HTTP 200" || !strings.Contains(fail.Failure.Text, "sent:\nPOST /?Action=AssociateMembers") || !strings.Contains(fail.Failure.Text, "contract:\nspec/x.yaml:40") {
		t.Errorf("failed case: %+v", fail.Failure)
	}
	if tc := seen["DisassociateMembers/ContactId.maxLength/edge-1"]; tc.Skipped == nil || !strings.HasPrefix(tc.Skipped.Message, "deviates-from-inference: our reading") {
		t.Errorf("a deviation from our reading is skipped with its reason: %+v", tc.Skipped)
	}
	if tc := seen["platform/InternalError/internal-failure"]; tc.Classname != "platform" {
		t.Errorf("a platform case without an operation: classname %q", tc.Classname)
	}
	if _, ok := seen["InviteAccountToResourceDirectory/example/success"]; ok {
		t.Error("a case the filter left out is a testcase")
	}
	validateJUnit(t, out)
}

// validateJUnit checks a JUnit document against testdata/junit.xsd with
// xmllint; it skips when xmllint is absent unless
// ACSCONFORM_REQUIRE_XMLLINT is set (CI installs it: scripts/install-tools.sh).
func validateJUnit(t *testing.T, doc []byte) {
	t.Helper()
	if _, err := exec.LookPath("xmllint"); err != nil {
		if os.Getenv("ACSCONFORM_REQUIRE_XMLLINT") != "" {
			t.Fatal("xmllint is required (ACSCONFORM_REQUIRE_XMLLINT) but not on PATH")
		}
		t.Skip("xmllint not on PATH (Debian: libxml2-utils; make tools): the XSD validation is skipped")
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "junit.xml")
	if err := os.WriteFile(good, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", good).CombinedOutput(); err != nil {
		t.Errorf("junit.xml does not validate against testdata/junit.xsd: %v\n%s", err, out)
	}
	// The schema itself must catch what CI tools refuse: an exponent time.
	bad := filepath.Join(dir, "bad.xml")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(doc), `time="0.000"`, `time="8.1131e-05"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", bad).Run(); err == nil {
		t.Error("the XSD accepts a time in exponent notation")
	}
}

func TestDiffRuns(t *testing.T) {
	old := Coverage{Rows: []Row{
		{Check: "A/r/reject", Result: "passed", Selected: true},
		{Check: "A/r/edge-1", Result: "failed", Reason: "was wrong", Selected: true},
		{Check: "A/e/state", Result: "skipped", Selected: true},
		{Check: "A/gone", Result: "passed", Selected: true},
	}, Contract: Contract{Product: "P", Version: "1", Digest: "sha256:aa"}}
	old.Settle("")
	cur := Coverage{Rows: []Row{
		{Check: "A/r/reject", Result: "failed", Reason: "answered 200\nbody", Selected: true},
		{Check: "A/r/edge-1", Result: "passed", Selected: true},
		{Check: "A/e/state", Result: ResultInconclusive, Selected: true},
		{Check: "A/new", Result: "failed", Selected: true},
	}, Contract: Contract{Product: "P", Version: "1", Digest: "sha256:bb"}}
	cur.Settle("")
	d := DiffRuns("old.json", old, "new.json", cur)
	ids := func(l []CaseChange) string {
		var out []string
		for _, c := range l {
			out = append(out, c.Check+":"+c.Old+">"+c.New)
		}
		return strings.Join(out, " ")
	}
	if got := ids(d.Regressions); got != "A/new:>failed A/r/reject:passed>failed" {
		t.Errorf("regressions %s", got)
	}
	if got := ids(d.Fixes); got != "A/r/edge-1:failed>passed" {
		t.Errorf("fixes %s", got)
	}
	if got := ids(d.Changed); got != "A/e/state:skipped>inconclusive" {
		t.Errorf("changed %s", got)
	}
	if ids(d.Added) != "A/new:>failed" || ids(d.Removed) != "A/gone:passed>" || d.ContractChange == "" {
		t.Errorf("added %s, removed %s, contract %q", ids(d.Added), ids(d.Removed), d.ContractChange)
	}
	var b strings.Builder
	if err := d.Write(&b, "text"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"verdict: DEVIATES → DEVIATES", "regressions (now deviating from the docs) (2):", "  A/r/reject: passed → failed — answered 200\n", "fixed (1):", "cases gone (1):"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
}

// TestSummarySizedForJobSummaries: whatever the run, the job-summary form
// stays under SummaryLimit, opens with the verdict and lists the first
// deviations, then says how many more there are.
func TestSummarySizedForJobSummaries(t *testing.T) {
	long := strings.Repeat("a deviation explained at length, 歡😀 ", 400)
	var rows []Row
	for i := 0; i < 20000; i++ {
		rows = append(rows, Row{Operation: "Op", Check: fmt.Sprintf("Op/rule-%05d/reject", i), Kind: plan.KindRule, Result: "failed", Reason: long, Where: "spec/x.yaml:1", Selected: true})
	}
	cov := Coverage{Rows: rows}
	cov.Settle("")
	s := Summary(cov)
	if len(s) > SummaryLimit {
		t.Fatalf("summary.md is %d bytes, over %d", len(s), SummaryLimit)
	}
	if !utf8.ValidString(s) {
		t.Fatal("the summary cut a character in half")
	}
	for _, want := range []string{"# Conformance: DEVIATES", "Op/rule-00000/reject", "more.", "coverage.md"} {
		if !strings.Contains(s, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}
	if strings.Contains(s, "Op/rule-19999/reject") {
		t.Error("the summary lists every deviation")
	}
}
