package conformance

import (
	"encoding/json"
	"fmt"
	"github.com/acsconform/acsconform/internal/ghannotate"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/acsconform/acsconform/spec"
)

// Row is one line of the coverage matrix: an (operation, check) pair.
type Row struct {
	Operation string `json:"operation"`
	Check     string `json:"check"`
	Kind      Kind   `json:"kind"`
	Code      string `json:"code,omitempty"`
	// Rule is the contract rule a rule case checks; Expect the codes the
	// case expects.
	Rule   string   `json:"rule,omitempty"`
	Expect []string `json:"expect,omitempty"`
	Safety string   `json:"safety"`
	// Result: passed; failed (deviates from what the docs state or the
	// gateway was observed to do); deviates-from-inference (from our
	// reading only; fails with --strict); inconclusive (the answer proves
	// nothing); skipped; known (a baseline's known deviation).
	Result     string `json:"result"`
	Reason     string `json:"reason,omitempty"`
	Provenance string `json:"provenance"`
	// Where is the contract line the case checks (file:line).
	Where string `json:"where,omitempty"`
	// Labels are the case's Ginkgo labels; Seconds how long it ran.
	Labels  []string `json:"labels,omitempty"`
	Seconds float64  `json:"seconds"`
	// Evidence of the case's expectation (stated, observed, inferred) and,
	// for a deviation from our reading, that reading and its reason.
	Evidence  string `json:"evidence,omitempty"`
	Inference string `json:"inference,omitempty"`
	// Refusal: the gateway code that made an inconclusive case so.
	Refusal string `json:"refusal,omitempty"`
	// NotUndone: state a readonly case changed that the run could not undo.
	NotUndone string `json:"notUndone,omitempty"`
	// selected: the case's body ran (the label filter chose it).
	selected bool
	// Deviation names what deviated; Sent and Received are the exchange
	// that shows it (failed and known rows).
	Deviation string `json:"deviation,omitempty"`
	Sent      string `json:"sent,omitempty"`
	Received  string `json:"received,omitempty"`
	// Baseline is known, fixed or expired when a baseline entry covers the row.
	Baseline       string `json:"baseline,omitempty"`
	BaselineReason string `json:"baselineReason,omitempty"`
	// BaselineObserved: what the entry recorded, when the row now deviates otherwise.
	BaselineObserved string `json:"baselineObserved,omitempty"`
}

// Verdicts of a run.
const (
	VerdictConforming = "conforming"
	VerdictDeviates   = "deviates"
	VerdictUnproven   = "unproven"
)

// Totals counts cases by result. Selected is what the run chose to run;
// NotSelected what the label filter left out (counted in no other field).
type Totals struct {
	Selected     int `json:"selected"`
	Passed       int `json:"passed"`
	Failed       int `json:"failed"`
	Inferred     int `json:"deviatesFromInference"`
	Inconclusive int `json:"inconclusive"`
	Skipped      int `json:"skipped"`
	Known        int `json:"known"`
	NotSelected  int `json:"notSelected,omitempty"`
}

// Conclusive counts the cases whose answer proved something.
func (t Totals) Conclusive() int { return t.Passed + t.Failed + t.Known + t.Inferred }

// Score is the share of conclusive cases that passed, "passed/conclusive
// (n%)", or "—" when none was conclusive.
func (t Totals) Score() string {
	if t.Conclusive() == 0 {
		return "—"
	}
	return fmt.Sprintf("%d/%d (%d%%)", t.Passed, t.Conclusive(), t.Passed*100/t.Conclusive())
}

// OpScore is one operation's totals (platform cases under "platform").
type OpScore struct {
	Operation string `json:"operation"`
	Totals
	Score string `json:"score"`
}

// Contract names the contract a run checked.
type Contract struct {
	Product string `json:"product"`
	Version string `json:"version"`
	File    string `json:"file"`
	Digest  string `json:"digest"`
}

// totalsOf counts rows into totals and per-operation scores.
func totalsOf(rows []Row) (Totals, []OpScore) {
	var all Totals
	per := map[string]*Totals{}
	var order []string
	for _, r := range rows {
		key := r.Operation
		if r.Kind == KindPlatform {
			key = "platform"
		}
		if per[key] == nil {
			per[key] = &Totals{}
			order = append(order, key)
		}
		for _, t := range []*Totals{&all, per[key]} {
			t.add(r)
		}
	}
	sort.Strings(order)
	ops := make([]OpScore, 0, len(order))
	for _, k := range order {
		ops = append(ops, OpScore{Operation: k, Totals: *per[k], Score: per[k].Score()})
	}
	return all, ops
}

func (t *Totals) add(r Row) {
	if !r.selected && r.Reason == notSelected {
		t.NotSelected++
		return
	}
	t.Selected++
	t.count(r.Result)
}

// count adds one result (of a case or a code roll-up) to its field.
func (t *Totals) count(result string) {
	switch result {
	case "passed":
		t.Passed++
	case "failed":
		t.Failed++
	case BaselineKnown:
		t.Known++
	case ResultInferred:
		t.Inferred++
	case ResultInconclusive:
		t.Inconclusive++
	default:
		t.Skipped++
	}
}

// verdict settles the run's verdict once the rows and the reason a run
// proved nothing (empty, or "") are known.
func (cov *Coverage) verdict(empty string) {
	cov.Totals, cov.Operations = totalsOf(cov.Rows)
	switch {
	case empty != "":
		cov.Verdict, cov.VerdictReason = VerdictUnproven, empty
	case cov.Totals.Failed > 0:
		cov.Verdict = VerdictDeviates
		cov.VerdictReason = fmt.Sprintf("%d case(s) deviate from what the docs state", cov.Totals.Failed)
	default:
		cov.Verdict = VerdictConforming
		cov.VerdictReason = "no case deviates from what the docs state"
		if cov.Totals.Inferred > 0 {
			cov.VerdictReason += fmt.Sprintf("; %d deviate from our reading of them (not failing without --strict)", cov.Totals.Inferred)
		}
	}
}

// Headline is the verdict and totals in one line, as reports open.
func (cov *Coverage) Headline() string {
	t := cov.Totals
	return fmt.Sprintf("%s — %d cases: %d passed, %d deviate from the docs, %d deviate from our reading, %d inconclusive, %d skipped, %d known",
		strings.ToUpper(cov.Verdict), t.Selected, t.Passed, t.Failed, t.Inferred, t.Inconclusive, t.Skipped, t.Known)
}

// CodeResult rolls the rows up per documented error code.
type CodeResult struct {
	Operation string   `json:"operation"`
	Code      string   `json:"code"`
	Result    string   `json:"result"`
	Cases     []string `json:"cases"`
	Reason    string   `json:"reason,omitempty"`
}

// Coverage is what coverage.json holds: the verdict and totals first,
// what produced them (tool, contract digest), then every row.
type Coverage struct {
	// Verdict: conforming (no case deviates from the docs), deviates, or
	// unproven (the run proved nothing; VerdictReason says why).
	Verdict       string       `json:"verdict"`
	VerdictReason string       `json:"verdictReason,omitempty"`
	Strict        bool         `json:"strict,omitempty"`
	Totals        Totals       `json:"totals"`
	Operations    []OpScore    `json:"operations"`
	Tool          string       `json:"tool"`
	Contract      Contract     `json:"contract"`
	Target        string       `json:"target"`
	Profile       string       `json:"profile"`
	Started       time.Time    `json:"started"`
	Seconds       float64      `json:"seconds"`
	Requests      int          `json:"requests"`
	Baseline      string       `json:"baseline,omitempty"`
	Rows          []Row        `json:"rows"`
	Codes         []CodeResult `json:"codes"`
	Platform      []CodeResult `json:"platform"`
}

func resultOf(r types.SpecReport) (string, string) {
	switch {
	case r.State.Is(types.SpecStatePassed):
		return "passed", ""
	case r.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		return "skipped", r.Failure.Message
	}
	msg := r.Failure.Message
	first, _, _ := strings.Cut(msg, "\n")
	if _, what, ok := strings.Cut(first, ": "); ok && strings.Contains(first, "/") {
		first = what
	}
	return "failed", first
}

// coverage builds the matrix from a Ginkgo report.
func (s *Session) coverage(rep types.Report) Coverage {
	cov := Coverage{Target: s.Env.Endpoint, Profile: s.Profile.File, Started: rep.StartTime, Seconds: rep.RunTime.Seconds()}
	if s.baseline != nil {
		cov.Baseline = s.baseline.File
	}
	if s.Embedded {
		cov.Target = "embedded mock"
	}
	for _, r := range rep.SpecReports {
		if r.LeafNodeType != types.NodeTypeIt {
			continue
		}
		e, ok := entryOf(r)
		selected := ok
		if !ok {
			// A skipped or never-run spec: fall back to the plan.
			for _, c := range s.Cases {
				if c.ID == r.LeafNodeText {
					e = CaseEntry{ID: c.ID, Action: c.Action, Kind: c.Kind, Code: c.Code, Rule: c.Rule, Expect: c.Expect.Codes, Safety: c.Safety, Provenance: c.Provenance, Where: whereText(c)}
				}
			}
			if e.ID == "" {
				continue
			}
		}
		result, reason := resultOf(r)
		if !selected && reason == "" {
			reason = notSelected
		}
		if result == "passed" && e.Note != "" {
			reason = e.Note
		}
		switch e.Result {
		case ResultInferred:
			result, reason = ResultInferred, e.Deviation
		case ResultInconclusive:
			result, reason = ResultInconclusive, e.Deviation
		}
		if e.Baseline == BaselineKnown {
			result, reason = BaselineKnown, e.Deviation+" (baseline: "+e.BaselineReason+")"
			if e.BaselineObserved != "" {
				reason += "; " + changedText(e.BaselineObserved)
			}
		}
		cov.Rows = append(cov.Rows, Row{Operation: e.Action, Check: e.ID, Kind: e.Kind, Code: e.Code, Rule: e.Rule, Expect: e.Expect, Safety: e.Safety, Result: result, Reason: reason, Provenance: e.Provenance,
			Deviation: e.Deviation, Sent: e.Sent, Received: e.Received, Baseline: e.Baseline, BaselineReason: e.BaselineReason, BaselineObserved: e.BaselineObserved,
			Evidence: string(e.Evidence), Inference: e.Inference, Refusal: e.Refusal, NotUndone: e.NotUndone, selected: selected,
			Where: e.Where, Labels: r.Labels(), Seconds: max(r.RunTime.Seconds(), e.Seconds)})
	}
	sort.SliceStable(cov.Rows, func(i, j int) bool { return cov.Rows[i].Check < cov.Rows[j].Check })
	// Every request the run sent, preflight included: what the console says.
	cov.Requests = int(s.Env.Sent())
	cov.Tool, cov.Strict = s.Opts.Version, s.Opts.Strict
	if cov.Tool == "" {
		cov.Tool = "acsconform (devel)"
	}
	cov.Contract = Contract{Product: s.API.Product, Version: s.API.Version, File: s.API.File, Digest: s.API.Digest}
	for _, op := range s.API.Operations {
		for _, e := range op.Errors {
			cov.Codes = append(cov.Codes, rollUp(cov.Rows, op.Action, e.Code))
		}
	}
	for _, e := range s.API.PlatformErrors {
		cov.Platform = append(cov.Platform, rollUp(cov.Rows, "", e.Code))
	}
	return cov
}

// annotate prints a GitHub Actions annotation per deviation, at the
// contract line the case checks: an error for a deviation from the docs,
// a warning for one from our reading (an error with --strict).
func (s *Session) annotate(cov Coverage) {
	for _, r := range cov.Deviations() {
		level := ""
		switch r.Result {
		case "failed":
			level = ghannotate.Error
		case ResultInferred:
			level = ghannotate.Warning
		default:
			continue
		}
		file, line := r.Where, 0
		if i := strings.LastIndexByte(r.Where, ':'); i > 0 {
			if n, err := strconv.Atoi(r.Where[i+1:]); err == nil {
				file, line = r.Where[:i], n
			}
		}
		msg := r.Deviation
		if msg == "" {
			msg = r.Reason
		}
		if r.Inference != "" {
			msg += "\nour reading: " + r.Inference
		}
		ghannotate.Write(s.Opts.Out, level, file, line, 0, "acsconform: "+r.Check, msg)
	}
}

// printPlan says, for a dry run, what a real run would do: the cases per
// operation and safety class, and every case this profile would skip,
// grouped by reason.
func (s *Session) printPlan() {
	out := s.Opts.Out
	per := map[string]map[string]int{}
	var ops []string
	skips := map[string][]string{}
	var reasons []string
	total, skipped, unselected := 0, 0, 0
	for _, c := range s.Cases {
		if !s.selected(c) {
			unselected++
			continue
		}
		total++
		op := c.Action
		if c.Kind == KindPlatform {
			op = "platform"
		}
		if per[op] == nil {
			per[op] = map[string]int{}
			ops = append(ops, op)
		}
		if c.Skip != "" {
			skipped++
			per[op]["skipped"]++
			if skips[c.Skip] == nil {
				reasons = append(reasons, c.Skip)
			}
			skips[c.Skip] = append(skips[c.Skip], c.ID)
			continue
		}
		per[op][c.Safety]++
	}
	sort.Strings(ops)
	target := s.Env.Endpoint
	if s.Opts.Target == "" && s.Profile.Endpoint == "" {
		target = "the embedded mock"
	}
	fmt.Fprintf(out, "\ndry run, nothing sent: %d cases against %s (profile %s), %d would run, %d would be skipped", total, target, s.Profile.File, total-skipped, skipped)
	if unselected > 0 {
		fmt.Fprintf(out, ", %d not selected", unselected)
	}
	fmt.Fprintln(out)
	for _, op := range ops {
		m := per[op]
		fmt.Fprintf(out, "  %-36s %3d readonly, %3d mutating, %3d exhausting, %3d skipped\n", op, m[spec.SafetyReadonly], m[spec.SafetyMutating], m[spec.SafetyExhausting], m["skipped"])
	}
	if len(reasons) > 0 {
		fmt.Fprintln(out, "would skip:")
		for _, r := range reasons {
			ids := skips[r]
			shown := ids
			if len(shown) > 3 {
				shown = shown[:3]
			}
			more := ""
			if len(ids) > 3 {
				more = fmt.Sprintf(", … %d more", len(ids)-3)
			}
			fmt.Fprintf(out, "  %d × %s\n      %s%s\n", len(ids), r, strings.Join(shown, ", "), more)
		}
	}
}

// maxListed bounds the failures the console lists one by one.
const maxListed = 20

// notSelected is the reason of a case the label filter left out.
const notSelected = "not selected by --label-filter or --focus"

// rollUp: a code passed when every case about it passed (and at least one
// ran); failed when any failed; skipped when none ran. A case is about the
// code when it provokes it, or when it is a rule's rejection that expects
// it among the rule's candidates.
func rollUp(rows []Row, action, code string) CodeResult {
	cr := CodeResult{Operation: action, Code: code}
	ran, failed, direct, known, inferred := 0, 0, 0, 0, 0
	var notes []string
	var skipped []string
	for _, r := range rows {
		about := r.Code == code || r.Rule != "" && slices.Contains(r.Expect, code)
		if !about || (action != "" && r.Operation != action) || (action == "" && r.Kind != KindPlatform) {
			continue
		}
		cr.Cases = append(cr.Cases, r.Check)
		if r.Code == code {
			direct++
		} else if r.Reason != "" {
			notes = append(notes, r.Reason)
		}
		switch r.Result {
		case "passed":
			ran++
		case "failed":
			ran++
			failed++
			if cr.Reason == "" {
				cr.Reason = r.Check + ": " + r.Reason
			}
		case BaselineKnown:
			ran++
			known++
			if cr.Reason == "" {
				cr.Reason = r.Check + ": " + r.Reason
			}
		case ResultInferred:
			ran++
			inferred++
			if cr.Reason == "" {
				cr.Reason = r.Check + ": " + r.Reason
			}
		default:
			skipped = append(skipped, r.Reason)
		}
	}
	switch {
	case failed > 0:
		cr.Result = "failed"
	case known > 0:
		cr.Result = BaselineKnown
	case inferred > 0:
		cr.Result = ResultInferred
	case ran > 0:
		cr.Result = "passed"
		if direct == 0 {
			cr.Reason = "exercised as a documented candidate code of " + strings.Join(cr.Cases, ", ") + ": the target may answer it or the contract's choice"
			if len(notes) > 0 {
				cr.Reason += "; " + notes[0]
			} else {
				cr.Reason += "; it answered the contract's choice"
			}
		}
		if len(skipped) > 0 {
			cr.Reason = strings.TrimPrefix(cr.Reason+"; "+fmt.Sprintf("%d of its cases skipped", len(skipped)), "; ")
		}
	default:
		cr.Result = "skipped"
		if len(skipped) > 0 {
			cr.Reason = skipped[0]
		} else {
			cr.Reason = "no case exercises it"
		}
	}
	return cr
}

func tallyCodes(crs []CodeResult) Totals {
	var t Totals
	for _, c := range crs {
		t.count(c.Result)
	}
	return t
}

// known formats the count of known deviations, empty when there are none.
func (t Totals) knownText() string {
	if t.Known == 0 {
		return ""
	}
	return fmt.Sprintf(", %d known (baseline)", t.Known)
}

// reportAfterSuite writes the reports and the summary, or the inventory of
// a dry run.
func (s *Session) reportAfterSuite(rep types.Report) {
	if s.progress != nil {
		s.progress.end()
	}
	if s.Opts.DryRun {
		s.printPlan()
		if s.Opts.Inventory != "" {
			if err := os.WriteFile(s.Opts.Inventory, []byte(Inventory(rep)), 0o644); err != nil {
				fmt.Fprintf(s.Opts.Out, "acsconform: writing the inventory: %v\n", err)
				s.Failed = true
			}
		}
		return
	}
	cov := s.coverage(rep)
	for _, r := range cov.Rows {
		if r.Result == "failed" {
			s.Failed = true
		}
	}
	if !rep.SuiteSucceeded {
		s.Failed = true
	}
	s.empty = s.emptyReason(cov)
	cov.verdict(s.empty)
	if dir := s.Opts.ReportDir; dir != "" {
		if err := writeReports(dir, rep, cov); err != nil {
			s.outputErr = fmt.Sprintf("writing reports to %s: %v", dir, err)
		}
	}
	if path := s.Opts.WriteBaseline; path != "" && s.outputErr == "" {
		if err := WriteBaseline(path, cov, s.baseline, time.Now()); err != nil {
			s.outputErr = err.Error()
		}
	}
	s.summary(cov)
	// A run that proved nothing, or whose reports are lost, is not a
	// success: failing here makes Ginkgo say FAIL, and Run exits 2.
	switch {
	case s.outputErr != "":
		ginkgo.Fail("acsconform: " + s.outputErr + " (the run's results are not saved)")
	case s.empty != "":
		ginkgo.Fail("acsconform: " + s.empty)
	}
}

// emptyReason says why a run proved nothing, or "": no conclusive case,
// an operation all of whose selected cases were skipped or inconclusive,
// or fewer conclusive cases than --min-cases.
func (s *Session) emptyReason(cov Coverage) string {
	var t Totals
	perOp := map[string]*Totals{}
	var ops []string
	for _, r := range cov.Rows {
		if !r.selected {
			continue
		}
		t.count(r.Result)
		if r.Kind == KindPlatform {
			continue
		}
		if perOp[r.Operation] == nil {
			perOp[r.Operation] = &Totals{}
			ops = append(ops, r.Operation)
		}
		perOp[r.Operation].count(r.Result)
	}
	switch {
	case t.Conclusive()+t.Skipped+t.Inconclusive == 0:
		return "no case was selected"
	case t.Conclusive() == 0:
		return fmt.Sprintf("no case proved anything: of %d selected, %d were skipped and %d inconclusive", t.Skipped+t.Inconclusive, t.Skipped, t.Inconclusive)
	case t.Conclusive() < s.Opts.MinCases:
		return fmt.Sprintf("only %d conclusive case(s), fewer than --min-cases %d", t.Conclusive(), s.Opts.MinCases)
	}
	// An operation the run said nothing about makes it unproven: one the
	// user chose (a label filter or focus), or one whose cases ran and were
	// all inconclusive. Over the whole contract, an operation whose every
	// case the profile skips (mutating, or codes nothing provokes) is
	// expected against a cautious profile.
	chosen := s.Opts.LabelFilter != "" || s.Opts.Focus != ""
	for _, op := range ops {
		if pt := perOp[op]; pt.Conclusive() == 0 && (chosen || pt.Inconclusive > 0) {
			return fmt.Sprintf("every selected case of %s was skipped (%d) or inconclusive (%d): the run says nothing about it", op, pt.Skipped, pt.Inconclusive)
		}
	}
	return ""
}

func (s *Session) summary(cov Coverage) {
	out := s.Opts.Out
	t := cov.Totals
	selection := ""
	if t.NotSelected > 0 {
		selection = fmt.Sprintf(" (%d more not selected by --label-filter)", t.NotSelected)
	}

	fmt.Fprintf(out, "\nacsconform: %s — %d cases of %s %s%s against %s — %d passed, %d deviate from the docs (failed), %d deviate from our reading of them%s, %d inconclusive, %d skipped%s — in %.1fs, %d requests sent\n",
		strings.ToUpper(cov.Verdict), t.Selected, s.API.Product, s.API.Version, selection, cov.Target, t.Passed, t.Failed, t.Inferred, map[bool]string{true: " (failing: --strict)", false: " (not failing)"}[s.Opts.Strict],
		t.Inconclusive, t.Skipped, t.knownText(), cov.Seconds, cov.Requests)
	ct := tallyCodes(cov.Codes)
	fmt.Fprintf(out, "documented error codes of %d operations: %d exercised, %d passed, %d failed, %d deviate from our reading%s, %d skipped\n",
		len(s.API.Operations), ct.Conclusive(), ct.Passed, ct.Failed, ct.Inferred, ct.knownText(), ct.Skipped+ct.Inconclusive)
	pt := tallyCodes(cov.Platform)
	fmt.Fprintf(out, "platform codes: %d exercised, %d passed, %d failed, %d deviate from our reading%s, %d skipped\n", pt.Conclusive(), pt.Passed, pt.Failed, pt.Inferred, pt.knownText(), pt.Skipped+pt.Inconclusive)
	for _, c := range append(append([]CodeResult{}, cov.Codes...), cov.Platform...) {
		if c.Result != "passed" && c.Result != ResultInferred && c.Reason != notSelected {
			where := c.Operation
			if where == "" {
				where = "platform"
			}
			fmt.Fprintf(out, "  %-7s %s %s: %s\n", c.Result, where, c.Code, c.Reason)
		}
	}
	var failed []Row
	for _, r := range cov.Deviations() {
		if r.Result == "failed" && r.Evidence != string(spec.EvidenceInferred) {
			failed = append(failed, r)
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(out, "deviations from the docs (each at the contract line it checks):\n")
		for i, r := range failed {
			if i == maxListed {
				fmt.Fprintf(out, "  … and %d more (coverage.md lists them all)\n", len(failed)-maxListed)
				break
			}
			where := r.Where
			if where == "" {
				where = r.Operation
			}
			fmt.Fprintf(out, "  %s: %s: %s\n", where, r.Check, firstLine(r.Deviation))
		}
	}
	var readings []Row
	for _, r := range cov.Rows {
		if r.Result == ResultInferred || (s.Opts.Strict && r.Result == "failed" && r.Evidence == string(spec.EvidenceInferred)) {
			readings = append(readings, r)
		}
	}
	if len(readings) > 0 {
		verdict := "not failing; --strict fails them"
		if s.Opts.Strict {
			verdict = "failing: --strict"
		}
		fmt.Fprintf(out, "deviations from our reading of the docs (%s):\n", verdict)
		for _, r := range readings {
			fmt.Fprintf(out, "  %s: %s\n      our reading: %s\n", r.Check, r.Deviation, r.Inference)
		}
	}
	var left []Row
	for _, r := range cov.Rows {
		if r.NotUndone != "" {
			left = append(left, r)
		}
	}
	if len(left) > 0 {
		fmt.Fprintf(out, "state left on the target (readonly cases it accepted, not undone):\n")
		for _, r := range left {
			fmt.Fprintf(out, "  %s: %s\n", r.Check, r.NotUndone)
		}
	}
	if s.Opts.Seed != 0 {
		fmt.Fprintf(out, "order: shuffled with --seed %d (the same seed gives the same order)\n", s.Opts.Seed)
	}
	if s.Opts.GitHub {
		s.annotate(cov)
	}
	if d := diagnosis(s.API, cov); d != "" {
		fmt.Fprintf(out, "inconclusive: %s\n", d)
	}
	if s.baseline != nil {
		s.baselineSummary(cov)
	}
	if s.Opts.WriteBaseline != "" {
		fmt.Fprintf(out, "baseline written to %s: review each entry's reason before committing it\n", s.Opts.WriteBaseline)
	}
	if s.Opts.ReportDir != "" && s.outputErr == "" {
		fmt.Fprintf(out, "reports: %s\n", filepath.Join(s.Opts.ReportDir, "coverage.{json,md,html}, ginkgo.json, junit.xml"))
	}
	if s.outputErr != "" {
		fmt.Fprintf(out, "acsconform: %s: the run's results are not saved (exit 2)\n", s.outputErr)
	}
	if s.empty != "" {
		fmt.Fprintf(out, "acsconform: %s (exit 2)\n", s.empty)
	}
}

// diagnosis names the gateway refusal behind most inconclusive cases, once.
func diagnosis(api *spec.API, cov Coverage) string {
	count := map[string]int{}
	total, ran := 0, 0
	for _, r := range cov.Rows {
		if r.Result != "skipped" {
			ran++
		}
		if r.Result == ResultInconclusive && r.Refusal != "" {
			count[r.Refusal]++
			total++
		}
	}
	best, n := "", 0
	for code, k := range count {
		if k > n || (k == n && code < best) {
			best, n = code, k
		}
	}
	if total == 0 {
		return ""
	}
	msg := fmt.Sprintf("%d case(s) proved nothing because the gateway refused the request first", total)
	if best != "" && 2*n >= ran {
		msg = fmt.Sprintf("%d of %d cases were refused with %s before the operation saw them: %s", n, ran, best, refusalHint(api, best))
	}
	return msg
}

func changedText(observed string) string {
	return "the deviation changed since the baseline was written (it observed: " + observed + ")"
}

// baselineSummary says what the baseline covered: known deviations (not
// failing), fixed ones (to remove), expired ones (failing) and entries
// that match no case.
func (s *Session) baselineSummary(cov Coverage) {
	out := s.Opts.Out
	var known, fixed, expired []Row
	for _, r := range cov.Rows {
		switch r.Baseline {
		case BaselineKnown:
			known = append(known, r)
		case BaselineFixed:
			fixed = append(fixed, r)
		case BaselineExpired:
			expired = append(expired, r)
		}
	}
	fmt.Fprintf(out, "baseline %s: %d known deviation(s) not failing, %d fixed, %d expired\n", s.baseline.File, len(known), len(fixed), len(expired))
	for _, r := range known {
		fmt.Fprintf(out, "  known   %s: %s (%s)\n", r.Check, r.Deviation, r.BaselineReason)
		if r.BaselineObserved != "" {
			fmt.Fprintf(out, "          %s\n", changedText(r.BaselineObserved))
		}
	}
	for _, r := range fixed {
		fmt.Fprintf(out, "  fixed   %s: conforms now; remove it from the baseline\n", r.Check)
	}
	for _, r := range expired {
		fmt.Fprintf(out, "  expired %s: %s\n", r.Check, r.Deviation)
	}
	for _, e := range s.baseline.Unmatched(s.Cases) {
		fmt.Fprintf(out, "  unused  %s:%d: check %q matches no case of the suite (renamed or removed?)\n", s.baseline.File, e.line, e.Check)
	}
}

func writeReports(dir string, rep types.Report, cov Coverage) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := reporters.GenerateJSONReport(rep, filepath.Join(dir, "ginkgo.json")); err != nil {
		return err
	}
	if err := writeJUnit(filepath.Join(dir, "junit.xml"), cov); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(cov, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "coverage.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "coverage.md"), []byte(markdown(cov)), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "coverage.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return htmlReport.Execute(f, cov)
}

func mdCell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

func markdown(cov Coverage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %s\n\n**%s**  \n%s\n\n", strings.ToUpper(cov.Verdict), mdCell(cov.Headline()), mdCell(cov.VerdictReason))
	fmt.Fprintf(&b, "%s · contract %s %s (%s, %s) · target %s · profile %s · %.1fs · %d requests\n\n",
		cov.Tool, cov.Contract.Product, cov.Contract.Version, cov.Contract.File, cov.Contract.Digest, cov.Target, cov.Profile, cov.Seconds, cov.Requests)
	if cov.Baseline != "" {
		fmt.Fprintf(&b, "Baseline: %s (known deviations are reported as `known` and do not fail the run)\n\n", cov.Baseline)
	}
	if devs := cov.Deviations(); len(devs) > 0 {
		b.WriteString("## Deviations\n\n| check | result | reason | contract |\n| --- | --- | --- | --- |\n")
		for _, r := range devs {
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.Check, r.Result, mdCell(r.Reason), r.Where)
		}
		b.WriteString("\n")
	}
	b.WriteString("## Operations\n\n| operation | score | passed | deviate from the docs | deviate from our reading | inconclusive | skipped | known |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, o := range cov.Operations {
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d | %d |\n", o.Operation, o.Score, o.Passed, o.Failed, o.Inferred, o.Inconclusive, o.Skipped, o.Known)
	}
	b.WriteString("\n## Documented error codes\n\n| operation | code | result | reason |\n| --- | --- | --- | --- |\n")
	for _, c := range append(append([]CodeResult{}, cov.Codes...), cov.Platform...) {
		op := c.Operation
		if op == "" {
			op = "(platform)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", op, c.Code, c.Result, mdCell(c.Reason))
	}
	b.WriteString("\n## Checks\n\n| operation | check | kind | code | safety | result | reason | contract | provenance |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
	for _, r := range cov.Rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Operation, r.Check, r.Kind, r.Code, r.Safety, r.Result, mdCell(r.Reason), r.Where, mdCell(r.Provenance))
	}
	return b.String()
}

// resultRank orders deviations: what fails first.
var resultRank = map[string]int{"failed": 0, BaselineKnown: 1, ResultInferred: 2, ResultInconclusive: 3}

// Deviations are the rows that did not simply pass or skip, failures
// first: what a reader of a report looks for.
func (cov Coverage) Deviations() []Row {
	var out []Row
	for _, r := range cov.Rows {
		if _, ok := resultRank[r.Result]; ok {
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return resultRank[out[i].Result] < resultRank[out[j].Result] })
	return out
}

// breakable escapes s for HTML and lets a browser wrap it after the
// separators of case IDs (/ : . _ -), never inside a word.
func breakable(s string) template.HTML {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(template.HTMLEscapeString(string(r)))
		if strings.ContainsRune("/:._-,", r) {
			b.WriteString("<wbr>")
		}
	}
	return template.HTML(b.String())
}

// sentText renders the request of an answer for the report.
func sentText(a *Answer) string {
	x := a.Exchange
	if x == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", x.Method, x.URL)
	writeHeader(&b, x.Header)
	if x.Body != "" {
		fmt.Fprintf(&b, "\n%s\n", snippet(x.Body, 8<<10))
	}
	return b.String()
}

// receivedText renders what came back.
func receivedText(a *Answer) string {
	if a.TransportErr != nil {
		return "no answer: " + a.TransportErr.Error()
	}
	x := a.Exchange
	if x == nil {
		return describe(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d\n", x.Status)
	writeHeader(&b, x.RespHeader)
	fmt.Fprintf(&b, "\n%s\n", snippet(x.RespBody, 8<<10))
	return b.String()
}

func writeHeader(b *strings.Builder, h map[string][]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
}

// The HTML report is one self-contained file: no fetched asset, one small
// inline script (the result filter; without it every row shows). A row
// that deviated (failed, or known to the baseline) expands, through
// <details>, to what was sent and received.
var htmlReport = template.Must(template.New("coverage").Funcs(template.FuncMap{"brk": breakable, "upper": strings.ToUpper}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>acsconform: {{upper .Verdict}}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:100%}
table{border-collapse:collapse;width:100%;margin-bottom:2em;table-layout:fixed}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f4f4f4;position:sticky;top:0}
.passed{background:#e9f7ec}.failed{background:#fde8e8}.skipped{background:#fff8e1}.known{background:#ede7f6}
.deviates-from-inference{background:#fff3e0}.inconclusive{background:#eceff1}
.verdict{padding:.8em 1em;border-radius:6px;margin:0 0 .5em;font-size:16px}
.verdict.conforming{background:#e9f7ec;border:2px solid #2e7d32}
.verdict.deviates{background:#fde8e8;border:2px solid #c62828}
.verdict.unproven{background:#fff8e1;border:2px solid #ef6c00}
.verdict strong{font-size:20px;margin-right:.6em}
.totals span{margin-right:1.2em;white-space:nowrap}
.totals b{font-size:16px}
.meta{color:#555;font-size:12px;overflow-wrap:anywhere}
details summary{cursor:pointer}
td details summary{font-weight:600}
td.prov details summary{font-weight:normal;color:#555;font-size:12px}
td.small,td.prov{font-size:12px;color:#555}
pre{white-space:pre-wrap;word-break:break-all;background:#fff;border:1px solid #ccc;padding:6px;font-size:12px;max-height:30em;overflow:auto}
col.op{width:13%}col.check{width:22%}col.kind{width:6%}col.code{width:10%}col.safety{width:7%}col.result{width:8%}col.reason{width:22%}col.prov{width:12%}
</style></head><body>
<div class="verdict {{.Verdict}}" id="verdict"><strong>{{upper .Verdict}}</strong>{{.VerdictReason}}
<div class="totals"><span><b>{{.Totals.Selected}}</b> cases</span><span><b>{{.Totals.Passed}}</b> passed</span><span><b>{{.Totals.Failed}}</b> deviate from the docs</span><span><b>{{.Totals.Inferred}}</b> deviate from our reading{{if .Strict}} (failing: --strict){{end}}</span><span><b>{{.Totals.Inconclusive}}</b> inconclusive</span><span><b>{{.Totals.Skipped}}</b> skipped</span><span><b>{{.Totals.Known}}</b> known</span>{{if .Totals.NotSelected}}<span>{{.Totals.NotSelected}} not selected</span>{{end}}</div></div>
<p class="meta">{{.Tool}} · contract {{.Contract.Product}} {{.Contract.Version}} ({{.Contract.File}}, {{.Contract.Digest}}) · target {{.Target}} · profile {{.Profile}} · {{printf "%.1f" .Seconds}}s · {{.Requests}} requests{{if .Baseline}} · baseline {{.Baseline}}{{end}}</p>
{{with .Deviations}}<h2 id="deviations">Deviations ({{len .}})</h2>
<table id="devs"><colgroup><col style="width:28%"><col style="width:10%"><col style="width:46%"><col style="width:16%"></colgroup>
<thead><tr><th>check</th><th>result</th><th>reason</th><th>contract</th></tr></thead><tbody>
{{range $i, $r := .}}<tr class="dev {{.Result}}" data-check="{{.Check}}"><td>{{brk .Check}}</td><td>{{.Result}}</td><td>{{if or .Sent .Received}}<details{{if eq $i 0}} open{{end}}><summary>{{.Reason}}</summary>
<p>sent</p><pre class="sent">{{.Sent}}</pre><p>received</p><pre class="received">{{.Received}}</pre></details>{{else}}{{.Reason}}{{end}}</td><td class="small">{{brk .Where}}</td></tr>
{{end}}</tbody></table>{{end}}
<h2>Operations</h2>
<table id="ops"><thead><tr><th>operation</th><th>score</th><th>passed</th><th>deviate from the docs</th><th>deviate from our reading</th><th>inconclusive</th><th>skipped</th><th>known</th></tr></thead><tbody>
{{range .Operations}}<tr class="{{if .Failed}}failed{{else}}passed{{end}}"><td>{{brk .Operation}}</td><td>{{.Score}}</td><td>{{.Passed}}</td><td>{{.Failed}}</td><td>{{.Inferred}}</td><td>{{.Inconclusive}}</td><td>{{.Skipped}}</td><td>{{.Known}}</td></tr>
{{end}}</tbody></table>
<h2>Documented error codes</h2>
<table id="codes"><colgroup><col style="width:20%"><col style="width:22%"><col style="width:10%"><col style="width:48%"></colgroup>
<thead><tr><th>operation</th><th>code</th><th>result</th><th>reason</th></tr></thead><tbody>
{{range .Codes}}<tr class="{{.Result}}"><td>{{brk .Operation}}</td><td>{{brk .Code}}</td><td>{{.Result}}</td><td>{{.Reason}}</td></tr>
{{end}}{{range .Platform}}<tr class="{{.Result}}"><td>(platform)</td><td>{{brk .Code}}</td><td>{{.Result}}</td><td>{{.Reason}}</td></tr>
{{end}}</tbody></table>
<h2>Checks</h2>
<p class="filter">Show: <label><input type="radio" name="show" value="all" checked> all</label>
<label><input type="radio" name="show" value="deviations"> deviations (failed, known)</label>
<label><input type="radio" name="show" value="reading"> deviate from our reading</label>
<label><input type="radio" name="show" value="inconclusive"> inconclusive</label>
<label><input type="radio" name="show" value="skipped"> skipped</label></p>
<table id="matrix"><colgroup><col class="op"><col class="check"><col class="kind"><col class="code"><col class="safety"><col class="result"><col class="reason"><col class="prov"></colgroup>
<thead><tr><th>operation</th><th>check</th><th>kind</th><th>code</th><th>safety</th><th>result</th><th>reason</th><th>provenance</th></tr></thead><tbody>
{{range .Rows}}<tr class="row {{.Result}}" data-check="{{.Check}}"><td>{{brk .Operation}}</td><td class="check">{{brk .Check}}</td><td>{{.Kind}}</td><td>{{brk .Code}}</td><td>{{.Safety}}</td><td>{{.Result}}{{if .Baseline}} ({{.Baseline}}){{end}}</td><td class="reason">{{if or .Sent .Received}}<details><summary>{{.Reason}}</summary>
<p>sent</p><pre class="sent">{{.Sent}}</pre><p>received</p><pre class="received">{{.Received}}</pre></details>{{else}}{{.Reason}}{{end}}</td><td class="prov"><details><summary>{{.Evidence}}{{with .Where}} · {{brk .}}{{end}}</summary>{{.Provenance}}</details></td></tr>
{{end}}</tbody></table>
<script>
// The one script of the page: filter the matrix by result. Without it
// every row shows.
for (const r of document.querySelectorAll('input[name=show]')) {
  r.addEventListener('change', () => {
    const want = r.value;
    for (const row of document.querySelectorAll('#matrix tr.row')) {
      const c = row.classList;
      const show = want === 'all' || (want === 'deviations' && (c.contains('failed') || c.contains('known'))) ||
        (want === 'reading' && c.contains('deviates-from-inference')) || (want === 'inconclusive' && c.contains('inconclusive')) ||
        (want === 'skipped' && c.contains('skipped'));
      row.hidden = !show;
    }
  });
}
</script></body></html>
`))

// Inventory lists the suite's cases from a dry run: one line per spec,
// its ID and labels, sorted — committed, so coverage changes show in review.
func Inventory(rep types.Report) string {
	var lines []string
	for _, r := range rep.SpecReports {
		if r.LeafNodeType != types.NodeTypeIt {
			continue
		}
		labels := append([]string(nil), r.Labels()...)
		sort.Strings(labels)
		lines = append(lines, r.LeafNodeText+"\t"+strings.Join(labels, " "))
	}
	sort.Strings(lines)
	return "# acsconform conformance inventory: case ID, labels. Regenerate with `make generate`.\n" + strings.Join(lines, "\n") + "\n"
}
