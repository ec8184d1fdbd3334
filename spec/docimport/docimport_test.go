package docimport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func readInputs(t testing.TB, pattern string) []Input {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s", pattern)
	}
	sort.Strings(files)
	var out []Input
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Input{Name: filepath.ToSlash(f), Data: data})
	}
	return out
}

// fixturePages reads fixtures/docs under the names the contract cites.
func fixturePages(t testing.TB) []Input {
	t.Helper()
	in := readInputs(t, filepath.Join("..", "..", "fixtures", "docs", "*.txt"))
	for i := range in {
		in[i].Name = strings.TrimPrefix(in[i].Name, "../../")
	}
	return in
}

// TestImportReproducesTheContract: importing the five pages gives every
// page-stated fact of spec/resourcedirectorymaster.yaml — parameters, types,
// required-ness where stated, enums, limits, examples, error status, code,
// message and descriptions, RAM action, rate limit, quota, change history,
// response fields. Facts the contract curates by hand (inferred rules and
// patterns, triggers, decisions, translations) are not page facts.
func TestImportReproducesTheContract(t *testing.T) {
	res, err := Import(fixturePages(t))
	if err != nil {
		t.Fatal(err)
	}
	imported, err := spec.Parse("imported.yaml", res.Document)
	if err != nil {
		t.Fatalf("the import does not load as a contract: %v", err)
	}
	curated, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	// The operations the curated document transcribes from the pages (the
	// rest of the product comes from the metadata layer).
	var fromPages []*spec.Operation
	for _, op := range curated.Operations {
		if op.Pos.File == curated.File {
			fromPages = append(fromPages, op)
		}
	}
	if len(imported.Operations) != len(fromPages) {
		t.Fatalf("%d operations imported, %d curated from pages", len(imported.Operations), len(fromPages))
	}
	for _, op := range fromPages {
		io := imported.Operation(op.Action)
		if io == nil {
			t.Fatalf("%s not imported", op.Action)
		}
		// Guard against a vacuous comparison: the import carries the facts.
		if len(io.Errors) != len(op.Errors) || len(io.Params) != len(op.Params) || len(io.Changes) != len(op.Changes) {
			t.Errorf("%s: imported %d errors, %d params, %d changes; curated %d, %d, %d", op.Action,
				len(io.Errors), len(io.Params), len(io.Changes), len(op.Errors), len(op.Params), len(op.Changes))
		}
		for _, d := range Compare(imported, curated, op.Action) {
			t.Errorf("%s", d)
		}
	}
	// Prose limits keep their sentence.
	note := imported.Operation("InviteAccountToResourceDirectory").Param("Note")
	if *note.Schema.MaxLength != 1024 || len(note.Limits) == 0 || note.Limits[0].Provenance.Kind != spec.KindProse || note.Limits[0].Provenance.Quote == "" {
		t.Errorf("Note limit: %+v", note.Limits)
	}
	// The one limit that names no parameter is reported, not dropped.
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Msg, `InvalidParameter.AccountId states pattern ^[0-9]{16}$`)
	}
	if !found {
		t.Errorf("the AccountId format was not reported: %v", res.Warnings)
	}
}

// TestCompareCatchesChanges proves the comparison above can fail.
func TestCompareCatchesChanges(t *testing.T) {
	res, err := Import(fixturePages(t))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Replace(string(res.Document), "message: You must specify TargetType.", "message: TargetType is required.", 1)
	doc = strings.Replace(doc, "maxItems: 5", "maxItems: 6", 1)
	imported, err := spec.Parse("imported.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	curated, _ := spec.Load()
	var all []string
	for _, op := range curated.Operations {
		for _, d := range Compare(imported, curated, op.Action) {
			all = append(all, d.String())
		}
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{`error MissingParameter.TargetType message: pages say "TargetType is required."`, `parameter Members maxItems: pages say "6", contract says "5"`} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing %q in:\n%s", want, joined)
		}
	}
}

// TestGoldenPerLayout: each layout's page imports to its golden document.
func TestGoldenPerLayout(t *testing.T) {
	cases := map[string][]Input{
		"reference-en":      fixturePages(t)[0:2],
		"reference-zh-hant": fixturePages(t)[3:4],
		"portal-zh-hans":    fixturePages(t)[4:5],
		"markdown":          readInputs(t, filepath.Join("testdata", "pages", "list-accounts.md")),
		"cells":             readInputs(t, filepath.Join("testdata", "pages", "update-settings.txt")),
		"truncated":         readInputs(t, filepath.Join("testdata", "pages", "create-folder-truncated.txt")),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			res, err := Import(in)
			if err != nil {
				t.Fatal(err)
			}
			var warnings bytes.Buffer
			for _, w := range res.Warnings {
				warnings.WriteString("# warning: " + w.String() + "\n")
			}
			got := append(warnings.Bytes(), res.Document...)
			path := filepath.Join("testdata", "golden", name+".yaml")
			if *update {
				_ = os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenPerLayout -args -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; rerun with -args -update and review the diff", path)
			}
			if _, err := spec.Parse(name, res.Document); err != nil {
				t.Errorf("the import does not load: %v", err)
			}
		})
	}
}

// TestOwnPages: pages written for operations that are not among the seeds,
// in the other layouts, import with the facts they state.
func TestOwnPages(t *testing.T) {
	res, err := Import(readInputs(t, filepath.Join("testdata", "pages", "*")))
	if err != nil {
		t.Fatal(err)
	}
	api, err := spec.Parse("own.yaml", res.Document)
	if err != nil {
		t.Fatal(err)
	}
	list := api.Operation("ListAccounts")
	if list == nil {
		t.Fatal("ListAccounts not imported")
	}
	ps := list.Param("PageSize").Schema
	if *ps.Min != 1 || *ps.Max != 100 || !ps.Type.Is("integer") {
		t.Errorf("PageSize: %+v", ps)
	}
	if !list.Param("IncludeTags").Schema.Type.Is("boolean") || list.Param("IncludeTags").Example != true {
		t.Errorf("IncludeTags: %+v", list.Param("IncludeTags"))
	}
	if got := list.Param("Status").Schema.Enum; len(got) != 2 || got[1] != "Frozen" {
		t.Errorf("Status enum: %v", got)
	}
	tag := list.Param("Tag")
	if tag.Style != spec.StyleFlat || tag.Schema.Items.Value.Properties["Value"] == nil ||
		!strings.Contains(tag.Schema.Items.Value.Properties["Value"].Value.Description, "wrapped onto the next line") {
		t.Errorf("Tag: style %q items %+v", tag.Style, tag.Schema.Items.Value.Properties)
	}
	if *list.Param("QueryKeyword").Schema.MaxLength != 128 {
		t.Error("QueryKeyword maxLength")
	}
	acct := list.Response.Properties["Accounts"].Value.Properties["Account"].Value.Items.Value
	if acct.Properties["AccountId"] == nil || list.Response.Properties["TotalCount"] == nil || !list.Response.Properties["TotalCount"].Value.Type.Is("integer") {
		t.Errorf("response nesting: %+v", list.Response.Properties)
	}
	if len(list.Errors) != 3 || list.Errors[0].Status != 400 || len(list.Changes) != 1 {
		t.Errorf("errors %d, changes %d", len(list.Errors), len(list.Changes))
	}
	upd := api.Operation("UpdateAccountSettings")
	if upd == nil || !upd.Param("AccountId").Required || *upd.Param("SessionTimeout").Schema.Max != 43200 || !upd.Param("EnableMFA").Schema.Type.Is("boolean") {
		t.Fatalf("UpdateAccountSettings: %+v", upd)
	}
	if len(upd.Errors) != 2 || upd.Errors[1].Code != "EntityNotExists.Account" {
		t.Errorf("cells errors: %+v", upd.Errors)
	}
	folder := api.Operation("CreateFolder")
	if folder == nil || len(folder.Errors) != 2 || *folder.Param("FolderName").Schema.MaxLength != 24 {
		t.Fatalf("CreateFolder: %+v", folder)
	}
	truncated := false
	for _, w := range res.Warnings {
		truncated = truncated || strings.Contains(w.String(), "create-folder-truncated.txt:53: an error row cut short")
	}
	if !truncated {
		t.Errorf("the truncated error table was not reported: %v", res.Warnings)
	}
}

func TestSplitCode(t *testing.T) {
	cases := map[string]string{
		"InvalidParameter.ContactIdThe ContactId is invalid.": "InvalidParameter.ContactId",
		"MissingParameter.ContactIdYou must specify":          "MissingParameter.ContactId",
		"NoPermissionRAM user has no permission":              "NoPermission",
		"InvalidParameter.VPCThe VPC is invalid":              "InvalidParameter.VPC",
		"LimitExceeded.Invitation.InvalidTargetThe maximum":   "LimitExceeded.Invitation.InvalidTarget",
	}
	for in, want := range cases {
		if got, _, ok := SplitCode(in); !ok || got != want {
			t.Errorf("SplitCode(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	msg, desc := SplitMessage("The resource directory for the account is not enabled. We recommend that you first enable it.當前賬號未啟用資源目錄。")
	if msg != "The resource directory for the account is not enabled. We recommend that you first enable it." || desc != "當前賬號未啟用資源目錄。" {
		t.Errorf("SplitMessage: %q | %q", msg, desc)
	}
}

func TestBadInput(t *testing.T) {
	cases := map[string]string{
		"":                         "the file is empty",
		"\x00\x01\x02\x03":         "binary content",
		"\xff\xfe bad utf8":        "binary content",
		"just some text\nno title": "no signal names the operation",
		"<html><body>404</body>":   "no signal names the operation",
	}
	for in, want := range cases {
		_, err := Import([]Input{{Name: "bad.txt", Data: []byte(in)}})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.txt") {
			t.Errorf("%q: %v", in, err)
		}
	}
	// One good page among bad ones: imported, with the bad ones reported.
	in := append(fixturePages(t)[:1], Input{Name: "empty.txt", Data: nil})
	res, err := Import(in)
	if err != nil || len(res.Ops) != 1 || len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0].String(), "empty.txt") {
		t.Errorf("partial import: %v, %+v", err, res.Warnings)
	}
}

func TestDeterministic(t *testing.T) {
	a, err := Import(fixturePages(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Import(fixturePages(t))
	if !bytes.Equal(a.Document, b.Document) {
		t.Fatal("two imports of the same pages differ")
	}
}

// FuzzParsePage: no input panics the page reader; seeded with every page.
func FuzzParsePage(f *testing.F) {
	for _, in := range fixturePages(f) {
		f.Add(in.Data)
	}
	for _, in := range readInputs(f, filepath.Join("testdata", "pages", "*")) {
		f.Add(in.Data)
	}
	// The vendor's pages beside the project, when they are there: every
	// layout family and language the sites use.
	if shared, _ := filepath.Glob(filepath.Join(sharedPages, "*.txt")); len(shared) > 0 {
		for _, file := range shared {
			if data, err := os.ReadFile(file); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Import([]Input{{Name: "fuzz.txt", Data: data}})
		if err == nil && res.Document == nil {
			t.Fatal("no document and no error")
		}
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "the importer failed") {
				t.Fatalf("parser bug: %s", w.Msg)
			}
		}
	})
}

// BenchmarkImport reports pages imported per second (all five seed pages
// per iteration).
func BenchmarkImport(b *testing.B) { benchImport(b, fixturePages(b)) }

// benchImport imports the pages once per iteration and reports pages/s.
func benchImport(b *testing.B, in []Input) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Import(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(in))/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkImportSharedPages reports pages per second over the vendor's
// 60 pages of every layout beside the project (skipped without them).
func BenchmarkImportSharedPages(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(sharedPages, "*.txt"))
	if len(files) == 0 {
		b.Skip("the vendor's pages are not beside the project (../shared/pages)")
	}
	var in []Input
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		in = append(in, Input{Name: filepath.Base(f), Data: data})
	}
	benchImport(b, in)
}

// TestMergeRevisions: two revisions of one page merge; where they disagree
// the later one wins and the conflict carries both values.
func TestMergeRevisions(t *testing.T) {
	pages := fixturePages(t)
	old := pages[1] // the 2025 revision, rewritten as if it were older…
	older := Input{Name: "fixtures/docs/older.txt", Data: []byte(strings.Replace(
		strings.Replace(string(old.Data), "Last Updated:Jul 25, 2025", "Last Updated:Jan 1, 2020", 1),
		"This Contact does not exist.", "The contact does not exist.", 1))}
	res, err := Import([]Input{pages[0], older})
	if err != nil {
		t.Fatal(err)
	}
	var c *Conflict
	for _, x := range res.Conflicts {
		if strings.Contains(x.Subject, "EntityNotExists.Contact message") {
			c = x
		}
	}
	if c == nil || c.Values["polder"] != "The contact does not exist." || c.Values["p000_0d983348c5d5b34f"] != "This Contact does not exist." || c.Taken != "This Contact does not exist." {
		t.Fatalf("conflict: %+v (all: %v)", c, res.Conflicts)
	}
	api, err := spec.Parse("merged.yaml", res.Document)
	if err != nil {
		t.Fatal(err)
	}
	op := api.Operation("AssociateMembers")
	if op.Error("EntityNotExists.Contact").Message != "This Contact does not exist." || len(op.Disagreements) == 0 {
		t.Errorf("the later revision did not win or the disagreement is not recorded: %+v", op.Disagreements)
	}
	if op.RAM == nil || op.RAM.Action != "resourcemanager:AssociateMembers" {
		t.Errorf("RAM from the revision that states it: %+v", op.RAM)
	}
}
