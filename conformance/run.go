package conformance

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/gomega"
)

// failer is the GinkgoTestingT of a run outside `go test`.
type failer struct{ failed bool }

func (f *failer) Fail() { f.failed = true }

// Exit statuses of a run.
const (
	ExitPassed   = 0
	ExitFailed   = 1
	ExitNotStart = 2
)

// Run runs the suite in this process, as `acsconform test` does: it
// prepares the session, runs Ginkgo with verbose reporting on progress,
// and returns the exit status (0 all run cases passed, 1 a case failed, 2
// the run could not start). Call it once per process.
func Run(o Options, verbose bool) int {
	s, err := Prepare(o)
	if err != nil {
		fmt.Fprintf(o.outOrStdout(), "acsconform test: %v\n", err)
		return ExitNotStart
	}
	defer s.Close()
	s.viaRun = true
	gomega.RegisterFailHandler(ginkgo.Fail)
	suite, rep := ginkgo.GinkgoConfiguration()
	suite.LabelFilter = o.LabelFilter
	suite.DryRun = o.DryRun
	suite.Timeout = 0
	suite.RandomSeed = 1 // a stable order: no randomness by default
	if o.Seed != 0 {
		suite.RandomSeed, suite.RandomizeAllSpecs = o.Seed, true
	}
	rep.Succinct = !verbose
	rep.Verbose = verbose
	rep.NoColor = true
	if o.DryRun {
		rep.Succinct, rep.Verbose = true, false
	}
	if !verbose && !o.DryRun {
		// On a terminal a live line replaces Ginkgo's dots; elsewhere the
		// dots stay and a plain line is added on slow runs.
		live := isTerminal(s.Opts.Out)
		s.progress = newProgress(s.Opts.Out, live, s.Cases, s.selected)
		// Skipped cases are counted in the summary, not dotted one by one.
		rep.SilenceSkips = true
		saved := formatter.ColorableStdOut
		defer func() { formatter.ColorableStdOut = saved }()
		if live {
			formatter.ColorableStdOut = io.Discard
		} else {
			formatter.ColorableStdOut = lastWord{w: saved, unproven: s.Unproven}
		}
		s.progress.begin()
	}
	t := &failer{}
	passed := ginkgo.RunSpecs(t, "acsconform conformance", suite, rep)
	// Ginkgo's last word (SUCCESS! or FAIL!) ends without a newline.
	fmt.Fprintln(formatter.ColorableStdOut)
	if s.Unproven() != "" {
		return ExitNotStart
	}
	if !passed || t.failed || s.Failed {
		return ExitFailed
	}
	return ExitPassed
}

func (o Options) outOrStdout() io.Writer {
	if o.Out != nil {
		return o.Out
	}
	return os.Stdout
}

// lastWord passes Ginkgo's output through, but for its last word on a run
// that proved nothing: Ginkgo saw no failing spec and says SUCCESS!, while
// the run exits 2; it says UNPROVEN! instead, after our summary said why.
type lastWord struct {
	w        io.Writer
	unproven func() string
}

func (l lastWord) Write(p []byte) (int, error) {
	const success = " SUCCESS! "
	if bytes.HasPrefix(p, []byte(success)) && l.unproven() != "" {
		if _, err := l.w.Write(append([]byte(" UNPROVEN! "), p[len(success):]...)); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return l.w.Write(p)
}
