package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// builder finds a working container builder: podman, buildah (with
// podman to run) or docker whose daemon answers; "" and why not.
func builder() (string, string) {
	for _, c := range []string{"podman", "docker"} {
		if _, err := exec.LookPath(c); err != nil {
			continue
		}
		if out, err := exec.Command(c, "info").CombinedOutput(); err != nil {
			return "", c + " is installed but does not work here: " + reason(string(out))
		}
		return c, ""
	}
	return "", "no podman or docker on PATH (Debian: apt-get install podman)"
}

// runtimeArgs are the builder's global flags: podman runs containers with
// runc when it is installed, since its default runtime, crun, refuses to
// start one where the cgroups are mounted in hybrid mode (as on the CI
// machines), and runc works with both layouts.
func runtimeArgs(c string) []string {
	if c == "podman" {
		if _, err := exec.LookPath("runc"); err == nil {
			return []string{"--runtime", "runc"}
		}
	}
	return nil
}

// ulimitArgs give the container modest open-file and process limits, at
// most this process's own: the engines' defaults (a million open files) are
// above the hard limits of a machine that caps them, and raising a hard
// limit needs a privilege a sandboxed CI runner lacks. The mock in the test
// needs a handful of each.
func ulimitArgs() []string {
	const modest = 4096
	var args []string
	for _, l := range []struct {
		name     string
		resource int
	}{{"nofile", unix.RLIMIT_NOFILE}, {"nproc", unix.RLIMIT_NPROC}} {
		n := uint64(modest)
		var r unix.Rlimit
		if err := unix.Getrlimit(l.resource, &r); err == nil && r.Max < n {
			n = r.Max
		}
		args = append(args, "--ulimit", fmt.Sprintf("%s=%d:%d", l.name, n, n))
	}
	return args
}

// reason is the line of a tool's output that says what is wrong.
func reason(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for _, l := range lines {
		if strings.Contains(strings.ToLower(l), "cannot") || strings.Contains(strings.ToLower(l), "error") {
			return strings.TrimSpace(l)
		}
	}
	return strings.TrimSpace(lines[len(lines)-1])
}

// TestContainerImage builds the Dockerfile's image from a static binary,
// runs it with its port published on loopback, and checks the mock answers
// as an ACS endpoint. Where no container builder works it skips, saying
// why; the static build it needs is checked in any case.
func TestContainerImage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary and an image; skipped with -short")
	}
	ctx := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(ctx, "acsconform"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("the static build the image needs fails: %v\n%s", err, out)
	}
	c, why := builder()
	if c == "" {
		if os.Getenv("ACSCONFORM_REQUIRE_CONTAINER") != "" {
			t.Fatal("ACSCONFORM_REQUIRE_CONTAINER is set (make tools installed a builder) but the image cannot be built: " + why)
		}
		t.Skip("the image is not built: " + why)
	}
	tag := "acsconform-mock-test:" + strconv.Itoa(os.Getpid())
	global := runtimeArgs(c)
	if out, err := exec.Command(c, append(global, "build", "-t", tag, "-f", "../../Dockerfile", ctx)...).CombinedOutput(); err != nil {
		t.Fatalf("%s build: %v\n%s", c, err, out)
	}
	defer exec.Command(c, append(global, "rmi", "-f", tag)...).Run()
	port := freePort(t)
	name := "acsconform-mock-test-" + strconv.Itoa(os.Getpid())
	args := append(append(global, "run", "--rm", "-d", "--name", name, "-p", "127.0.0.1:"+port+":8080"), ulimitArgs()...)
	run := exec.Command(c, append(args, tag)...)
	if out, err := run.CombinedOutput(); err != nil {
		t.Fatalf("%s run: %v\n%s", c, err, out)
	}
	defer exec.Command(c, append(global, "rm", "-f", name)...).Run()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1:"+port+"/?Action=AssociateMembers&Version=2022-04-19", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if resp.StatusCode != 400 || !strings.Contains(string(body), `"Code":"IncompleteSignature"`) {
				t.Fatalf("the container's mock answers %d %s", resp.StatusCode, body)
			}
			return
		}
		cancel()
		if time.Now().After(deadline) {
			logs, _ := exec.Command(c, append(global, "logs", name)...).CombinedOutput()
			t.Fatalf("the container's mock never answered: %v\n%s", err, logs)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
