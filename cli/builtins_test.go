package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

// TestAddProduct adds a catalogue product to a copy of the repository's
// inputs (go.mod, spec/, fixtures/metadata/): the product is listed, its
// curated contract loads, its package and the mock's registration are
// generated, and the built-in products' generated packages come out as
// committed (make generate's first step is this same code). Adding it
// again is refused.
func TestAddProduct(t *testing.T) {
	root := t.TempDir()
	copyFile := func(from, to string) {
		t.Helper()
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile(filepath.Join("..", "go.mod"), filepath.Join(root, "go.mod"))
	for _, pattern := range []string{"spec/*.yaml", "spec/products.txt", "fixtures/metadata/*.json"} {
		files, _ := filepath.Glob(filepath.Join("..", pattern))
		for _, f := range files {
			rel, _ := filepath.Rel("..", f)
			copyFile(f, filepath.Join(root, rel))
		}
	}
	meta := filepath.Join("..", "docs", "examples", "metadata", "agency-2022-12-16.api-docs.json")
	code, out, errOut := run("add-product", "--root", root, "--metadata", meta)
	if code != ExitOK {
		t.Fatalf("add-product: exit %d: %s%s", code, out, errOut)
	}
	list, _ := os.ReadFile(filepath.Join(root, "spec", "products.txt"))
	builtins := spec.ParseProducts(string(list))
	if last := builtins[len(builtins)-1]; last.Stem != "agency" || last.Metadata != "agency-2022-12-16.api-docs.json" {
		t.Errorf("products.txt's last line is %+v, want agency", last)
	}
	api, err := spec.LoadFile(filepath.Join(root, "spec", "agency.yaml"))
	if err != nil {
		t.Fatalf("the curated contract does not load: %v", err)
	}
	if api.Product != "Agency" || api.Version != "2022-12-16" || len(api.Operations) == 0 || api.ClockSkew == 0 {
		t.Errorf("the curated contract: product %s %s, %d operations, clock skew %v", api.Product, api.Version, len(api.Operations), api.ClockSkew)
	}
	if files, _ := filepath.Glob(filepath.Join(root, "gen", "agency", "*_gen.go")); len(files) < 5 {
		t.Errorf("gen/agency holds %d generated files", len(files))
	}
	reg, _ := os.ReadFile(filepath.Join(root, "mock", "builtin_gen.go"))
	for _, b := range builtins {
		if !bytes.Contains(reg, []byte(`"github.com/acsconform/acsconform/gen/`+b.Stem+`"`)) {
			t.Errorf("mock/builtin_gen.go does not register %s", b.Stem)
		}
	}
	// The built-in products come out as committed.
	for _, b := range builtins[:len(builtins)-1] {
		files, _ := filepath.Glob(filepath.Join("..", "gen", b.Stem, "*_gen.go"))
		for _, f := range files {
			want, _ := os.ReadFile(f)
			got, _ := os.ReadFile(filepath.Join(root, "gen", b.Stem, filepath.Base(f)))
			if !bytes.Equal(want, got) {
				t.Errorf("gen/%s/%s differs from the committed copy", b.Stem, filepath.Base(f))
			}
		}
	}
	if code, _, errOut := run("add-product", "--root", root, "--metadata", meta); code != ExitUsage || !strings.Contains(errOut, "built in already") {
		t.Errorf("adding it again: exit %d: %s", code, errOut)
	}
	if code, _, errOut := run("add-product", "--root", t.TempDir(), "--metadata", meta); code != ExitUsage || !strings.Contains(errOut, "not a checkout") {
		t.Errorf("outside a checkout: exit %d: %s", code, errOut)
	}
}
