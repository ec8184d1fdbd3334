package docimport

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ErrNotAPage means nothing could be read from a file.
var ErrNotAPage = errors.New("not an API reference page")

var (
	reTitleEN     = regexp.MustCompile(`^[^:：]{1,60}[:：]\s*([A-Z][A-Za-z0-9]+)\s*$`)
	reTitleDash   = regexp.MustCompile(`^([A-Z][A-Za-z0-9]+)\s+-\s+(.+)$`)
	reTitlePortal = regexp.MustCompile(`^([A-Z][A-Za-z0-9]+)_([^_]+)_API文档`)
	reTitleMD     = regexp.MustCompile(`^#\s+([A-Z][A-Za-z0-9]+)\s*(?:[-:：]\s*(.*))?$`)
	reUpdatedEN   = regexp.MustCompile(`^Last Updated:\s*(\w+ \d+, \d{4})`)
	reUpdatedZH   = regexp.MustCompile(`(?:更新时间|更新時間|最近更新)[:：]\s*(\d{4}-\d{2}-\d{2})`)
	reProduct     = regexp.MustCompile(`^(?:Product|产品|產品)\s*[:：]\s*([A-Za-z][A-Za-z0-9]+)`)
	reVersion     = regexp.MustCompile(`^(?:Version|API version|版本)\s*[:：]\s*(\d{4}-\d{2}-\d{2})`)
	typeWords     = `string|array<object>|array<string>|array<integer>|object \[\]|string \[\]|array|object|integer|int32|int64|long|boolean|float|double|number`
	reRow         = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9.]*)?(` + typeWords + `)(Yes|No|是|否)?$`)
	reEnum        = regexp.MustCompile(`^\s*(?:•|-|\*)\s*([A-Za-z0-9_.-]+)\s*[:：]\s*(.*)$`)
	reBullet      = regexp.MustCompile(`^\s*(?:•|-|\*)\s+`)
	reStatusRow   = regexp.MustCompile(`^([45]\d\d)([A-Z].*)$`)
	reStatusLine  = regexp.MustCompile(`^([45]\d\d)$`)
	reCode        = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$`)
	reDate        = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(.*)$`)
	reRAMAction   = regexp.MustCompile(`^([a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*?)(create|update|delete|read|list|get)?$`)
)

// headings name the sections in every language and layout.
var headings = map[string]string{
	"request parameters": "request", "請求參數": "request", "请求参数": "request",
	"response parameters": "response", "返回參數": "response", "返回参数": "response",
	"examples": "examples", "示例": "examples", "返回示例": "examples", "正常返回示例": "examples",
	"error codes": "errors", "錯誤碼": "errors", "错误码": "errors",
	"change history": "history", "變更歷史": "history", "变更历史": "history",
	"authorization information": "ram", "授權信息": "ram", "授权信息": "ram",
	"流控信息": "rate", "rate limiting": "rate", "debugging": "other", "調試": "other", "调试": "other",
	"相关示例": "other", "related examples": "other",
}

func heading(line string) (string, bool) {
	s := strings.ToLower(strings.TrimSpace(strings.TrimLeft(line, "# ")))
	sec, ok := headings[s]
	return sec, ok
}

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

// language tells English, Traditional and Simplified Chinese apart by
// characters that differ between the two scripts.
func language(lines []string) string {
	score, han := 0, 0
	for _, l := range lines {
		for _, r := range l {
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
// (empty, binary, no title naming an operation); anything else it cannot
// read becomes a warning naming the line.
func ParsePage(file string, data []byte) (*Page, error) {
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
	start := -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		for _, re := range []*regexp.Regexp{reTitlePortal, reTitleMD, reTitleDash, reTitleEN} {
			if m := re.FindStringSubmatch(t); m != nil && len(t) < 200 {
				p.Title, p.Action, start = t, m[1], i
				if re == reTitleDash || re == reTitleMD {
					if len(m) > 2 {
						p.Summary = strings.TrimSpace(m[2])
					}
				}
				break
			}
		}
		if start >= 0 {
			break
		}
	}
	if start < 0 {
		return nil, fmt.Errorf("%s: no title line naming an operation (such as \"Resource Management:AssociateMembers\", \"InviteAccountToResourceDirectory - …\", \"# ListThings\"): %w", file, ErrNotAPage)
	}
	body := lines[start+1:]
	p.Language = language(body)
	p.Layout = layout(body)
	r := &reader{p: p, lines: lines, start: start + 1}
	r.read()
	if len(p.Params) == 0 && len(p.Errors) == 0 && len(p.Response) == 0 {
		p.Warnings = append(p.Warnings, Warning{File: file, Line: start + 1, Msg: "the page has a title but no parameter, response or error table could be read"})
	}
	return p, nil
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
	// markdown and cells tables
	mdHeader  []string
	mdPending string // a Markdown row wrapped onto the next line
	cells     []string
	cellN     int
	cellStart int // the line of the current row's first cell
}

type rowBlock struct {
	name, typ, required string
	example             string
	line                int
	body                []string
	bodyLines           []int
}

func (r *reader) warn(line int, format string, args ...any) {
	r.p.Warnings = append(r.p.Warnings, Warning{File: r.p.File, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (r *reader) read() {
	var errLines []int
	var errText []string
	var examples []string
	var ramLines []int
	var histLines []int
	for i := r.start; i < len(r.lines); i++ {
		raw := strings.TrimRight(r.lines[i], " \t")
		t := strings.TrimSpace(raw)
		n := i + 1
		if sec, ok := heading(t); ok {
			r.flushTable()
			r.section, r.mdHeader, r.cells, r.cellN, r.mdPending = sec, nil, nil, 0, ""
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
		switch r.section {
		case "":
			// The portal layout opens with site chrome, not a summary.
			if !r.summarised && r.p.Layout != "portal" && isSentence(t) && !strings.HasPrefix(t, "Last Updated") && !reUpdatedZH.MatchString(t) {
				r.p.Summary, r.summarised = t, true
			}
		case "request", "response":
			r.tableLine(n, raw, t)
		case "errors":
			if r.p.Layout == "markdown" || r.p.Layout == "cells" {
				r.tableLine(n, raw, t)
			} else {
				errLines, errText = append(errLines, n), append(errText, t)
			}
		case "examples":
			examples = append(examples, raw)
		case "ram":
			ramLines = append(ramLines, n)
		case "history":
			histLines = append(histLines, n)
		}
	}
	r.flushTable()
	r.errors(errLines, errText)
	r.sample(examples)
	r.ram(ramLines)
	r.history(histLines)
	r.attachLimits()
}

func (r *reader) line(n int) string { return strings.TrimSpace(r.lines[n-1]) }

// tableLine collects one line of a parameter table, by layout.
func (r *reader) tableLine(n int, raw, t string) {
	_ = raw
	switch r.p.Layout {
	case "markdown":
		r.markdownLine(n, t)
		return
	case "cells":
		r.cellLine(n, t)
		return
	}
	lower := strings.ToLower(t)
	if strings.HasPrefix(lower, "parametertype") || strings.HasPrefix(t, "名稱類型") || strings.HasPrefix(t, "名称类型") || t == "字段名称字段详情" {
		r.hasRequired = strings.Contains(lower, "required") || strings.Contains(t, "必填")
		r.hasExample = strings.Contains(lower, "example") || strings.Contains(t, "示例值") || t == "字段名称字段详情"
		return
	}
	if m := reRow.FindStringSubmatch(t); m != nil {
		r.rows = append(r.rows, &rowBlock{name: m[1], typ: m[2], required: m[3], line: n})
		return
	}
	if len(r.rows) > 0 && t != "" {
		last := r.rows[len(r.rows)-1]
		last.body = append(last.body, t)
		last.bodyLines = append(last.bodyLines, n)
	}
}

// normType maps a page's type word to the schema type and items type.
func normType(t string) (string, string) {
	switch t {
	case "object []", "array<object>":
		return "array", "object"
	case "array<string>", "string []":
		return "array", "string"
	case "array<integer>":
		return "array", "integer"
	case "long", "int32", "int64", "integer":
		return "integer", ""
	case "float", "double", "number":
		return "number", ""
	}
	return t, ""
}

func required(s string) *bool {
	switch s {
	case "Yes", "是", "true":
		b := true
		return &b
	case "No", "否", "false":
		b := false
		return &b
	}
	return nil
}

// field turns a row and the lines below it into a field: enum bullets,
// description, and the example (the last short line, or "示例值:" on the
// portal).
func (r *reader) field(b *rowBlock) *Field {
	typ, item := normType(b.typ)
	f := &Field{Name: b.name, Type: typ, ItemType: item, Required: required(b.required), Line: b.line}
	var desc []string
	refs := false // the portal's "参考取值来源" list of operations follows
	for i, l := range b.body {
		t := strings.TrimSpace(l)
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
		case i == len(b.body)-1 && r.p.Layout == "reference" && r.hasExample && isExample(t):
			f.Example = t
		case t != "" && !reBullet.MatchString(t):
			desc = append(desc, t)
		case reBullet.MatchString(t):
			desc = append(desc, reBullet.ReplaceAllString(t, ""))
		}
	}
	f.Description = strings.Join(desc, " ")
	if b.example != "" {
		f.Example = b.example
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

// flushTable builds the section's fields from its rows and nests them.
func (r *reader) flushTable() {
	if len(r.rows) == 0 {
		return
	}
	var fields []*Field
	var parent *Field
	for _, b := range r.rows {
		f := r.field(b)
		switch {
		case f.Name == "" && len(fields) == 0 && r.section == "response":
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
			r.warn(b.line, "an unnamed %s row with no array above it", b.typ)
		case parent != nil && r.childOf(parent, f):
			parent.Children = append(parent.Children, f)
		default:
			fields = append(fields, f)
			parent = nil
			if f.Type == "array" || f.Type == "object" {
				parent = f
			}
		}
	}
	if r.section == "request" {
		r.p.Params = append(r.p.Params, fields...)
	} else {
		r.p.Response = append(r.p.Response, fields...)
	}
	r.rows = nil
}

// childOf decides whether a row belongs under the array or object above it:
// a dotted name says so; a description that names the parent says so; a
// response field is placed by the sample later.
func (r *reader) childOf(parent, f *Field) bool {
	if strings.HasPrefix(f.Name, parent.Name+".") {
		f.Name = f.Name[strings.LastIndex(f.Name, ".")+1:]
		return true
	}
	if r.section == "response" {
		return true // nesting is corrected from the sample
	}
	stem := strings.TrimRight(parent.Description, ".。 ")
	stem = strings.TrimPrefix(stem, "The ")
	if stem == "" {
		return false
	}
	d := strings.ToLower(f.Description)
	return strings.Contains(d, strings.ToLower(stem)) || strings.Contains(d, strings.ToLower(parent.Name))
}

// errors parses the error table.
func (r *reader) errors(lines []int, text []string) {
	for i := 0; i < len(text); i++ {
		t := text[i]
		switch {
		case t == "" || strings.HasPrefix(t, "HTTP status") || strings.HasPrefix(t, "HTTP 状态码") || t == "全局错误码" ||
			strings.HasPrefix(t, "For a list of error codes") || strings.HasPrefix(t, "訪問錯誤中心") || strings.HasPrefix(t, "访问错误中心"):
			continue
		case r.p.Layout == "markdown" || r.p.Layout == "cells":
			continue // handled by their table readers
		}
		if m := reStatusLine.FindStringSubmatch(t); m != nil && i+2 < len(text) && reCode.MatchString(text[i+1]) {
			status, _ := strconv.Atoi(m[1])
			msg := strings.TrimSpace(strings.TrimSuffix(text[i+2], "诊断"))
			msg = strings.TrimSuffix(msg, "診斷")
			r.p.Errors = append(r.p.Errors, &ErrorRow{Status: status, Code: text[i+1], Message: msg, Line: lines[i]})
			i += 2
			continue
		}
		if m := reStatusRow.FindStringSubmatch(t); m != nil {
			status, _ := strconv.Atoi(m[1])
			code, rest, ok := SplitCodeKnowing(m[2], r.paramNames())
			if !ok {
				r.warn(lines[i], "cannot tell the error code from the message in %q", snippet(t))
				continue
			}
			msg, desc := SplitMessage(rest)
			r.p.Errors = append(r.p.Errors, &ErrorRow{Status: status, Code: code, Message: msg, Description: desc, Line: lines[i]})
			continue
		}
		if reStatusLine.MatchString(t) {
			r.warn(lines[i], "an error row cut short after its status (the page may be truncated)")
		}
	}
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
