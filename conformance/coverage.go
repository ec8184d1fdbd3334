package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/report"
	"github.com/acsconform/acsconform/spec"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"
)

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

// reportAfterSuite writes the reports and the summary, or the inventory of
// a dry run.
func (s *Session) reportAfterSuite(rep types.Report) {
	if s.progress != nil {
		s.progress.end()
	}
	if s.cleanupNote != "" {
		// After Ginkgo's dots (a live line is cleared already).
		lead := "\n"
		if s.progress != nil && s.progress.live {
			lead = ""
		}
		fmt.Fprint(s.Opts.Out, lead+s.cleanupNote+"\n")
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
	s.empty = report.EmptyReason(cov, s.Opts.MinCases, s.Opts.LabelFilter != "" || s.Opts.Focus != "")
	if s.lostWhy != "" {
		// What the run proved before stands in the reports; the rest is
		// inconclusive, and so is the run.
		answered, selected, lost := transportTally(cov)
		s.empty = fmt.Sprintf("the target stopped answering after %d of %d cases: %s (%d case(s) inconclusive for it; what the others proved stands in the reports)",
			answered, selected, strings.TrimPrefix(s.lostWhy, "inconclusive: "), lost)
	}
	cov.Settle(s.empty)
	if dir := s.Opts.ReportDir; dir != "" {
		if err := writeReports(dir, rep, cov, s.Opts.GinkgoJSON); err != nil {
			s.outputErr = fmt.Sprintf("writing reports to %s: %v", dir, err)
		}
	}
	if path := s.Opts.WriteBaseline; path != "" && s.outputErr == "" {
		if err := report.WriteBaseline(path, cov, s.baseline, time.Now()); err != nil {
			s.outputErr = err.Error()
		}
	}
	s.console().Summary(cov)
	// A run that proved nothing, or whose reports are lost, is not a
	// success: under go test or ginkgo, failing here makes the suite fail.
	if s.viaRun {
		// Run exits 2 on its own, after the summary said why: a Ginkgo
		// failure here would only repeat it under a file:line of ours.
		return
	}
	switch {
	case s.outputErr != "":
		ginkgo.Fail("acsconform: " + s.outputErr + " (the run's results are not saved)")
	case s.empty != "":
		ginkgo.Fail("acsconform: " + s.empty)
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
		if c.Kind == plan.KindPlatform {
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
func (s *Session) coverage(rep types.Report) report.Coverage {
	cov := report.Coverage{Target: s.Env.Endpoint, Profile: s.Profile.File, Site: s.Profile.Site, Started: rep.StartTime, Seconds: rep.RunTime.Seconds()}
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
			reason = report.ReasonNotSelected
		}
		if result == "passed" && e.Note != "" {
			reason = e.Note
		}
		switch e.Result {
		case report.ResultInferred:
			result, reason = report.ResultInferred, e.Deviation
		case report.ResultInconclusive:
			result, reason = report.ResultInconclusive, e.Deviation
		case report.ResultFlaky:
			result, reason = report.ResultFlaky, "deviated on the first try, conformed on the second: "+e.Deviation
		}
		if e.Baseline == report.BaselineKnown {
			result, reason = report.BaselineKnown, e.Deviation+" (baseline: "+e.BaselineReason+")"
			if e.BaselineObserved != "" {
				reason += "; " + report.ChangedText(e.BaselineObserved)
			}
		}
		cov.Rows = append(cov.Rows, report.Row{Operation: e.Action, Check: e.ID, Kind: e.Kind, Code: e.Code, Rule: e.Rule, Expect: e.Expect, Safety: e.Safety, Result: result, Reason: reason, Provenance: e.Provenance,
			Deviation: e.Deviation, Sent: e.Sent, Received: e.Received, Baseline: e.Baseline, BaselineReason: e.BaselineReason, BaselineObserved: e.BaselineObserved,
			Evidence: string(e.Evidence), Inference: e.Inference, Refusal: e.Refusal, Transport: e.Transport, Retried: e.Retried, NotUndone: e.NotUndone, Selected: selected,
			Where: e.Where, Labels: r.Labels(), Seconds: max(r.RunTime.Seconds(), e.Seconds)})
	}
	sort.SliceStable(cov.Rows, func(i, j int) bool { return cov.Rows[i].Check < cov.Rows[j].Check })
	// Every request the run sent, preflight included: what the console says.
	cov.Requests = int(s.Env.Sent())
	cov.Tool, cov.Strict = s.Opts.Version, s.Opts.Strict
	if cov.Tool == "" {
		cov.Tool = "acsconform (devel)"
	}
	cov.Contract = report.Contract{Product: s.API.Product, Version: s.API.Version, File: s.API.File, Digest: s.API.Digest}
	for _, op := range s.API.Operations {
		for _, e := range op.Errors {
			cov.Codes = append(cov.Codes, report.RollUp(cov.Rows, op.Action, e.Code))
		}
	}
	for _, e := range s.API.PlatformErrors {
		cov.Platform = append(cov.Platform, report.RollUp(cov.Rows, "", e.Code))
	}
	return cov
}

// writeReports writes our reports and, when asked for (it is large: every
// spec with its entries), Ginkgo's own JSON report beside them.
func writeReports(dir string, rep types.Report, cov report.Coverage, ginkgoJSON bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if ginkgoJSON {
		if err := reporters.GenerateJSONReport(rep, filepath.Join(dir, "ginkgo.json")); err != nil {
			return err
		}
	}
	return report.Write(dir, cov)
}

// console is the summary's view of the session.
func (s *Session) console() report.Console {
	return report.Console{Out: s.Opts.Out, API: s.API, Strict: s.Opts.Strict, Seed: s.Opts.Seed, GitHub: s.Opts.GitHub,
		Baseline: s.baseline, Cases: s.Cases, WriteBaseline: s.Opts.WriteBaseline, ReportDir: s.Opts.ReportDir, GinkgoJSON: s.Opts.GinkgoJSON,
		OutputErr: s.outputErr, Empty: s.empty}
}

// transportTally counts the selected cases the target answered (whatever
// the verdict), all selected cases that ran, and those left inconclusive
// by the transport.
func transportTally(cov report.Coverage) (answered, selected, lost int) {
	for _, r := range cov.Rows {
		if !r.Selected || r.Result == "skipped" {
			continue
		}
		selected++
		if r.Transport && r.Result == report.ResultInconclusive {
			lost++
		} else {
			answered++
		}
	}
	return answered, selected, lost
}
