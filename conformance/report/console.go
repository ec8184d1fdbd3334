package report

import (
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/internal/ghannotate"
	"github.com/acsconform/acsconform/spec"
)

// Console is what the console summary says besides the coverage: the
// contract, the run's options that change its wording, and why the run is
// not a verdict when it is not.
type Console struct {
	Out      io.Writer
	API      *spec.API
	Strict   bool
	Seed     int64
	GitHub   bool
	Baseline *Baseline
	// Cases are the planned cases (a baseline entry matching none is named).
	Cases         []*plan.Case
	WriteBaseline string
	ReportDir     string
	GinkgoJSON    bool
	// OutputErr: the reports or the baseline could not be written; Empty:
	// why the run proved nothing.
	OutputErr, Empty string
}

// EmptyReason says why a run proved nothing, or "": no conclusive case,
// an operation all of whose selected cases were skipped or inconclusive,
// or fewer conclusive cases than --min-cases. chosen: the user chose
// the cases (a label filter or a focus).
func EmptyReason(cov Coverage, minCases int, chosen bool) string {
	var t Totals
	perOp := map[string]*Totals{}
	var ops []string
	for _, r := range cov.Rows {
		if !r.Selected {
			continue
		}
		t.count(r.Result)
		if r.Kind == plan.KindPlatform {
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
	case t.Conclusive() < minCases:
		return fmt.Sprintf("only %d conclusive case(s), fewer than --min-cases %d", t.Conclusive(), minCases)
	}
	// An operation the run said nothing about makes it unproven: one the
	// user chose (a label filter or focus), or one whose cases ran and were
	// all inconclusive. Over the whole contract, an operation whose every
	// case the profile skips (mutating, or codes nothing provokes) is
	// expected against a cautious profile.
	for _, op := range ops {
		if pt := perOp[op]; pt.Conclusive() == 0 && (chosen || pt.Inconclusive > 0) {
			return fmt.Sprintf("every selected case of %s was skipped (%d) or inconclusive (%d): the run says nothing about it", op, pt.Skipped, pt.Inconclusive)
		}
	}
	return ""
}

// Summary prints the run's console summary.
func (s Console) Summary(cov Coverage) {
	out := s.Out
	t := cov.Totals
	selection := ""
	if t.NotSelected > 0 {
		selection = fmt.Sprintf(" (%d more not selected by --label-filter)", t.NotSelected)
	}

	fmt.Fprintf(out, "\nacsconform: %s — %d cases of %s %s%s against %s — %d passed, %d deviate from the docs (failed), %d deviate from our reading of them%s, %d inconclusive%s, %d skipped%s — in %.1fs, %d requests sent\n",
		strings.ToUpper(cov.Verdict), t.Selected, s.API.Product, s.API.Version, selection, cov.Target+siteText(cov.Site), t.Passed, t.Failed, t.Inferred, map[bool]string{true: " (failing: --strict)", false: " (not failing)"}[s.Strict],
		t.Inconclusive, t.flakyText(), t.Skipped, t.knownText(), cov.Seconds, cov.Requests)
	ct := tallyCodes(cov.Codes)
	fmt.Fprintf(out, "documented error codes of %d operations: %d exercised, %d passed, %d failed, %d deviate from our reading%s, %d skipped%s\n",
		len(s.API.Operations), ct.Conclusive(), ct.Passed, ct.Failed, ct.Inferred, ct.knownText(), ct.Skipped+ct.Inconclusive, ct.notSelectedText())
	pt := tallyCodes(cov.Platform)
	fmt.Fprintf(out, "platform codes: %d exercised, %d passed, %d failed, %d deviate from our reading%s, %d skipped%s\n", pt.Conclusive(), pt.Passed, pt.Failed, pt.Inferred, pt.knownText(), pt.Skipped+pt.Inconclusive, pt.notSelectedText())
	// Skipped codes are grouped by reason (one line per reason, a few
	// examples); the others are listed one by one.
	skipped := map[string][]string{}
	var reasons []string
	for _, c := range append(append([]CodeResult{}, cov.Codes...), cov.Platform...) {
		if c.Result == "passed" || c.Result == ResultInferred || c.Reason == ReasonNotSelected {
			continue
		}
		where := c.Operation
		if where == "" {
			where = "platform"
		}
		if c.Result == "skipped" {
			if skipped[c.Reason] == nil {
				reasons = append(reasons, c.Reason)
			}
			skipped[c.Reason] = append(skipped[c.Reason], where+" "+c.Code)
			continue
		}
		fmt.Fprintf(out, "  %-7s %s %s: %s\n", c.Result, where, c.Code, c.Reason)
	}
	for _, r := range reasons {
		codes := skipped[r]
		if len(codes) == 1 {
			fmt.Fprintf(out, "  skipped %s: %s\n", codes[0], r)
			continue
		}
		shown, more := codes, ""
		if len(shown) > 3 {
			shown, more = shown[:3], fmt.Sprintf(", … %d more (coverage.md lists them)", len(codes)-3)
		}
		fmt.Fprintf(out, "  skipped %d codes: %s\n      %s%s\n", len(codes), r, strings.Join(shown, ", "), more)
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
		if r.Result == ResultInferred || (s.Strict && r.Result == "failed" && r.Evidence == string(spec.EvidenceInferred)) {
			readings = append(readings, r)
		}
	}
	if len(readings) > 0 {
		verdict := "not failing; --strict fails them"
		if s.Strict {
			verdict = "failing: --strict"
		}
		fmt.Fprintf(out, "deviations from our reading of the docs (%s):\n", verdict)
		for i, r := range readings {
			if i == maxListed {
				fmt.Fprintf(out, "  … and %d more (coverage.md lists them all)\n", len(readings)-maxListed)
				break
			}
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
	if s.Seed != 0 {
		fmt.Fprintf(out, "order: shuffled with --seed %d (the same seed gives the same order)\n", s.Seed)
	}
	if s.GitHub {
		Annotate(s.Out, cov)
	}
	if d := diagnosis(s.API, cov); d != "" {
		fmt.Fprintf(out, "inconclusive: %s\n", d)
	}
	if s.Baseline != nil {
		s.baselineSummary(cov)
	}
	if s.WriteBaseline != "" {
		fmt.Fprintf(out, "baseline written to %s: review each entry's reason before committing it\n", s.WriteBaseline)
	}
	if s.ReportDir != "" && s.OutputErr == "" {
		names := "coverage.{json,md,html}, summary.md, junit.xml"
		if s.GinkgoJSON {
			names += ", ginkgo.json"
		}
		fmt.Fprintf(out, "reports: %s\n", filepath.Join(s.ReportDir, names))
	}
	if s.OutputErr != "" {
		fmt.Fprintf(out, "acsconform: %s: the run's results are not saved (exit 2)\n", s.OutputErr)
	}
	if s.Empty != "" {
		fmt.Fprintf(out, "acsconform: %s (exit 2)\n", s.Empty)
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
		msg = fmt.Sprintf("%d of %d cases were refused with %s before the operation saw them: %s", n, ran, best, judge.RefusalHint(api, best))
	}
	return msg
}

// ChangedText says a baseline entry's deviation is not the one observed now.
func ChangedText(observed string) string {
	return "the deviation changed since the baseline was written (it observed: " + observed + ")"
}

// baselineSummary says what the baseline covered: known deviations (not
// failing), fixed ones (to remove), expired ones (failing) and entries
// that match no case.
func (s Console) baselineSummary(cov Coverage) {
	out := s.Out
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
	fmt.Fprintf(out, "baseline %s: %d known deviation(s) not failing, %d fixed, %d expired\n", s.Baseline.File, len(known), len(fixed), len(expired))
	for _, r := range known {
		fmt.Fprintf(out, "  known   %s: %s (%s)\n", r.Check, r.Deviation, r.BaselineReason)
		if r.BaselineObserved != "" {
			fmt.Fprintf(out, "          %s\n", ChangedText(r.BaselineObserved))
		}
	}
	for _, r := range fixed {
		fmt.Fprintf(out, "  fixed   %s: conforms now; remove it from the baseline\n", r.Check)
	}
	for _, r := range expired {
		fmt.Fprintf(out, "  expired %s: %s\n", r.Check, r.Deviation)
	}
	for _, e := range s.Baseline.Unmatched(s.Cases) {
		fmt.Fprintf(out, "  unused  %s:%d: check %q matches no case of the suite (renamed or removed?)\n", s.Baseline.File, e.Line(), e.Check)
	}
}

// maxListed bounds the failures the console lists one by one.
const maxListed = 20

// Annotate prints a GitHub Actions annotation per deviation, at the
// contract line the case checks: an error for a deviation from the docs,
// a warning for one from our reading (an error with --strict).
// Annotate prints the annotations to w.
func Annotate(w io.Writer, cov Coverage) {
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
		ghannotate.Write(w, level, file, line, 0, "acsconform: "+r.Check, msg)
	}
}

// siteText names the site a run judged, for the summary line.
func siteText(site string) string {
	if site == "" {
		return " (no site stated: facts of one site only skipped)"
	}
	return " (" + site + " site)"
}
