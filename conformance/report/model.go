package report

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
)

// Row is one line of the coverage matrix: an (operation, check) pair.
type Row struct {
	Operation string    `json:"operation"`
	Check     string    `json:"check"`
	Kind      plan.Kind `json:"kind"`
	Code      string    `json:"code,omitempty"`
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
	// Transport: inconclusive because the target did not answer as an API
	// does (no answer, a proxy's page, a body cut short); Retried: the case
	// was sent again once the target answered.
	Transport bool `json:"transport,omitempty"`
	Retried   bool `json:"retried,omitempty"`
	// NotUndone: state a readonly case changed that the run could not undo.
	NotUndone string `json:"notUndone,omitempty"`
	// Selected: the case's body ran (the label filter chose it).
	Selected bool `json:"-"`
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
	Flaky        int `json:"flaky,omitempty"`
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
		if r.Kind == plan.KindPlatform {
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
	if !r.Selected && r.Reason == ReasonNotSelected {
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
	case ResultFlaky:
		t.Flaky++
	default:
		t.Skipped++
	}
}

// Settle settles the run's verdict once the rows and the reason a run
// proved nothing (empty, or "") are known.
func (cov *Coverage) Settle(empty string) {
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
	return fmt.Sprintf("%s — %d cases: %d passed, %d deviate from the docs, %d deviate from our reading, %d inconclusive%s, %d skipped, %d known",
		strings.ToUpper(cov.Verdict), t.Selected, t.Passed, t.Failed, t.Inferred, t.Inconclusive, t.flakyText(), t.Skipped, t.Known)
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
	Verdict       string    `json:"verdict"`
	VerdictReason string    `json:"verdictReason,omitempty"`
	Strict        bool      `json:"strict,omitempty"`
	Totals        Totals    `json:"totals"`
	Operations    []OpScore `json:"operations"`
	Tool          string    `json:"tool"`
	Contract      Contract  `json:"contract"`
	Target        string    `json:"target"`
	Profile       string    `json:"profile"`
	// Site is the vendor site the profile states the target plays
	// (china, intl), or "" (the cases of one site's facts were skipped).
	Site     string       `json:"site,omitempty"`
	Started  time.Time    `json:"started"`
	Seconds  float64      `json:"seconds"`
	Requests int          `json:"requests"`
	Baseline string       `json:"baseline,omitempty"`
	Rows     []Row        `json:"rows"`
	Codes    []CodeResult `json:"codes"`
	Platform []CodeResult `json:"platform"`
}

// ReasonNotSelected is the reason of a case the label filter left out.
const ReasonNotSelected = "not selected by --label-filter or --focus"

// rollUp: a code passed when every case about it passed (and at least one
// ran); failed when any failed; skipped when none ran. A case is about the
// code when it provokes it, or when it is a rule's rejection that expects
// it among the rule's candidates.
func RollUp(rows []Row, action, code string) CodeResult {
	cr := CodeResult{Operation: action, Code: code}
	ran, failed, direct, known, inferred := 0, 0, 0, 0, 0
	var notes []string
	var skipped []string
	for _, r := range rows {
		about := r.Code == code || r.Rule != "" && slices.Contains(r.Expect, code)
		if !about || (action != "" && r.Operation != action) || (action == "" && r.Kind != plan.KindPlatform) {
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

// tallyCodes counts code roll-ups by result; a code none of whose cases
// the label filter or focus chose is not selected, not skipped.
func tallyCodes(crs []CodeResult) Totals {
	var t Totals
	for _, c := range crs {
		if c.Result == "skipped" && c.Reason == ReasonNotSelected {
			t.NotSelected++
			continue
		}
		t.count(c.Result)
	}
	return t
}

// flakyText formats the count of flaky cases, empty when there are none.
func (t Totals) flakyText() string {
	if t.Flaky == 0 {
		return ""
	}
	return fmt.Sprintf(", %d flaky (deviated once, conformed when tried again)", t.Flaky)
}

// notSelectedText formats the count of codes not selected, empty when none.
func (t Totals) notSelectedText() string {
	if t.NotSelected == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d more not selected)", t.NotSelected)
}

// known formats the count of known deviations, empty when there are none.
func (t Totals) knownText() string {
	if t.Known == 0 {
		return ""
	}
	return fmt.Sprintf(", %d known (baseline)", t.Known)
}

// resultRank orders deviations: what fails first.
var resultRank = map[string]int{"failed": 0, BaselineKnown: 1, ResultInferred: 2, ResultFlaky: 3, ResultInconclusive: 4}

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

// Results of a case beyond Ginkgo's passed, failed and skipped.
const (
	// ResultInferred: the target deviates from our reading of the docs,
	// not from what they state; not failing unless --strict.
	ResultInferred = "deviates-from-inference"
	// ResultInconclusive: the answer proves nothing either way.
	ResultInconclusive = "inconclusive"
	// ResultFlaky: the case deviated once and conformed when tried again;
	// reported apart, not failing.
	ResultFlaky = "flaky"
)
