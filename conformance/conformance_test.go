package conformance

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/acsconform/acsconform/mock"
)

// Flags of `go test ./conformance -args …` and `ginkgo ./conformance -- …`.
var (
	flagProfile         = flag.String("profile", "", "target profile (default: the embedded mock's)")
	flagTarget          = flag.String("target", "", "target URL (overrides the profile's endpoint)")
	flagReportDir       = flag.String("report-dir", "", "write coverage.{json,md,html}, summary.md and junit.xml here")
	flagGinkgoJSON      = flag.Bool("ginkgo-json", false, "with --report-dir: also write ginkgo.json")
	flagMessageMatch    = flag.String("message-match", "", "exact (default), prefix or any")
	flagAllowMutating   = flag.Bool("allow-mutating", false, "run mutating cases against a target other than the embedded mock")
	flagAllowExhausting = flag.Bool("allow-exhausting", false, "run exhausting cases against a target other than the embedded mock")
	flagProcs           = flag.Int("procs", 4, "readonly exchanges at a time (within the rate limits)")
	flagTimeout         = flag.Duration("timeout-per-request", 10*time.Second, "how long to wait for one answer")
	flagBaseline        = flag.String("baseline", "", "known deviations: reported, not failing")
	flagWriteBaseline   = flag.String("write-baseline", "", "write this run's deviations as a baseline")
	flagStrict          = flag.Bool("strict", false, "fail deviations from our readings of the docs too")
)

// TestConformance runs the suite under go test or ginkgo. With no profile
// and no target it runs against the embedded mock.
func TestConformance(t *testing.T) {
	if f := flag.Lookup("test.count"); f != nil && f.Value.String() != "1" {
		// Ginkgo refuses to run a suite under go test -count > 1; the
		// other tests of this package run the suite in subprocesses on
		// every repetition.
		t.Skip("go test -count > 1: Ginkgo runs a suite once per process; run with -count=1 (or ginkgo -repeat)")
	}
	gomega.RegisterFailHandler(ginkgo.Fail)
	suite, rep := ginkgo.GinkgoConfiguration()
	s, err := Prepare(Options{Embedded: mock.Embedded,
		ProfilePath: *flagProfile, Target: *flagTarget, ReportDir: *flagReportDir, GinkgoJSON: *flagGinkgoJSON, MessageMatch: *flagMessageMatch,
		AllowMutating: *flagAllowMutating, AllowExhausting: *flagAllowExhausting, Procs: *flagProcs,
		Timeout: *flagTimeout, Baseline: *flagBaseline, WriteBaseline: *flagWriteBaseline, Strict: *flagStrict, LabelFilter: suite.LabelFilter, DryRun: suite.DryRun, Out: os.Stdout,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Colour only on a terminal: logs (make test, CI) get plain text.
	rep.NoColor = rep.NoColor || !isTerminal(os.Stdout)
	ginkgo.RunSpecs(t, "acsconform conformance", suite, rep)
}
