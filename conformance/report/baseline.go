package report

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/internal/yamlcheck"

	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/spec"
)

// A Baseline lists known, accepted deviations of one target: a CI gate
// that runs with it fails only on new breakage. Each entry names an
// (operation, check) pair, why the deviation is accepted and, optionally,
// the day after which it is no longer accepted.
//
// The file is YAML:
//
//	version: 1
//	deviations:
//	  - operation: AssociateMembers
//	    check: AssociateMembers/Members.maxItems/reject    # a case ID; * matches any run of characters
//	    reason: our emulator caps at 10 members (TICKET-12)
//	    expires: 2027-03-31                                 # optional, inclusive
//	    observed: "…"                                       # written by --write-baseline, informative
//
// operation is an operation of the contract, or "platform" for the
// platform's codes; check must lie under it. A deviation that no longer
// happens is reported as fixed; an entry past its expiry date fails its
// case again.
type Baseline struct {
	File    string           `yaml:"-"`
	Version int              `yaml:"version"`
	Entries []*BaselineEntry `yaml:"deviations"`
}

// BaselineEntry is one known deviation.
type BaselineEntry struct {
	Operation string `yaml:"operation"`
	Check     string `yaml:"check"`
	Reason    string `yaml:"reason"`
	Expires   string `yaml:"expires,omitempty"`
	Observed  string `yaml:"observed,omitempty"`

	line    int
	until   time.Time // the last day the entry holds (zero: no expiry)
	matcher *regexp.Regexp
}

// Baseline states of a case.
const (
	BaselineKnown   = "known"   // the deviation is listed and still accepted
	BaselineFixed   = "fixed"   // listed, but the case now passes
	BaselineExpired = "expired" // listed, past its expiry date, still deviating
)

// platformOperation is the operation name baseline entries use for the
// platform's codes.
const platformOperation = "platform"

// LoadBaseline reads and checks a baseline file against the contract.
func LoadBaseline(path string, api *spec.API) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	return ParseBaseline(path, data, api)
}

// ParseBaseline decodes a baseline; every problem names the file and line.
func ParseBaseline(name string, data []byte, api *spec.API) (*Baseline, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("baseline %s: the file is empty (want version: 1 and a deviations list)", name)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("baseline %w", yamlcheck.Decode(name, data, &Baseline{}, nil))
	}
	b := &Baseline{File: name}
	if err := yamlcheck.Decode(name, data, b, nil); err != nil {
		return nil, fmt.Errorf("baseline %w", err)
	}
	if b.Version != 1 {
		return nil, fmt.Errorf("baseline %s: version %d: want version: 1", name, b.Version)
	}
	lines := entryLines(&root)
	ops := map[string]bool{platformOperation: true}
	for _, op := range api.Operations {
		ops[op.Action] = true
	}
	seen := map[string]int{}
	var problems []string
	for i, e := range b.Entries {
		if e == nil {
			problems = append(problems, fmt.Sprintf("%s: deviation %d is empty", name, i+1))
			continue
		}
		if i < len(lines) {
			e.line = lines[i]
		}
		at := fmt.Sprintf("%s:%d", name, e.line)
		switch {
		case e.Operation == "":
			problems = append(problems, at+": operation is missing")
		case !ops[e.Operation]:
			problems = append(problems, fmt.Sprintf("%s: operation %q is not in the contract (want one of %s)", at, e.Operation, strings.Join(sortedKeys(ops), ", ")))
		}
		switch {
		case e.Check == "":
			problems = append(problems, at+": check is missing (a case ID such as "+e.Operation+"/…)")
		case e.Operation != "" && !strings.HasPrefix(e.Check, e.Operation+"/"):
			problems = append(problems, fmt.Sprintf("%s: check %q does not belong to operation %s (case IDs start with %q)", at, e.Check, e.Operation, e.Operation+"/"))
		}
		if strings.TrimSpace(e.Reason) == "" {
			problems = append(problems, at+": reason is missing: say why the deviation is accepted")
		}
		if e.Expires != "" {
			t, err := time.Parse(time.DateOnly, e.Expires)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: expires %q: want a date as YYYY-MM-DD", at, e.Expires))
			}
			e.until = t
		}
		if prev, dup := seen[e.Check]; dup && e.Check != "" {
			problems = append(problems, fmt.Sprintf("%s: check %q is listed twice (also line %d)", at, e.Check, prev))
		}
		seen[e.Check] = e.line
		e.matcher = globRegexp(e.Check)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("baseline %s is not valid:\n  %s", name, strings.Join(problems, "\n  "))
	}
	return b, nil
}

// entryLines finds the line of each item of the deviations list.
func entryLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "deviations" {
			var out []int
			for _, n := range m.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// globRegexp: * matches any run of characters, / included; everything else
// is literal.
func globRegexp(glob string) *regexp.Regexp {
	parts := strings.Split(glob, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// Match returns the entry that covers a case, the most specific (longest
// check) when several do.
func (b *Baseline) Match(caseID string) *BaselineEntry {
	if b == nil {
		return nil
	}
	var best *BaselineEntry
	for _, e := range b.Entries {
		if e.matcher.MatchString(caseID) && (best == nil || len(e.Check) > len(best.Check)) {
			best = e
		}
	}
	return best
}

// Expired reports whether the entry no longer holds on day now (the expiry
// day itself still holds).
func (e *BaselineEntry) Expired(now time.Time) bool {
	if e.until.IsZero() {
		return false
	}
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return today.After(e.until)
}

// Unmatched lists the entries that cover no case of the plan: renamed or
// removed checks, or typos.
func (b *Baseline) Unmatched(cases []*plan.Case) []*BaselineEntry {
	if b == nil {
		return nil
	}
	var out []*BaselineEntry
	for _, e := range b.Entries {
		hit := false
		for _, c := range cases {
			if e.matcher.MatchString(c.ID) {
				hit = true
				break
			}
		}
		if !hit {
			out = append(out, e)
		}
	}
	return out
}

// WriteBaseline writes a baseline listing every deviating row of a run:
// failed, expired and still-known ones. An entry of the previous baseline
// that covers a row keeps its reason and expiry; a new one gets a reason
// saying where it came from, for a person to replace.
func WriteBaseline(path string, cov Coverage, prev *Baseline, now time.Time) error {
	out := Baseline{Version: 1}
	kept := map[*BaselineEntry]bool{}
	for _, r := range cov.Rows {
		if r.Result != "failed" && r.Result != BaselineKnown {
			continue
		}
		if r.Deviation == "" {
			continue // failed without a deviation of the target (e.g. a reset error)
		}
		op := r.Operation
		if r.Kind == plan.KindPlatform {
			op = platformOperation
		}
		if e := prev.Match(r.Check); e != nil {
			if !kept[e] {
				kept[e] = true
				out.Entries = append(out.Entries, &BaselineEntry{Operation: e.Operation, Check: e.Check, Reason: e.Reason, Expires: e.Expires, Observed: r.Deviation})
			}
			continue
		}
		out.Entries = append(out.Entries, &BaselineEntry{
			Operation: op, Check: r.Check,
			Reason:   fmt.Sprintf("accepted from a run against %s on %s: replace with why", cov.Target, now.UTC().Format(time.DateOnly)),
			Observed: r.Deviation,
		})
	}
	var buf bytes.Buffer
	buf.WriteString("# acsconform baseline: known deviations of one target (see docs/ci-gate.md).\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the baseline: %w", err)
	}
	return nil
}

// Line is the entry's line in its baseline file.
func (e *BaselineEntry) Line() int { return e.line }
