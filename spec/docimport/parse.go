package docimport

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNotAPage means nothing could be read from a file.
var ErrNotAPage = errors.New("not an API reference page")

var (
	reTitleEN       = regexp.MustCompile(`^[^:：•]{0,60}[:：]\s*([A-Z][A-Za-z0-9]+)\s*$`)
	reTitleProdDash = regexp.MustCompile(`^[^:：•]{0,60}[:：]\s*([A-Z][A-Za-z0-9]+)\s+-\s+(.+)$`)
	reTitleDash     = regexp.MustCompile(`^([A-Z][A-Za-z0-9]+)\s+-\s+(.+)$`)
	reTitlePortal   = regexp.MustCompile(`^([A-Z][A-Za-z0-9]+)_([^_]+)_API文档`)
	reTitleMD       = regexp.MustCompile(`^#\s+([A-Z][A-Za-z0-9]+)\s*(?:[-:：]\s*(.*))?$`)
	reUpdatedEN     = regexp.MustCompile(`^Last Updated:\s*(\w+ \d+, \d{4})`)
	reUpdatedZH     = regexp.MustCompile(`(?:更新时间|更新時間|最近更新)[:：]\s*(\d{4}-\d{2}-\d{2})`)
	reProduct       = regexp.MustCompile(`^(?:Product|产品|產品)\s*[:：]\s*([A-Za-z][A-Za-z0-9]+)`)
	reVersion       = regexp.MustCompile(`^(?:Version|API version|版本)\s*[:：]\s*(\d{4}-\d{2}-\d{2})`)
	reEnum          = regexp.MustCompile(`^\s*(?:•|-|\*)\s*([A-Za-z0-9_.-]+)\s*[:：]\s*(.*)$`)
	reBullet        = regexp.MustCompile(`^\s*(?:•|-|\*)\s+`)
	reCode          = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$`)
	reDate          = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(.*)$`)
	reRAMAction     = regexp.MustCompile(`^([a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*?)(create|update|delete|read|list|get)?$`)
)

// headings name the sections in every language and layout.
var headings = map[string]string{
	"request parameters": "request", "請求參數": "request", "请求参数": "request", "リクエストパラメーター": "request",
	"parâmetros da solicitação": "request", "parâmetros de solicitação": "request", "parâmetros de requisição": "request",
	"response parameters": "response", "response elements": "response", "返回參數": "response", "返回参数": "response",
	"返回数据": "response", "返回數據": "response", "レスポンスフィールド": "response", "レスポンスパラメーター": "response", "レスポンスパラメータ": "response",
	"parâmetros de resposta": "response", "elementos de resposta": "response",
	"examples": "examples", "示例": "examples", "返回示例": "examples", "正常返回示例": "examples", "樣本": "examples", "样本": "examples",
	"例": "examples", "exemplos": "examples", "sample requests": "examples", "sample success responses": "examples", "請求示例": "examples", "请求示例": "examples",
	"error codes": "errors", "錯誤碼": "errors", "错误码": "errors", "エラーコード": "errors", "códigos de erro": "errors",
	"change history": "history", "變更歷史": "history", "变更历史": "history", "変更履歴": "history", "histórico de alterações": "history", "release notes": "other",
	"authorization information": "ram", "ram authorization": "ram", "授權信息": "ram", "授权信息": "ram", "授權資訊": "ram", "ram 認証": "ram", "autorização ram": "ram",
	"流控信息": "rate", "rate limiting": "rate", "debugging": "other", "調試": "other", "调试": "other", "デバッグ": "other", "depuração": "other",
	"相关示例": "other", "related examples": "other", "try it now": "other", "今すぐお試しください": "other", "experimente agora": "other",
	"request syntax": "other", "请求语法": "other", "請求文法": "other", "請求語法": "other", "operation description": "other", "usage notes": "other",
	"操作説明": "other", "接口说明": "other", "介面說明": "other", "descrição da operação": "other",
}

// heading reads a line as a section heading: the words alone, after a
// Markdown #, or glued to the end of what came before (}Error codes).
func heading(line string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "# ")))
	s = strings.TrimRight(s, ":：")
	if sec, ok := headings[s]; ok {
		return sec, true
	}
	if t := strings.TrimLeft(s, "}]) "); t != s {
		if sec, ok := headings[t]; ok {
			return sec, true
		}
	}
	return "", false
}

// rePortuguese: words of the Portuguese pages (pt-BR is not English).
var rePortuguese = regexp.MustCompile(`(?i)\b(?:não|sim|parâmetros?|solicitação|descrição|exemplo|obrigatório|operação|você|para|valor|padrão|conta)\b`)

// script maps characters that differ between Traditional and Simplified
// Chinese to +1 (Traditional) or -1 (Simplified).
var script = func() map[rune]int {
	pairs := []string{"參参", "數数", "請请", "碼码", "錯错", "誤误", "賬账", "資资", "標标", "簽签", "類类", "說说", "時时", "間间", "應应", "這这", "開开", "頭头", "歷历", "變变", "權权", "認认", "為为", "於于", "個个", "無无", "項项", "發发", "選选"}
	m := map[rune]int{}
	for _, p := range pairs {
		rs := []rune(p)
		m[rs[0]], m[rs[1]] = 1, -1
	}
	return m
}()

// language tells the sites' languages apart: Japanese by its kana,
// Portuguese by its words, Traditional and Simplified Chinese by characters
// that differ between the two scripts, English otherwise.
func language(lines []string) string {
	score, han, kana, pt := 0, 0, 0, 0
	for _, l := range lines {
		pt += len(rePortuguese.FindAllString(l, -1))
		for _, r := range l {
			if unicode.In(r, unicode.Hiragana, unicode.Katakana) {
				kana++
			}
			if r < 0x2E80 {
				continue
			}
			if unicode.Is(unicode.Han, r) {
				han++
			}
			score += script[r]
		}
	}
	switch {
	case kana >= 10:
		return "ja"
	case han < 20 && pt >= 3:
		return "pt-BR"
	case han < 20:
		return "en"
	case score > 0:
		return "zh-Hant"
	}
	return "zh-Hans"
}

func layout(lines []string) string {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "|") || strings.Count(t, " | ") >= 3:
			return "markdown"
		case t == "字段名称字段详情" || strings.HasPrefix(t, "示例值:") || strings.HasPrefix(t, "示例值："):
			return "portal"
		case (t == "Parameter" || t == "名称" || t == "名稱") && i+1 < len(lines) && strings.TrimSpace(lines[i+1]) == "Type" ||
			(t == "名称" || t == "名稱") && i+1 < len(lines) && (strings.TrimSpace(lines[i+1]) == "类型" || strings.TrimSpace(lines[i+1]) == "類型"):
			return "cells"
		}
	}
	return "reference"
}

// ParsePage reads one page. It fails only when the file is no page at all
// (empty, binary, nothing that names an operation); anything else it cannot
// read becomes a warning naming the line.
func ParsePage(file string, data []byte) (*Page, error) { return ParsePageAs(file, data, "") }

// ParsePageAs is ParsePage with the operation given (acsconform import
// --action): it overrides every signal of the page.
func ParsePageAs(file string, data []byte, action string) (*Page, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty: %w", file, ErrNotAPage)
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	if bytes.IndexByte(head, 0) >= 0 || !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: binary content, not a text page: %w", file, ErrNotAPage)
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	p := &Page{File: file}
	start := 0
	if i, m := titleLine(lines); i >= 0 {
		p.Title, start = strings.TrimSpace(lines[i]), i+1
		if len(m) > 2 {
			p.Summary = strings.TrimSpace(m[2])
		}
		if len(m) > 1 {
			p.Action = m[1]
		}
	}
	body := lines[start:]
	p.Language = language(body)
	p.Layout = layout(body)
	r := &reader{p: p, lines: lines, start: start}
	r.read()
	r.identify(action)
	if p.Action == "" {
		return nil, fmt.Errorf("%s: no signal names the operation — no title (\"Resource Management:AssociateMembers\", \"InviteAccountToResourceDirectory - …\"), Action row, sample request (?Action=…), \"call the X operation\" sentence, RAM action or file name does (give it with --action): %w", file, ErrNotAPage)
	}
	if len(p.Params) == 0 && len(p.Errors) == 0 && len(p.Response) == 0 {
		p.Warnings = append(p.Warnings, Warning{File: file, Line: start, Msg: "the page names the operation but no parameter, response or error table could be read"})
	}
	r.truncation()
	return p, nil
}

// titleLine finds the page's title among the lines before the first
// section heading: "Product:Op", ":Op", "Product:Op - summary", "Op - …",
// "# Op", the portal's "Op_…_API文档". A bullet or a table cell is never
// a title.
func titleLine(lines []string) (int, []string) {
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if _, ok := heading(t); ok {
			break
		}
		if len(t) >= 200 || reBullet.MatchString(t) || strings.Contains(t, "|") {
			continue
		}
		for _, re := range []*regexp.Regexp{reTitlePortal, reTitleMD, reTitleDash, reTitleEN, reTitleProdDash} {
			if m := re.FindStringSubmatch(t); m != nil {
				if re == reTitleEN || re == reTitlePortal {
					m = m[:2]
				}
				return i, m
			}
		}
	}
	return -1, nil
}

// reader walks a page's lines by section.
type reader struct {
	p       *Page
	lines   []string
	start   int
	section string
	// current table rows of the section, with the lines that follow each
	rows []*rowBlock
	// columns say whether the table has Required and Example columns
	hasRequired, hasExample bool
	summarised              bool
	// pending prose limits, placed by attachLimits
	pending []*Limit
	// the current section's table text, read when the section ends
	tt        tableText
	lastTable string
	// the operation's name by each signal that named it
	byActionRow, bySetValue, bySample, byCall, byRAM, byBare string
	lastRow                                                  string
	warnedPosition                                           map[*Field]bool
}

type rowBlock struct {
	name, typ, required string
	item                string // an array's items' type, from the type cell
	example             string
	exampleSet          bool // the example was read from its own cell
	line                int
	body                []string
	bodyLines           []int
}

func (r *reader) warn(line int, format string, args ...any) {
	r.p.Warnings = append(r.p.Warnings, Warning{File: r.p.File, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) read() {
	var examples []string
	var ramLines []int
	var histLines []int
	for i := r.start; i < len(r.lines); i++ {
		raw := strings.TrimRight(r.lines[i], " \t")
		t := strings.TrimSpace(raw)
		n := i + 1
		sec, ok := heading(t)
		if !ok && i+1 < len(r.lines) && t != "" && !strings.ContainsAny(t, " |") {
			// a heading broken over two lines (Parâmetr / os da solicitação)
			if sec, ok = heading(t + strings.TrimSpace(r.lines[i+1])); ok {
				i++
			}
		}
		if !ok && r.section != "errors" && r.section != "history" && reErrorRowStart.MatchString(t) {
			// rows of a status and a dotted code are an error table,
			// whatever heading (or none) the page gives them
			sec, ok = "errors", true
			i-- // the row is read in the new section
		}
		if ok {
			r.flushSection()
			r.section = sec
			r.hasRequired, r.hasExample = false, false
			continue
		}
		r.prose(n, t)
		if m := reUpdatedEN.FindStringSubmatch(t); m != nil {
			if d, err := time.Parse("Jan 2, 2006", m[1]); err == nil {
				r.p.LastUpdated = d.Format("2006-01-02")
			}
			continue
		}
		if m := reUpdatedZH.FindStringSubmatch(t); m != nil {
			r.p.LastUpdated = m[1]
		}
		if m := reProduct.FindStringSubmatch(t); m != nil {
			r.p.Product = m[1]
		}
		if m := reVersion.FindStringSubmatch(t); m != nil {
			r.p.Version = m[1]
		}
		r.signals(t)
		switch r.section {
		case "":
			// The portal layout opens with site chrome, not a summary.
			if !r.summarised && r.p.Layout != "portal" && isSentence(t) && !strings.HasPrefix(t, "Last Updated") && !reUpdatedZH.MatchString(t) {
				r.p.Summary, r.summarised = t, true
			}
		case "request", "response", "errors":
			r.tt.lines, r.tt.nums = append(r.tt.lines, raw), append(r.tt.nums, n)
		case "examples":
			examples = append(examples, raw)
		case "ram":
			ramLines = append(ramLines, n)
		case "history":
			histLines = append(histLines, n)
		}
	}
	r.flushSection()
	r.sample(examples)
	r.ram(ramLines)
	r.history(histLines)
	r.attachLimits()
}

// flushSection reads the table text of the section that ends.
func (r *reader) flushSection() {
	tt := r.tt
	r.tt = tableText{}
	if len(tt.lines) == 0 {
		return
	}
	r.lastTable = r.section
	switch r.section {
	case "request", "response":
		r.readParamTable(tt)
		r.flushTable()
	case "errors":
		r.readErrorTable(tt)
	}
}

func (r *reader) line(n int) string { return strings.TrimSpace(r.lines[n-1]) }

func required(s string) *bool {
	switch s {
	case "Yes":
		b := true
		return &b
	case "No":
		b := false
		return &b
	}
	return nil
}

// field turns a row and the lines below it into a field: enum bullets,
// description, and the example (the last short line, or "示例值:" on the
// portal).
func (r *reader) field(b *rowBlock) *Field {
	f := &Field{Name: b.name, Type: b.typ, ItemType: b.item, Required: required(b.required), Line: b.line}
	body := b.body
	// the example: its own cell, or the last line of the row when the
	// table has an Example column and the line has an example's shape
	if !b.exampleSet && r.hasExample && len(body) > 0 {
		last := strings.TrimSpace(body[len(body)-1])
		if last == "" {
			body = body[:len(body)-1]
		} else if isExample(last) && !reEnum.MatchString(last) && (len(body) > 1 || r.p.Layout != "portal") && !strings.HasPrefix(last, "示例值") {
			f.Example, body = strings.Trim(last, "` "), body[:len(body)-1]
		}
	}
	var desc []string
	refs := false // the portal's "参考取值来源" list of operations follows
	for _, l := range body {
		t := strings.TrimSpace(l)
		if reCommonParams.MatchString(t) {
			continue
		}
		if j := strings.Index(t, "参考取值来源"); j >= 0 {
			t, refs = t[:j], true
		} else if refs {
			continue
		}
		t = strings.TrimSuffix(strings.TrimSuffix(t, "展开详情"), "展開詳情")
		switch {
		case strings.HasPrefix(t, "示例值:") || strings.HasPrefix(t, "示例值："):
			ex := strings.TrimSpace(t[strings.IndexAny(t, ":：")+len(":"):])
			ex = strings.TrimPrefix(ex, "：")
			if j := strings.Index(ex, "参考取值来源"); j >= 0 {
				ex = ex[:j]
			}
			f.Example = strings.TrimSpace(ex)
		case reEnum.MatchString(t) && looksLikeEnum(t):
			m := reEnum.FindStringSubmatch(t)
			f.Enum = append(f.Enum, EnumValue{Value: m[1], Description: strings.TrimSpace(m[2])})
		case t != "" && !reBullet.MatchString(t):
			desc = append(desc, t)
		case reBullet.MatchString(t):
			desc = append(desc, reBullet.ReplaceAllString(t, ""))
		}
	}
	f.Description = strings.Join(desc, " ")
	if b.exampleSet {
		f.Example = strings.Trim(b.example, "` ")
	}
	return f
}

// isSentence: a summary is a sentence, not site chrome ("插件下载了解更多").
func isSentence(t string) bool {
	last, _ := utf8.DecodeLastRuneInString(t)
	return t != "" && strings.ContainsRune(".。", last)
}

// looksLikeEnum: "• Account:賬號 ID。" is a value; "• ID of a folder" is not.
func looksLikeEnum(t string) bool {
	m := reEnum.FindStringSubmatch(t)
	return m != nil && !strings.Contains(m[1], " ")
}

// isExample: an example cell is one short line without sentence punctuation.
func isExample(t string) bool {
	if t == "" || utf8.RuneCountInString(t) > 80 || reBullet.MatchString(t) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(t)
	return !strings.ContainsRune(".。:：", last) && !strings.HasPrefix(t, "Valid values")
}

// flushTable builds the section's fields from its rows and nests them on
// evidence only: dotted and flat names (Tag.N.Key), unnamed item rows, and
// for a list of objects the rows that follow it (the Key/Value pair of a
// tag; otherwise up to the end of the table, said in a warning). A table
// of the request section that reaches RequestId has become the response:
// the rows from there on are response fields.
func (r *reader) flushTable() {
	if len(r.rows) == 0 {
		return
	}
	target := r.section
	var fields []*Field
	var parent *Field
	flush := func() {
		if target == "request" {
			r.p.Params = append(r.p.Params, fields...)
		} else {
			r.p.Response = append(r.p.Response, fields...)
		}
		fields, parent = nil, nil
	}
	for _, b := range r.rows {
		f := r.field(b)
		r.lastRow = f.Name
		if target == "request" && f.Name == "RequestId" {
			flush()
			target = "response"
		}
		if target == "request" && f.Name == "Action" {
			// the 2020–22 template's Action row names the operation; it is
			// a common parameter, not one of the operation's
			if v := strings.TrimSpace(f.Example); reActionName.MatchString(v) {
				r.byActionRow = v
			} else if m := reActionIn.FindStringSubmatch(f.Description); m != nil {
				r.byActionRow = m[1]
			}
			continue
		}
		if m := reFlatName.FindStringSubmatch(f.Name); m != nil && target == "request" {
			r.flat(&fields, f, m[1], m[2])
			parent = nil
			continue
		}
		switch {
		case f.Name == "" && len(fields) == 0 && target == "response":
			// the unnamed root object of a response table
		case f.Name == "" && parent != nil:
			// the unnamed item row under an array
			parent.ItemType = f.Type
			if f.Description != "" {
				parent.Children = append(parent.Children, &Field{Name: "[*]", Type: f.Type, Description: f.Description, Example: f.Example, Limits: f.Limits, Line: f.Line})
			}
			if parent.Example == "" && f.Example != "" {
				parent.Example = f.Example
			}
		case f.Name == "":
			r.warn(b.line, "an unnamed %s row with no list above it: its name cell is missing", b.typ)
		case parent != nil && r.childOf(target, parent, f):
			parent.Children = append(parent.Children, f)
		default:
			fields = append(fields, f)
			parent = nil
			if f.Type == "array" && (f.ItemType == "" || f.ItemType == "object") || f.Type == "object" {
				parent = f
			}
		}
	}
	flush()
	r.rows = nil
}

var (
	reErrorRowStart = regexp.MustCompile(`^\|?\s*[45]\d\d\s*\|?\s*[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)+`)
	reFlatName      = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*)\.(?:N|n|\d+)(?:\.([A-Za-z][A-Za-z0-9_.]*))?$`)
	reActionName    = regexp.MustCompile(`^[A-Z][A-Za-z0-9]+$`)
	reActionIn      = regexp.MustCompile(`(?:Set the value to|取值[:：]|値を)\s*([A-Z][A-Za-z0-9]+)`)
)

// flat places a flat list's row (Members.N, Tag.N.Key) under its list:
// the list is created when the page has no row of its own for it.
func (r *reader) flat(fields *[]*Field, f *Field, list, child string) {
	var p *Field
	for _, x := range *fields {
		if x.Name == list {
			p = x
		}
	}
	if p == nil {
		p = &Field{Name: list, Type: "array", Line: f.Line, Required: f.Required}
		if child == "" {
			p.Description, p.Example, p.Limits = f.Description, f.Example, f.Limits
		}
		*fields = append(*fields, p)
	}
	if child == "" {
		p.ItemType = f.Type
		return
	}
	p.ItemType = "object"
	if p.Required != nil && f.Required != nil && *f.Required && !*p.Required {
		p.Required = f.Required
	}
	f.Name = child
	p.Children = append(p.Children, f)
}

// tagProperties are the properties of the platform's tag lists (Tag.N.Key,
// Tag.N.Value): a list named Tag, or whose first property is one of these,
// takes only these; the first other row is the list's sibling.
var tagProperties = map[string]bool{"Key": true, "Value": true}

// childOf decides whether a row belongs under the list or object above it:
// a dotted name says so; in a response every row does until the sample
// places it; in a request the rows after a list of objects are its
// properties — for a tag list its Key and Value, otherwise every row to the
// end of the table, which the page's flattened table cannot tell apart
// from the list's siblings (said in a warning).
func (r *reader) childOf(target string, parent, f *Field) bool {
	if strings.HasPrefix(f.Name, parent.Name+".") {
		f.Name = f.Name[strings.LastIndex(f.Name, ".")+1:]
		return true
	}
	if target == "response" {
		return true // nesting is corrected from the sample
	}
	named := 0
	tags := parent.Name == "Tag" || parent.Name == "Tags"
	for _, c := range parent.Children {
		if c.Name != "[*]" {
			named++
			tags = tags || tagProperties[c.Name]
		}
	}
	switch {
	case tags:
		return tagProperties[f.Name]
	case parent.Type == "array" && parent.ItemType != "" && parent.ItemType != "object":
		return false // a list of scalars has no properties
	case named == 0:
		return true
	}
	if !r.warnedPosition[parent] {
		if r.warnedPosition == nil {
			r.warnedPosition = map[*Field]bool{}
		}
		r.warnedPosition[parent] = true
		r.warn(f.Line, "%s and the rows after it are taken as properties of the list %s by position: the page does not show where its items end", f.Name, parent.Name)
	}
	return true
}

func snippet(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:60]) + "…"
	}
	return s
}

// SplitCode splits "InvalidParameter.ContactIdThe ContactId is invalid…"
// into the code and the rest. The code has no spaces, so the first word
// holds the code and the message's first word; the message starts at the
// last word boundary of that word (a capital after a lower-case letter or a
// digit, or the last capital of an acronym followed by lower case).
func SplitCode(s string) (code, rest string, ok bool) { return SplitCodeKnowing(s, nil) }

// SplitCodeKnowing is SplitCode that prefers, among the word boundaries, a
// code ending in one of the page's parameter names: "MissingParameter.
// ContactIdContactId is required." is MissingParameter.ContactId.
func SplitCodeKnowing(s string, known map[string]bool) (code, rest string, ok bool) {
	word, _, _ := strings.Cut(s, " ")
	rs := []rune(word)
	var cuts []int
	for i := 1; i < len(rs); i++ {
		if !unicode.IsUpper(rs[i]) {
			continue
		}
		prev := rs[i-1]
		if prev != '.' && (unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			cuts = append(cuts, i)
		}
	}
	if len(cuts) == 0 {
		return "", "", false
	}
	cut := cuts[len(cuts)-1]
	for j := len(cuts) - 1; j >= 0; j-- {
		c := string(rs[:cuts[j]])
		if known[c[strings.LastIndex(c, ".")+1:]] && strings.Contains(c, ".") {
			cut = cuts[j]
			break
		}
	}
	code = string(rs[:cut])
	if !reCode.MatchString(code) {
		return "", "", false
	}
	return code, strings.TrimPrefix(s, code), true
}

// paramNames are the names of the page's request parameters.
func (r *reader) paramNames() map[string]bool {
	m := map[string]bool{}
	var walk func(fs []*Field)
	walk = func(fs []*Field) {
		for _, f := range fs {
			m[f.Name] = true
			walk(f.Children)
		}
	}
	walk(r.p.Params)
	return m
}

// reErrorDescEN starts the English error table's description column.
var reErrorDescEN = regexp.MustCompile(`^The error (?:message )?(?:is )?returned (?:because|when|if)\b`)

// SplitMessage splits "The ContactId is invalid.The value of …" into the
// message and the description: the message ends at the first full stop
// followed directly by a letter that starts a new sentence.
func SplitMessage(s string) (msg, desc string) {
	rs := []rune(s)
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] != '.' && rs[i] != '。' {
			continue
		}
		next := rs[i+1]
		if unicode.IsUpper(next) || unicode.Is(unicode.Han, next) {
			return string(rs[:i+1]), string(rs[i+1:])
		}
		// a space-separated row: an English message, then a Chinese or
		// Japanese description
		j := i + 1
		for j < len(rs) && unicode.IsSpace(rs[j]) {
			j++
		}
		if j > i+1 && j < len(rs) && (unicode.Is(unicode.Han, rs[j]) || unicode.In(rs[j], unicode.Hiragana, unicode.Katakana)) {
			return string(rs[:i+1]), string(rs[j:])
		}
		// the English template's description of an error row
		if j > i+1 && reErrorDescEN.MatchString(string(rs[j:])) {
			return string(rs[:i+1]), string(rs[j:])
		}
	}
	return s, ""
}

// sample finds the sample success body: the first JSON object of the
// examples section.
func (r *reader) sample(lines []string) {
	depth, started := 0, false
	var b strings.Builder
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !started && strings.HasPrefix(t, "{") {
			started = true
		}
		if !started {
			continue
		}
		b.WriteString(l)
		b.WriteByte('\n')
		depth += strings.Count(t, "{") + strings.Count(t, "[") - strings.Count(t, "}") - strings.Count(t, "]")
		if depth <= 0 {
			break
		}
	}
	r.p.Sample = strings.TrimSpace(b.String())
}

// ram reads the authorization table.
func (r *reader) ram(lines []int) {
	for idx, n := range lines {
		t := r.line(n)
		if m := reRAMAction.FindStringSubmatch(t); m != nil && strings.Contains(t, ":") {
			if r.p.RAM == nil {
				r.p.RAM = &RAM{Line: n}
			}
			r.p.RAM.Action, r.p.RAM.AccessLevel = m[1], m[2]
			if m[2] == "" && idx+1 < len(lines) {
				next := strings.ToLower(r.line(lines[idx+1]))
				switch next {
				case "create", "update", "delete", "read", "list", "get":
					r.p.RAM.AccessLevel = next
				}
			}
		}
		if strings.HasPrefix(t, "acs:") && r.p.RAM != nil {
			r.p.RAM.Resources = append(r.p.RAM.Resources, t)
		}
	}
}

// history reads the change history: a date starts an entry; the lines
// after it are its items.
func (r *reader) history(lines []int) {
	var cur *Change
	for _, n := range lines {
		t := r.line(n)
		if strings.HasPrefix(t, "|") { // a Markdown row: its cells in order
			cells := splitPipes(t)
			if isSeparator(cells) {
				continue
			}
			t = strings.Join(cells, " ")
		}
		if m := reDate.FindStringSubmatch(t); m != nil {
			cur = &Change{Date: m[1], Line: n}
			if s := strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m[2], "看變更集"), "看变更集"), "see changesets")); s != "" {
				cur.Items = append(cur.Items, s)
			}
			r.p.Changes = append(r.p.Changes, cur)
			continue
		}
		if cur == nil || t == "" || t == "變更項變更內容" || t == "变更项变更内容" || t == "Change itemChange content" || strings.HasPrefix(t, "Change time") || strings.HasPrefix(t, "變更時間") || strings.HasPrefix(t, "变更时间") {
			continue
		}
		cur.Items = append(cur.Items, t)
	}
}
