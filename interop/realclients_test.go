package interop

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/internal/testbin"
	"github.com/acsconform/acsconform/profile"
)

// Real clients against one `acsconform mock` started as a user starts it,
// with no flags but the address to listen on: the official Node.js SDK
// (interop/testdata/node, its packages installed by `make node-deps`) and
// tea-rpc, the RPC client Terraform's alicloud provider sends every
// ResourceManager call through.

// mockCLI starts `acsconform mock --listen 127.0.0.1:0` and returns the
// address it listens on; the process is stopped when the test ends.
func mockCLI(t *testing.T) string {
	t.Helper()
	bin, err := testbin.Path()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "mock", "--listen", "127.0.0.1:0", "--profile", filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		if _, rest, ok := strings.Cut(lines.Text(), "listening on http://"); ok {
			addr, _, _ := strings.Cut(rest, " ")
			go func() { _, _ = io.Copy(io.Discard, out) }()
			return addr
		}
	}
	t.Fatalf("acsconform mock printed no address; stderr:\n%s", stderr.String())
	return ""
}

// embeddedProfile is the mock's profile, for its callers' keys and inputs.
func embeddedProfile(t *testing.T) *profile.Profile {
	t.Helper()
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestNodeSDKWorkflows drives every family through the official Node.js
// SDK, v3 and v1 signatures, against one mock address: ResourceManager
// 2020-03-31 through its generated package, ResourceDirectoryMaster
// 2022-04-19 through openapi-core's callApi. A call that does not answer
// as its workflow expects fails the test.
func TestNodeSDKWorkflows(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("Node.js is not installed (node is not on PATH): the Node SDK workflows need it")
	}
	dir := filepath.Join("testdata", "node")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@alicloud", "resourcemanager20200331")); err != nil {
		t.Skip("the Node SDK packages are not installed: run `make node-deps` (npm ci in interop/testdata/node)")
	}
	addr := mockCLI(t)
	creds, err := embeddedProfile(t).Resolve("default", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	families := map[string]bool{}
	for i, sig := range []string{"v3", "v1"} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		cmd := exec.CommandContext(ctx, node, "workflow.js")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ACSCONFORM_ENDPOINT="+addr, "ACSCONFORM_KEY_ID="+creds.AccessKeyID,
			"ACSCONFORM_KEY_SECRET="+creds.AccessKeySecret, "ACSCONFORM_SIGNATURE="+sig,
			fmt.Sprintf("ACSCONFORM_INVITEE=172841235500302%d", 5+i))
		out, err := cmd.Output()
		cancel()
		calls := 0
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			var r struct {
				Family, Action, Signature, Detail string
				OK                                bool
			}
			if json.Unmarshal([]byte(line), &r) != nil {
				continue
			}
			calls++
			families[r.Family] = true
			if !r.OK {
				t.Errorf("%s %s (%s): %s", r.Family, r.Action, r.Signature, r.Detail)
			}
		}
		if err != nil && !t.Failed() {
			t.Errorf("signature %s: node workflow.js: %v\n%s", sig, err, out)
		}
		if calls < 40 {
			t.Errorf("signature %s: only %d calls reported:\n%s", sig, calls, out)
		}
	}
	for _, f := range []string{"folder", "account", "tags", "handshake", "control-policy", "resource-group", "policy", "role", "contact"} {
		if !families[f] {
			t.Errorf("no workflow of family %s ran", f)
		}
	}
}
