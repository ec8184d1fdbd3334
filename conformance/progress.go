package conformance

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"

	"github.com/onsi/ginkgo/v2/types"
	"golang.org/x/term"
)

// progress tells a person watching a run how far it is. On a terminal it
// is one line redrawn in place — cases run of selected, failures so far,
// elapsed time and an estimate of what is left — with each failure printed
// above it as it happens; Ginkgo's own line of dots is silenced then. On
// anything else (a CI log, a pipe) Ginkgo's output stays as it is and a
// plain progress line is added at most once per interval, so a fast run
// prints none and a slow one against a rate-limited cloud shows it is
// alive.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	live  bool
	every time.Duration
	now   func() time.Time

	total                 int
	done, failed, skipped int
	start, lastPlain      time.Time
	drawn                 bool
	selected              map[string]bool
	lastLen               int
}

// isTerminal reports whether w is a terminal a live line can be drawn on.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// newProgress counts the cases the run selected.
func newProgress(w io.Writer, live bool, cases []*plan.Case, selected func(*plan.Case) bool) *progress {
	p := &progress{w: w, live: live, every: 30 * time.Second, now: time.Now, selected: map[string]bool{}}
	for _, c := range cases {
		if selected(c) {
			p.selected[c.ID] = true
			p.total++
		}
	}
	return p
}

// begin starts the clock.
func (p *progress) begin() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.start, p.lastPlain = p.now(), p.now()
	if p.live {
		p.draw()
	}
}

// record counts one finished spec (a ReportAfterEach hook).
func (p *progress) record(r types.SpecReport) {
	if r.LeafNodeType != types.NodeTypeIt || !p.selected[r.LeafNodeText] {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	switch {
	case r.State.Is(types.SpecStateFailureStates):
		p.failed++
		if p.live {
			p.clear()
			fmt.Fprintf(p.w, "✗ %s\n", failureLine(r))
		}
	case r.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		p.skipped++
	}
	if p.live {
		p.draw()
		return
	}
	if now := p.now(); now.Sub(p.lastPlain) >= p.every && p.done < p.total {
		p.lastPlain = now
		fmt.Fprintf(p.w, "\n%s\n", p.line())
	}
}

// end clears the live line so the summary starts on a clean one.
func (p *progress) end() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live {
		p.clear()
	}
}

// failureLine is a failed spec in one line: its ID, the first line of the
// deviation and the contract line it checks.
func failureLine(r types.SpecReport) string {
	msg, _, _ := strings.Cut(strings.TrimSpace(r.Failure.Message), "\n")
	where := ""
	if loc := r.Failure.Location; loc.FileName != "" && loc.LineNumber > 0 {
		where = fmt.Sprintf(" (%s:%d)", loc.FileName, loc.LineNumber)
	}
	return fmt.Sprintf("%s — %s%s", r.LeafNodeText, msg, where)
}

// line is the progress as words.
func (p *progress) line() string {
	elapsed := p.now().Sub(p.start)
	pct := 0
	if p.total > 0 {
		pct = p.done * 100 / p.total
	}
	s := fmt.Sprintf("%d/%d cases (%d%%) · %d failed · %d skipped · %s", p.done, p.total, pct, p.failed, p.skipped, roundDuration(elapsed))
	if p.done > 0 && p.done < p.total {
		left := time.Duration(float64(elapsed) / float64(p.done) * float64(p.total-p.done))
		s += " · about " + roundDuration(left) + " left"
	}
	return s
}

// draw redraws the live line in place.
func (p *progress) draw() {
	l := p.line()
	pad := ""
	if n := p.lastLen - len([]rune(l)); n > 0 {
		pad = strings.Repeat(" ", n)
	}
	fmt.Fprintf(p.w, "\r%s%s", l, pad)
	p.lastLen, p.drawn = len([]rune(l)), true
}

// clear erases the live line.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.lastLen))
		p.drawn, p.lastLen = false, 0
	}
}

// roundDuration prints a duration as a person reads it: 850ms, 4.2s, 3m05s.
func roundDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}
