package conformance

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
)

// faultAfter serves the faithful mock for the first after API answers, then
// breaks as mode says; admin requests (the profile's reset) break with it
// but do not count. down is how long a "down-then-back" target is away.
func faultAfter(t *testing.T, mode string, after int64, down time.Duration) (string, string) {
	t.Helper()
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Options{Profile: p, Admin: true, EnforceRateLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	stop := make(chan struct{}) // closed when the test ends: no handler outlives it
	var brokeOnce sync.Once
	var brokeAt time.Time
	hijackClose := func(w http.ResponseWriter) {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k := n.Load()
		if !strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			k = n.Add(1)
		}
		if k <= after {
			m.ServeHTTP(w, r)
			return
		}
		brokeOnce.Do(func() { brokeAt = time.Now() })
		switch mode {
		case "html-502":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
		case "reset":
			hijackClose(w)
		case "black-hole":
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		case "slow-body":
			w.WriteHeader(http.StatusOK)
			for i := 0; i < 120; i++ {
				if _, err := w.Write([]byte(" ")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-stop:
					return
				case <-time.After(time.Second):
				}
			}
		case "bad-json":
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"RequestId":"6C1B1A4B","Folder":{"FolderId":`))
		case "down-then-back":
			if time.Since(brokeAt) < down {
				hijackClose(w)
				return
			}
			m.ServeHTTP(w, r)
		case "flaky":
			if k%2 == 0 {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = w.Write([]byte(`{"RequestId":"6C1B1A4B","HostId":"resourcedirectory.aliyuncs.com","Code":"InvalidParameter","Message":"The specified parameter is not valid."}`))
				return
			}
			m.ServeHTTP(w, r)
		case "huge":
			w.WriteHeader(http.StatusOK)
			chunk := []byte(strings.Repeat("a", 1<<20))
			_, _ = w.Write([]byte(`{"RequestId":"6C1B1A4B","Pad":"`))
			for i := 0; i < 32; i++ {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
			_, _ = w.Write([]byte(`"}`))
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { close(stop); srv.CloseClientConnections(); srv.Close(); m.Close() })
	data, _ := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	prof := filepath.Join(t.TempDir(), "faulty.yaml")
	content := strings.Replace(string(data), "name: embedded-mock", "name: faulty\nreset: "+srv.URL+mock.AdminPrefix+"reset", 1)
	if err := os.WriteFile(prof, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, prof
}

// suiteRun is one run of the built suite: exit status, output, how long it
// took and the most memory it held (maximum resident set, in bytes).
type suiteRun struct {
	code    int
	out     string
	took    time.Duration
	maxRSS  int64
	reports string
}

func runMeasured(t *testing.T, args ...string) suiteRun {
	t.Helper()
	bin, err := buildCLI()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, append([]string{"test", "--report-dir", dir}, args...)...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	r := suiteRun{out: string(out), took: time.Since(start), reports: dir}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss * 1024
	}
	return r
}

// TestBrokenTargets: a target that breaks after its first answers is never
// a deviation: the cases it could not answer are inconclusive (with the
// transport's reason), the run says after which case it stopped and exits
// 2, a dead target costs the run's patience, not a timeout per case, and
// the reports are written and valid. A target that was down and came back
// resumes, its failed cases run again. Answers far too large are each a
// deviation, never held in memory; a flaky target's cases are flaky.
func TestBrokenTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite against eight broken targets; skipped with -short")
	}
	for _, tc := range []struct {
		mode string
		args []string
		down time.Duration
		// code: the exit status; transport: cases inconclusive for the
		// transport expected (>0) or not; deviations: failed cases allowed.
		code       int
		transport  bool
		deviations bool
		say        string
	}{
		{mode: "html-502", code: 2, transport: true, say: "the target stopped answering after"},
		{mode: "reset", code: 2, transport: true, say: "the target stopped answering after"},
		{mode: "black-hole", args: []string{"--timeout-per-request", "2s"}, code: 2, transport: true, say: "the target stopped answering after"},
		{mode: "slow-body", args: []string{"--timeout-per-request", "2s"}, code: 2, transport: true, say: "the target stopped answering after"},
		{mode: "bad-json", code: 2, transport: true, say: "not an API answer"},
		{mode: "down-then-back", down: 8 * time.Second, code: 0},
		{mode: "huge", code: 1, deviations: true, say: "larger than"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			// One at a time: seven suites at once against in-process mocks
			// would test the machine's load more than the run's handling.
			url, prof := faultAfter(t, tc.mode, 5, tc.down)
			args := append([]string{"--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting", "--patience", "5s"}, tc.args...)
			if tc.mode == "down-then-back" {
				args[len(args)-1] = "35s"
			}
			r := runMeasured(t, args...)
			cov := readCoverage(t, r.reports)
			if r.code != tc.code || !strings.Contains(r.out, tc.say) {
				var failed []string
				for _, row := range cov.Rows {
					if row.Result == "failed" && len(failed) < 5 {
						failed = append(failed, row.Check+": "+row.Deviation+"\n  received: "+row.Received)
					}
				}
				t.Fatalf("exit %d (want %d), output lacks %q:\n%s\nfailed:\n%s", r.code, tc.code, tc.say, tail(r.out, 25), strings.Join(failed, "\n"))
			}
			transport, retried := 0, 0
			for _, row := range cov.Rows {
				if row.Transport {
					transport++
				}
				if row.Retried {
					retried++
				}
			}
			if tc.transport != (transport > 0) {
				t.Errorf("%d cases inconclusive for the transport (want some: %v)", transport, tc.transport)
			}
			if !tc.deviations && cov.Totals.Failed > 0 {
				t.Errorf("%d cases deviate from the docs on a broken target:\n%s", cov.Totals.Failed, tail(r.out, 25))
			}
			if tc.code == 2 && cov.Verdict != "unproven" {
				t.Errorf("verdict %q, want unproven", cov.Verdict)
			}
			if tc.mode == "down-then-back" && retried == 0 {
				t.Error("no case was run again after the target came back")
			}
			// A dead target costs the patience and a probe or two, not a
			// timeout per case (1,691 cases × 2 s would be an hour); the
			// bound is generous for a loaded machine.
			if r.took > 6*time.Minute {
				t.Errorf("the run took %s", r.took)
			}
			// Oversized answers are never held: the process stays far below
			// what 32 MiB per answer would cost.
			if r.maxRSS > 2<<30 {
				t.Errorf("the suite held %d MiB", r.maxRSS>>20)
			}
			for _, f := range []string{"coverage.json", "coverage.md", "coverage.html", "junit.xml", "summary.md"} {
				if _, err := os.Stat(filepath.Join(r.reports, f)); err != nil {
					t.Errorf("report %s: %v", f, err)
				}
			}
			t.Logf("%s: exit %d, %s, %d transport-inconclusive, %d retried, %d failed, max RSS %d MiB", tc.mode, r.code, r.took.Round(time.Second), transport, retried, cov.Totals.Failed, r.maxRSS>>20)
		})
	}
}

// TestFlakyTargetNamed: a target that answers every other request wrongly
// has cases reported as flaky (deviated once, conformed on a second try),
// counted in the summary.
func TestFlakyTargetNamed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite; skipped with -short")
	}
	url, prof := faultAfter(t, "flaky", 5, 0)
	r := runMeasured(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting")
	cov := readCoverage(t, r.reports)
	if cov.Totals.Flaky == 0 || !strings.Contains(r.out, "flaky (deviated once, conformed when tried again)") {
		t.Fatalf("exit %d, %d flaky:\n%s", r.code, cov.Totals.Flaky, tail(r.out, 20))
	}
	t.Logf("flaky: exit %d, %d flaky, %d failed", r.code, cov.Totals.Flaky, cov.Totals.Failed)
}
