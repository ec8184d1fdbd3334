package conformance

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/provision"
	"github.com/acsconform/acsconform/conformance/report"
	"github.com/acsconform/acsconform/conformance/run"

	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/acsconform/acsconform/fixtures"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Options configure a run.
type Options struct {
	// ProfilePath names a target profile; empty is the embedded mock's.
	ProfilePath string
	// Target overrides the profile's endpoint.
	Target string
	// ReportDir receives junit.xml, coverage.{json,md,html} and summary.md
	// (the job-summary form); ginkgo.json too with GinkgoJSON.
	ReportDir  string
	GinkgoJSON bool
	// LabelFilter is Ginkgo's label filter (also used to choose what to prefetch).
	LabelFilter string
	// Procs runs the readonly exchanges this many at a time (within the rate limits).
	Procs int
	// MessageMatch: exact (default: as the contract says), prefix or any.
	MessageMatch    string
	AllowMutating   bool
	AllowExhausting bool
	Timeout         time.Duration
	// Wait keeps probing an unreachable target this long before giving up
	// (a target that is still starting, as in CI).
	Wait time.Duration
	// Patience is how long, in all, a run waits for a target that stopped
	// answering mid-run (run.DefaultPatience when 0); MaxAnswerBytes bounds
	// every answer (acs.DefaultMaxAnswerBytes when 0).
	Patience       time.Duration
	MaxAnswerBytes int64
	// DryRun builds the tree without sending anything; Inventory then
	// receives the list of cases.
	DryRun    bool
	Inventory string
	// Baseline names a file of known deviations (see Baseline); they are
	// reported but do not fail the run.
	Baseline string
	// WriteBaseline receives a baseline listing this run's deviations.
	WriteBaseline string
	// Strict fails deviations from our own readings of the docs too
	// (inferred rules, triggers, limits, codes and wordings); by default
	// they are reported apart and do not fail the run.
	Strict bool
	// MinCases: fewer conclusive cases than this is a failed run (a run
	// with none is one in any case).
	MinCases int
	// Embedded starts the target of a profile without an endpoint (the
	// reference mock, wired in by the CLI and the tests) on loopback: its
	// URL, a reset, and a stop.
	Embedded func(p *profile.Profile, api *spec.API) (endpoint string, reset func() error, stop func(), err error)
	// Contract names the contract to run: empty for the default embedded
	// one, an embedded product (resourcemanager or ResourceManager), or a
	// contract file.
	Contract string
	// Focus runs only the cases whose ID is this, or matches it as a
	// regular expression (with LabelFilter: both must select a case).
	Focus string
	// Seed, when not zero, shuffles the order of the cases with it (Ordered
	// operations keep their order); zero keeps the stable order.
	Seed int64
	// GitHub prints GitHub Actions annotations for deviations, at the
	// contract lines they check.
	GitHub bool
	// Provision makes the entities the cases need through the documented
	// operations (as a profile's provision: true does); ProvisionRecord is
	// the file that lists them until they are removed
	// (provision.DefaultRecord when empty).
	Provision       bool
	ProvisionRecord string
	// Version names the tool in every report (acsconform's version).
	Version string
	// Out receives the summary.
	Out    io.Writer
	Getenv func(string) string
}

// Session is a prepared run: the plan, the target, the registered tree.
type Session struct {
	Opts    Options
	API     *spec.API
	Profile *profile.Profile
	Cases   []*plan.Case
	Env     *run.Env
	Judge   *judge.Judge
	// selects is the run's selection (--label-filter and --focus).
	selects   func(*plan.Case) bool
	Embedded  bool
	started   time.Time
	stop      func()
	Failed    bool
	prefetch  map[string]*run.Outcome
	resetHook func() error
	baseline  *report.Baseline
	// outputErr: the reports or the baseline could not be written; empty:
	// why the run proved nothing. Either makes the run exit 2.
	outputErr string
	empty     string
	// diagnosis: the preflight's finding, said once before the cases.
	diagnosis string
	// progress, when set, counts the specs as they finish.
	progress *progress
	// lostWhy: why the target first stopped answering for good (once).
	lostOnce sync.Once
	lostWhy  string
	// viaRun: Run drives Ginkgo and turns an unproven run into exit 2
	// itself; under go test or ginkgo a failure of the suite says it.
	viaRun bool
	// dirty: a case run live since the last reset changed (or may have
	// changed) the target's state; a readonly case run live after it
	// resets first, as it would have met the seeded state when prefetched.
	dirty atomic.Bool
	// tainted: a prefetched readonly case changed the target's state, so
	// the other prefetched answers may not be the seeded state's.
	tainted bool
	// Provisioned lists the inputs the run made itself; record lists
	// them for the cleanup, markAt is the mock's mark endpoint.
	Provisioned []string
	record      *provision.Record
	markAt      string
	unmade      map[string]string // input → why the run could not make it
	closeOnce   sync.Once
	// registered: the Ginkgo tree is built, so the summary follows the
	// cases and carries cleanupNote.
	registered  bool
	cleanupNote string
}

// Unproven reports why the run is not a verdict (exit 2), or "".
func (s *Session) Unproven() string {
	if s.outputErr != "" {
		return s.outputErr
	}
	return s.empty
}

// loadProfile reads the profile a run names, or the embedded mock's.
func loadProfile(path string) (*profile.Profile, error) {
	if path == "" {
		return profile.Parse(fixtures.MockProfileName, fixtures.MockProfile)
	}
	return profile.Load(path)
}

// ErrSetup marks a run that could not start (exit status 2).
var ErrSetup = errors.New("the run could not start")

func setupErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSetup, fmt.Sprintf(format, args...))
}

// Prepare loads the contract and the profile, starts the embedded mock when
// no target is given, checks the target answers, plans the cases and
// registers the Ginkgo tree. Call it once per process, before RunSpecs.
func Prepare(o Options) (*Session, error) {
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	switch o.MessageMatch {
	case "", "exact", "prefix", "any":
	default:
		return nil, setupErr("--message-match %q: want exact, prefix or any", o.MessageMatch)
	}
	api, err := spec.LoadNamed(o.Contract)
	if err != nil {
		return nil, setupErr("%v", err)
	}
	p, err := loadProfile(o.ProfilePath)
	if err != nil {
		return nil, setupErr("%v", err)
	}
	s := &Session{Opts: o, API: api, Profile: p, stop: func() {}}
	if o.Baseline != "" {
		if s.baseline, err = report.LoadBaseline(o.Baseline, api); err != nil {
			return nil, setupErr("%v", err)
		}
	}
	endpoint := p.Endpoint
	if o.Target != "" {
		endpoint = o.Target
	}
	if endpoint == "" {
		if p.Mock == nil {
			return nil, setupErr("profile %s has no endpoint and no mock section: give --target", p.File)
		}
		s.Embedded = true
		if !o.DryRun {
			if endpoint, err = s.startMock(); err != nil {
				return nil, setupErr("starting the embedded mock: %v", err)
			}
		} else {
			endpoint = "http://127.0.0.1:0"
		}
	}
	if s.Env, err = run.NewEnv(api, p, endpoint); err != nil {
		return nil, setupErr("%v", err)
	}
	s.Env.Timeout, s.Env.MessageMatch, s.Env.Getenv = o.Timeout, o.MessageMatch, o.Getenv
	s.Env.Patience, s.Env.MaxAnswerBytes = o.Patience, o.MaxAnswerBytes
	s.Env.Reset = s.resetHook
	if s.Env.Reset == nil && p.Reset != "" {
		s.Env.Reset = resetURL(p.Reset, o.Timeout)
	}
	if !o.DryRun {
		if _, err := s.Env.Credentials("default"); err != nil {
			s.Close()
			return nil, setupErr("%v", err)
		}
		if err := s.probe(); err != nil {
			s.Close()
			return nil, setupErr("%v", err)
		}
	}
	if !o.DryRun && s.Env.Reset == nil && o.ProfilePath == "" && o.Target != "" {
		// The embedded profile at a --target: the reference mock started by
		// hand (its banner prints this command). Its state outlives a run,
		// so the run resets it through the admin endpoint, or says why not.
		s.Env.Reset = s.mockReset(endpoint)
	}
	if s.Env.Reset != nil && !o.DryRun {
		// Start from the seeded state: a run after another sees no leftovers.
		if err := s.Env.Reset(); err != nil {
			s.Close()
			return nil, setupErr("resetting the target before the run: %v", err)
		}
	}
	if s.provisioning() {
		if err := s.provision(); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.Judge = judge.New(api, p, o.MessageMatch, s.Env.Reset != nil)
	asked := map[string]bool{}
	s.Cases, err = plan.Plan(api, p, plan.PlanOptions{Embedded: s.Embedded, AllowMutating: o.AllowMutating, AllowExhausting: o.AllowExhausting, Asked: asked})
	if err != nil {
		s.Close()
		return nil, setupErr("%v", err)
	}
	s.explainUnmade()
	if o.ProfilePath != "" {
		// The embedded profile serves every product; a user's names one.
		s.reportUnusedInputs(asked)
	}
	if clashes := plan.Clashes(api, p, s.Cases); len(clashes) > 0 {
		for _, c := range clashes {
			fmt.Fprintf(s.Opts.Out, "acsconform: profile %s: %s\n", p.File, c)
		}
		if o.DryRun {
			s.Close()
			return nil, setupErr("profile %s: %d clash(es) between its inputs and what the contract says they must be (listed above; the contract's x-acs-inputs declares each input)", p.File, len(clashes))
		}
	}
	if err := s.checkSelection(); err != nil {
		s.Close()
		return nil, err
	}
	if !o.DryRun {
		if err := checkDestinations(o); err != nil {
			s.Close()
			return nil, err
		}
		if err := s.preflight(); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.register()
	s.registered = true
	return s, nil
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// checkSelection refuses a label filter that does not parse or matches no
// case: a gate that runs nothing must not pass.
func (s *Session) checkSelection() error {
	keep := func([]string) bool { return true }
	if s.Opts.LabelFilter != "" {
		f, err := types.ParseLabelFilter(s.Opts.LabelFilter)
		if err != nil {
			msg := strings.Join(strings.Fields(ansi.ReplaceAllString(err.Error(), "")), " ")
			return setupErr("--label-filter %q: %s", s.Opts.LabelFilter, msg)
		}
		keep = f
	}
	focus := func(string) bool { return true }
	if s.Opts.Focus != "" {
		re, err := regexp.Compile(s.Opts.Focus)
		if err != nil {
			return setupErr("--focus %q is neither a case ID nor a regular expression: %v", s.Opts.Focus, err)
		}
		focus = func(id string) bool { return id == s.Opts.Focus || re.MatchString(id) }
	}
	s.selects = func(c *plan.Case) bool { return keep(c.Labels()) && focus(c.ID) }
	for _, c := range s.Cases {
		if s.selects(c) {
			return nil
		}
	}
	if s.Opts.Focus != "" {
		return setupErr("--focus %q matches no case ID%s (IDs look like %s/ContactId.pattern/reject; `acsconform test --dry-run --inventory FILE` lists them all)",
			s.Opts.Focus, map[bool]string{true: " that --label-filter selects", false: ""}[s.Opts.LabelFilter != ""], s.API.Operations[0].Action)
	}
	return setupErr("--label-filter %q matches no case (labels look like op:%s, kind:rule, rule:pattern, error:<Code>, readonly, inferred; `acsconform test --dry-run --inventory FILE` lists them all)",
		s.Opts.LabelFilter, s.API.Operations[0].Action)
}

// checkDestinations makes sure the reports and the baseline can be
// written before the first request is sent.
func checkDestinations(o Options) error {
	if dir := o.ReportDir; dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return setupErr("--report-dir %s: %v", dir, unwrapPath(err))
		}
		if err := probeWrite(dir); err != nil {
			return setupErr("--report-dir %s is not writable: %v", dir, unwrapPath(err))
		}
	}
	if path := o.WriteBaseline; path != "" {
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return setupErr("--write-baseline %s is a directory", path)
		}
		if err := probeWrite(filepath.Dir(path)); err != nil {
			return setupErr("--write-baseline %s cannot be written: %v", path, unwrapPath(err))
		}
	}
	return nil
}

func probeWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".acsconform-write-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Close removes what the run made (provisioning) and stops the embedded
// mock; a second call does nothing.
func (s *Session) Close() {
	s.closeOnce.Do(func() {
		note := s.cleanup()
		s.stop()
		switch {
		case note == "":
		case s.registered:
			s.cleanupNote = note // the summary says it, after the cases
		default:
			fmt.Fprintln(s.Opts.Out, note)
		}
	})
}
