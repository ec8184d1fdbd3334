// Package lint checks a contract for completeness: what a transcription of
// the vendor's pages must say before the generator, the mock and the suite
// can rely on it. Each rule has a stable kebab-case ID, a severity and a file
// of its own; Rules lists them all.
package lint

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/acsconform/acsconform/spec"
)

// Severity of a finding. Errors make `acsconform lint` exit 1.
type Severity int

// Severities, most severe last.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "info"
}

// MarshalText renders the severity by name in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Finding is one problem (or, at Info, one fact worth a reviewer's eye).
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Pos      spec.Pos `json:"-"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s: %s %s: %s", f.Pos, f.Severity, f.Rule, f.Message)
}

// Rule is one lint check.
type Rule struct {
	ID       string
	Severity Severity
	Doc      string
	Check    func(api *spec.API, report func(pos spec.Pos, format string, args ...any))
}

// Rules returns every rule, in ID order.
func Rules() []Rule {
	rules := []Rule{
		paramDescription, paramExample, errorTrigger, exampleValid, disagreementDecision,
		disagreementListed, limitProvenance, rateLimit, inferredRule, triggerRequest,
		unprovoked, staleCuration, unreadLimit, curatedDrift, siteFact,
	}
	slices.SortFunc(rules, func(a, b Rule) int { return cmp.Compare(a.ID, b.ID) })
	return rules
}

// Run applies every rule and returns the findings in file order.
func Run(api *spec.API) []Finding {
	var out []Finding
	for _, r := range Rules() {
		r.Check(api, func(pos spec.Pos, format string, args ...any) {
			out = append(out, Finding{Rule: r.ID, Severity: r.Severity, Pos: pos, File: pos.File, Line: pos.Line, Col: pos.Col, Message: fmt.Sprintf(format, args...)})
		})
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Rule, b.Rule))
	})
	return out
}

// Count returns how many findings have each severity.
func Count(fs []Finding) map[Severity]int {
	n := map[Severity]int{}
	for _, f := range fs {
		n[f.Severity]++
	}
	return n
}
