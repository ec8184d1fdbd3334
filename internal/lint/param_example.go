package lint

import (
	"strings"

	"github.com/acsconform/acsconform/spec"
)

var paramExample = Rule{
	ID:       "param-example",
	Severity: Warning,
	Doc:      "Every request parameter has an example (the pages give one for each).",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, p := range op.Params {
				if p.Example == nil && !exampleDisputed(op, p.Name) {
					report(p.Pos, "%s: parameter %s has no example", op.Action, p.Name)
				}
			}
		}
	},
}

// exampleDisputed reports whether a disagreement of op records the
// parameter's example (dropped because it contradicts the stated format).
func exampleDisputed(op *spec.Operation, name string) bool {
	for _, d := range op.Disagreements {
		if strings.HasPrefix(d.Subject, "The example of "+name+" ") {
			return true
		}
	}
	return false
}
