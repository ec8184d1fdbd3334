package report

import (
	"fmt"
	"strings"
)

func mdCell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }

func markdown(cov Coverage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conformance: %s\n\n**%s**  \n%s\n\n", strings.ToUpper(cov.Verdict), mdCell(cov.Headline()), mdCell(cov.VerdictReason))
	fmt.Fprintf(&b, "%s · contract %s %s (%s, %s) · target %s · profile %s · %.1fs · %d requests\n\n",
		cov.Tool, cov.Contract.Product, cov.Contract.Version, cov.Contract.File, cov.Contract.Digest, cov.Target+siteText(cov.Site), cov.Profile, cov.Seconds, cov.Requests)
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
