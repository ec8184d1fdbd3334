package lint

import (
	"sort"

	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

var paramDescription = Rule{
	ID:       "param-description",
	Severity: Error,
	Doc:      "Every request parameter, and every field nested in one, has a description (a field the vendor's metadata describes nowhere is carried over as it is).",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, p := range op.Params {
				if p.Description == "" {
					report(p.Pos, "%s: parameter %s has no description", op.Action, p.Name)
				}
				if p.Provenance.Kind == spec.KindMetadata {
					// The vendor's metadata gives its list items' fields no
					// text: the importer carries them over as they are.
					continue
				}
				if p.Schema != nil && p.Schema.Items != nil {
					for _, name := range undescribed(p.Schema.Items.Value) {
						report(p.Pos, "%s: field %s.%s has no description", op.Action, p.Name, name)
					}
				}
			}
		}
	},
}

func undescribed(s *openapi3.Schema) []string {
	var out []string
	for name, ref := range s.Properties {
		if ref.Value != nil && ref.Value.Description == "" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
