package cli

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/internal/testbin"
)

// startMock runs `acsconform mock ARGS --listen 127.0.0.1:0` and returns
// its banner, read up to the suite hint, which is the last line it prints.
func startMock(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"mock", "--quiet", "--listen", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var banner strings.Builder
	deadline := time.After(2 * time.Minute)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the mock ended before its hint:\n%s", banner.String())
			}
			banner.WriteString(l + "\n")
			if strings.Contains(l, "acsconform test ") {
				go func() { // keep draining, so the mock never blocks on its stdout
					for range lines {
					}
				}()
				return banner.String()
			}
		case <-deadline:
			t.Fatalf("no hint from the mock:\n%s", banner.String())
		}
	}
}

var hintLine = regexp.MustCompile(`(?m)(?:then|the whole suite against it): (acsconform test [^\n]+)$`)

// runHint runs a printed command line with the built binary; the hint's
// words are plain (no quoting), so splitting on spaces is what a shell does.
func runHint(t *testing.T, bin, line string) (int, string) {
	t.Helper()
	words := strings.Fields(line)
	cmd := exec.Command(bin, words[1:]...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

func verdictLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "acsconform: ") && strings.Contains(l, " cases of ") {
			// The verdict and the counts, without the timings.
			l, _, _ = strings.Cut(l, " — in ")
			return l
		}
	}
	return ""
}

// TestPrintedHintsWorkTwice: the command the mock's banner prints runs the
// whole suite against it, and gives the same verdict when run again against
// the same process (the run resets the mock through its admin endpoint),
// for each product the mock serves.
func TestPrintedHintsWorkTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole suite four times; skipped with -short")
	}
	bin, err := testbin.Path()
	if err != nil {
		t.Fatal(err)
	}
	for _, contract := range []string{"", "resourcemanager"} {
		t.Run("contract="+contract, func(t *testing.T) {
			args := []string{"--admin", "--enforce-rate-limit"}
			if contract != "" {
				args = append(args, "--contract", contract)
			}
			banner := startMock(t, bin, args...)
			m := hintLine.FindStringSubmatch(banner)
			if m == nil {
				t.Fatalf("no suite hint in the banner:\n%s", banner)
			}
			if contract != "" && !strings.Contains(m[1], "--contract "+contract) {
				t.Fatalf("the hint of a %s mock does not name its contract: %s", contract, m[1])
			}
			var first string
			for i := 1; i <= 2; i++ {
				code, out := runHint(t, bin, m[1])
				v := verdictLine(out)
				if code != 0 || !strings.Contains(v, "CONFORMING") {
					t.Fatalf("run %d of %q: exit %d, verdict %q:\n%s", i, m[1], code, v, lastLinesOf(out, 30))
				}
				if i == 1 {
					first = v
				} else if v != first {
					t.Fatalf("run 2 differs from run 1:\n%s\n%s", first, v)
				}
			}
		})
	}
}

// TestWrongProductSaysSo: the Resource Directory suite pointed at a mock
// serving Resource Manager stops at once, naming the likely cause.
func TestWrongProductSaysSo(t *testing.T) {
	bin, err := testbin.Path()
	if err != nil {
		t.Fatal(err)
	}
	banner := startMock(t, bin, "--admin", "--contract", "resourcemanager")
	addr := regexp.MustCompile(`listening on (http://\S+)`).FindStringSubmatch(banner)
	if addr == nil {
		t.Fatalf("no address in the banner:\n%s", banner)
	}
	code, out := runHint(t, bin, "acsconform test --target "+addr[1])
	if code != ExitUsage || !strings.Contains(out, "is it serving another product? try --contract resourcemanager") {
		t.Fatalf("exit %d, want 2 naming the other product:\n%s", code, lastLinesOf(out, 10))
	}
}

func lastLinesOf(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
