package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/conformance/report"

	"github.com/chromedp/chromedp"
)

// chromium finds a Chromium or Chrome binary: $ACSCONFORM_CHROMIUM, then the
// usual names on PATH. `make browser` installs Debian's chromium.
func chromium() string {
	if p := os.Getenv("ACSCONFORM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// firstScreen checks what a reader sees at 1280×800 before scrolling: the
// verdict, the totals and the first failure, no horizontal scrolling, the
// provenance column on screen; it saves that screen as a screenshot.
func firstScreen(t *testing.T, ctx context.Context, cov report.Coverage) {
	t.Helper()
	type box struct {
		Top, Bottom, Right float64
		Text               string
	}
	type screen struct {
		Verdict, Totals, FirstFailure, Prov box
		ScrollWidth, ClientWidth, Height    float64
	}
	const probe = `(() => {
  const b = (sel) => { const e = document.querySelector(sel); if (!e) return {Top: -1, Bottom: -1, Right: -1, Text: ""};
    const r = e.getBoundingClientRect(); return {Top: r.top, Bottom: r.bottom, Right: r.right, Text: e.innerText}; };
  return {Verdict: b('#verdict strong'), Totals: b('#verdict .totals'), FirstFailure: b('#devs tr.dev.failed td'),
    Prov: b('#matrix tbody tr.row td.prov'),
    ScrollWidth: document.documentElement.scrollWidth, ClientWidth: document.documentElement.clientWidth, Height: window.innerHeight};
})()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[screen](probe))
	if err != nil {
		t.Fatal(err)
	}
	var firstFailed string
	for _, r := range cov.Deviations() {
		if r.Result == "failed" {
			firstFailed = r.Check
			break
		}
	}
	onScreen := func(name string, b box) {
		// On screen: all of it, or (a tall row) its first lines.
		if b.Top < 0 || b.Bottom > got.Height && b.Top+60 > got.Height {
			t.Errorf("%s is not on the first screen (top %.0f, bottom %.0f, screen %.0f px high)", name, b.Top, b.Bottom, got.Height)
		}
	}
	onScreen("the verdict", got.Verdict)
	onScreen("the totals", got.Totals)
	onScreen("the first failure", got.FirstFailure)
	if got.Verdict.Text != "DEVIATES" {
		t.Errorf("verdict %q, want DEVIATES", got.Verdict.Text)
	}
	if want := fmt.Sprintf("%d deviate from the docs", cov.Totals.Failed); !strings.Contains(got.Totals.Text, want) {
		t.Errorf("totals %q do not say %q", got.Totals.Text, want)
	}
	if strings.ReplaceAll(got.FirstFailure.Text, "\u200b", "") != firstFailed {
		t.Errorf("the first failure shown is %q, want %q", got.FirstFailure.Text, firstFailed)
	}
	if got.ScrollWidth > got.ClientWidth {
		t.Errorf("the page scrolls sideways at 1280 px: %.0f px wide in %.0f", got.ScrollWidth, got.ClientWidth)
	}
	if got.Prov.Right > got.ClientWidth || got.Prov.Right <= 0 {
		t.Errorf("the provenance column ends at %.0f px, off a %.0f px screen", got.Prov.Right, got.ClientWidth)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	saveShot(t, "coverage-first-screen.png", shot)
}

// saveShot writes a screenshot into reports/screenshots/ (or
// $ACSCONFORM_SCREENSHOTS).
func saveShot(t *testing.T, name string, shot []byte) {
	t.Helper()
	if len(shot) < 1000 || string(shot[1:4]) != "PNG" {
		t.Fatalf("the screenshot %s is not a PNG (%d bytes)", name, len(shot))
	}
	shots := os.Getenv("ACSCONFORM_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", "reports", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(shots, name)
	if err := os.WriteFile(file, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(shot))
}

// TestHTMLReportInBrowser opens the coverage report of a run against a
// deviating mock in headless Chromium: the matrix renders one row per case
// of coverage.json, a failed row is closed at first and, clicked, shows what
// was sent and what was received. It saves a screenshot of the opened row
// in reports/screenshots/ (or $ACSCONFORM_SCREENSHOTS).
func TestHTMLReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite and a browser; skipped with -short")
	}
	bin := chromium()
	if bin == "" {
		if os.Getenv("ACSCONFORM_REQUIRE_BROWSER") != "" {
			t.Fatal("ACSCONFORM_REQUIRE_BROWSER is set but no chromium was found (make browser installs it)")
		}
		t.Skip("no chromium on this machine and `make browser` could not install it (it needs apt-get and root); set ACSCONFORM_CHROMIUM to a Chrome binary")
	}
	var broken variant
	for _, v := range variants() {
		if v.name == "wrong code" {
			broken = v
		}
	}
	url, prof := serve(t, broken)
	dir := t.TempDir()
	code, out := runSuite(t, "--profile", prof, "--target", url, "--label-filter", "op:AssociateMembers && !exhausting", "--allow-mutating", "--report-dir", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the mock answers a wrong code):\n%s", code, tail(out, 20))
	}
	var cov report.Coverage
	data, err := os.ReadFile(filepath.Join(dir, "coverage.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cov); err != nil {
		t.Fatal(err)
	}
	const failed = "AssociateMembers/error:InvalidMember/member-outside-directory"

	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()

	row := `tr.row[data-check="` + failed + `"]`
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/coverage.html"), chromedp.WaitVisible(chromedp.CSS(`#matrix`))); err != nil {
		t.Fatalf("loading the report in chromium (%s): %v", bin, err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	firstScreen(t, ctx, cov)
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#matrix tbody tr.row').length`))
	if err != nil {
		t.Fatal(err)
	}
	failedRows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#matrix tbody tr.row.failed').length`))
	if err != nil {
		t.Fatal(err)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const p = document.querySelector('`+row+` pre.sent'); return !!p && p.checkVisibility() && p.closest('details').open })()`))
	if err != nil {
		t.Fatal(err)
	}
	present, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('`+row+` pre.sent')`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "acsconform: DEVIATES" || rows != len(cov.Rows) || rows == 0 {
		t.Fatalf("the matrix shows %d rows (title %q), coverage.json has %d", rows, title, len(cov.Rows))
	}
	want := 0
	for _, r := range cov.Rows {
		if r.Result == "failed" {
			want++
		}
	}
	if failedRows != want || want == 0 {
		t.Fatalf("%d rows are marked failed, coverage.json has %d", failedRows, want)
	}
	if visible || !present {
		t.Fatalf("the failed row's exchange should exist and be folded before a click (present=%v, visible=%v)", present, visible)
	}
	// The filter: "deviations" leaves exactly the failed rows (no baseline
	// here), "all" brings every row back.
	visibleRows := `[...document.querySelectorAll('#matrix tr.row')].filter(r => r.checkVisibility()).length`
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=show][value=deviations]`))); err != nil {
		t.Fatal(err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](visibleRows)); err != nil || n != want {
		t.Fatalf("filtered to deviations: %d rows visible (%v), want %d", n, err, want)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=show][value=all]`))); err != nil {
		t.Fatal(err)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](visibleRows)); err != nil || n != rows {
		t.Fatalf("back to all: %d rows visible (%v), want %d", n, err, rows)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[name=show][value=deviations]`)),
		chromedp.Click(chromedp.CSS(row+` details summary`)),
		chromedp.WaitVisible(chromedp.CSS(row+` pre.sent`)),
		chromedp.ScrollIntoView(chromedp.CSS(row)),
	); err != nil {
		t.Fatalf("opening the failed row: %v", err)
	}
	sent, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(row+` pre.sent`)))
	if err != nil {
		t.Fatal(err)
	}
	received, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(row+` pre.received`)))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	var rowData report.Row
	for _, r := range cov.Rows {
		if r.Check == failed {
			rowData = r
		}
	}
	if !strings.Contains(sent, "AssociateMembers") || !strings.Contains(sent, "Members.1=") || strings.TrimSpace(sent) != strings.TrimSpace(rowData.Sent) {
		t.Errorf("the opened row does not show the request that was sent:\n%s\nwant:\n%s", sent, rowData.Sent)
	}
	if !strings.HasPrefix(received, "HTTP 4") || !strings.Contains(received, `"Code":"InvalidParameter.Member"`) || strings.TrimSpace(received) != strings.TrimSpace(rowData.Received) {
		t.Errorf("the opened row does not show what came back:\n%s\nwant:\n%s", received, rowData.Received)
	}
	saveShot(t, "coverage-failed-row.png", shot)
}
