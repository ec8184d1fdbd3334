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

// TestFillFlatList: a request template's list of objects (MoveResources'
// Resources) becomes the flat parameters Resources.N.Field, each
// placeholder replaced; a list of plain values stays a repeat list.
func TestFillFlatList(t *testing.T) {
	api, err := spec.LoadProduct("resourcemanager")
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(name string) (string, []string, bool) { return "v-" + name, nil, true }
	got, err := Fill(api.Operation("MoveResources"), map[string]any{
		"ResourceGroupId": "{group}",
		"Resources": []any{
			map[string]any{"ResourceId": "{res}", "RegionId": "cn-hangzhou"},
			map[string]any{"ResourceId": "i-2", "RegionId": "{region}"},
		},
	}, lookup)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ResourceGroupId": "v-group", "Resources.1.ResourceId": "v-res", "Resources.1.RegionId": "cn-hangzhou",
		"Resources.2.ResourceId": "i-2", "Resources.2.RegionId": "v-region"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q (all: %v)", k, got.Get(k), v, got)
		}
	}
	for k := range got {
		if k == "Resources.1" || k == "Resources.2" {
			t.Errorf("an object item was sent whole as %s=%s", k, got.Get(k))
		}
	}
	plain, err := Fill(api.Operation("ListResourceGroups"), map[string]any{"ResourceGroupIds": []any{"{a}", "rg-2"}}, lookup)
	if err != nil || plain.Get("ResourceGroupIds.1") != "v-a" || plain.Get("ResourceGroupIds.2") != "rg-2" {
		t.Errorf("a list of plain values: %v %v", plain, err)
	}
}
