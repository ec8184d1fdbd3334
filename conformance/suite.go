package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"

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
	// ReportDir receives ginkgo.json, junit.xml and coverage.{json,md,html}.
	ReportDir string
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
	Cases   []*Case
	Env     *Env
	// selects is the run's selection (--label-filter and --focus).
	selects   func(*Case) bool
	Embedded  bool
	started   time.Time
	stop      func()
	Failed    bool
	prefetch  map[string]*Outcome
	resetHook func() error
	baseline  *Baseline
	// outputErr: the reports or the baseline could not be written; empty:
	// why the run proved nothing. Either makes the run exit 2.
	outputErr string
	empty     string
	// diagnosis: the preflight's finding, said once before the cases.
	diagnosis string
	// progress, when set, counts the specs as they finish.
	progress *progress
}

// Unproven reports why the run is not a verdict (exit 2), or "".
func (s *Session) Unproven() string {
	if s.outputErr != "" {
		return s.outputErr
	}
	return s.empty
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
	var p *profile.Profile
	if o.ProfilePath == "" {
		p, err = profile.Parse(fixtures.MockProfileName, fixtures.MockProfile)
	} else {
		p, err = profile.Load(o.ProfilePath)
	}
	if err != nil {
		return nil, setupErr("%v", err)
	}
	s := &Session{Opts: o, API: api, Profile: p, stop: func() {}}
	if o.Baseline != "" {
		if s.baseline, err = LoadBaseline(o.Baseline, api); err != nil {
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
	if s.Env, err = NewEnv(api, p, endpoint); err != nil {
		return nil, setupErr("%v", err)
	}
	s.Env.Timeout, s.Env.MessageMatch, s.Env.Getenv = o.Timeout, o.MessageMatch, o.Getenv
	s.Env.Reset = s.resetHook
	if s.Env.Reset == nil && p.Reset != "" {
		s.Env.Reset = resetURL(p.Reset)
	}
	if !o.DryRun {
		if _, err := s.Env.credentials("default"); err != nil {
			s.Close()
			return nil, setupErr("%v", err)
		}
		if err := s.probe(); err != nil {
			s.Close()
			return nil, setupErr("%v", err)
		}
	}
	s.Cases, err = Plan(api, p, PlanOptions{Embedded: s.Embedded, AllowMutating: o.AllowMutating, AllowExhausting: o.AllowExhausting})
	if err != nil {
		s.Close()
		return nil, setupErr("%v", err)
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
	s.selects = func(c *Case) bool { return keep(c.Labels()) && focus(c.ID) }
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

// preflight sends one readonly request before any case: a target whose
// answers are not ACS-shaped (HTML, garbage, a proxy page, only server
// failures) ends the run with one message; a target that refuses our
// signed request at the gateway is diagnosed once, up front.
func (s *Session) preflight() error {
	carrier := ruleCarrier(s.Cases)
	if carrier == nil {
		return nil
	}
	ctx := context.Background()
	var a *Answer
	for attempt := 0; attempt < 3; attempt++ {
		a = s.Env.Send(ctx, carrier.Requests[0], true)
		if a.TransportErr != nil || a.Status < 500 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	switch {
	case a.TransportErr != nil:
		return setupErr("target %s: %v", s.Env.Endpoint, a.TransportErr)
	case a.Garbage != "" || (a.Err == nil && a.Success == nil) || (a.Success != nil && a.Success["RequestId"] == nil):
		return setupErr("target %s is not an ACS endpoint: a signed %s request got HTTP %d with %s",
			s.Env.Endpoint, carrier.Action, a.Status, escapedSnippet(a.Body, 200))
	case a.Status >= 500:
		return setupErr("target %s fails: three signed %s requests each got HTTP %d %s", s.Env.Endpoint, carrier.Action, a.Status, a.Err.Code)
	}
	if why, ok := s.Env.gatewayRefusal(a); ok && a.Err != nil {
		s.diagnosis = fmt.Sprintf("the target refused a correctly signed %s request with %s (%s): %s; every case it refuses so is inconclusive",
			carrier.Action, a.Err.Code, strings.TrimPrefix(why, "inconclusive: "), refusalHint(s.API, a.Err.Code))
		fmt.Fprintf(s.Opts.Out, "acsconform: %s\n", s.diagnosis)
	}
	return nil
}

// probe checks the target answers, retrying for Opts.Wait while it is
// unreachable.
func (s *Session) probe() error {
	deadline := time.Now().Add(s.Opts.Wait)
	for delay := 50 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), s.Opts.Timeout)
		err := s.Env.Probe(ctx)
		cancel()
		if err == nil || time.Now().Add(delay).After(deadline) {
			if err != nil && s.Opts.Wait > 0 {
				err = fmt.Errorf("%v (waited %s)", err, s.Opts.Wait)
			}
			return err
		}
		time.Sleep(delay)
	}
}

// startMock serves the embedded target through the harness the caller
// wired in (Options.Embedded): the suite itself knows no mock.
func (s *Session) startMock() (string, error) {
	if s.Opts.Embedded == nil {
		return "", fmt.Errorf("no embedded target is wired in: give --target or a profile with an endpoint")
	}
	endpoint, reset, stop, err := s.Opts.Embedded(s.Profile, s.API)
	if err != nil {
		return "", err
	}
	s.stop, s.resetHook = stop, reset
	return endpoint, nil
}

func resetURL(u string) func() error {
	return func() error {
		resp, err := http.Post(u, "", nil)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("reset %s: HTTP %d", u, resp.StatusCode)
		}
		return nil
	}
}

// Close stops the embedded mock.
func (s *Session) Close() { s.stop() }

// CaseEntry is the report entry each spec carries, so coverage can be built
// from Ginkgo's report (also when specs ran in several processes).
type CaseEntry struct {
	ID     string `json:"id"`
	Action string `json:"action"`
	Kind   Kind   `json:"kind"`
	Code   string `json:"code,omitempty"`
	Rule   string `json:"rule,omitempty"`
	// Expect: the codes the case expects (the rule's candidates for a
	// rejection case).
	Expect     []string `json:"expect,omitempty"`
	Safety     string   `json:"safety"`
	Inferred   bool     `json:"inferred,omitempty"`
	Provenance string   `json:"provenance"`
	// Where is the contract line the case checks (file:line).
	Where    string `json:"where,omitempty"`
	Note     string `json:"note,omitempty"`
	Requests int    `json:"requests"`
	// Seconds the case's exchanges took (they may run before the spec).
	Seconds float64 `json:"seconds,omitempty"`
	// Deviation, Sent and Received describe a deviation (failed or known).
	Deviation string `json:"deviation,omitempty"`
	Sent      string `json:"sent,omitempty"`
	Received  string `json:"received,omitempty"`
	// Baseline is the case's baseline state (known, fixed, expired) and
	// BaselineReason the entry's reason.
	Baseline       string `json:"baseline,omitempty"`
	BaselineReason string `json:"baselineReason,omitempty"`
	// BaselineObserved is the entry's recorded deviation when the case now
	// deviates otherwise (still excused, flagged for review).
	BaselineObserved string `json:"baselineObserved,omitempty"`
	// Result is set when the verdict is neither Ginkgo's pass nor its
	// failure: deviates-from-inference or inconclusive.
	Result string `json:"result,omitempty"`
	// Evidence of the expectation: stated, observed or inferred; Inference
	// is the reading a deviation contradicts, with its reason.
	Evidence  spec.Evidence `json:"evidence,omitempty"`
	Inference string        `json:"inference,omitempty"`
	// Refusal: the gateway code that made the case inconclusive.
	Refusal string `json:"refusal,omitempty"`
	// NotUndone: state a readonly case changed and the run could not undo.
	NotUndone string `json:"notUndone,omitempty"`
}

// Results of a case beyond Ginkgo's passed, failed and skipped.
const (
	// ResultInferred: the target deviates from our reading of the docs,
	// not from what they state; not failing unless --strict.
	ResultInferred = "deviates-from-inference"
	// ResultInconclusive: the answer proves nothing either way.
	ResultInconclusive = "inconclusive"
)

const entryName = "acsconform-case"

// register builds the tree: one Describe per operation, one It per case,
// all through one helper that sets labels and offsets.
func (s *Session) register() {
	byAction := map[string][]*Case{}
	var order []string
	for _, c := range s.Cases {
		key := c.Action
		if c.Kind == KindPlatform {
			key = "platform"
		}
		if _, ok := byAction[key]; !ok {
			order = append(order, key)
		}
		byAction[key] = append(byAction[key], c)
	}
	// In an operation with a quota case the sample success runs first and
	// the quota case last: on a target that cannot be reset, every success
	// spends some of the quota, and every case after the quota case would
	// meet it spent. Ginkgo orders specs by code location and text, so such
	// a container is Ordered (with ContinueOnFailure: a failure does not
	// skip the rest); the others keep Ginkgo's order and parallelism.
	rank := func(c *Case) int {
		switch {
		case c.Kind == KindExample:
			return 0
		case c.Procedure == spec.ProcedureExhaustQuota:
			return 2
		}
		return 1
	}
	for _, key := range order {
		cs := byAction[key]
		sort.SliceStable(cs, func(i, j int) bool { return rank(cs[i]) < rank(cs[j]) })
	}
	ginkgo.BeforeSuite(s.prefetchReadonly)
	for _, key := range order {
		cs := byAction[key]
		var decorations []any
		if slices.ContainsFunc(cs, func(c *Case) bool { return c.Procedure == spec.ProcedureExhaustQuota }) {
			decorations = append(decorations, ginkgo.Ordered, ginkgo.ContinueOnFailure)
		}
		ginkgo.Describe(key, append(decorations, func() {
			for _, c := range cs {
				s.registerCase(c)
			}
		})...)
	}
	ginkgo.AfterSuite(func() { s.Close() })
	ginkgo.ReportAfterEach(func(r types.SpecReport) {
		if s.progress != nil {
			s.progress.record(r)
		}
	})
	ginkgo.ReportAfterSuite("acsconform coverage", s.reportAfterSuite)
}

// selected says whether the run's --label-filter and --focus choose c.
func (s *Session) selected(c *Case) bool { return s.selects == nil || s.selects(c) }

// whereText is the case's contract line as file:line, or "".
func whereText(c *Case) string {
	if w := c.Where(); w.Line > 0 {
		return fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	return ""
}

func (s *Session) registerCase(c *Case) {
	text := c.ID
	args := []any{ginkgo.Label(c.Labels()...), ginkgo.Offset(1)}
	if where := c.Where(); where.Line > 0 {
		// A case's location is the contract line it checks, not this file.
		args = append(args, types.CodeLocation{FileName: where.File, LineNumber: where.Line})
	}
	ginkgo.It(text, append(args, func(ctx ginkgo.SpecContext) {
		if !s.selected(c) {
			ginkgo.Skip(notSelected)
		}
		entry := CaseEntry{ID: c.ID, Action: c.Action, Kind: c.Kind, Code: c.Code, Rule: c.Rule, Expect: c.Expect.Codes, Safety: c.Safety, Inferred: c.Inferred, Provenance: c.Provenance, Where: whereText(c)}
		if c.Skip != "" {
			ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
			ginkgo.Skip(c.Skip)
		}
		o := s.prefetch[c.ID]
		if o == nil {
			if c.Safety != spec.SafetyReadonly && s.Env.Reset != nil {
				gomega.Expect(s.Env.Reset()).To(gomega.Succeed(), "resetting the target before a %s case", c.Safety)
			}
			o = s.Env.Run(ctx, c)
		}
		entry.Requests, entry.Seconds = len(o.Answers), o.Took.Seconds()
		if o.Setup != nil {
			entry.Requests++
		}
		if o.Cleanup != nil {
			entry.Requests++
		}
		note, dev := s.Env.Check(c, o)
		entry.Note, entry.Evidence, entry.NotUndone = note, c.Evidence, o.NotUndone
		if dev != nil {
			entry.Deviation, entry.Evidence, entry.Inference = dev.What, dev.Evidence, dev.Inference
			if dev.Answer != nil {
				entry.Sent, entry.Received = sentText(dev.Answer), receivedText(dev.Answer)
			}
		}
		if dev != nil && dev.Inconclusive {
			entry.Result, entry.Refusal = ResultInconclusive, dev.Refusal
			ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
			ginkgo.Skip(dev.What)
		}
		known := s.applyBaseline(c, &entry, dev)
		if known == nil && dev.Inferred() && !s.Opts.Strict {
			entry.Result = ResultInferred
		}
		ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
		if dev != nil && dev.Answer != nil && dev.Answer.Exchange != nil {
			ginkgo.AddReportEntry("exchange", Curl(dev.Answer.Exchange), ginkgo.ReportEntryVisibilityFailureOrVerbose)
		}
		if known != nil {
			ginkgo.Skip(fmt.Sprintf("known deviation (baseline %s: %s): %s", s.baseline.File, known.Reason, dev.What))
		}
		if entry.Result == ResultInferred {
			ginkgo.Skip(fmt.Sprintf("deviates from our reading of the docs, not from what they state (fails only with --strict): %s — our reading: %s", dev.What, dev.Inference))
		}
		gomega.Expect(dev).To(Conform(c))
	})...)
}

// prefetchReadonly runs the readonly exchanges concurrently before the
// specs, when --procs > 1 and Ginkgo itself is not running in parallel.
func (s *Session) prefetchReadonly() {
	s.prefetch = map[string]*Outcome{}
	s.started = time.Now()
	cfg, _ := ginkgo.GinkgoConfiguration()
	if s.Opts.Procs <= 1 || cfg.ParallelTotal > 1 {
		return
	}
	var todo []*Case
	for _, c := range s.Cases {
		if c.Skip == "" && c.Safety == spec.SafetyReadonly && c.Procedure == "" && s.selected(c) {
			todo = append(todo, c)
		}
	}
	var mu sync.Mutex
	work := make(chan *Case)
	var wg sync.WaitGroup
	for i := 0; i < s.Opts.Procs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				o := s.Env.Run(context.Background(), c)
				mu.Lock()
				s.prefetch[c.ID] = o
				mu.Unlock()
			}
		}()
	}
	for _, c := range todo {
		work <- c
	}
	close(work)
	wg.Wait()
}

// entryOf reads a spec's case entry, also from another process's report.
func entryOf(r types.SpecReport) (CaseEntry, bool) {
	for _, e := range r.ReportEntries {
		if e.Name != entryName {
			continue
		}
		var ce CaseEntry
		if v, ok := e.Value.GetRawValue().(CaseEntry); ok {
			return v, true
		}
		if err := json.Unmarshal([]byte(e.Value.AsJSON), &ce); err == nil {
			return ce, true
		}
	}
	return CaseEntry{}, false
}

// applyBaseline sets the case's baseline state and returns the entry when
// the deviation is known and still accepted. An expired entry's deviation
// fails with the expiry in its first line.
func (s *Session) applyBaseline(c *Case, entry *CaseEntry, dev *Deviation) *BaselineEntry {
	e := s.baseline.Match(c.ID)
	if e == nil {
		return nil
	}
	entry.BaselineReason = e.Reason
	switch {
	case dev == nil:
		entry.Baseline = BaselineFixed
		entry.Note = strings.TrimPrefix(entry.Note+"; ", "; ") + "listed in the baseline as a known deviation, but it conforms now: remove the entry " + e.Check
		return nil
	case e.Expired(time.Now()):
		entry.Baseline = BaselineExpired
		dev.What = fmt.Sprintf("known deviation expired on %s (baseline: %s): %s", e.Expires, e.Reason, dev.What)
		entry.Deviation = dev.What
		return nil
	default:
		entry.Baseline = BaselineKnown
		if e.Observed != "" && e.Observed != dev.What {
			// Still excused, but a reviewer should know it is not the
			// deviation that was accepted.
			entry.BaselineObserved = e.Observed
		}
		return e
	}
}
