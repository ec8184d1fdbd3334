package codegen

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/generate")

// TestGolden generates each contract under testdata/generate and compares
// the files with the committed golden package next to it, which must also
// compile and vet (it is real Go in a testdata folder).
func TestGolden(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("testdata", "generate", "*"))
	if len(dirs) == 0 {
		t.Fatal("no golden cases")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			api, err := spec.LoadFile(filepath.Join(dir, "spec.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			pkg := strings.ToLower(api.Product)
			files, err := Generate(api, pkg)
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, pkg)
			if *update {
				_ = os.RemoveAll(out)
				_ = os.MkdirAll(out, 0o755)
				for name, data := range files {
					if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			onDisk, _ := filepath.Glob(filepath.Join(out, "*_gen.go"))
			if len(onDisk) != len(files) {
				t.Fatalf("%d golden files, %d generated; run go test -update", len(onDisk), len(files))
			}
			for name, data := range files {
				want, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatalf("%v; run go test -update", err)
				}
				if !bytes.Equal(data, want) {
					t.Errorf("%s differs from the golden file; run go test -update and review the diff", name)
				}
			}
			if testing.Short() {
				return
			}
			cmd := exec.Command("go", "vet", "./"+filepath.ToSlash(out))
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("the golden package does not vet: %v\n%s", err, b)
			}
		})
	}
}

// TestDeterministic: two generations of the real contract are identical,
// and every file opens with the header.
func TestDeterministic(t *testing.T) {
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	a, err := Generate(api, "resourcedirectorymaster")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(api, "resourcedirectorymaster")
	if len(a) != len(Names()) {
		t.Fatalf("%d files, want %v", len(a), Names())
	}
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s differs between two runs", name)
		}
		if !bytes.HasPrefix(a[name], []byte(Header+"\n")) {
			t.Errorf("%s does not start with the header", name)
		}
	}
}

// TestRefuse: each contract under testdata/refuse must be refused, with the
// message its first line names (# want: ...), by the loader or the generator.
func TestRefuse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "refuse", "*.yaml"))
	if len(files) < 5 {
		t.Fatalf("only %d refusal cases", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			fh, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			first, _ := bufio.NewReader(fh).ReadString('\n')
			fh.Close()
			want := strings.TrimSpace(strings.TrimPrefix(first, "# want:"))
			api, err := spec.LoadFile(f)
			if err == nil {
				_, err = Generate(api, "x")
			}
			if err == nil {
				t.Fatalf("generated; want a refusal saying %q", want)
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("refused with:\n%v\nwant it to say %q", err, want)
			}
		})
	}
}

// TestEveryRuleKindHasATemplate: each kind of the rule-kind table has its
// branch in the validator template, so adding a kind to the table without
// its validator fails here rather than generating code that checks nothing.
func TestEveryRuleKindHasATemplate(t *testing.T) {
	tmpl, err := templateFS.ReadFile("templates/validators.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range spec.Kinds() {
		if !strings.Contains(string(tmpl), `eq .Kind "`+k.Name+`"`) {
			t.Errorf("rule kind %s has no branch in templates/validators.tmpl", k.Name)
		}
	}
}
