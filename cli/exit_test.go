package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/fixtures"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// goisms are what must never reach a user: Go verbs, type names, decoder
// wording, stack traces, colour codes in piped output.
var goisms = []string{"strconv.", "time: invalid", "%!", "profile.Profile", "profile.Credential", "!!str", "unmarshal", "*errors.", "goroutine ", "panic:", "\x1b[", "<nil>"}

// TestExitCodesAndMessages drives the CLI's error paths, command by
// command: each exits with the table's status and says what is wrong in
// the user's terms.
func TestExitCodesAndMessages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	misspelt := write("misspelt.yaml", "endpont: http://127.0.0.1:1\n")
	secret := write("secret.yaml", "endpoint: http://127.0.0.1:1\ncredentials:\n  default:\n    access-key-id: a\n    access-key-secret: s\n")
	brokenYAML := write("broken.yaml", "openapi: 3.0.3\ninfo: [\n")
	notAPage := write("notes.txt", "Some notes about nothing in particular.\n")
	page := "../fixtures/docs/000_0d983348c5d5b34f.txt"
	embeddedRecord := write("embedded-record.json", `{"target": "http://127.0.0.1:1", "contract": "ResourceDirectoryMaster 2022-04-19", "embedded": true, "entities": [{"input": "DeleteFolder.FolderId", "action": "CreateFolder", "state": "made", "id": "fd-x", "cleanup": [{"action": "DeleteFolder", "params": {"FolderId": ["fd-x"]}}]}]}`)
	otherRecord := write("other-record.json", `{"target": "http://127.0.0.1:1", "contract": "ResourceManager 2020-03-31", "entities": [{"input": "x", "action": "CreateFolder", "state": "made", "id": "fd-x", "cleanup": [{"action": "DeleteFolder", "params": {"FolderId": ["fd-x"]}}]}]}`)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"test: missing profile", []string{"test", "--profile", filepath.Join(dir, "none.yaml")}, ExitUsage, "none.yaml: no such file"},
		{"test: misspelt profile key", []string{"test", "--profile", misspelt}, ExitUsage, `misspelt.yaml:1:1: unknown key "endpont" here (did you mean "endpoint"?)`},
		{"test: a secret in a profile", []string{"test", "--profile", secret}, ExitUsage, "secret.yaml:5:5: a secret is never written into a profile"},
		{"test: label filter syntax", []string{"test", "--label-filter", "(("}, ExitUsage, `--label-filter "(("`},
		{"test: focus matches nothing", []string{"test", "--focus", "NoSuchCase/at/all"}, ExitUsage, "matches no case ID"},
		{"test: focus is no regexp", []string{"test", "--focus", "("}, ExitUsage, "neither a case ID nor a regular expression"},
		{"test: inventory without dry run", []string{"test", "--inventory", filepath.Join(dir, "inv.txt")}, ExitUsage, "--inventory only works with --dry-run"},
		{"test: ginkgo.json without a folder", []string{"test", "--ginkgo-json"}, ExitUsage, "--ginkgo-json only works with --report-dir"},
		{"test: procs not a number", []string{"test", "--procs=abc"}, ExitUsage, `invalid argument "abc" for "--procs" flag: want a whole number`},
		{"test: timeout not a duration", []string{"test", "--timeout-per-request", "ten"}, ExitUsage, `"--timeout-per-request" flag: want a duration`},
		{"lint: a product by name", []string{"lint", "resourcemanager"}, 0, "0 error(s)"},
		{"lint: named twice", []string{"lint", "resourcemanager", "--contract", "resourcedirectorymaster"}, ExitUsage, "the contract is named twice"},
		{"test: procs 0", []string{"test", "--procs", "0"}, ExitUsage, "--procs 0: want 1 or more"},
		{"test: procs -3", []string{"test", "--procs", "-3"}, ExitUsage, "--procs -3: want 1 or more"},
		{"test: zero timeout", []string{"test", "--timeout-per-request", "0s"}, ExitUsage, "--timeout-per-request 0s: want a positive duration"},
		{"test: unknown format", []string{"test", "--format", "xml"}, ExitUsage, `--format "xml": want text or github`},
		{"test: dry run with reports", []string{"test", "--dry-run", "--report-dir", dir}, ExitUsage, "--dry-run sends nothing"},
		{"test: unknown message match", []string{"test", "--message-match", "fuzzy"}, ExitUsage, `--message-match "fuzzy"`},
		{"test: unknown product", []string{"test", "--contract", "nosuchproduct"}, ExitUsage, `no embedded contract for product "nosuchproduct" (there are: ` + strings.Join(spec.Products, ", ") + `)`},
		{"test: missing contract file", []string{"test", "--contract", filepath.Join(dir, "none.yaml")}, ExitUsage, "none.yaml: no such file"},
		{"mock: unknown product", []string{"mock", "--contract", "nosuchproduct"}, ExitUsage, `--contract: spec: no embedded contract for product "nosuchproduct"`},
		{"lint: missing file", []string{"lint", filepath.Join(dir, "none.yaml")}, ExitUsage, "none.yaml: no such file"},
		{"lint: broken contract", []string{"lint", brokenYAML}, ExitFindings, "broken.yaml"},
		{"lint: unknown format", []string{"lint", "--format", "xml"}, ExitUsage, `--format "xml": want text, json, github, sarif`},
		{"diff: missing file", []string{"diff", filepath.Join(dir, "none.yaml"), page}, ExitUsage, "none.yaml: no such file"},
		{"diff: broken contract", []string{"diff", brokenYAML, page}, ExitUsage, "not YAML"},
		{"diff: breaking-for alone", []string{"diff", page, page, "--breaking-for", "client"}, ExitUsage, "--breaking-for only matters with --fail-on-breaking"},
		{"import: one missing page among good ones", []string{"import", page, filepath.Join(dir, "none.txt")}, ExitUsage, "none.txt: no such file"},
		{"import: a folder", []string{"import", dir}, ExitUsage, "is a folder: give the page files in it"},
		{"import: nothing importable", []string{"import", notAPage}, ExitFindings, "nothing could be imported"},
		{"gen: bad package name", []string{"gen", "--package", "bad-name", "--out", filepath.Join(dir, "g")}, ExitUsage, `--package "bad-name" is not a Go package name`},
		{"gen: missing contract", []string{"gen", "--contract", filepath.Join(dir, "none.yaml"), "--out", filepath.Join(dir, "g")}, ExitUsage, "none.yaml: no such file"},
		{"cleanup: no record", []string{"cleanup", "--record", filepath.Join(dir, "none.json")}, ExitUsage, "none.json: no such file"},
		{"cleanup: not a record", []string{"cleanup", "--record", notAPage}, ExitUsage, "is not a record of made entities"},
		{"cleanup: another contract's record", []string{"cleanup", "--record", otherRecord}, ExitUsage, "was made by a run of ResourceManager 2020-03-31"},
		{"cleanup: the embedded mock's record", []string{"cleanup", "--record", embeddedRecord}, ExitOK, "nothing to remove; the record is deleted"},
		{"test: provision dry run", []string{"test", "--provision", "--dry-run"}, ExitOK, "nothing to make"},
		{"unknown command", []string{"frobnicate"}, ExitUsage, `unknown command "frobnicate"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := run(tc.args...)
			all := out + errOut
			if code != tc.code || !strings.Contains(all, tc.want) {
				t.Fatalf("%v: exit %d (want %d), output lacks %q:\n%s", tc.args, code, tc.code, tc.want, all)
			}
			for _, g := range goisms {
				if strings.Contains(all, g) {
					t.Errorf("%v: the output speaks Go (%q):\n%s", tc.args, g, all)
				}
			}
			if tc.name == "import: one missing page among good ones" && out != "" {
				t.Errorf("a partial import wrote a contract:\n%.200s", out)
			}
		})
	}
	if code, out, _ := run("--help"); code != ExitOK || !strings.Contains(out, "Exit status, the same for every command:") {
		t.Errorf("the root help has no exit table (exit %d)", code)
	}
}

// TestLintFormats: github annotations and a SARIF 2.1.0 log.
func TestLintFormats(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(broken, []byte("openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\nx-acs-api: {product: X}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run("lint", "--format", "github", broken)
	if code != ExitFindings || !strings.HasPrefix(out, "::error file=") || !strings.Contains(out, "title=acsconform lint%3A ") {
		t.Errorf("github annotations: exit %d:\n%s", code, out)
	}
	code, out, _ = run("lint", "--format", "sarif")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string `json:"name"`
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil || code != ExitOK {
		t.Fatalf("sarif: exit %d, %v:\n%.300s", code, err, out)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "acsconform" || len(log.Runs[0].Tool.Driver.Rules) == 0 || len(log.Runs[0].Results) == 0 {
		t.Fatalf("sarif log: %+v", log)
	}
	r := log.Runs[0].Results[0]
	if r.Level != "note" || !strings.HasPrefix(r.Locations[0].PhysicalLocation.ArtifactLocation.URI, "embedded:spec/") || r.Locations[0].PhysicalLocation.Region.StartLine == 0 {
		t.Errorf("first result: %+v", r)
	}
}

// TestReportDiff: two runs' coverage.json compared from the command line.
func TestReportDiff(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string { return writeFile(t, dir, name, content) }
	old := write("old.json", `{"verdict":"conforming","totals":{"selected":1,"passed":1},"contract":{"digest":"sha256:a"},"rows":[{"check":"A/x","result":"passed"}]}`)
	cur := write("new.json", `{"verdict":"deviates","totals":{"selected":1,"failed":1},"contract":{"digest":"sha256:a"},"rows":[{"check":"A/x","result":"failed","reason":"answered 200"}]}`)
	notCov := write("other.json", `{"a":1}`)
	code, out, _ := run("report", "diff", old, cur)
	if code != ExitOK || !strings.Contains(out, "verdict: CONFORMING → DEVIATES") || !strings.Contains(out, "A/x: passed → failed — answered 200") {
		t.Errorf("report diff: exit %d:\n%s", code, out)
	}
	if code, _, _ := run("report", "diff", old, cur, "--fail-on-regression"); code != ExitFindings {
		t.Errorf("--fail-on-regression with a regression: exit %d, want 1", code)
	}
	if code, _, _ := run("report", "diff", cur, old, "--fail-on-regression"); code != ExitOK {
		t.Errorf("--fail-on-regression with a fix only: exit %d, want 0", code)
	}
	for _, args := range [][]string{{old, filepath.Join(dir, "none.json")}, {old, notCov}, {old, cur, "--format", "xml"}} {
		code, _, errOut := run(append([]string{"report", "diff"}, args...)...)
		if code != ExitUsage || errOut == "" {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errOut)
		}
	}
}

// TestMockBanner: the banner names the callers' key IDs, never their
// secrets, a few seed IDs, and how to run the whole suite against it.
func TestMockBanner(t *testing.T) {
	p, err := profile.Parse(fixtures.MockProfileName, fixtures.MockProfile)
	if err != nil {
		t.Fatal(err)
	}
	var served []servedProduct
	for i, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			t.Fatal(err)
		}
		served = append(served, servedProduct{api: api, stateful: i == 0, name: name})
	}
	var b strings.Builder
	banner(&b, p, "127.0.0.1:8080", fixtures.MockProfileName+" (embedded)", "", served, false, false, false)
	out := b.String()
	for _, want := range []string{p.Mock.Callers[0].AccessKeyID, "directory " + p.Mock.Directories[0].ID, "--admin", "--enforce-rate-limit", "acsconform test --target http://127.0.0.1:8080 --allow-mutating --allow-exhausting",
		"serving: ResourceDirectoryMaster 2022-04-19 (stateful)", "ResourceManager 2020-03-31 (contract-only", "one address for all", "--contract resourcemanager"} {
		if !strings.Contains(out, want) {
			t.Errorf("the banner lacks %q:\n%s", want, out)
		}
	}
	for _, c := range p.Mock.Callers {
		if strings.Contains(out, c.AccessKeySecret) {
			t.Errorf("the banner prints a secret:\n%s", out)
		}
	}
	b.Reset()
	banner(&b, p, "127.0.0.1:8080", "my.yaml", "", served[:1], false, true, true)
	if !strings.Contains(b.String(), "the whole suite against it: acsconform test --target http://127.0.0.1:8080 --allow-mutating --allow-exhausting --profile my.yaml") {
		t.Errorf("a fully started mock:\n%s", b.String())
	}
}

// TestMockAdminNeedsLoopback: --admin on a non-loopback address is refused
// unless --admin-on-network says it is meant.
func TestMockAdminNeedsLoopback(t *testing.T) {
	code, _, errOut := run("mock", "--admin", "--listen", "0.0.0.0:0")
	if code != ExitUsage || !strings.Contains(errOut, "--admin-on-network") {
		t.Errorf("--admin on 0.0.0.0: exit %d: %s", code, errOut)
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:1": true, "[::1]:1": true, "0.0.0.0:8080": false, ":8080": false, "10.0.0.1:1": false} {
		if loopback(addr) != want {
			t.Errorf("loopback(%q) = %v", addr, !want)
		}
	}
}

// TestMockSecretNotOnlyFromArgv: the extra key's secret can come from a
// file or the environment; a key without a secret is a usage error.
func TestMockSecretNotOnlyFromArgv(t *testing.T) {
	code, _, errOut := run("mock", "--access-key-id", "LTAIextra", "--listen", "127.0.0.1:0", "--access-key-secret-file", filepath.Join(t.TempDir(), "none"))
	if code != ExitUsage || !strings.Contains(errOut, "no such file") {
		t.Errorf("a missing secret file: exit %d: %s", code, errOut)
	}
	t.Setenv(mockSecretEnv, "")
	code, _, errOut = run("mock", "--access-key-id", "LTAIextra", "--listen", "127.0.0.1:0")
	if code != ExitUsage || !strings.Contains(errOut, mockSecretEnv) {
		t.Errorf("a key without a secret: exit %d: %s", code, errOut)
	}
}
