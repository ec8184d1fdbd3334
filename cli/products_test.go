package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

// TestProductsListsBuiltIns: every embedded contract is listed with the
// name --contract takes and how the mock serves it, as a table and as
// JSON; arguments are refused as a usage error.
func TestProductsListsBuiltIns(t *testing.T) {
	code, out, errOut := run("products", "--json")
	if code != 0 {
		t.Fatalf("products --json: exit %d: %s", code, errOut)
	}
	var list []builtIn
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("products --json is not JSON: %v\n%s", err, out)
	}
	if len(list) != len(spec.Products) {
		t.Fatalf("listed %d products, %d are embedded", len(list), len(spec.Products))
	}
	for i, p := range list {
		if p.Name != spec.Products[i] || p.Product == "" || p.Version == "" || p.Operations == 0 || p.Mock == "" {
			t.Errorf("product %d: %+v", i, p)
		}
	}
	code, out, _ = run("products")
	if code != 0 || !strings.Contains(out, "resourcemanager") || !strings.Contains(out, "shared state") {
		t.Errorf("products: exit %d\n%s", code, out)
	}
	if code, _, errOut := run("products", "extra"); code != ExitUsage {
		t.Errorf("products extra: exit %d (%s), want %d", code, errOut, ExitUsage)
	}
}
