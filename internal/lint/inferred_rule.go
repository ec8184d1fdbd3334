package lint

import "github.com/acsconform/acsconform/spec"

var inferredRule = Rule{
	ID:       "inferred-rule",
	Severity: Info,
	Doc:      "Lists the rules no page states outright, so a reviewer can weigh each inference.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, r := range op.Rules {
				if r.Provenance.Kind == spec.KindInferred {
					report(r.Pos, "%s: rule %s (%s → %s) is inferred: %s", op.Action, r.ID, r.Kind, r.Error, oneLine(r.Provenance.Reason))
				}
			}
		}
	},
}
