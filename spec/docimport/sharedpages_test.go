package docimport

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The vendor's pages and metadata beside the project (../shared): read by
// the tests, never copied into the repository.
var (
	sharedPages    = filepath.Join("..", "..", "..", "shared", "pages")
	sharedMetadata = filepath.Join("..", "..", "..", "shared", "metadata")
)

// sharedPage is one row of ../shared/pages/INDEX.tsv.
type sharedPage struct {
	File, Product, Version, Operation, Language, URL, Layout, Truncated string
}

func readSharedIndex(t testing.TB) []sharedPage {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedPages, "INDEX.tsv"))
	if err != nil {
		t.Skipf("the vendor's pages are not beside the project (%v): this test measures the importer against ../shared/pages", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("INDEX.tsv: %v", err)
	}
	var out []sharedPage
	for _, row := range rows[1:] {
		if len(row) < 8 {
			t.Fatalf("INDEX.tsv: a row of %d columns: %v", len(row), row)
		}
		out = append(out, sharedPage{row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7]})
	}
	return out
}

// metaParam is a request parameter of the vendor's metadata, flattened:
// an array of objects contributes its item properties as Parent.Child.
type metaParam struct {
	Name, Type string
	Required   bool
}

type metaError struct {
	Status        int
	Code, Message string
}

type metaOp struct {
	Params []metaParam
	Errors []metaError
}

func readMetadata(t testing.TB, file string) map[string]*metaOp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedMetadata, file))
	if err != nil {
		t.Skipf("the vendor's metadata is not beside the project (%v)", err)
	}
	type schema struct {
		Type       string             `json:"type"`
		Required   bool               `json:"required"`
		Items      *schema            `json:"items"`
		Properties map[string]*schema `json:"properties"`
	}
	var doc struct {
		APIs map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				Schema schema `json:"schema"`
			} `json:"parameters"`
			ErrorCodes map[string][]struct {
				Code    string `json:"errorCode"`
				Message string `json:"errorMessage"`
			} `json:"errorCodes"`
		} `json:"apis"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	out := map[string]*metaOp{}
	for action, api := range doc.APIs {
		op := &metaOp{}
		for _, p := range api.Parameters {
			op.Params = append(op.Params, metaParam{p.Name, p.Schema.Type, p.Schema.Required})
			if it := p.Schema.Items; it != nil && it.Type == "object" {
				for name, c := range it.Properties {
					op.Params = append(op.Params, metaParam{p.Name + "." + name, c.Type, c.Required})
				}
			}
		}
		for status, rows := range api.ErrorCodes {
			var n int
			fmt.Sscan(status, &n)
			for _, e := range rows {
				op.Errors = append(op.Errors, metaError{n, e.Code, e.Message})
			}
		}
		sort.Slice(op.Params, func(i, j int) bool { return op.Params[i].Name < op.Params[j].Name })
		out[action] = op
	}
	return out
}

// heldParam says whether the page's text holds a table row of the
// parameter: a line (or a pipe cell) that starts with its name, or its
// flat form (Tag.N.Key), followed by the end, a space, a pipe or a type.
// A name that appears only in prose or in a lost cell is not held.
func heldParam(text, name string) bool {
	forms := []string{regexp.QuoteMeta(name)}
	if parent, child, ok := strings.Cut(name, "."); ok {
		forms = append(forms, regexp.QuoteMeta(parent+".N."+child), regexp.QuoteMeta(child))
	} else {
		forms = append(forms, regexp.QuoteMeta(name+".N"))
	}
	re := regexp.MustCompile(`(?m)(^|\|)[ \t]*(?:` + strings.Join(forms, "|") + `)(?:$|[ \t|]|(?i:string|integer|long|boolean|object|array|struct|list|int|double|float|number|map|repeatlist))`)
	return re.MatchString(text)
}

// heldError says whether the page holds a row of the code: the code after
// a status (glued or separated), at a line start or in a pipe cell.
func heldError(text, code string) bool {
	re := regexp.MustCompile(`(?m)(^|\||[45]\d\d|\s)` + regexp.QuoteMeta(code) + `($|[^a-z0-9.])`)
	return re.MatchString(text)
}

func metaTypeOf(metaType string) string {
	switch metaType {
	case "integer", "number", "boolean", "string", "array", "object":
		return metaType
	}
	return metaType
}

// paramsByName flattens an import's parameters the way metaParam is: the
// children of an array of objects as Parent.Child.
func paramsByName(fs []*Field) map[string]*Field {
	m := map[string]*Field{}
	for _, f := range fs {
		m[f.Name] = f
		for _, c := range f.Children {
			if c.Name != "[*]" {
				m[f.Name+"."+c.Name] = c
			}
		}
	}
	return m
}

func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// score is recovered/held per group.
type score struct{ pages, opsRight, params, paramsHeld, errs, errsHeld, extra, reqUnknown int }

func (s *score) add(o score) {
	s.pages += o.pages
	s.opsRight += o.opsRight
	s.params += o.params
	s.paramsHeld += o.paramsHeld
	s.errs += o.errs
	s.errsHeld += o.errsHeld
	s.extra += o.extra
	s.reqUnknown += o.reqUnknown
}

func pct(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

// TestSharedPages imports every page of ../shared/pages and measures it
// against the vendor's metadata: the operation named, and of the parameter
// rows (name, type, required where the import reads one) and error rows
// (status, code, message) the page's text holds, the share recovered — per
// layout family, per language and overall. It fails below 95% overall or
// when a page names the wrong operation. -v prints the table.
func TestSharedPages(t *testing.T) {
	index := readSharedIndex(t)
	meta := map[string]map[string]*metaOp{
		"ResourceDirectoryMaster": readMetadata(t, "resourcedirectorymaster-2022-04-19.api-docs.json"),
		"ResourceManager":         readMetadata(t, "resourcemanager-2020-03-31.api-docs.json"),
	}
	byLayout, byLang := map[string]*score{}, map[string]*score{}
	var total score
	var misses []string
	namedBy := map[string]int{}
	for _, sp := range index {
		data, err := os.ReadFile(filepath.Join(sharedPages, sp.File))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		op := meta[sp.Product][sp.Operation]
		if op == nil {
			// The metadata copy predates the operation: only its name is
			// checked.
			t.Logf("%s: the metadata has no %s %s; only the operation name is checked", sp.File, sp.Product, sp.Operation)
			op = &metaOp{}
		}
		var s score
		s.pages = 1
		p, err := parseSafely(Input{Name: sp.File, Data: data})
		if err != nil {
			misses = append(misses, fmt.Sprintf("%s: refused: %v", sp.File, err))
			p = &Page{}
		}
		namedBy[p.ActionFrom]++
		if p.Action == sp.Operation {
			s.opsRight++
		} else {
			t.Errorf("%s: the import names operation %q, the page is %s", sp.File, p.Action, sp.Operation)
		}
		got := paramsByName(p.Params)
		for _, mp := range op.Params {
			if !heldParam(text, mp.Name) {
				continue
			}
			s.paramsHeld++
			f := got[mp.Name]
			switch {
			case f == nil:
				misses = append(misses, fmt.Sprintf("%s: parameter %s not recovered", sp.File, mp.Name))
			case f.Type != metaTypeOf(mp.Type):
				misses = append(misses, fmt.Sprintf("%s: parameter %s typed %s, metadata %s", sp.File, mp.Name, f.Type, mp.Type))
			case f.Required != nil && *f.Required != mp.Required:
				misses = append(misses, fmt.Sprintf("%s: parameter %s required=%v, metadata %v", sp.File, mp.Name, *f.Required, mp.Required))
			default:
				s.params++
				if f.Required == nil {
					s.reqUnknown++
				}
			}
		}
		known := map[string]bool{}
		for _, mp := range op.Params {
			known[mp.Name] = true
		}
		for name := range got {
			if !known[name] && name != "Action" {
				s.extra++
				misses = append(misses, fmt.Sprintf("%s: parameter %s is not the operation's", sp.File, name))
			}
		}
		errs := map[string]*ErrorRow{}
		for _, e := range p.Errors {
			errs[e.Code] = e
		}
		for _, me := range op.Errors {
			if !heldError(text, me.Code) {
				continue
			}
			s.errsHeld++
			e := errs[me.Code]
			msgOK := false
			if e != nil {
				got, want := squash(e.Message), squash(me.Message)
				msgOK = got == want ||
					got != "" && strings.HasPrefix(want, got) && strings.HasSuffix(strings.TrimSpace(text), strings.TrimSpace(e.Message)) || // cut by truncation
					got != "" && !strings.Contains(squash(text), want) && strings.Contains(squash(text), got) // this revision's wording
			}
			switch {
			case e == nil:
				misses = append(misses, fmt.Sprintf("%s: error %s not recovered", sp.File, me.Code))
			case e.Status != me.Status:
				misses = append(misses, fmt.Sprintf("%s: error %s status %d, metadata %d", sp.File, me.Code, e.Status, me.Status))
			case !msgOK:
				misses = append(misses, fmt.Sprintf("%s: error %s message %q, metadata %q", sp.File, me.Code, e.Message, me.Message))
			default:
				s.errs++
			}
		}
		for g, key := range map[*map[string]*score]string{&byLayout: sp.Layout, &byLang: sp.Language} {
			if (*g)[key] == nil {
				(*g)[key] = &score{}
			}
			(*g)[key].add(s)
		}
		total.add(s)
	}
	var b strings.Builder
	row := func(name string, s *score) {
		fmt.Fprintf(&b, "| %s | %d | %d/%d | %d/%d %s | %d/%d %s | %d/%d %s | %d | %d |\n", name, s.pages, s.opsRight, s.pages,
			s.params, s.paramsHeld, pct(s.params, s.paramsHeld), s.errs, s.errsHeld, pct(s.errs, s.errsHeld),
			s.params+s.errs, s.paramsHeld+s.errsHeld, pct(s.params+s.errs, s.paramsHeld+s.errsHeld), s.reqUnknown, s.extra)
	}
	b.WriteString("| group | pages | operation right | parameters | error rows | both | required unread | not the operation's |\n|---|---|---|---|---|---|---|---|\n")
	for _, g := range []map[string]*score{byLayout, byLang} {
		var keys []string
		for k := range g {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			row(k, g[k])
		}
	}
	row("**all**", &total)
	var signals []string
	for k, v := range namedBy {
		signals = append(signals, fmt.Sprintf("%s %d", k, v))
	}
	sort.Strings(signals)
	fmt.Fprintf(&b, "\noperation named by: %s\n", strings.Join(signals, ", "))
	t.Logf("import of ../shared/pages against ../shared/metadata:\n%s", b.String())
	if testing.Verbose() {
		for _, m := range misses {
			t.Log(m)
		}
	}
	got, held := total.params+total.errs, total.paramsHeld+total.errsHeld
	if held == 0 || float64(got) < 0.95*float64(held) {
		t.Errorf("recovered %d of %d parameter and error rows the pages hold (%s), below 95%%; -v lists each miss", got, held, pct(got, held))
	}
}
