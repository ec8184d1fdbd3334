package report

import (
	"html/template"
	"strings"
)

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
<p class="meta">{{.Tool}} · contract {{.Contract.Product}} {{.Contract.Version}} ({{.Contract.File}}, {{.Contract.Digest}}) · target {{.Target}}{{if .Site}} ({{.Site}} site){{end}} · profile {{.Profile}} · {{printf "%.1f" .Seconds}}s · {{.Requests}} requests{{if .Baseline}} · baseline {{.Baseline}}{{end}}</p>
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
