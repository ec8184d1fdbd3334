package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Job summaries (GitHub's $GITHUB_STEP_SUMMARY among them) refuse more
// than 1 MiB per step. SummaryLimit keeps summary.md well inside it,
// whatever the run: the verdict, the totals and the first deviations,
// then a pointer to the full reports.
const (
	SummaryLimit     = 512 << 10
	summaryListed    = 50
	summaryCellBytes = 400
)

// clip shortens s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Summary renders the job-summary form of a run: under SummaryLimit bytes
// whatever the run, with coverage.md and coverage.html named for the rest.
func Summary(cov Coverage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %s\n\n**%s**  \n%s\n\n", strings.ToUpper(cov.Verdict), mdCell(clip(cov.Headline(), summaryCellBytes)), mdCell(clip(cov.VerdictReason, summaryCellBytes)))
	fmt.Fprintf(&b, "%s · contract %s %s (%s) · target %s · %.1fs · %d requests\n\n",
		cov.Tool, cov.Contract.Product, cov.Contract.Version, cov.Contract.Digest, clip(cov.Target, 200)+siteText(cov.Site), cov.Seconds, cov.Requests)
	t := cov.Totals
	b.WriteString("| selected | passed | deviate from the docs | deviate from our reading | inconclusive | skipped | known |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", t.Selected, t.Passed, t.Failed, t.Inferred, t.Inconclusive, t.Skipped, t.Known)
	devs := cov.Deviations()
	if len(devs) > 0 {
		fmt.Fprintf(&b, "## Deviations (%d)\n\n| check | result | reason | contract |\n| --- | --- | --- | --- |\n", len(devs))
		for i, r := range devs {
			line := fmt.Sprintf("| %s | %s | %s | %s |\n", mdCell(clip(r.Check, 200)), r.Result, mdCell(clip(r.Reason, summaryCellBytes)), clip(r.Where, 200))
			if i == summaryListed || b.Len()+len(line) > SummaryLimit-1024 {
				fmt.Fprintf(&b, "\n… and %d more.\n", len(devs)-i)
				break
			}
			b.WriteString(line)
		}
		b.WriteString("\n")
	}
	b.WriteString("Every case, code and exchange: `coverage.md`, `coverage.html` and `coverage.json` beside this file (the job's artifact).\n")
	return b.String()
}
