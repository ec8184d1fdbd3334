package conformance

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"

	"github.com/onsi/ginkgo/v2/types"
)

// fakeClock advances only when told to.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func specReport(id string, state types.SpecState) types.SpecReport {
	r := types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: id, State: state}
	if state == types.SpecStateFailed {
		r.Failure = types.Failure{Message: "answered 200, documented 400 InvalidParameter\nmore detail", Location: types.CodeLocation{FileName: "spec/x.yaml", LineNumber: 42}}
	}
	return r
}

func progressCases(ids ...string) []*plan.Case {
	var cs []*plan.Case
	for _, id := range ids {
		cs = append(cs, &plan.Case{ID: id})
	}
	return cs
}

func TestLiveProgressLine(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0)}
	cases := progressCases("A/one", "A/two", "A/three", "A/four", "B/left-out")
	p := newProgress(&out, true, cases, func(c *plan.Case) bool { return !strings.HasPrefix(c.ID, "B/") })
	p.now = clock.now
	p.begin()
	if got := out.String(); got != "\r0/4 cases (0%) · 0 failed · 0 skipped · 0s" {
		t.Fatalf("first draw %q", got)
	}
	clock.advance(2 * time.Second)
	p.record(specReport("A/one", types.SpecStatePassed))
	if !strings.HasSuffix(out.String(), "\r1/4 cases (25%) · 0 failed · 0 skipped · 2s · about 6s left") {
		t.Fatalf("after one case %q", out.String())
	}
	out.Reset()
	clock.advance(2 * time.Second)
	p.record(specReport("A/two", types.SpecStateFailed))
	got := out.String()
	// The line is erased, the failure printed on its own line with the
	// contract line it checks, and the count redrawn below it.
	if !strings.HasPrefix(got, "\r"+strings.Repeat(" ", len([]rune("1/4 cases (25%) · 0 failed · 0 skipped · 2s · about 6s left")))+"\r") {
		t.Fatalf("the line was not erased before the failure: %q", got)
	}
	if !strings.Contains(got, "✗ A/two — answered 200, documented 400 InvalidParameter (spec/x.yaml:42)\n") {
		t.Fatalf("failure line missing: %q", got)
	}
	if !strings.HasSuffix(got, "\r2/4 cases (50%) · 1 failed · 0 skipped · 4s · about 4s left") {
		t.Fatalf("after a failure %q", got)
	}
	// A case outside the selection and a hook do not count.
	p.record(specReport("B/left-out", types.SpecStateSkipped))
	p.record(types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed})
	out.Reset()
	p.record(specReport("A/three", types.SpecStateSkipped))
	if !strings.HasSuffix(out.String(), "3/4 cases (75%) · 1 failed · 1 skipped · 4s · about 1.3s left") {
		t.Fatalf("after a skip %q", out.String())
	}
	p.record(specReport("A/four", types.SpecStatePassed))
	out.Reset()
	p.end()
	if got := out.String(); strings.TrimSpace(strings.ReplaceAll(got, "\r", "")) != "" || !strings.HasPrefix(got, "\r") {
		t.Fatalf("end should erase the line, wrote %q", got)
	}
}

func TestPlainProgressOnlyOnSlowRuns(t *testing.T) {
	var out bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0)}
	p := newProgress(&out, false, progressCases("a", "b", "c", "d"), func(*plan.Case) bool { return true })
	p.now = clock.now
	p.begin()
	clock.advance(time.Second)
	p.record(specReport("a", types.SpecStatePassed))
	if out.Len() != 0 {
		t.Fatalf("a fast run should print no progress, got %q", out.String())
	}
	clock.advance(40 * time.Second)
	p.record(specReport("b", types.SpecStateFailed))
	got := out.String()
	if got != "\n2/4 cases (50%) · 1 failed · 0 skipped · 41s · about 41s left\n" {
		t.Fatalf("plain line %q", got)
	}
	if strings.Contains(got, "\r") || strings.Contains(got, "✗") {
		t.Fatalf("plain output carries terminal control or failure lines: %q", got)
	}
	out.Reset()
	clock.advance(time.Second)
	p.record(specReport("c", types.SpecStatePassed))
	if out.Len() != 0 {
		t.Fatalf("at most one line per interval, got %q", out.String())
	}
	clock.advance(time.Minute)
	p.record(specReport("d", types.SpecStatePassed))
	if out.Len() != 0 {
		t.Fatalf("no progress line once every case has run (the summary follows), got %q", out.String())
	}
}

func TestProgressIsLiveOnlyOnATerminal(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Fatal("a buffer is not a terminal")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if isTerminal(w) {
		t.Fatal("a pipe is not a terminal")
	}
	// and a terminal is one: the master side of a pseudo-terminal
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal here to check the positive case: %v", err)
	}
	defer ptmx.Close()
	if !isTerminal(ptmx) {
		t.Fatal("a pseudo-terminal is not taken for a terminal")
	}
}

func TestRoundDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		850 * time.Millisecond:                "850ms",
		4240 * time.Millisecond:               "4.2s",
		3*time.Minute + 5*time.Second:         "3m05s",
		61*time.Minute + 500*time.Millisecond: "61m01s",
	} {
		if got := roundDuration(d); got != want {
			t.Errorf("roundDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
