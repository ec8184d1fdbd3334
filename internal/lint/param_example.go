package lint

import "github.com/acsconform/acsconform/spec"

var paramExample = Rule{
	ID:       "param-example",
	Severity: Warning,
	Doc:      "Every request parameter has an example (the pages give one for each).",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, p := range op.Params {
				if p.Example == nil {
					report(p.Pos, "%s: parameter %s has no example", op.Action, p.Name)
				}
			}
		}
	},
}
