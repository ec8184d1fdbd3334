package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// openState opens a mock (no auth, no hold time) on a state file.
func openState(t testing.TB, state string, o Options) (*Mock, error) {
	t.Helper()
	zero := time.Duration(0)
	o.Profile, o.StateFile, o.NoAuth, o.HoldTime = loadProfile(t), state, true, &zero
	o.Contract = sharedContract(t)
	return New(o)
}

func mustOpenState(t testing.TB, state string, o Options) *Mock {
	t.Helper()
	m, err := openState(t, state, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// churn makes n journalled changes: binds and unbinds of one object.
func churn(t testing.TB, m *Mock, n int) {
	t.Helper()
	b := m.Backend()
	c := b.Caller("")
	for i := 0; i < n; i++ {
		var err error
		if i%2 == 0 {
			_, err = b.Associate(context.Background(), c, "c-ActiveContact01", []string{"r-a1b2c3"})
		} else {
			_, err = b.Disassociate(c, "c-ActiveContact01", []string{"r-a1b2c3"})
		}
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
}

func dumpJSON(t testing.TB, m *Mock) string {
	t.Helper()
	data, err := json.Marshal(m.Backend().Dump())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func bound(m *Mock, dir, contact string) int {
	return len(m.Backend().Dump().Directories[dir].Contacts[contact].Bound)
}

// TestStateFileFinalLines: only a torn final line is dropped; a complete
// final line that lost its newline (or had it replaced) is kept and
// repaired; a damaged complete line refuses to start, naming the line and
// the flag, and --accept-state-loss starts without it.
func TestStateFileFinalLines(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "mock.state")
	m := mustOpenState(t, state, Options{})
	churn(t, m, 3) // bind, unbind, bind: the object ends bound
	want := dumpJSON(t, m)
	m.Close()
	good, _ := os.ReadFile(state)
	lines := strings.SplitAfter(strings.TrimSuffix(string(good), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("want a header and 3 events, got %d lines", len(lines))
	}
	last := lines[3]
	damaged := strings.Replace(last, `"bind"`, `"bint"`, 1)
	for _, tc := range []struct {
		name, content string
		warn, refuse  string // substrings
		same          bool   // the state equals the one before
		fileAfter     string // the file after opening, when checked
	}{
		{name: "torn", content: string(good) + `1234abcd {"op":"bi`, warn: "incomplete last line 5", same: true, fileAfter: string(good)},
		{name: "torn checksum", content: string(good) + `12ab`, warn: "incomplete last line 5", same: true, fileAfter: string(good)},
		{name: "newline lost", content: strings.TrimSuffix(string(good), "\n"), warn: "", same: true, fileAfter: string(good)},
		{name: "newline flipped", content: strings.TrimSuffix(string(good), "\n") + "\x0b", warn: `ended in '\v' instead of a newline`, same: true, fileAfter: string(good)},
		{name: "damaged final line", content: lines[0] + lines[1] + lines[2] + damaged + "\n", refuse: "line 4"},
		{name: "damaged final line without newline", content: lines[0] + lines[1] + lines[2] + damaged, refuse: "line 4"},
		{name: "damaged middle line", content: lines[0] + strings.Replace(lines[1], `"bind"`, `"bint"`, 1) + lines[2] + last + "\n", refuse: "line 2"},
		{name: "garbage line", content: lines[0] + "hello world\n" + lines[1], refuse: "line 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_ = os.WriteFile(state, []byte(tc.content), 0o600)
			m, err := openState(t, state, Options{})
			if tc.refuse != "" {
				if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.refuse) || !strings.Contains(err.Error(), "--accept-state-loss") || !strings.Contains(err.Error(), state) {
					t.Fatalf("want a refusal naming %s, the file and the flag; got %v", tc.refuse, err)
				}
				if after, _ := os.ReadFile(state); string(after) != tc.content {
					t.Fatal("a refused state file was changed")
				}
				m, err := openState(t, state, Options{AcceptStateLoss: true})
				if err != nil {
					t.Fatalf("--accept-state-loss: %v", err)
				}
				defer m.Close()
				if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], tc.refuse) || !strings.Contains(m.Warnings[0], "dropped it and everything after it") {
					t.Fatalf("--accept-state-loss warnings: %q", m.Warnings)
				}
				churn(t, m, 1) // and it journals again
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if tc.warn == "" && len(m.Warnings) != 0 || tc.warn != "" && (len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], tc.warn)) {
				t.Fatalf("warnings %q, want %q", m.Warnings, tc.warn)
			}
			if tc.same && dumpJSON(t, m) != want {
				t.Fatal("the state differs from the one before")
			}
			if after, _ := os.ReadFile(state); tc.fileAfter != "" && string(after) != tc.fileAfter {
				t.Fatalf("file after opening:\n%q\nwant\n%q", after, tc.fileAfter)
			}
		})
	}
	for name, content := range map[string]string{
		"other profile":    strings.Replace(string(good), loadProfile(t).Digest, "0000000000000000", 1),
		"not a state file": "{}\n",
		"empty":            "",
		"newer format":     strings.Replace(string(good), `"acsconform-mock-state":2`, `"acsconform-mock-state":9`, 1),
	} {
		_ = os.WriteFile(state, []byte(content), 0o600)
		for _, accept := range []bool{false, true} {
			if _, err := openState(t, state, Options{AcceptStateLoss: accept}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), state) {
				t.Errorf("%s (accept loss %v): %v", name, accept, err)
			}
		}
	}
}

// TestStateFileMustBeRegular: devices, directories and pipes are refused
// (--state /dev/zero would otherwise be read without end); a link to a
// regular file is fine.
func TestStateFileMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/dev/zero", dir, fifo} {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		_, err := openState(t, p, Options{})
		if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
			t.Errorf("%s: %v", p, err)
		}
	}
	real := filepath.Join(dir, "real.state")
	mustOpenState(t, real, Options{}).Close()
	link := filepath.Join(dir, "link.state")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	m := mustOpenState(t, link, Options{})
	defer m.Close()
	if err := m.Backend().Reset(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("a reset replaced the link by a file: %v", err)
	}
}

// TestResetIsAtomic: a reset that cannot write its new file leaves the
// old journal in place and working (the state is not reset either); once
// it can, the reset lands.
func TestResetIsAtomic(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mock.state")
	m := mustOpenState(t, state, Options{})
	defer m.Close()
	churn(t, m, 1)
	// The new file is written beside the old one; a directory in its way
	// makes that fail as a full disk would, whoever runs the test.
	if err := os.Mkdir(state+".tmp", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := m.Backend().Reset(); err == nil {
		t.Fatal("the reset did not report its failure")
	}
	if bound(m, "rd-3G6h0M1vAcme", "c-ActiveContact01") == 0 {
		t.Fatal("a failed reset changed the state")
	}
	churn(t, m, 2) // writes go on into the old journal
	before := dumpJSON(t, m)
	m2 := mustOpenState(t, state, Options{})
	if dumpJSON(t, m2) != before {
		t.Fatal("after a failed reset, the journal lost writes")
	}
	m2.Close()
	_ = os.Remove(state + ".tmp")
	if err := m.Backend().Reset(); err != nil {
		t.Fatal(err)
	}
	churn(t, m, 1)
	after := dumpJSON(t, m)
	m3 := mustOpenState(t, state, Options{})
	defer m3.Close()
	if dumpJSON(t, m3) != after {
		t.Fatal("the reset journal does not reload to the live state")
	}
}

// TestCompaction: past CompactAfter events the journal becomes a snapshot
// plus a short tail, reloads to the same state, and a compaction that
// fails leaves a working journal and is tried again later.
func TestCompaction(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mock.state")
	var logged []string
	m := mustOpenState(t, state, Options{CompactAfter: 10, Warnf: func(f string, a ...any) { logged = append(logged, fmt.Sprintf(f, a...)) }})
	defer m.Close()
	churn(t, m, 25)
	data, _ := os.ReadFile(state)
	lines := bytes.Count(data, []byte("\n"))
	if lines != 2+5 || !bytes.Contains(data, []byte(`"op":"snapshot"`)) {
		t.Fatalf("after 25 changes with compaction every 10: %d lines (want header, snapshot and 5 events)", lines)
	}
	for _, c := range loadProfile(t).Mock.Callers {
		if bytes.Contains(data, []byte(c.AccessKeySecret)) {
			t.Fatal("a snapshot holds a secret")
		}
	}
	want := dumpJSON(t, m)
	m2 := mustOpenState(t, state, Options{})
	if got := dumpJSON(t, m2); got != want {
		t.Fatalf("reloaded state differs:\n%s\nwant\n%s", got, want)
	}
	m2.Close()

	if err := os.Mkdir(state+".tmp", 0o700); err != nil {
		t.Fatal(err)
	}
	churn(t, m, 10)
	if len(logged) != 1 || !strings.Contains(logged[0], "compacting the state file failed") {
		t.Fatalf("a failed compaction was not logged once: %q", logged)
	}
	_ = os.Remove(state + ".tmp")
	// It failed at the 5th change (tail 10); the next try is 10 changes later.
	churn(t, m, 4)
	if data, _ := os.ReadFile(state); bytes.Count(data, []byte("\n")) != 2+19 {
		t.Fatalf("retried too early: %d lines", bytes.Count(data, []byte("\n")))
	}
	churn(t, m, 1)
	if data, _ := os.ReadFile(state); bytes.Count(data, []byte("\n")) != 2 {
		t.Fatalf("not retried: %d lines", bytes.Count(data, []byte("\n")))
	}
	want = dumpJSON(t, m)
	m3 := mustOpenState(t, state, Options{})
	defer m3.Close()
	if dumpJSON(t, m3) != want {
		t.Fatal("state after a retried compaction differs on reload")
	}
}

// TestVersion1StateFileStillLoads: files written before snapshots existed
// (format 1) load as they did.
func TestVersion1StateFileStillLoads(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mock.state")
	m := mustOpenState(t, state, Options{CompactAfter: -1})
	churn(t, m, 3)
	want := dumpJSON(t, m)
	m.Close()
	data, _ := os.ReadFile(state)
	header, rest, _ := bytes.Cut(data, []byte("\n"))
	var h journalHeader
	if err := decodeLine(header, &h); err != nil {
		t.Fatal(err)
	}
	h.Format = 1
	line, _ := encodeLine(h)
	_ = os.WriteFile(state, append(line, rest...), 0o600)
	m2 := mustOpenState(t, state, Options{})
	defer m2.Close()
	if dumpJSON(t, m2) != want {
		t.Fatal("a format-1 file reloads differently")
	}
}

// BenchmarkStateLoad loads a state file holding the same live state after
// a long history: as the history itself (no compaction) and compacted.
// Compare the two in one run: compacted load follows the live state.
func BenchmarkStateLoad(b *testing.B) {
	const history = 20000
	api := contract(b) // loaded once: the benchmark measures the state file
	for _, tc := range []struct {
		name    string
		compact int
	}{{"history", -1}, {"compacted", DefaultCompactAfter}} {
		state := filepath.Join(b.TempDir(), "mock.state")
		m := mustOpenState(b, state, Options{CompactAfter: tc.compact})
		churn(b, m, history)
		m.Close()
		fi, _ := os.Stat(state)
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.ReportMetric(float64(fi.Size()), "file-bytes")
			for i := 0; i < b.N; i++ {
				m := mustOpenState(b, state, Options{CompactAfter: -1, Contract: api})
				m.Close()
			}
		})
	}
}

// smallDisk mounts a 256 KiB tmpfs for the test. Where this process may not
// mount, it runs the test again inside a user and mount namespace
// (unshare -rm) when that is allowed — done is then true and the test has
// nothing left to do — and skips with the reason otherwise.
func smallDisk(t *testing.T) (dir string, done bool) {
	t.Helper()
	dir = t.TempDir()
	err := unix.Mount("tmpfs", dir, "tmpfs", 0, "size=256k")
	if err == nil {
		t.Cleanup(func() { _ = unix.Unmount(dir, 0) })
		return dir, false
	}
	if os.Getenv("ACSC_TEST_IN_NAMESPACE") == "" && !strings.Contains(t.Name(), "/") {
		if unshare, lerr := exec.LookPath("unshare"); lerr == nil {
			cmd := exec.Command(unshare, "-rm", os.Args[0], "-test.run=^"+t.Name()+"$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), "ACSC_TEST_IN_NAMESPACE=1")
			out, rerr := cmd.CombinedOutput()
			switch {
			case rerr == nil && bytes.Contains(out, []byte("--- PASS")):
				t.Logf("ran inside unshare -rm:\n%s", out)
				return "", true
			case rerr == nil || bytes.Contains(out, []byte("unshare: ")):
				t.Skipf("cannot mount a tmpfs (%v), and unshare -rm did not run the test:\n%s", err, out)
			default:
				t.Fatalf("inside unshare -rm:\n%s", out)
			}
		}
	}
	t.Skipf("the disk-full sequence needs a small tmpfs, and this machine does not let the test mount one: %v", err)
	return "", false
}

// TestDiskFull: on a full disk a change is answered InternalError and not
// applied, and the journal holds nothing of it; a reset fails and keeps the
// old journal; once space returns, writes resume by themselves; a restart
// loads exactly the acknowledged changes.
func TestDiskFull(t *testing.T) {
	dir, done := smallDisk(t)
	if done {
		return
	}
	state := filepath.Join(dir, "mock.state")
	m := mustOpenState(t, state, Options{CompactAfter: -1})
	defer m.Close()
	churn(t, m, 3)

	filler, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte{'x'}, 4096)
	for {
		if _, err := filler.Write(chunk); err != nil {
			break
		}
	}
	// The state file's last page may still take a few lines.
	b, c := m.Backend(), m.Backend().Caller("")
	var failed error
	var before []byte
	var live string
	for i := 0; i < 1000 && failed == nil; i++ {
		before, _ = os.ReadFile(state)
		live = dumpJSON(t, m)
		if i%2 == 0 {
			_, failed = b.Associate(context.Background(), c, "c-ActiveContact01", []string{"fd-a1b2c3d4e5"})
		} else {
			_, failed = b.Disassociate(c, "c-ActiveContact01", []string{"fd-a1b2c3d4e5"})
		}
	}
	var ae *acs.APIError
	if !errors.As(failed, &ae) || ae.Code != rdm.CodeInternalError || ae.HTTPStatus != 500 {
		t.Fatalf("a change on a full disk: %v (want the platform's InternalError)", failed)
	}
	if after, _ := os.ReadFile(state); !bytes.Equal(after, before) {
		t.Fatalf("the failed change left %d bytes in the journal", len(after)-len(before))
	}
	if dumpJSON(t, m) != live {
		t.Fatal("a change the journal refused was applied")
	}
	srv := httptest.NewServer(m)
	defer srv.Close()
	tr := &acs.Transport{Endpoint: srv.URL, Credentials: acs.Credentials{AccessKeyID: "x", AccessKeySecret: "y"}, Retry: acs.RetryPolicy{MaxAttempts: 1}}
	err = tr.Do(context.Background(), acs.Call{Action: "AssociateMembers", Version: rdm.Version, Params: url.Values{"ContactId": {"c-ActiveContact01"}, "Members.1": {"fd-a1b2c3d4e5"}}}, nil)
	if !errors.As(err, &ae) || ae.Code != rdm.CodeInternalError {
		t.Fatalf("over the wire: %v", err)
	}
	if err := b.Reset(); err == nil {
		t.Fatal("a reset on a full disk did not fail")
	}
	if dumpJSON(t, m) != live {
		t.Fatal("a failed reset changed the state")
	}

	filler.Close()
	if err := os.Remove(filler.Name()); err != nil {
		t.Fatal(err)
	}
	churn(t, m, 3) // resumed, with no operator action
	want := dumpJSON(t, m)
	m2 := mustOpenState(t, state, Options{})
	defer m2.Close()
	if len(m2.Warnings) != 0 || dumpJSON(t, m2) != want {
		t.Fatalf("after the disk filled and emptied, a restart loads another state (warnings %q)", m2.Warnings)
	}
	if err := b.Reset(); err != nil {
		t.Fatalf("reset once space returned: %v", err)
	}
}

// TestReplayAfterRestart: a request captured and answered before a restart
// on the same state file is refused as a replay after it (v1 and v3), and
// the nonce file holds hashes, not nonces or key IDs.
func TestReplayAfterRestart(t *testing.T) {
	p := loadProfile(t)
	creds, err := p.Resolve("default", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(t.TempDir(), "mock.state")
	zero := time.Duration(0)
	open := func() *Mock {
		m, err := New(Options{Profile: p, StateFile: state, HoldTime: &zero, Contract: sharedContract(t)})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	serve := func(m *Mock, pr *acs.Prepared) (int, string) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, pr.Request())
		e, _ := acs.DecodeError(rec.Code, rec.Body.Bytes())
		if e == nil {
			return rec.Code, ""
		}
		return rec.Code, e.Code
	}
	m := open()
	var prepared []*acs.Prepared
	for _, v := range []int{1, 3} {
		tr := &acs.Transport{Endpoint: "http://127.0.0.1:9", Credentials: creds, SignatureVersion: v}
		pr, err := tr.Prepare(context.Background(), acs.Call{Action: "DisassociateMembers", Version: rdm.Version,
			Params: url.Values{"ContactId": {"c-ActiveContact01"}, "Members.1": {"r-a1b2c3"}}})
		if err != nil {
			t.Fatal(err)
		}
		if status, code := serve(m, pr); status != 200 {
			t.Fatalf("v%d: first send answered %d %s", v, status, code)
		}
		prepared = append(prepared, pr)
	}
	m.Close()
	data, _ := os.ReadFile(state + ".nonces")
	if bytes.Count(data, []byte("\n")) != 2 || bytes.Contains(data, []byte(creds.AccessKeyID)) {
		t.Fatalf("nonce file:\n%s", data)
	}
	m = open()
	defer m.Close()
	for i, pr := range prepared {
		if status, code := serve(m, pr); code != rdm.CodeSignatureNonceUsed {
			t.Errorf("v%d replayed after a restart: %d %q, want %s", []int{1, 3}[i], status, code, rdm.CodeSignatureNonceUsed)
		}
	}
}

// FuzzOpenJournal: whatever bytes a state file or its nonce file holds,
// opening it never panics; it either refuses (a clear error) or loads, and
// a file it loads (repaired) loads again the same way.
func FuzzOpenJournal(f *testing.F) {
	header, _ := encodeLine(journalHeader{Format: journalFormat, Profile: "d"})
	ev, _ := encodeLine(Event{Op: "status", ID: "h-1", Status: "Accepted"})
	f.Add(header)
	f.Add(append(append([]byte{}, header...), ev...))
	f.Add(append(append([]byte{}, header...), ev[:len(ev)-5]...))
	f.Add([]byte("12345678 {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "s")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, accept := range []bool{false, true} {
			j, events, _, err := OpenJournal(path, "d", JournalOptions{AcceptLoss: accept})
			if err != nil {
				continue
			}
			j.Close()
			j2, again, warns, err := OpenJournal(path, "d", JournalOptions{})
			if err != nil || len(again) != len(events) || len(warns) != 0 {
				t.Fatalf("a loaded file does not load again the same: %v, %d vs %d events, %q", err, len(again), len(events), warns)
			}
			j2.Close()
		}
		if err := os.WriteFile(path+".nonces", data, 0o600); err != nil {
			t.Fatal(err)
		}
		if n, _, err := openNonceFile(path+".nonces", time.Minute, nil, nil); err == nil {
			n.Close()
		}
	})
}

// TestFilesKeepTheirNamesAfterRewrite: after a reset or a compaction
// rewrites the state file (and the nonce file), the files written to are
// the live ones by name, so an error later names them, not a .tmp that no
// longer exists.
func TestFilesKeepTheirNamesAfterRewrite(t *testing.T) {
	state := filepath.Join(t.TempDir(), "mock.state")
	m := mustOpenState(t, state, Options{CompactAfter: 2})
	defer m.Close()
	churn(t, m, 3) // past CompactAfter: compacted
	if got := m.Backend().journal.f.Name(); got != state {
		t.Fatalf("after a compaction the journal writes to %s, not %s", got, state)
	}
	if err := m.Backend().Reset(); err != nil {
		t.Fatal(err)
	}
	if got := m.Backend().journal.f.Name(); got != state {
		t.Fatalf("after a reset the journal writes to %s, not %s", got, state)
	}
	if m.nonces != nil {
		if err := m.nonces.rewrite(); err != nil {
			t.Fatal(err)
		}
		if got := m.nonces.f.Name(); got != m.nonces.path {
			t.Fatalf("after a rewrite the nonce file is %s, not %s", got, m.nonces.path)
		}
	}
}
