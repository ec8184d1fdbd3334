package mock

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
)

// writer is one client of the mixed write load: its n-th request, and
// whether the state after a restart shows a given request's effect.
type writer struct {
	name  string
	next  func(n int) (action string, params url.Values)
	shows func(s *State, n int) bool
	// last: only the last acknowledged request (or the one in flight at the
	// kill) must show — a writer that overwrites one value. Otherwise every
	// acknowledged request must show.
	last bool
}

// TestKill9KeepsEveryAcknowledgedWriteOfEveryFamily: a concurrent load of
// writes across the families (folders created and renamed, accounts
// created and tagged, contacts and policies created, delegated
// administrators registered and deregistered, member deletion switched),
// SIGKILL in the middle, a restart on the same state file: every
// acknowledged write is there.
func TestKill9KeepsEveryAcknowledgedWriteOfEveryFamily(t *testing.T) {
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
	const dir, acct = "rd-3G6h0M1vAcme", "1728412355001001"
	folderNamed := func(s *State, name string) bool {
		for _, f := range s.Directories[dir].Folders {
			if f.Name == name {
				return true
			}
		}
		return false
	}
	writers := []writer{
		{name: "CreateFolder", next: func(n int) (string, url.Values) {
			return "CreateFolder", url.Values{"FolderName": {fmt.Sprintf("k9-%d", n)}}
		}, shows: func(s *State, n int) bool { return folderNamed(s, fmt.Sprintf("k9-%d", n)) }},
		{name: "UpdateFolder", last: true, next: func(n int) (string, url.Values) {
			return "UpdateFolder", url.Values{"FolderId": {"fd-Rename0001"}, "NewFolderName": {fmt.Sprintf("renamed-%d", n)}}
		}, shows: func(s *State, n int) bool {
			return s.Directories[dir].Folders["fd-Rename0001"].Name == fmt.Sprintf("renamed-%d", n)
		}},
		{name: "CreateResourceAccount", next: func(n int) (string, url.Values) {
			return "CreateResourceAccount", url.Values{"DisplayName": {fmt.Sprintf("k9-account-%d", n)}}
		}, shows: func(s *State, n int) bool {
			for _, a := range s.Accounts {
				if a.DisplayName == fmt.Sprintf("k9-account-%d", n) && s.Directories[dir].Members[a.ID] {
					return true
				}
			}
			return false
		}},
		{name: "TagResources", next: func(n int) (string, url.Values) {
			return "TagResources", url.Values{"ResourceType": {"Account"}, "ResourceId.1": {acct}, "Tag.1.Key": {fmt.Sprintf("k%d", n)}, "Tag.1.Value": {"v"}}
		}, shows: func(s *State, n int) bool { return s.Accounts[acct].Tags[fmt.Sprintf("k%d", n)] == "v" }},
		{name: "AddMessageContact", next: func(n int) (string, url.Values) {
			return "AddMessageContact", url.Values{"Name": {letters("Kc", n)}, "EmailAddress": {fmt.Sprintf("c%d@example.com", n)},
				"PhoneNumber": {"86-13900001111"}, "Title": {"TechnicalDirector"}, "MessageTypes.1": {"AccountExpenses"}}
		}, shows: func(s *State, n int) bool {
			for _, c := range s.Directories[dir].Contacts {
				if c.Name == letters("Kc", n) {
					return true
				}
			}
			return false
		}},
		{name: "CreateControlPolicy", next: func(n int) (string, url.Values) {
			return "CreateControlPolicy", url.Values{"PolicyName": {fmt.Sprintf("k9p-%d", n)}, "EffectScope": {"RAM"},
				"PolicyDocument": {`{"Version":"1","Statement":[{"Effect":"Deny","Action":["ecs:*"],"Resource":"*"}]}`}}
		}, shows: func(s *State, n int) bool {
			for _, p := range s.Directories[dir].Policies {
				if p.Name == fmt.Sprintf("k9p-%d", n) {
					return true
				}
			}
			return false
		}},
		{name: "DelegatedAdministrator", last: true, next: func(n int) (string, url.Values) {
			action := map[bool]string{true: "RegisterDelegatedAdministrator", false: "DeregisterDelegatedAdministrator"}[n%2 == 0]
			return action, url.Values{"AccountId": {acct}, "ServicePrincipal": {"config.aliyuncs.com"}}
		}, shows: func(s *State, n int) bool {
			return slices.Contains(s.Directories[dir].Delegations["config.aliyuncs.com"], acct) == (n%2 == 0)
		}},
		{name: "SetMemberDeletionPermission", last: true, next: func(n int) (string, url.Values) {
			return "SetMemberDeletionPermission", url.Values{"Status": {map[bool]string{true: "Disabled", false: "Enabled"}[n%2 == 0]}}
		}, shows: func(s *State, n int) bool {
			return s.Directories[dir].MemberDeletion == map[bool]string{true: "Disabled", false: "Enabled"}[n%2 == 0]
		}},
	}
	type progress struct {
		acked    []int
		inFlight int // -1 when none
	}
	prog := make([]progress, len(writers))
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, w := range writers {
		prog[i].inFlight = -1
		wg.Add(1)
		go func(i int, w writer) {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				action, params := w.next(n)
				mu.Lock()
				prog[i].inFlight = n
				mu.Unlock()
				err := call(action, params)
				mu.Lock()
				if err == nil {
					prog[i].acked = append(prog[i].acked, n)
					prog[i].inFlight = -1
				}
				mu.Unlock()
				if err != nil {
					return // the process is gone (or refused: checked below)
				}
			}
		}(i, w)
	}
	time.Sleep(500 * time.Millisecond)
	if err := proc.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = proc.cmd.Wait()
	close(stop)
	wg.Wait()

	dump := restartAndDump(t, state)
	total := 0
	for i, w := range writers {
		acked := prog[i].acked
		total += len(acked)
		if len(acked) == 0 {
			t.Errorf("%s: no write was acknowledged before the kill; nothing was tested", w.name)
			continue
		}
		if w.last {
			lastAcked := acked[len(acked)-1]
			if !w.shows(&dump, lastAcked) && (prog[i].inFlight < 0 || !w.shows(&dump, prog[i].inFlight)) {
				t.Errorf("%s: the last acknowledged write (#%d) is lost (in flight at the kill: #%d)", w.name, lastAcked, prog[i].inFlight)
			}
			continue
		}
		for _, n := range acked {
			if !w.shows(&dump, n) {
				t.Errorf("%s: acknowledged write #%d is lost", w.name, n)
			}
		}
	}
	t.Logf("after kill -9: %d acknowledged writes over %d writers, all present", total, len(writers))
}

// letters is prefix and n in letters (a contact name is letters or
// Chinese characters only): Kc, Kcb, Kcc … for 0, 1, 2.
func letters(prefix string, n int) string {
	out := prefix
	for ; n > 0; n /= 26 {
		out += string(rune('a' + n%26))
	}
	return out
}
