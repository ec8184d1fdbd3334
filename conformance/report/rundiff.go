package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/internal/fsmsg"
)

// RunDiff is what changed between two runs' coverage.json: the verdict,
// the totals, the contract, and every case whose result changed, appeared
// or disappeared.
type RunDiff struct {
	Old, New       string
	OldVerdict     string       `json:"oldVerdict"`
	NewVerdict     string       `json:"newVerdict"`
	OldTotals      Totals       `json:"oldTotals"`
	NewTotals      Totals       `json:"newTotals"`
	ContractChange string       `json:"contractChange,omitempty"`
	Regressions    []CaseChange `json:"regressions"`
	Fixes          []CaseChange `json:"fixes"`
	Changed        []CaseChange `json:"changed"`
	Added          []CaseChange `json:"added"`
	Removed        []CaseChange `json:"removed"`
}

// CaseChange is one case's result in each run ("" where it did not exist).
type CaseChange struct {
	Check  string `json:"check"`
	Old    string `json:"old,omitempty"`
	New    string `json:"new,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// LoadCoverage reads a coverage.json a run wrote.
func LoadCoverage(path string) (Coverage, error) {
	var cov Coverage
	data, err := os.ReadFile(path)
	if err != nil {
		return cov, errors.New(fsmsg.Describe(path, err))
	}
	if err := json.Unmarshal(data, &cov); err != nil {
		return cov, fmt.Errorf("%s is not a coverage.json written by acsconform test: %v", path, err)
	}
	if cov.Verdict == "" || cov.Rows == nil {
		return cov, fmt.Errorf("%s is not a coverage.json written by acsconform test (no verdict or rows; reports before v0.2 lack them)", path)
	}
	return cov, nil
}

// failing says whether a result fails a run.
func failing(result string) bool { return result == "failed" }

// DiffRuns compares two runs.
func DiffRuns(oldName string, old Coverage, newName string, cur Coverage) RunDiff {
	d := RunDiff{Old: oldName, New: newName, OldVerdict: old.Verdict, NewVerdict: cur.Verdict, OldTotals: old.Totals, NewTotals: cur.Totals,
		Regressions: []CaseChange{}, Fixes: []CaseChange{}, Changed: []CaseChange{}, Added: []CaseChange{}, Removed: []CaseChange{}}
	if old.Contract.Digest != cur.Contract.Digest {
		d.ContractChange = fmt.Sprintf("%s %s (%s) → %s %s (%s)", old.Contract.Product, old.Contract.Version, old.Contract.Digest, cur.Contract.Product, cur.Contract.Version, cur.Contract.Digest)
	}
	before := map[string]Row{}
	for _, r := range old.Rows {
		before[r.Check] = r
	}
	seen := map[string]bool{}
	for _, r := range cur.Rows {
		seen[r.Check] = true
		o, ok := before[r.Check]
		c := CaseChange{Check: r.Check, Old: o.Result, New: r.Result, Reason: r.Reason}
		switch {
		case !ok:
			d.Added = append(d.Added, c)
			if failing(r.Result) {
				d.Regressions = append(d.Regressions, c)
			}
		case o.Result == r.Result:
		case failing(r.Result):
			d.Regressions = append(d.Regressions, c)
		case failing(o.Result) && r.Result == "passed":
			d.Fixes = append(d.Fixes, c)
		default:
			d.Changed = append(d.Changed, c)
		}
	}
	for _, r := range old.Rows {
		if !seen[r.Check] {
			d.Removed = append(d.Removed, CaseChange{Check: r.Check, Old: r.Result})
		}
	}
	for _, l := range [][]CaseChange{d.Regressions, d.Fixes, d.Changed, d.Added, d.Removed} {
		sort.Slice(l, func(i, j int) bool { return l[i].Check < l[j].Check })
	}
	return d
}

// Write renders the diff as text, markdown or json.
func (d RunDiff) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	case "markdown":
		return d.markdown(w)
	}
	return d.text(w)
}

func totalsText(t Totals) string {
	return fmt.Sprintf("%d passed, %d deviate from the docs, %d from our reading, %d inconclusive, %d skipped, %d known", t.Passed, t.Failed, t.Inferred, t.Inconclusive, t.Skipped, t.Known)
}

func (d RunDiff) text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "acsconform report diff %s → %s\n", d.Old, d.New)
	fmt.Fprintf(&b, "verdict: %s → %s\n", strings.ToUpper(d.OldVerdict), strings.ToUpper(d.NewVerdict))
	fmt.Fprintf(&b, "before:  %s\nafter:   %s\n", totalsText(d.OldTotals), totalsText(d.NewTotals))
	if d.ContractChange != "" {
		fmt.Fprintf(&b, "contract: %s\n", d.ContractChange)
	}
	section := func(title string, l []CaseChange) {
		if len(l) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s (%d):\n", title, len(l))
		for _, c := range l {
			fmt.Fprintf(&b, "  %s: %s → %s", c.Check, orNone(c.Old), orNone(c.New))
			if c.Reason != "" && c.New != "passed" {
				fmt.Fprintf(&b, " — %s", firstLine(c.Reason))
			}
			b.WriteString("\n")
		}
	}
	section("regressions (now deviating from the docs)", d.Regressions)
	section("fixed", d.Fixes)
	section("other changes", d.Changed)
	section("new cases", d.Added)
	section("cases gone", d.Removed)
	if len(d.Regressions)+len(d.Fixes)+len(d.Changed)+len(d.Added)+len(d.Removed) == 0 {
		b.WriteString("\nno case changed\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (d RunDiff) markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %s → %s\n\n`%s` → `%s`\n\n", strings.ToUpper(d.OldVerdict), strings.ToUpper(d.NewVerdict), d.Old, d.New)
	fmt.Fprintf(&b, "| | passed | deviate from the docs | from our reading | inconclusive | skipped | known |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range []struct {
		name string
		t    Totals
	}{{"before", d.OldTotals}, {"after", d.NewTotals}} {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %d | %d |\n", r.name, r.t.Passed, r.t.Failed, r.t.Inferred, r.t.Inconclusive, r.t.Skipped, r.t.Known)
	}
	if d.ContractChange != "" {
		fmt.Fprintf(&b, "\nContract: %s\n", d.ContractChange)
	}
	for _, s := range []struct {
		title string
		l     []CaseChange
	}{{"Regressions", d.Regressions}, {"Fixed", d.Fixes}, {"Other changes", d.Changed}, {"New cases", d.Added}, {"Cases gone", d.Removed}} {
		if len(s.l) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n## %s (%d)\n\n| check | before | after | reason |\n| --- | --- | --- | --- |\n", s.title, len(s.l))
		for _, c := range s.l {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.Check, orNone(c.Old), orNone(c.New), mdCell(firstLine(c.Reason)))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
