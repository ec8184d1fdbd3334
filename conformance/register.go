package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/report"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/spec"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
)

// CaseEntry is the report entry each spec carries, so coverage can be built
// from Ginkgo's report (also when specs ran in several processes).
type CaseEntry struct {
	ID     string    `json:"id"`
	Action string    `json:"action"`
	Kind   plan.Kind `json:"kind"`
	Code   string    `json:"code,omitempty"`
	Rule   string    `json:"rule,omitempty"`
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
	// Transport: inconclusive because the target failed to answer as an
	// API does; Retried: the case was sent again after the target was
	// waited for.
	Transport bool `json:"transport,omitempty"`
	Retried   bool `json:"retried,omitempty"`
	// NotUndone: state a readonly case changed and the run could not undo.
	NotUndone string `json:"notUndone,omitempty"`
}

const entryName = "acsconform-case"

// register builds the tree: one Describe per operation, one It per case,
// all through one helper that sets labels and offsets.
func (s *Session) register() {
	byAction := map[string][]*plan.Case{}
	var order []string
	for _, c := range s.Cases {
		key := c.Action
		if c.Kind == plan.KindPlatform {
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
	rank := func(c *plan.Case) int {
		switch {
		case c.Kind == plan.KindExample:
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
		if slices.ContainsFunc(cs, func(c *plan.Case) bool { return c.Procedure == spec.ProcedureExhaustQuota }) {
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
func (s *Session) selected(c *plan.Case) bool { return s.selects == nil || s.selects(c) }

// whereText is the case's contract line as file:line, or "".
func whereText(c *plan.Case) string {
	if w := c.Where(); w.Line > 0 {
		return fmt.Sprintf("%s:%d", w.File, w.Line)
	}
	return ""
}

func (s *Session) registerCase(c *plan.Case) {
	text := c.ID
	args := []any{ginkgo.Label(c.Labels()...), ginkgo.Offset(1)}
	if where := c.Where(); where.Line > 0 {
		// A case's location is the contract line it checks, not this file.
		args = append(args, types.CodeLocation{FileName: where.File, LineNumber: where.Line})
	}
	ginkgo.It(text, append(args, func(ctx ginkgo.SpecContext) {
		if !s.selected(c) {
			ginkgo.Skip(report.ReasonNotSelected)
		}
		entry := CaseEntry{ID: c.ID, Action: c.Action, Kind: c.Kind, Code: c.Code, Rule: c.Rule, Expect: c.Expect.Codes, Safety: c.Safety, Inferred: c.Inferred, Provenance: c.Provenance, Where: whereText(c)}
		if c.Skip != "" {
			ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
			ginkgo.Skip(c.Skip)
		}
		o, note, dev := s.attempt(ctx, c, s.prefetch[c.ID])
		if dev != nil && !dev.Inconclusive && s.prefetch[c.ID] != nil && s.tainted && s.Env.Reset != nil {
			// The prefetched answer came while another readonly case's
			// accepted request had changed the target's state: judge the
			// case afresh from the seeded state, not as a flaky one.
			s.dirty.Store(true)
			o, note, dev = s.attempt(ctx, c, nil)
		}
		if dev != nil && dev.Transport {
			// The target failed us, not the docs: wait for it (within the
			// run's patience) and try the case once more.
			if s.Env.AwaitTarget(ctx) {
				entry.Retried = true
				o, note, dev = s.attempt(ctx, c, nil)
			}
			if dev != nil && dev.Transport {
				s.targetLost(dev.What)
			}
		}
		if dev != nil && !dev.Inconclusive && s.repeatable(c) {
			// A deviation is confirmed by a second try; one that does not
			// come back is the target's flakiness, reported as such.
			if _, _, again := s.attempt(ctx, c, nil); again == nil {
				entry.Result = report.ResultFlaky
				entry.Deviation = dev.What
				if dev.Answer != nil {
					entry.Sent, entry.Received = run.SentText(dev.Answer), run.ReceivedText(dev.Answer)
				}
				ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
				ginkgo.Skip("flaky: deviated on the first try, conformed on the second: " + dev.What)
			}
		}
		if o != nil {
			entry.Requests, entry.Seconds = len(o.Answers), o.Took.Seconds()
			if o.Setup != nil {
				entry.Requests++
			}
			if o.Cleanup != nil {
				entry.Requests++
			}
			entry.NotUndone = o.NotUndone
		}
		entry.Note, entry.Evidence = note, c.Evidence
		if dev != nil {
			entry.Deviation, entry.Evidence, entry.Inference = dev.What, dev.Evidence, dev.Inference
			if dev.Answer != nil {
				entry.Sent, entry.Received = run.SentText(dev.Answer), run.ReceivedText(dev.Answer)
			}
		}
		if dev != nil && dev.Inconclusive {
			entry.Result, entry.Refusal, entry.Transport = report.ResultInconclusive, dev.Refusal, dev.Transport
			ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
			ginkgo.Skip(dev.What)
		}
		known := s.applyBaseline(c, &entry, dev)
		if known == nil && dev.Inferred() && !s.Opts.Strict {
			entry.Result = report.ResultInferred
		}
		ginkgo.AddReportEntry(entryName, entry, ginkgo.ReportEntryVisibilityNever)
		if dev != nil && dev.Answer != nil && dev.Answer.Exchange != nil {
			ginkgo.AddReportEntry("exchange", judge.Curl(dev.Answer.Exchange), ginkgo.ReportEntryVisibilityFailureOrVerbose)
		}
		if known != nil {
			ginkgo.Skip(fmt.Sprintf("known deviation (baseline %s: %s): %s", s.baseline.File, known.Reason, dev.What))
		}
		if entry.Result == report.ResultInferred {
			ginkgo.Skip(fmt.Sprintf("deviates from our reading of the docs, not from what they state (fails only with --strict): %s — our reading: %s", dev.What, dev.Inference))
		}
		gomega.Expect(dev).To(Conform(c))
	})...)
}

// attempt judges a case: its prefetched outcome when there is one, else
// an outcome of a run now (after a reset, for a case that changes state).
// A reset that fails leaves the case inconclusive, as a transport failure:
// the target's state is unknown.
func (s *Session) attempt(ctx context.Context, c *plan.Case, o *run.Outcome) (*run.Outcome, string, *judge.Deviation) {
	if o == nil {
		if (c.Safety != spec.SafetyReadonly || s.dirty.Load()) && s.Env.Reset != nil {
			if err := s.Env.ResetTarget(ctx); err != nil {
				return nil, "", &judge.Deviation{What: "inconclusive: resetting the target before the case failed: " + err.Error(), Inconclusive: true, Transport: true}
			}
			s.dirty.Store(false)
		}
		o = s.Env.Run(ctx, c)
		if c.Safety != spec.SafetyReadonly || o.StateChanged != "" {
			s.dirty.Store(true)
		}
	}
	note, dev := s.Judge.Check(c, o)
	return o, note, dev
}

// repeatable says whether a case may be sent again to confirm a deviation:
// a readonly one, or any when the target is reset before each.
func (s *Session) repeatable(c *plan.Case) bool {
	return c.Safety == spec.SafetyReadonly || s.Env.Reset != nil
}

// targetLost records why the target first left a case inconclusive for
// good; the run ends unproven, saying so.
func (s *Session) targetLost(why string) {
	s.lostOnce.Do(func() { s.lostWhy = why })
}

// prefetchReadonly runs the readonly exchanges concurrently before the
// specs, when --procs > 1 and Ginkgo itself is not running in parallel.
func (s *Session) prefetchReadonly() {
	s.prefetch = map[string]*run.Outcome{}
	s.started = time.Now()
	cfg, _ := ginkgo.GinkgoConfiguration()
	if s.Opts.Procs <= 1 || cfg.ParallelTotal > 1 {
		return
	}
	var todo []*plan.Case
	for _, c := range s.Cases {
		if c.Skip == "" && c.Safety == spec.SafetyReadonly && c.Procedure == "" && s.selected(c) {
			todo = append(todo, c)
		}
	}
	var mu sync.Mutex
	work := make(chan *plan.Case)
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
	for _, o := range s.prefetch {
		if o.StateChanged != "" {
			// A readonly case's request was accepted and changed state
			// while the others ran beside it.
			s.tainted = true
			s.dirty.Store(true)
		}
	}
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
func (s *Session) applyBaseline(c *plan.Case, entry *CaseEntry, dev *judge.Deviation) *report.BaselineEntry {
	e := s.baseline.Match(c.ID)
	if e == nil {
		return nil
	}
	entry.BaselineReason = e.Reason
	switch {
	case dev == nil:
		entry.Baseline = report.BaselineFixed
		entry.Note = strings.TrimPrefix(entry.Note+"; ", "; ") + "listed in the baseline as a known deviation, but it conforms now: remove the entry " + e.Check
		return nil
	case e.Expired(time.Now()):
		entry.Baseline = report.BaselineExpired
		dev.What = fmt.Sprintf("known deviation expired on %s (baseline: %s): %s", e.Expires, e.Reason, dev.What)
		entry.Deviation = dev.What
		return nil
	default:
		entry.Baseline = report.BaselineKnown
		if e.Observed != "" && e.Observed != dev.What {
			// Still excused, but a reviewer should know it is not the
			// deviation that was accepted.
			entry.BaselineObserved = e.Observed
		}
		return e
	}
}
