package docimport

import (
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Which operation a page documents is read from every signal it has, in
// this order; the first that names one wins, and Page.ActionFrom records
// which it was:
//
//  1. --action (ParsePageAs): the user's word overrides the page;
//  2. the title: "Product:Op", ":Op", "Product:Op - summary", "Op - …",
//     "# Op", the portal's "Op_…_API文档";
//  3. the Action row of the request table (2020–22 template), or its
//     sentence "Set the value to Op" where the row lost its cells;
//  4. a sample request's ?Action=Op;
//  5. the RAM action (resourcemanager:Op);
//  6. the page's opening text, before any section: "Use Op to", "调用Op",
//     "call the Op operation" (later sentences name other operations too);
//  7. a bare name line before the first section (GetFolder);
//  8. the file name (…_GetFolder_en.txt).
//
// Never a value read inside a table cell other than the Action row's.
var (
	reSampleAction = regexp.MustCompile(`[?&]\s*Action=([A-Z][A-Za-z0-9]+)`)
	reCallEN       = regexp.MustCompile(`(?:\b[Cc]all(?:s|ing)?\s+(?:the\s+)?|^Use\s+)([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)(?:\s+(?:operation|API)|\s+to\b)`)
	reCallZH       = regexp.MustCompile(`^(?:调用|呼叫|調用|使用)\s*([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)+)`)
	reRAMSignal    = regexp.MustCompile(`^[a-z][a-z0-9-]*:([A-Z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*)*?)(?:create|update|delete|read|list|get)?$`)
	reBareName     = regexp.MustCompile(`^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$`)
	reFileAction   = regexp.MustCompile(`[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+`)
	reNonWord      = regexp.MustCompile(`[^A-Za-z0-9]+`)
	reURLVersion   = regexp.MustCompile(`api-([a-z]+)-(\d{4}-\d{2}-\d{2})-`)
	reCommonParams = regexp.MustCompile(`(?i)common (?:request )?parameters|公共请求参数|公共參數|公共参数|共通リクエストパラメーター|parâmetros comuns`)
)

// ValidAction says whether s has an operation name's shape.
func ValidAction(s string) bool { return reActionName.MatchString(s) }

// signals notes what a line says about the operation's identity.
func (r *reader) signals(t string) {
	if r.bySample == "" {
		if m := reSampleAction.FindStringSubmatch(t); m != nil {
			r.bySample = m[1]
		}
	}
	if r.section == "" && r.byCall == "" {
		if m := reCallEN.FindStringSubmatch(t); m != nil {
			r.byCall = m[1]
		} else if m := reCallZH.FindStringSubmatch(t); m != nil {
			r.byCall = m[1]
		}
	}
	if r.section == "" && r.byBare == "" && reBareName.MatchString(t) && headerRoles(t) == nil {
		r.byBare = t
	}
	if r.byRAM == "" && (r.section == "ram" || r.section == "") {
		for _, c := range strings.Split(t, "|") {
			if m := reRAMSignal.FindStringSubmatch(strings.TrimSpace(c)); m != nil {
				r.byRAM = m[1]
				break
			}
		}
	}
	if r.bySetValue == "" && r.section == "request" {
		if m := reActionIn.FindStringSubmatch(t); m != nil && strings.Contains(t, "operation") || m != nil && strings.Contains(t, "操作") {
			r.bySetValue = m[1]
		}
	}
	if r.p.Version == "" {
		if m := reURLVersion.FindStringSubmatch(t); m != nil {
			r.p.Version = m[2]
		}
	}
}

// identify settles the operation's name from the signals, in order.
func (r *reader) identify(explicit string) {
	p := r.p
	fromFile := ""
	base := strings.TrimSuffix(filepath.Base(p.File), filepath.Ext(p.File))
	for _, w := range reNonWord.Split(base, -1) {
		if reFileAction.MatchString(w) && reFileAction.FindString(w) == w {
			fromFile = w
			break
		}
	}
	if m := reURLVersion.FindStringSubmatch(base); m != nil && p.Version == "" {
		p.Version = m[2]
	}
	for _, s := range []struct{ from, name string }{
		{"--action", explicit},
		{"title", p.Action},
		{"Action row", r.byActionRow},
		{"Action row", r.bySetValue},
		{"sample request", r.bySample},
		{"RAM action", r.byRAM},
		{"operation description", r.byCall},
		{"name line", r.byBare},
		{"file name", fromFile},
	} {
		if s.name != "" {
			p.Action, p.ActionFrom = s.name, s.from
			break
		}
	}
	// The other signals that disagree are worth a word: a page whose
	// Action row names another operation than its title is suspect.
	for _, s := range []struct{ from, name string }{{"Action row", r.byActionRow}, {"sample request", r.bySample}} {
		if s.name != "" && p.Action != "" && s.name != p.Action {
			r.warn(0, "the %s names %s, the %s %s; %s is taken", s.from, s.name, p.ActionFrom, p.Action, p.Action)
		}
	}
}

// truncation says where a page cut short ends: inside which table, after
// which row. A page whose last line is a complete sentence, a closed
// sample or a footer is taken as whole.
func (r *reader) truncation() {
	last, n := "", 0
	for i := len(r.lines) - 1; i >= 0; i-- {
		if t := strings.TrimSpace(r.lines[i]); t != "" {
			last, n = t, i+1
			break
		}
	}
	switch r.section {
	case "request", "response", "errors", "examples", "":
	default:
		return // a change history or a footer ends a page, complete or not
	}
	if last == "" {
		return
	}
	if end, _ := utf8.DecodeLastRuneInString(last); strings.ContainsRune(".。!?)）}]>|」", end) {
		return
	}
	if k := len(r.p.Errors); r.section == "errors" && k > 0 && r.p.Errors[k-1].Line == n && r.p.Errors[k-1].Message == "" {
		// the last row is cut inside its code: what is left is no code
		r.warn(n, "the text ends inside the error table, in the code of its last row (%q): that row is dropped and the page looks cut short", snippet(last))
		r.p.Errors = r.p.Errors[:k-1]
		return
	}
	if k := len(r.p.Warnings); k > 0 && r.p.Warnings[k-1].Line == n {
		return // the last line's problem is said already
	}
	// A value cut short is no example: the row keeps its name, type and
	// description as far as they go.
	var walk func(fs []*Field) bool
	walk = func(fs []*Field) bool {
		for i := len(fs) - 1; i >= 0; i-- {
			if walk(fs[i].Children) {
				return true
			}
			if ex := strings.TrimSpace(fs[i].Example); ex != "" && strings.HasSuffix(last, ex) {
				if fs[i].Description == "" && utf8.RuneCountInString(ex) > 20 {
					fs[i].Description = ex // a description cut short, not an example
				}
				fs[i].Example = ""
				return true
			}
		}
		return false
	}
	if r.section == "request" || r.section == "response" {
		if !walk(r.p.Response) {
			walk(r.p.Params)
		}
	}
	if k := len(r.p.Errors); r.section == "errors" && k > 0 && r.p.Errors[k-1].Line == n {
		r.p.Errors[k-1].Cut = true
	}
	where := "in the " + sectionName(r.section)
	switch r.section {
	case "request", "response":
		where = "inside the " + r.section + " table"
		if r.lastRow != "" {
			where += " after row " + r.lastRow
		}
	case "errors":
		where = "inside the error table"
		if k := len(r.p.Errors); k > 0 {
			where += " after code " + r.p.Errors[k-1].Code
		}
	}
	r.warn(n, "the text ends %s, mid-line (%q): the page looks cut short, and what it held after that point is not in the import", where, snippet(last))
}

func sectionName(s string) string {
	switch s {
	case "":
		return "operation description"
	case "examples":
		return "examples"
	case "ram":
		return "authorization section"
	case "history":
		return "change history"
	case "rate":
		return "rate-limit section"
	}
	return s + " section"
}
