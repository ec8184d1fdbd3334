package cases

import (
	"testing"

	"github.com/acsconform/acsconform/spec"
)

// TestEveryRuleKindHasCases: each kind of the rule-kind table gets cases
// from For, so a kind added to the table without its case builder fails
// here rather than running a suite that never breaks the rule.
func TestEveryRuleKindHasCases(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			t.Fatal(err)
		}
		ops := api.Operations
		for _, op := range api.Imported {
			ops = append(ops, op) // the imported readings of curated operations too
		}
		for _, op := range ops {
			cs, err := For(op)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cs {
				seen[c.Rule.Kind] = true
			}
		}
	}
	for _, k := range spec.Kinds() {
		if !seen[k.Name] {
			t.Errorf("rule kind %s: no rule of the embedded contracts has a case (add its builder in cases.go, or a rule of the kind to a contract)", k.Name)
		}
	}
}
