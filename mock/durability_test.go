package mock

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
)

// buildCLI builds the acsconform binary once per test run.
var buildCLI = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "acsconform-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "acsconform")
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/acsconform").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// process is a running `acsconform mock`.
type process struct {
	cmd  *exec.Cmd
	addr string
}

func startProcess(t *testing.T, state string) (*process, error) {
	t.Helper()
	bin, err := buildCLI()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "mock", "--listen", "127.0.0.1:0", "--state", state, "--admin", "--quiet", "--hold", "0s",
		"--profile", filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Wait()
		return nil, fmt.Errorf("the mock did not start: %s", stderr.String())
	}
	_, addr, _ := strings.Cut(line, "listening on ")
	addr, _, _ = strings.Cut(addr, " ")
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	return &process{cmd: cmd, addr: addr}, nil
}

// TestKill9KeepsEveryAcknowledgedWrite runs a concurrent write load against
// a mock process with a state file, kills it with SIGKILL in the middle,
// restarts it on the same file and checks every acknowledged write.
func TestKill9KeepsEveryAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a process; skipped with -short")
	}
	p := loadProfile(t)
	state := filepath.Join(t.TempDir(), "mock.state")
	proc, err := startProcess(t, state)
	if err != nil {
		t.Fatal(err)
	}
	creds, _ := p.Resolve("default", func(string) string { return "" })
	call := func(action string, params url.Values) error {
		tr := &acs.Transport{Endpoint: proc.addr, Credentials: creds, Retry: acs.RetryPolicy{MaxAttempts: 1}, HTTPClient: &http.Client{Timeout: 5 * time.Second}}
		return tr.Do(context.Background(), acs.Call{Action: action, Version: "2022-04-19", Params: params}, nil)
	}

	// Each binder owns one (contact, object) pair and toggles it; each
	// inviter sends its own invitations. Both record what was acknowledged.
	contact := p.Inputs["activeContactId"].Value
	objects := []string{"r-a1b2c3", "fd-a1b2c3d4e5", "fd-f6g7h8i9j0", "1728412355001001"}
	type pair struct {
		lastAcked, inFlight string // "bind" / "unbind" / ""
	}
	pairs := make([]pair, len(objects))
	var mu sync.Mutex
	var invited []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, obj := range objects {
		wg.Add(1)
		go func(i int, obj string) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				op := map[bool]string{true: "bind", false: "unbind"}[n%2 == 0]
				action := map[string]string{"bind": "AssociateMembers", "unbind": "DisassociateMembers"}[op]
				mu.Lock()
				pairs[i].inFlight = op
				mu.Unlock()
				err := call(action, url.Values{"ContactId": {contact}, "Members.1": {obj}})
				mu.Lock()
				if err == nil {
					pairs[i].lastAcked = op
					pairs[i].inFlight = ""
				}
				mu.Unlock()
				if err != nil {
					return // the process is gone
				}
			}
		}(i, obj)
	}
	targets := p.Inputs["invitableAccountIds"].List
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, target := range targets {
			select {
			case <-stop:
				return
			default:
			}
			if err := call("InviteAccountToResourceDirectory", url.Values{"TargetEntity": {target}, "TargetType": {"Account"}}); err == nil {
				mu.Lock()
				invited = append(invited, target)
				mu.Unlock()
			} else if errors.Is(err, context.Canceled) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	time.Sleep(400 * time.Millisecond)
	if err := proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = proc.cmd.Wait()
	close(stop)
	wg.Wait()

	dump := restartAndDump(t, state)
	bound := dump.Directories["rd-3G6h0M1vAcme"].Contacts[contact].Bound
	acked := 0
	for i, obj := range objects {
		_, isBound := bound[obj]
		ok := pairs[i].lastAcked == "" && pairs[i].inFlight == "" ||
			(pairs[i].lastAcked == "bind") == isBound ||
			(pairs[i].inFlight == "bind") == isBound && pairs[i].inFlight != ""
		if pairs[i].lastAcked != "" {
			acked++
		}
		if !ok {
			t.Errorf("%s: last acknowledged %q (in flight %q) but bound=%v after restart", obj, pairs[i].lastAcked, pairs[i].inFlight, isBound)
		}
	}
	found := map[string]bool{}
	for _, h := range dump.Handshakes {
		found[h.TargetEntity] = true
	}
	for _, target := range invited {
		if !found[target] {
			t.Errorf("acknowledged invitation to %s is lost", target)
		}
	}
	if acked == 0 || len(invited) == 0 {
		t.Fatalf("the load acknowledged %d binding pairs and %d invitations before the kill; nothing was tested", acked, len(invited))
	}
	t.Logf("after kill -9: %d binding pairs and %d invitations acknowledged, all present", acked, len(invited))
}

// TestCorruptStateFileRefusesToStart: damage in the middle of the file is a
// clear error at start; a torn last line (a crash mid-write) is dropped with
// a warning.
func TestCorruptStateFileRefusesToStart(t *testing.T) {
	p := loadProfile(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "mock.state")
	m, err := New(Options{Profile: p, StateFile: state, NoAuth: true, Contract: sharedContract(t)})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Backend().Caller("")
	for _, obj := range []string{"r-a1b2c3", "fd-a1b2c3d4e5"} {
		if _, err := m.Backend().Disassociate(c, "c-ActiveContact01", []string{obj}); err != nil {
			t.Fatal(err)
		}
	}
	m.Close()
	good, _ := os.ReadFile(state)

	// A torn tail.
	_ = os.WriteFile(state, append(append([]byte{}, good...), []byte(`1234abcd {"op":"bi`)...), 0o600)
	m, err = New(Options{Profile: p, StateFile: state, NoAuth: true, Contract: sharedContract(t)})
	if err != nil || len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], "incomplete last line") {
		t.Fatalf("torn tail: %v, warnings %q", err, m.Warnings)
	}
	m.Close()

	lines := strings.SplitAfter(string(good), "\n")
	cases := map[string]string{
		"flipped byte":     lines[0] + strings.Replace(lines[1], "unbind", "unbinx", 1) + lines[2],
		"garbage line":     lines[0] + "hello world\n" + lines[1],
		"other profile":    strings.Replace(string(good), p.Digest, "0000000000000000", 1),
		"not a state file": "{}\n",
	}
	for name, content := range cases {
		_ = os.WriteFile(state, []byte(content), 0o600)
		_, err := New(Options{Profile: p, StateFile: state, NoAuth: true, Contract: sharedContract(t)})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), state) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestGracefulShutdownAndAccessLog: SIGTERM stops the process cleanly, and
// the access log has a JSON line per request without the secret.
func TestGracefulShutdownAndAccessLog(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals a process; skipped with -short")
	}
	bin, err := buildCLI()
	if err != nil {
		t.Fatal(err)
	}
	p := loadProfile(t)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	cmd := exec.Command(bin, "mock", "--listen", "127.0.0.1:0", "--profile", filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	line, _ := out.ReadString('\n')
	_, addr, _ := strings.Cut(line, "listening on ")
	addr, _, _ = strings.Cut(addr, " ")
	tr := &acs.Transport{Endpoint: addr, Credentials: creds}
	if err := tr.Do(context.Background(), acs.Call{Action: "DisassociateMembers", Version: "2022-04-19", Params: url.Values{"ContactId": {"c-ActiveContact01"}, "Members.1": {"r-a1b2c3"}}}, nil); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	rest, _ := io.ReadAll(out)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(string(rest), "acsconform mock: stopped") {
		t.Errorf("stdout: %s", rest)
	}
	var entry map[string]any
	logLine, _, _ := strings.Cut(stderr.String(), "\n")
	if err := json.Unmarshal([]byte(logLine), &entry); err != nil || entry["action"] != "DisassociateMembers" || entry["status"] != float64(200) || entry["access_key_id"] != creds.AccessKeyID {
		t.Errorf("access log line: %q (%v)", logLine, err)
	}
	if strings.Contains(stderr.String(), creds.AccessKeySecret) {
		t.Error("the access log contains the secret")
	}
}

// restartAndDump starts the mock again on a state file and reads its state.
func restartAndDump(t *testing.T, state string) State {
	t.Helper()
	proc, err := startProcess(t, state)
	if err != nil {
		t.Fatalf("restart on the state file: %v", err)
	}
	resp, err := http.Get(proc.addr + AdminPrefix + "state")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var dump State
	if err := json.NewDecoder(resp.Body).Decode(&dump); err != nil {
		t.Fatal(err)
	}
	return dump
}
