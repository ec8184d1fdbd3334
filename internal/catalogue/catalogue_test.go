package catalogue

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/acsconform/acsconform/internal/testbin"
)

// products is the training catalogue beside the clone.
var products = filepath.Join("..", "..", "..", "shared", "metadata", "products")

// notYet are the styles the importer refuses today, each with the message
// it must give: when a style starts to import, this test fails until the
// style is taken through the rest of the pipeline here.
var notYet = map[string]string{
	"OSS": `info.style is "OSS": only RPC products are read`,
}

// roaNotYet is what gen, mock and test say of a ROA (REST-style) contract,
// which imports and lints: when they take it, this test fails until the
// ROA rows are held to the RPC rows' bar.
const roaNotYet = "ROA (REST-style) product"

// verdict is the first line of a run's summary.
var verdict = regexp.MustCompile(`(?m)^acsconform: (CONFORMING|DEVIATES|UNPROVEN) — (\d+) cases .*? — (\d+) passed, (\d+) deviate from the docs`)

// TestEveryTrainingProduct takes every file of the training catalogue
// through the pipeline: an RPC product imports, lints without error,
// generates a package that builds and vets, conforms as the mock serves
// it, and deviates where the server validates nothing. The table is
// logged (go test -v -run TestEveryTrainingProduct ./internal/catalogue).
func TestEveryTrainingProduct(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(products, "*.api-docs.json"))
	if len(files) == 0 {
		t.Skipf("no training catalogue at %s (it sits beside the clone in CI)", products)
	}
	if testing.Short() {
		t.Skip("-short: the whole catalogue through the pipeline takes minutes")
	}
	bin, err := testbin.Path()
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The generated packages are built in a module of their own that
	// points at this one.
	mod := t.TempDir()
	goVersion := regexp.MustCompile(`(?m)^go \S+$`).Find(mustRead(t, filepath.Join(root, "go.mod")))
	writeFile(t, filepath.Join(mod, "go.mod"), fmt.Sprintf("module catalogue\n\n%s\n\nrequire github.com/acsconform/acsconform v0.0.0\n\nreplace github.com/acsconform/acsconform => %s\n", goVersion, root))
	writeFile(t, filepath.Join(mod, "go.sum"), string(mustRead(t, filepath.Join(root, "go.sum"))))

	// A server that validates nothing: every request succeeds.
	lax := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"x"}`))
	}))
	defer lax.Close()

	var mu sync.Mutex
	var table []string
	var generated int
	t.Run("products", func(t *testing.T) {
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".api-docs.json")
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				row, gen := throughPipeline(t, bin, file, name, mod, lax.URL)
				mu.Lock()
				defer mu.Unlock()
				table = append(table, row)
				if gen {
					generated++
				}
			})
		}
	})
	if generated > 0 {
		vet := exec.Command("go", "vet", "./...")
		vet.Dir = mod
		// The module's requirements are this one's: let go fill them in.
		vet.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		if out, err := vet.CombinedOutput(); err != nil {
			t.Errorf("the %d generated packages do not build and vet: %v\n%s", generated, err, out)
		}
	}
	t.Logf("product | import | lint | generate | vs mock | vs a server that validates nothing\n%s", strings.Join(sorted(table), "\n"))
}

// throughPipeline runs one product and returns its table row, and whether
// a package was generated.
func throughPipeline(t *testing.T, bin, file, name, mod, lax string) (string, bool) {
	dir := t.TempDir()
	contract := filepath.Join(dir, name+".yaml")
	style := fileStyle(t, file)
	out, code := run(bin, "import", "--metadata", file, "-o", contract)
	if want, ok := notYet[style]; ok {
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("import of a %s product: exit %d, want 2 saying %q (a style that imports now belongs in the rest of this test):\n%s", style, code, want, tail(out))
		}
		return fmt.Sprintf("%s | %s: not read yet | | | |", name, style), false
	}
	if code != 0 {
		t.Errorf("import: exit %d:\n%s", code, tail(out))
		return fmt.Sprintf("%s | exit %d | | | |", name, code), false
	}
	row := name + " | ok"
	if out, code := run(bin, "lint", "--contract", contract); code != 0 {
		t.Errorf("lint: exit %d:\n%s", code, errorsOf(out))
		row += fmt.Sprintf(" | exit %d", code)
	} else {
		row += " | ok"
	}
	if roa, _ := os.ReadFile(contract); bytes.Contains(roa, []byte("\n  style: ROA\n")) {
		// A REST-style product: gen, mock and test say they cannot take it
		// yet, naming its style.
		for _, args := range [][]string{{"gen", "--contract", contract, "-o", filepath.Join(dir, "gen")}, {"test", "--contract", contract}} {
			if out, code := run(bin, args...); code != 2 || !strings.Contains(out, roaNotYet) {
				t.Errorf("%s of a ROA contract: exit %d, want 2 saying %q:\n%s", args[0], code, roaNotYet, tail(out))
			}
		}
		return row + " | ROA: not yet | ROA: not yet | ROA: not yet", false
	}
	pkg := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]`).ReplaceAllString(strings.SplitN(name, "-20", 2)[0], ""))
	gen := false
	if out, code := run(bin, "gen", "--contract", contract, "-o", filepath.Join(mod, pkg), "--package", pkg); code != 0 {
		t.Errorf("gen: exit %d:\n%s", code, tail(out))
		row += fmt.Sprintf(" | exit %d", code)
	} else {
		row += " | ok"
		gen = true
	}
	out, code = run(bin, "test", "--contract", contract)
	m := verdict.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1] != "CONFORMING" {
		t.Errorf("the suite against the mock serving the imported contract: exit %d, want 0 (CONFORMING):\n%s", code, tail(out))
	}
	row += " | " + summary(code, m)
	out, code = run(bin, "test", "--contract", contract, "--target", lax)
	m = verdict.FindStringSubmatch(out)
	if code != 1 || m == nil || m[1] != "DEVIATES" || m[4] == "0" {
		t.Errorf("the suite against a server that validates nothing: exit %d, want 1 (DEVIATES: the stated rules fail in the default mode):\n%s", code, tail(out))
	}
	row += " | " + summary(code, m)
	return row, gen
}

func summary(code int, m []string) string {
	if m == nil {
		return fmt.Sprintf("exit %d", code)
	}
	return fmt.Sprintf("%s, %s cases, %s passed, %s failed (exit %d)", m[1], m[2], m[3], m[4], code)
}

// fileStyle reads info.style of a metadata file.
func fileStyle(t *testing.T, file string) string {
	var doc struct {
		Info struct {
			Style string `json:"style"`
		} `json:"info"`
	}
	if err := json.Unmarshal(mustRead(t, file), &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return doc.Info.Style
}

// run runs the binary and returns its combined output and exit status.
func run(bin string, args ...string) (string, int) {
	cmd := exec.Command(bin, args...)
	var b bytes.Buffer
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return b.String(), ee.ExitCode()
	}
	if err != nil {
		return b.String() + err.Error(), -1
	}
	return b.String(), 0
}

func errorsOf(out string) string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, ": error ") {
			lines = append(lines, l)
		}
	}
	return tail(strings.Join(lines, "\n"))
}

// tail is the end of a long output.
func tail(s string) string {
	if len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return s
}

func sorted(rows []string) []string {
	out := append([]string(nil), rows...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func mustRead(t *testing.T, file string) []byte {
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, file, data string) {
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
