package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/conformance/report"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// withoutReset rewrites a variant's profile so the suite cannot reset the
// target (as against the real cloud).
func withoutReset(t *testing.T, prof string) {
	t.Helper()
	data, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(l, "reset: ") {
			kept = append(kept, l)
		}
	}
	if err := os.WriteFile(prof, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readCoverage(t *testing.T, dir string) report.Coverage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "coverage.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cov report.Coverage
	if err := json.Unmarshal(data, &cov); err != nil {
		t.Fatal(err)
	}
	return cov
}

// TestTargetRefusingEverySignature: a target that answers every request
// with SignatureDoesNotMatch proves nothing about the operations. The
// boundary cases are inconclusive (not passed), the refusal is diagnosed
// once before the cases run, and the run exits 2.
func TestTargetRefusingEverySignature(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in a subprocess; skipped with -short")
	}
	refuse := variant{name: "refuses every signature", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
		if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			return status, body
		}
		return 400, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","HostId":"resourcedirectory.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature does not match our calculation."}`)
	}}
	url, prof := serve(t, refuse)
	dir := t.TempDir()
	code, out := runSuite(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting", "--report-dir", dir)
	if code != 2 {
		t.Fatalf("exit %d, want 2:\n%s", code, tail(out, 30))
	}
	if n := strings.Count(out, "the target refused a correctly signed"); n != 1 {
		t.Fatalf("the diagnosis appears %d times, want once:\n%s", n, tail(out, 30))
	}
	if i, j := strings.Index(out, "the target refused a correctly signed"), strings.Index(out, "acsconform conformance"); i < 0 || j < 0 || i > j {
		t.Fatalf("the diagnosis does not come before the cases:\n%s", tail(out, 30))
	}
	if !strings.Contains(out, "check the access key secret") {
		t.Fatalf("the diagnosis does not say what to check:\n%s", tail(out, 30))
	}
	cov := readCoverage(t, dir)
	boundaries, passed := 0, 0
	for _, r := range cov.Rows {
		if strings.Contains(r.Check, "/accept-") || strings.Contains(r.Check, "/edge-") {
			boundaries++
			if r.Result == "passed" {
				passed++
			}
		}
	}
	if boundaries == 0 || passed > 0 {
		t.Fatalf("%d of %d boundary cases passed on a target that refuses every signature", passed, boundaries)
	}
	var inconclusive int
	for _, r := range cov.Rows {
		if r.Result == report.ResultInconclusive {
			inconclusive++
		}
	}
	if inconclusive < boundaries {
		t.Fatalf("%d inconclusive cases, want at least the %d boundary cases", inconclusive, boundaries)
	}
}

// TestSentinelSecretsNeverWritten runs the suite with a sentinel access key
// secret and a sentinel security token, signed v1 and v3, against a target
// that fails cases (so failure texts, curl lines and sent/received blocks
// are written), and scans every byte written: stdout, stderr and every
// report file.
func TestSentinelSecretsNeverWritten(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in subprocesses; skipped with -short")
	}
	const secret, token = "Qz9vK2mXw7LpR4tYsecret", "Hb6nJ3cVd8FgT1sEtoken"
	base, err := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []string{"v1", "v3"} {
		t.Run(sig, func(t *testing.T) {
			t.Parallel()
			// The main caller is a temporary key whose token is the sentinel.
			text := strings.Replace(string(base), "access-key-secret: mock-main-secret,", "access-key-secret: "+secret+", security-token: "+token+",", 1)
			text = strings.Replace(text, "default: {access-key-id: LTAI5tMockMainCaller}",
				"default: {access-key-id: LTAI5tMockMainCaller, access-key-secret-env: ACSC_SENTINEL_SECRET, security-token-env: ACSC_SENTINEL_TOKEN}", 1)
			text = strings.Replace(text, "signature: v3", "signature: "+sig, 1)
			p, err := profile.Parse("sentinel.yaml", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			m, err := mock.New(mock.Options{Profile: p, Admin: true, EnforceRateLimit: true})
			if err != nil {
				t.Fatal(err)
			}
			// Fail cases, and echo what was sent the way the gateway's
			// signature errors do (the token rides in the query for v1).
			h := rewrite(func(r *http.Request, status int, body []byte) (int, []byte) {
				body = bytes.ReplaceAll(body, []byte(`"Code":"InvalidMember"`), []byte(`"Code":"InvalidMembers"`))
				if bytes.Contains(body, []byte("SignatureDoesNotMatch")) {
					echo := acs.PercentEncode(r.URL.RawQuery + r.Header.Get("x-acs-security-token"))
					body = bytes.Replace(body, []byte(`calculation.`), []byte(`calculation. server string to sign is:POST&%2F&`+echo), 1)
				}
				return status, body
			}).wrap(m)
			srv := httptest.NewServer(h)
			t.Cleanup(func() { srv.Close(); m.Close() })
			prof := filepath.Join(t.TempDir(), "sentinel.yaml")
			text = strings.Replace(text, "name: embedded-mock", "name: sentinel\nreset: "+srv.URL+mock.AdminPrefix+"reset", 1)
			if err := os.WriteFile(prof, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			bin, err := buildCLI()
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "test", "--profile", prof, "--target", srv.URL, "--allow-mutating", "--allow-exhausting",
				"--report-dir", dir, "--write-baseline", filepath.Join(dir, "baseline.yaml"), "--verbose", "--format", "github")
			cmd.Env = append(os.Environ(), "ACSC_SENTINEL_SECRET="+secret, "ACSC_SENTINEL_TOKEN="+token)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err = cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Fatalf("want exit 1 (cases fail), got %v:\n%s", err, tail(stdout.String(), 30))
			}
			if !strings.Contains(stdout.String(), "reproduce:  curl") || !strings.Contains(strings.ReplaceAll(stdout.String(), "%5B", "["), "[redacted") {
				t.Fatalf("the run wrote no curl line or no redaction; the scan would prove nothing:\n%s", tail(stdout.String(), 30))
			}
			files := map[string][]byte{"stdout": stdout.Bytes(), "stderr": stderr.Bytes()}
			_ = filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
				if err == nil && !fi.IsDir() {
					data, _ := os.ReadFile(path)
					files[path] = data
				}
				return nil
			})
			if len(files) < 7 {
				t.Fatalf("only %d outputs to scan", len(files))
			}
			for name, data := range files {
				for _, s := range []string{secret, token} {
					for _, form := range []string{s, url.QueryEscape(s), acs.PercentEncode(acs.PercentEncode(s)), s[3:13]} {
						if bytes.Contains(data, []byte(form)) {
							t.Errorf("%s holds %q", name, form)
						}
					}
				}
			}
		})
	}
}

// TestRunsThatProveNothing: a label filter that does not parse or matches
// nothing, a selection whose cases all skip, --min-cases above the run,
// and report or baseline destinations that cannot be written all exit 2
// and never say SUCCESS.
func TestRunsThatProveNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in subprocesses; skipped with -short")
	}
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		says string
	}{
		{"filter matches nothing", []string{"--label-filter", "op:NoSuchOperation"}, `--label-filter "op:NoSuchOperation" matches no case`},
		{"filter syntax", []string{"--label-filter", "op:("}, `--label-filter "op:(": Syntax Error`},
		{"all skipped", []string{"--label-filter", "error:InternalError"}, "no case proved anything: of 1 selected, 1 were skipped"},
		{"min cases", []string{"--label-filter", "op:AssociateMembers", "--min-cases", "100000"}, "fewer than --min-cases 100000"},
		{"report dir", []string{"--report-dir", filepath.Join(file, "reports")}, "--report-dir " + filepath.Join(file, "reports")},
		{"baseline dir", []string{"--write-baseline", filepath.Join(file, "b.yaml")}, "--write-baseline " + filepath.Join(file, "b.yaml") + " cannot be written"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, out := runSuite(t, c.args...)
			if code != 2 || !strings.Contains(out, c.says) || strings.Contains(out, "SUCCESS") || strings.Contains(out, "\x1b[") {
				t.Fatalf("exit %d (want 2), output lacks %q, says SUCCESS or holds colour codes:\n%s", code, c.says, tail(out, 20))
			}
		})
	}
}

// TestReadonlyCaseAcceptedIsUndone: against a target that cannot be reset,
// a readonly case the target wrongly accepts changed state; the failure
// says so in those words and the run undoes it with the operation's
// cleanup recipe, leaving the target as it found it.
func TestReadonlyCaseAcceptedIsUndone(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in a subprocess; skipped with -short")
	}
	lenient := variant{name: "locked contact binds", opts: func(o *mock.Options) {
		seed := *o.Profile.Mock
		seed.Limits.BindableStatuses = []string{"Active", "Pending"}
		p := *o.Profile
		p.Mock = &seed
		o.Profile = &p
	}}
	url, prof := serve(t, lenient)
	withoutReset(t, prof)
	state := func() string {
		resp, err := http.Get(url + mock.AdminPrefix + "state")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return string(data)
	}
	before := state()
	code, out := runSuite(t, "--profile", prof, "--target", url, "--label-filter", "op:AssociateMembers && error:ContactStatusMismatchAction")
	block := failureBlock(out, "AssociateMembers/error:ContactStatusMismatchAction/contact-status-forbids")
	if code != 1 || !strings.Contains(block, "the target accepted a readonly case's AssociateMembers request (HTTP 200), so it changed state; undone with DisassociateMembers") {
		t.Fatalf("exit %d; the failure does not say the state changed and was undone:\n%s", code, tail(out, 30))
	}
	if after := state(); after != before {
		t.Fatalf("the target's state differs after the run:\nbefore %s\nafter %s", before, after)
	}
}

// TestLenientMockDeviatesOnlyFromOurReading: a mock that skips every
// inferred parameter rule (it accepts any contact ID and member ID shape)
// and never detects concurrent calls deviates from our readings only. The
// default run exits 0 and lists those deviations apart; --strict fails the
// same cases.
func TestLenientMockDeviatesOnlyFromOurReading(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite twice in subprocesses; skipped with -short")
	}
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	inferred := map[string]bool{}
	for _, op := range api.Operations {
		for _, r := range op.Rules {
			// A form we infer whose refusal no document states (a stated
			// form read as a pattern by us still must be refused).
			if r.RefusalProvenance().Level() == spec.EvidenceInferred && r.Kind == spec.RulePattern {
				inferred[op.Action+" "+r.ID] = true // rule IDs repeat across operations
			}
		}
	}
	lenient := variant{name: "lenient", opts: func(o *mock.Options) {
		zero := time.Duration(0)
		o.HoldTime = &zero
		o.Validate = func(r rdm.Request) error {
			if broken, err := r.CheckSite(spec.SiteIntl); err != nil && !inferred[r.Action()+" "+broken] {
				return err
			}
			return nil
		}
	}}
	url, prof := serve(t, lenient)
	tallies := func(dir string) map[string]int {
		n := map[string]int{}
		for _, r := range readCoverage(t, dir).Rows {
			n[r.Result]++
		}
		return n
	}
	dir := t.TempDir()
	code, out := runSuite(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting", "--report-dir", dir)
	def := tallies(dir)
	if code != 0 || def[report.ResultInferred] == 0 || def["failed"] != 0 || !strings.Contains(out, "deviations from our reading of the docs (not failing") {
		t.Fatalf("default run: exit %d, results %v:\n%s", code, def, tail(out, 40))
	}
	strictDir := t.TempDir()
	code, out = runSuite(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting", "--report-dir", strictDir, "--strict")
	strict := tallies(strictDir)
	if code != 1 || strict["failed"] != def[report.ResultInferred] || strict[report.ResultInferred] != 0 {
		t.Fatalf("--strict: exit %d, results %v (default %v):\n%s", code, strict, def, tail(out, 40))
	}
	t.Logf("lenient mock, default: %v; --strict: %v", def, strict)
}
