package lint

import "github.com/acsconform/acsconform/spec"

var exampleValid = Rule{
	ID:       "example-valid",
	Severity: Error,
	Doc:      "Every example validates against its schema (vendor-masked IDs read as spec.Unmask does).",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, ex := range api.Examples() {
			if err := ex.Validate(); err != nil {
				report(ex.Pos, "%v", err)
			}
		}
	},
}
