package layers

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/acsconform/acsconform"

type listed struct {
	ImportPath string
	Imports    []string
}

// packages lists the module's packages and their non-test imports.
func packages(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func floorOf() map[string]int {
	m := map[string]int{}
	for i, f := range Floors {
		for _, p := range f.Packages {
			m[p] = i
		}
	}
	return m
}

// placed is a package's floor: the table's, or Generated's for a
// generated product package (gen/<stem>).
func placed(floor map[string]int, pkg string) (int, bool) {
	if i, ok := floor[pkg]; ok {
		return i, true
	}
	if rest, ok := strings.CutPrefix(pkg, "gen/"); ok && rest != "" && !strings.Contains(rest, "/") {
		for i, f := range Floors {
			if f.Name == Generated {
				return i, true
			}
		}
	}
	return 0, false
}

// rel is a package's module-relative path, or "" for one outside the module.
func rel(path string) string {
	if path == module {
		return "."
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r
	}
	return ""
}

// TestImportsPointDown: every package is placed, and every import of one
// package of the module by another points to a lower floor.
func TestImportsPointDown(t *testing.T) {
	floor := floorOf()
	pkgs := packages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages: is the test running inside the module?", len(pkgs))
	}
	for _, p := range pkgs {
		from := rel(p.ImportPath)
		fi, ok := placed(floor, from)
		if !ok {
			t.Errorf("package %s is on no floor: place it in layers.go (and README.md's picture)", from)
			continue
		}
		for _, imp := range p.Imports {
			to := rel(imp)
			if to == "" {
				continue
			}
			ti, ok := placed(floor, to)
			if !ok {
				continue // reported as unplaced above
			}
			if ti >= fi {
				t.Errorf("%s (floor %q) imports %s (floor %q): imports must point down", from, Floors[fi].Name, to, Floors[ti].Name)
			}
		}
	}
}

// TestInternalSitsBelow: internal/ holds only what sits below the mock and
// the suite, so nothing at the top of the house hides in it.
func TestInternalSitsBelow(t *testing.T) {
	floor := floorOf()
	limit := -1
	for i, f := range Floors {
		if f.Name == Internal {
			limit = i
		}
	}
	if limit < 0 {
		t.Fatalf("no floor named %q", Internal)
	}
	for p, i := range floor {
		if strings.HasPrefix(p, "internal/") && i >= limit {
			t.Errorf("%s is under internal/ but on floor %q, not below %q", p, Floors[i].Name, Internal)
		}
	}
}

// TestTableNamesRealPackages: a floor that names a package the module no
// longer has is a stale map.
func TestTableNamesRealPackages(t *testing.T) {
	have := map[string]bool{}
	for _, p := range packages(t) {
		have[rel(p.ImportPath)] = true
	}
	for p := range floorOf() {
		if !have[p] {
			t.Errorf("layers.go places %s, which is not a package of the module", p)
		}
	}
}
