package lint

import (
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/spec"
)

var curatedDrift = Rule{
	ID:       "curated-drift",
	Severity: Warning,
	Doc: "An operation the curated document declares whole differs from its imported reading (the vendor's " +
		"metadata): a parameter, a required flag, a code, a status or a message. Each difference is either " +
		"recorded as a disagreement of the operation (a reading citing the imported source) or reported here.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			imp := api.Imported[op.Action]
			if imp == nil {
				continue
			}
			recorded := recordedText(op, imp.Sources)
			for _, d := range Drift(op, imp) {
				if !recorded(d.Subject) {
					report(op.Pos, "%s: %s (record it as a disagreement citing %s)", op.Action, d, strings.Join(imp.Sources, ", "))
				}
			}
		}
	},
}

// Difference is one way a curated operation differs from its imported reading.
type Difference struct {
	Subject  string // the parameter or code concerned
	Curated  string
	Imported string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: the contract says %s, the imported source %s", d.Subject, d.Curated, d.Imported)
}

// Drift lists the differences between a curated operation and the
// imported layer's reading of it.
func Drift(cur, imp *spec.Operation) []Difference {
	var out []Difference
	for _, p := range imp.Params {
		c := cur.Param(p.Name)
		switch {
		case c == nil:
			out = append(out, Difference{p.Name, "no such parameter", "parameter " + p.Name})
		case c.Required != p.Required:
			out = append(out, Difference{p.Name, fmt.Sprintf("required=%v", c.Required), fmt.Sprintf("required=%v", p.Required)})
		}
	}
	for _, p := range cur.Params {
		if imp.Param(p.Name) == nil {
			out = append(out, Difference{p.Name, "parameter " + p.Name, "no such parameter"})
		}
	}
	for _, e := range imp.Errors {
		c := cur.Error(e.Code)
		switch {
		case c == nil || c.Platform:
			out = append(out, Difference{e.Code, "no such code", fmt.Sprintf("%d %s %q", e.Status, e.Code, e.Message)})
		case c.Status != e.Status:
			out = append(out, Difference{e.Code, fmt.Sprintf("status %d", c.Status), fmt.Sprintf("status %d", e.Status)})
		case c.Message != e.Message && c.Match() == spec.MatchExact:
			out = append(out, Difference{e.Code, fmt.Sprintf("message %q", c.Message), fmt.Sprintf("message %q", e.Message)})
		}
	}
	for _, e := range cur.Errors {
		if imp.Error(e.Code) == nil || imp.Error(e.Code).Platform {
			out = append(out, Difference{e.Code, fmt.Sprintf("%d %s", e.Status, e.Code), "no such code"})
		}
	}
	return out
}

// recordedText returns whether a subject is named by a disagreement of op
// that cites one of sources.
func recordedText(op *spec.Operation, sources []string) func(string) bool {
	var text []string
	for _, d := range op.Disagreements {
		for _, r := range d.Readings {
			for _, p := range r.Pages {
				for _, s := range sources {
					if p == s {
						text = append(text, d.Subject+" "+r.Says)
					}
				}
			}
		}
	}
	return func(subject string) bool {
		for _, t := range text {
			if strings.Contains(t, subject) {
				return true
			}
		}
		return false
	}
}
