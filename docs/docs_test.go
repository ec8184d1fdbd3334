// Package docs holds the user documentation; its test runs every command the
// pages show, so the docs cannot rot.
//
// Each page runs in a fresh copy of the repository's files, with the
// acsconform binary (built from this checkout) first on PATH and HOME
// pointing at an empty folder. Fenced blocks are handled by kind:
//
//   - ```sh blocks run, in page order, with bash -euo pipefail; a process a
//     block starts in the background lives until the page ends;
//   - a block of any kind right after <!-- file: PATH --> is written to
//     PATH in the page's folder instead (a profile, a baseline, Go code);
//   - other blocks (output, YAML shown for reading) are not run.
//
// The real cloud is stood in for by the reference mock: the test serves it
// on loopback and rewrites https://resourcedirectory.aliyuncs.com to it; the
// credentials the pages read from the environment are the mock's test keys.
// 127.0.0.1:8080, the address the pages start their own mock on, becomes a
// free port.
package docs

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/fixtures"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
)

// Block is one fenced block of a page.
type Block struct {
	Page, Lang, File, Body string
	Line                   int
	// NotRun says why a command block is shown but not run (<!-- not run: why -->).
	NotRun string
}

var (
	fileMark   = regexp.MustCompile(`^<!--\s*file:\s*(\S+)\s*-->$`)
	notRunMark = regexp.MustCompile(`^<!--\s*not run:\s*(.+?)\s*-->$`)
)

// Blocks parses a page's fenced blocks and their annotations.
func Blocks(page string, data []byte) ([]Block, error) {
	var out []Block
	lines := strings.Split(string(data), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "```") {
			continue
		}
		b := Block{Page: page, Lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), Line: i + 1}
		if i > 0 {
			if m := fileMark.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				b.File = m[1]
			}
			if m := notRunMark.FindStringSubmatch(strings.TrimSpace(lines[i-1])); m != nil {
				b.NotRun = m[1]
			}
		}
		var body []string
		closed := false
		for i++; i < len(lines); i++ {
			if strings.HasPrefix(lines[i], "```") {
				closed = true
				break
			}
			body = append(body, lines[i])
		}
		if !closed {
			return nil, fmt.Errorf("%s:%d: the block is never closed", page, b.Line)
		}
		b.Body = strings.Join(body, "\n") + "\n"
		out = append(out, b)
	}
	return out, nil
}

var (
	buildOnce sync.Once
	binDir    string
	buildErr  error
)

func acsconformBin(t *testing.T) string {
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "acsconform-docs-bin")
		if buildErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, "acsconform"), "../cmd/acsconform").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binDir
}

// copyRepo copies the repository's files (not bin/, reports/, .git) into dir.
func copyRepo(t *testing.T, dir string) {
	t.Helper()
	root := ".."
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			switch rel {
			case ".git", "bin", "reports":
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(rel, ".test") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, _ := d.Info()
		return os.WriteFile(filepath.Join(dir, rel), data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// standIn serves the reference mock as the stand-in for the real cloud.
func standIn(t *testing.T) string {
	t.Helper()
	p, err := profile.Parse(fixtures.MockProfileName, fixtures.MockProfile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Options{Profile: p, Admin: true, EnforceRateLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: m, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close(); _ = m.Close() })
	return "http://" + ln.Addr().String()
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// page is the environment one page's blocks run in.
type page struct {
	dir, home string
	env       []string
	rewrite   *strings.Replacer
	groups    []int
}

func newPage(t *testing.T) *page {
	t.Helper()
	bin := acsconformBin(t)
	dir := t.TempDir()
	if k := os.Getenv("ACSC_DOCS_KEEP"); k != "" {
		// Never fall back to the working directory: an empty dir would
		// copy the repository into itself.
		if err := os.MkdirAll(k, 0o755); err != nil {
			t.Fatalf("ACSC_DOCS_KEEP=%s: %v", k, err)
		}
		kept, err := os.MkdirTemp(k, "docs")
		if err != nil || kept == "" {
			t.Fatalf("ACSC_DOCS_KEEP=%s: %v", k, err)
		}
		dir = kept
	}
	copyRepo(t, dir)
	home := t.TempDir()
	cloud := standIn(t)
	p := &page{dir: dir, home: home}
	p.rewrite = strings.NewReplacer("https://resourcedirectory.aliyuncs.com", cloud, "127.0.0.1:8080", freePort(t))
	gopath, _ := exec.Command("go", "env", "GOPATH").Output()
	gocache, _ := exec.Command("go", "env", "GOCACHE").Output()
	gomodcache, _ := exec.Command("go", "env", "GOMODCACHE").Output()
	p.env = append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home,
		"GOPATH="+strings.TrimSpace(string(gopath)),
		"GOCACHE="+strings.TrimSpace(string(gocache)),
		"GOMODCACHE="+strings.TrimSpace(string(gomodcache)),
		"GOFLAGS=-mod=readonly",
		"ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tMockMainCaller",
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET=mock-main-secret",
		"ACSCONFORM_NODIR_ACCESS_KEY_ID=LTAI5tMockNoDirectory",
		"ACSCONFORM_NODIR_ACCESS_KEY_SECRET=mock-nodir-secret",
	)
	t.Cleanup(func() {
		for _, g := range p.groups {
			_ = syscall.Kill(-g, syscall.SIGTERM)
		}
	})
	return p
}

// run executes one block; it fails the test with the block's place and output.
func (p *page) run(t *testing.T, b Block) {
	t.Helper()
	if b.File != "" {
		path := filepath.Join(p.dir, b.File)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(p.rewrite.Replace(b.Body)), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if b.Lang != "sh" || b.NotRun != "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", "-c", p.rewrite.Replace(b.Body))
	cmd.Dir, cmd.Env = p.dir, p.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Output goes to a file, not a pipe: a process the block leaves in the
	// background keeps its descriptors, and Wait would wait for it.
	log, err := os.CreateTemp(p.home, "block-*.log")
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	cmd.Stdout, cmd.Stderr = log, log
	err = cmd.Start()
	if err == nil {
		p.groups = append(p.groups, cmd.Process.Pid)
		err = cmd.Wait()
	}
	out, _ := os.ReadFile(log.Name())
	if err != nil {
		t.Fatalf("%s:%d: the block failed (%v):\n%s\n--- output ---\n%s", b.Page, b.Line, err, b.Body, out)
	}
	t.Logf("%s:%d: ok\n%s", b.Page, b.Line, lastLines(string(out), 6))
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func pages(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	// The README's commands are run like a page's.
	return append(files, filepath.Join("..", "README.md"))
}

// TestDocsCommandsRun runs every page's blocks.
func TestDocsCommandsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command of the docs; skipped with -short")
	}
	for _, file := range pages(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".md"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			blocks, err := Blocks(file, data)
			if err != nil {
				t.Fatal(err)
			}
			p := newPage(t)
			ran := 0
			for _, b := range blocks {
				p.run(t, b)
				if b.Lang == "sh" && b.File == "" && b.NotRun == "" {
					ran++
				}
			}
			if ran == 0 {
				t.Fatalf("%s shows no command", file)
			}
		})
	}
}

// TestDocsPagesExist: the pages the README promises, each linked from the
// README, and every relative link of the docs resolves.
func TestDocsPagesExist(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"profiles.md", "real-cloud.md", "client.md", "new-operation.md", "new-product.md", "ci-gate.md"} {
		if _, err := os.Stat(want); err != nil {
			t.Errorf("docs/%s is missing", want)
		}
		if !bytes.Contains(readme, []byte("docs/"+want)) {
			t.Errorf("README.md does not link docs/%s", want)
		}
	}
	link := regexp.MustCompile(`\]\(([^)#:]+)(#[^)]*)?\)`)
	for _, file := range pages(t) {
		data, _ := os.ReadFile(file)
		for _, m := range link.FindAllStringSubmatch(string(data), -1) {
			if _, err := os.Stat(filepath.Join(filepath.Dir(file), m[1])); err != nil {
				t.Errorf("%s links %s, which does not exist", file, m[1])
			}
		}
	}
}

// TestClientExampleShown: client.md shows examples/client/main.go as it is
// (the program itself is built by go vet and run by the page's commands).
func TestClientExampleShown(t *testing.T) {
	prog, err := os.ReadFile(filepath.Join("examples", "client", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("client.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, append([]byte("```go\n"), prog...)) {
		t.Fatal("client.md does not show examples/client/main.go as it is: copy it again")
	}
}

// TestWorkflowExample runs the example GitHub Actions workflow's steps in
// order, as a runner would after checking out the user's repository and
// acsconform beside it (actions/checkout, setup-go and upload-artifact are
// the runner's; their inputs are checked for shape).
func TestWorkflowExample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the workflow's steps; skipped with -short")
	}
	data, err := os.ReadFile(filepath.Join("examples", "conformance.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("ci-gate.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, data) {
		t.Fatal("ci-gate.md does not show examples/conformance.yml as it is")
	}
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			RunsOn string            `yaml:"runs-on"`
			Env    map[string]string `yaml:"env"`
			Steps  []struct {
				Name string            `yaml:"name"`
				Uses string            `yaml:"uses"`
				Run  string            `yaml:"run"`
				If   string            `yaml:"if"`
				With map[string]any    `yaml:"with"`
				Env  map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("the workflow is not YAML: %v", err)
	}
	if _, ok := wf.On["push"]; !ok || len(wf.Jobs) != 1 {
		t.Fatalf("the workflow should run on push and have one job: %+v", wf.On)
	}
	p := newPage(t)
	// The user's repository holds the files ci-gate.md shows (profile,
	// baseline); acsconform is checked out beside them.
	blocks, err := Blocks("ci-gate.md", doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if b.File != "" {
			p.run(t, b)
		}
	}
	copyRepo(t, filepath.Join(p.dir, "acsconform"))
	for name, job := range wf.Jobs {
		env := append([]string(nil), p.env...)
		for k, v := range job.Env {
			if strings.Contains(v, "${{") {
				// A runner expression; secrets must come this way, and the
				// test's environment already holds the stand-in's keys.
				if !strings.Contains(v, "secrets.") {
					t.Errorf("env %s = %s: want a secret", k, v)
				}
				continue
			}
			env = append(env, k+"="+p.rewrite.Replace(v))
		}
		uploaded := false
		for i, s := range job.Steps {
			switch {
			case s.Uses != "":
				if strings.HasPrefix(s.Uses, "actions/upload-artifact@") {
					path, _ := s.With["path"].(string)
					if s.If != "always()" || path == "" {
						t.Fatalf("the upload step must run always() and name a path: %+v", s)
					}
					for _, f := range strings.Fields(path) {
						if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
							t.Errorf("the upload step names %s, which the run did not produce", f)
						}
					}
					uploaded = true
				}
				continue
			case s.Run == "":
				t.Fatalf("job %s step %d has neither uses nor run", name, i+1)
			}
			stepEnv := append([]string(nil), env...)
			for k, v := range s.Env {
				stepEnv = append(stepEnv, k+"="+p.rewrite.Replace(v))
			}
			saved := p.env
			p.env = stepEnv
			p.run(t, Block{Page: "examples/conformance.yml", Lang: "sh", Body: s.Run, Line: i + 1})
			p.env = saved
		}
		if !uploaded {
			t.Errorf("job %s uploads no reports", name)
		}
	}
}
