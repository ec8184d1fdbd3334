package lint

import (
	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

var limitProvenance = Rule{
	ID:       "limit-provenance",
	Severity: Error,
	Doc: "Every constraint in a parameter's schema (each keyword of the rule-kind table: maxItems, minItems, " +
		"uniqueItems, maxLength, minLength, pattern, enum, maximum, minimum, and the same on items) says where it " +
		"comes from: an x-acs-limits entry or a rule.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, p := range op.Params {
				for _, kw := range constraintKeywords(p.Schema, "") {
					if !limitCovered(op, p, kw) {
						report(p.Pos, "%s: parameter %s: constraint %s has no provenance (add an x-acs-limits entry or a rule)", op.Action, p.Name, kw)
					}
				}
			}
		}
	},
}

func constraintKeywords(s *openapi3.Schema, prefix string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, k := range spec.Kinds() {
		if k.Set != nil && k.Set(s) {
			out = append(out, prefix+k.Name)
		}
	}
	if prefix == "" && s.Items != nil {
		out = append(out, constraintKeywords(s.Items.Value, "items.")...)
	}
	return out
}

func limitCovered(op *spec.Operation, p *spec.Param, kw string) bool {
	for _, l := range p.Limits {
		if l.Keyword == kw {
			return true
		}
	}
	for _, r := range op.Rules {
		if r.When != nil || r.ParamName() != p.Name {
			continue
		}
		want := r.Kind
		if r.OnItems() {
			want = "items." + r.Kind
		}
		if want == kw {
			return true
		}
	}
	return false
}
