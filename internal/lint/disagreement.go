package lint

import (
	"strings"

	"github.com/acsconform/acsconform/spec"
)

var disagreementDecision = Rule{
	ID:       "disagreement-decision",
	Severity: Error,
	Doc:      "Every recorded disagreement gives the pages' readings and the decision taken.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, d := range op.Disagreements {
				if strings.TrimSpace(d.Decision) == "" {
					report(d.Pos, "%s: disagreement %s (%s) has no decision", op.Action, d.ID, d.Subject)
				}
				if len(d.Readings) == 0 {
					report(d.Pos, "%s: disagreement %s records no reading", op.Action, d.ID)
				}
			}
		}
	},
}

var disagreementListed = Rule{
	ID:       "disagreement",
	Severity: Info,
	Doc:      "Lists each disagreement between or within the pages, with its decision, for review.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, d := range op.Disagreements {
				var readings []string
				for _, r := range d.Readings {
					readings = append(readings, strings.Join(r.Pages, "+")+": "+r.Says)
				}
				report(d.Pos, "%s: %s — %s | decision: %s", op.Action, d.Subject, strings.Join(readings, " | "), oneLine(d.Decision))
			}
		}
	},
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
