package docimport

import (
	"regexp"
	"strconv"
	"strings"
)

// The table reader. Every layout the vendor's sites use — cells run
// together, space-separated rows, pipe rows on one line or split over
// lines, one cell per line with or without pipes — is read the same way:
// lines become cells, and rows are found by their type cell, not by
// counting columns. The name is the identifier before the type (glued, in
// the same cell or in the cell before), Required the word after it in any
// of the sites' languages, and what follows up to the next row is the
// description and the example, told apart by the header's column order or
// by shape.

// cell is one table cell and where it is.
type cell struct {
	text string
	line int
	// row: the cell shares its line with others (a pipe row on one line).
	row bool
	// first: the cell is the first of its line.
	first bool
}

// typeCell reads a cell that is a type, in any case and spelling the
// sites use: string, String, int32, Struct, List, RepeatList, Array of
// Folder, object [], array<object> …. It returns the schema type and, for
// an array, the items' type.
func typeCell(s string) (typ, item string, ok bool) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" || len(t) > 40 {
		return "", "", false
	}
	if m := reArrayOf.FindStringSubmatch(t); m != nil {
		return "array", itemType(m[1]), true
	}
	if m := reArrayAngle.FindStringSubmatch(t); m != nil {
		return "array", itemType(m[1]), true
	}
	if m := reArraySuffix.FindStringSubmatch(t); m != nil {
		return "array", itemType(m[1]), true
	}
	if ty, ok := scalarTypes[t]; ok {
		if ty == "array" {
			return "array", "", true
		}
		return ty, "", true
	}
	return "", "", false
}

var (
	reArrayOf     = regexp.MustCompile(`^(?:array|list|repeatlist)\s+of\s+([a-z][a-z0-9_]*)$`)
	reArrayAngle  = regexp.MustCompile(`^(?:array|list)\s*<\s*([a-z][a-z0-9_]*)\s*>$`)
	reArraySuffix = regexp.MustCompile(`^(string|integer|long|int32|int64|boolean|double|float|number|object|struct)\s*\[\s*\]$`)
	scalarTypes   = map[string]string{
		"string": "string", "integer": "integer", "int": "integer", "int32": "integer", "int64": "integer", "long": "integer",
		"boolean": "boolean", "bool": "boolean", "double": "number", "float": "number", "number": "number",
		"object": "object", "struct": "object", "map": "object", "json": "object",
		"array": "array", "list": "array", "repeatlist": "array",
	}
)

// itemType is the items' type of "Array of X": a scalar word names its
// type, any other word an object (Array of Folder).
func itemType(w string) string {
	if ty, ok := scalarTypes[w]; ok && ty != "array" {
		return ty
	}
	return "object"
}

// Run-together heads: the name glued to a lower-case type glued to the
// Required word (FolderIdstringYes, Tagobject []No, stringNo, object).
var reGluedHead = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9._]*?)?(string|integer|long|int32|int64|boolean|double|float|number|object \[\]|string \[\]|integer \[\]|array<object>|array<string>|array<integer>|array|object|map)(Yes|No|Required|Optional|是|否|必须|必須|必填|非必填|任意|Sim|Não)?$`)

// Space-separated heads of the 2020–22 template: Name Type [Required]
// [example] with a capitalised type (FolderId String Yes fd-…, Folder
// Object, Folders Array of Folder, Tag.N.Key String No k1).
var reSpaceHead = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_]*(?:\.(?:N|n|\d+|[A-Za-z][A-Za-z0-9_]*))*)\s+((?:Array|List|RepeatList)\s+of\s+[A-Za-z][A-Za-z0-9_]*|String|Integer|Long|Int32|Int64|Boolean|Double|Float|Number|Object|Struct|Map|Array|List|RepeatList|Json|JSON)(?:\s+(Yes|No|Required|Optional|是|否|必须|必須|必填|非必填|任意|Sim|Não))?(?:\s+(.+))?$`)

// Words that start sentences, never parameter names: a space head whose
// name is one of them is prose.
var proseStarts = map[string]bool{"The": true, "A": true, "An": true, "This": true, "That": true, "If": true, "For": true, "Note": true,
	"Valid": true, "Default": true, "Set": true, "Each": true, "When": true, "Specify": true, "You": true, "It": true, "In": true, "Example": true}

// requiredWords: the Required column's values in every language seen.
var requiredWords = map[string]bool{
	"yes": true, "required": true, "是": true, "必须": true, "必須": true, "必填": true, "sim": true, "obrigatório": true,
	"no": false, "optional": false, "否": false, "非必填": false, "任意": false, "não": false, "nao": false, "opcional": false,
}

func requiredWord(s string) (bool, bool) {
	v, ok := requiredWords[strings.ToLower(strings.TrimSpace(s))]
	return v, ok
}

// reIdent is a parameter name: an identifier, dotted for a flat list.
var reIdent = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*(?:\.(?:N|n|\d+|[A-Za-z][A-Za-z0-9_]*))*$`)

// Column words of table headers, in the sites' languages, by role.
var columnWords = map[string]string{
	"parameter": "name", "parameters": "name", "name": "name", "element": "name", "field": "name", "parâmetro": "name",
	"名称": "name", "名稱": "name", "参数": "name", "參數": "name", "字段名称": "name", "パラメーター": "name", "フィールド": "name",
	"type": "type", "tipo": "type", "类型": "type", "類型": "type", "型": "type", "データ型": "type",
	"required": "required", "obrigatório": "required", "必填": "required", "是否必选": "required", "是否必選": "required",
	"必須 / 任意": "required", "必須/任意": "required", "必須": "required",
	"description": "description", "descrição": "description", "描述": "description", "说明": "description", "說明": "description", "説明": "description",
	"example": "example", "examples": "example", "sample response": "example", "exemplo": "example", "示例值": "example", "示例": "example",
	"樣本值": "example", "样本值": "example", "例": "example", "サンプル": "example", "字段详情": "description",
	"http status code": "status", "http status": "status", "httpcode": "status", "http code": "status", "http 状态码": "status", "http 狀態碼": "status",
	"http ステータスコード": "status", "código de status http": "status", "状态码": "status",
	"error code": "code", "错误码": "code", "錯誤碼": "code", "エラーコード": "code", "código de erro": "code",
	"error message": "message", "错误信息": "message", "錯誤信息": "message", "錯誤訊息": "message", "エラーメッセージ": "message", "mensagem de erro": "message",
}

// headerRoles reads a cell as header labels: one label, labels separated
// by spaces or run together (ParameterTypeRequiredDescriptionExample). It
// returns nil when the cell is anything else.
func headerRoles(s string) []string {
	t := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if t == "" {
		return nil
	}
	if r, ok := columnWords[t]; ok {
		return []string{r}
	}
	var roles []string
	for t != "" {
		best := ""
		for w := range columnWords {
			if len(w) > len(best) && strings.HasPrefix(t, w) {
				best = w
			}
		}
		if best == "" {
			return nil
		}
		roles = append(roles, columnWords[best])
		t = strings.TrimLeft(t[len(best):], " ")
	}
	if len(roles) < 2 {
		return nil
	}
	return roles
}

// tableText collects a section's lines for the table reader.
type tableText struct {
	lines []string
	nums  []int
}

// cells tokenises a table's lines: pipes split cells, a line ending in a
// pipe closes its last cell and one that does not leaves it open onto the
// next line; a line without pipes is one cell (or continues an open pipe
// cell); a lone pipe is an empty cell; blank lines are ignored.
func cells(tt tableText) []cell {
	var out []cell
	var open *cell
	closeOpen := func() {
		if open != nil {
			open.text = strings.TrimSpace(open.text)
			out = append(out, *open)
			open = nil
		}
	}
	for i, raw := range tt.lines {
		n := tt.nums[i]
		t := strings.TrimSpace(raw)
		if t == "" {
			continue
		}
		if !strings.Contains(t, "|") {
			if open != nil {
				open.text += " " + t
				continue
			}
			out = append(out, cell{text: t, line: n, first: true})
			continue
		}
		if strings.Trim(t, "|-: ") == "" && strings.Contains(t, "-") {
			closeOpen()
			continue // a separator line
		}
		pieces := strings.Split(t, "|")
		multi := countNonEmpty(pieces) >= 2
		first := true
		for j, piece := range pieces {
			piece = strings.TrimSpace(strings.ReplaceAll(piece, "<br>", " "))
			last := j == len(pieces)-1
			switch {
			case j == 0 && open != nil:
				if piece != "" {
					open.text += " " + piece
				}
				closeOpen()
			case j == 0 && piece == "":
				// a leading pipe
			case last && piece != "":
				open = &cell{text: piece, line: n, row: multi, first: first}
			case last:
				if len(pieces) == 2 && strings.TrimSpace(pieces[0]) == "" {
					out = append(out, cell{text: "", line: n, first: true}) // a lone pipe
				}
			default:
				out = append(out, cell{text: piece, line: n, row: multi, first: first})
				first = false
			}
		}
	}
	closeOpen()
	return out
}

func countNonEmpty(ps []string) int {
	n := 0
	for _, p := range ps {
		if strings.TrimSpace(p) != "" {
			n++
		}
	}
	return n
}

// head is a row's start: where its name, type and Required were read.
type head struct {
	at, end  int // the cells the head spans
	name     string
	typ      string
	item     string
	required *bool
	example  string // a space head's example
	line     int
}

// findHeads finds the rows of a parameter table.
func findHeads(cs []cell) []head {
	var hs []head
	lastEnd := 0
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		var h head
		found := false
		if ty, item, ok := typeCell(c.text); ok {
			h = head{at: i, end: i + 1, typ: ty, item: item, line: c.line}
			// the name: the cell before, on the same pipe row, or the
			// line before in a one-cell-per-line table.
			if i > lastEnd {
				p := cs[i-1]
				sameRow := c.row && !c.first && p.line == c.line
				cellPerLine := !c.row && !p.row
				if (sameRow || cellPerLine || (c.row && c.first && !p.row && p.line < c.line)) && reIdent.MatchString(p.text) && (len(hs) > 0 || sameRow || !isHeaderCell(p.text)) {
					h.at, h.name, h.line = i-1, p.text, p.line
				}
			}
			found = true
		} else if m := reGluedHead.FindStringSubmatch(c.text); m != nil {
			ty, item, _ := typeCell(m[2])
			h = head{at: i, end: i + 1, name: m[1], typ: ty, item: item, line: c.line}
			if m[3] != "" {
				v, _ := requiredWord(m[3])
				h.required = &v
			}
			found = true
		} else if m := reSpaceHead.FindStringSubmatch(c.text); m != nil && !proseStarts[m[1]] && !strings.HasSuffix(m[4], ".") {
			ty, item, _ := typeCell(m[2])
			h = head{at: i, end: i + 1, name: m[1], typ: ty, item: item, line: c.line, example: m[4]}
			if m[3] != "" {
				v, _ := requiredWord(m[3])
				h.required = &v
			}
			found = true
		}
		if !found {
			continue
		}
		if h.required == nil && h.end < len(cs) {
			if v, ok := requiredWord(cs[h.end].text); ok {
				h.required = &v
				h.end++
			}
		}
		hs = append(hs, h)
		lastEnd = h.end
		i = h.end - 1
	}
	return hs
}

func isHeaderCell(s string) bool { return headerRoles(s) != nil }

// header finds the table's column order from its header cells: the roles
// before the first row, in order.
func header(cs []cell, upto int) []string {
	var roles []string
	for _, c := range cs[:upto] {
		if rs := headerRoles(c.text); rs != nil {
			if len(rs) > 1 {
				roles = rs
				continue
			}
			if len(roles) > 0 && roles[len(roles)-1] == rs[0] {
				continue // a duplicated header
			}
			roles = append(roles, rs...)
		}
	}
	return roles
}

// exampleFirst: the header puts Example before Description (the 2020–22
// template: Parameter Type Required Example Description).
func exampleFirst(roles []string) bool {
	ex, desc := -1, -1
	for i, r := range roles {
		if r == "example" && ex < 0 {
			ex = i
		}
		if r == "description" && desc < 0 {
			desc = i
		}
	}
	return ex >= 0 && desc >= 0 && ex < desc
}

func hasRole(roles []string, role string) bool {
	for _, r := range roles {
		if r == role {
			return true
		}
	}
	return false
}

// readParamTable turns a section's text into row blocks.
func (r *reader) readParamTable(tt tableText) {
	cs := cells(tt)
	hs := findHeads(cs)
	if len(hs) == 0 {
		return
	}
	roles := header(cs, hs[0].at)
	// A header without a type label (the Japanese one: 3 labels over 5
	// cells) or none at all does not rule the example column out.
	r.hasExample = hasRole(roles, "example") || !hasRole(roles, "type")
	r.hasRequired = hasRole(roles, "required")
	exFirst := exampleFirst(roles)
	for k, h := range hs {
		end := len(cs)
		if k+1 < len(hs) {
			end = hs[k+1].at
		}
		b := &rowBlock{name: h.name, typ: h.typ, item: h.item, line: h.line, example: h.example, exampleSet: h.example != ""}
		if h.required != nil {
			b.required = map[bool]string{true: "Yes", false: "No"}[*h.required]
		}
		body := cs[h.end:end]
		// a cell that shares the head's pipe row and comes first in
		// Example-first order is the example
		if exFirst && !b.exampleSet && len(body) > 0 && body[0].line == cs[h.end-1].line && cs[h.end-1].row {
			b.example, b.exampleSet = body[0].text, true
			body = body[1:]
		}
		for _, c := range body {
			for _, part := range splitInlineList(c.text, c.row) {
				b.body = append(b.body, part)
				b.bodyLines = append(b.bodyLines, c.line)
			}
		}
		r.rows = append(r.rows, b)
	}
}

// splitInlineList splits a pipe cell's inline list (" - value") into
// bullets, as the Markdown export writes them.
func splitInlineList(s string, pipe bool) []string {
	if !pipe {
		return []string{s}
	}
	var out []string
	for i, part := range strings.Split(s, " - ") {
		if part = strings.TrimSpace(part); part != "" {
			if i > 0 {
				part = "• " + part
			}
			out = append(out, part)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// Error rows: a status, a dotted code, the message and a description, in
// any of the layouts: glued (400MissingParameter.XYou must…), space
// separated (400 Code Message Description), one cell each.
var (
	reStatusCell  = regexp.MustCompile(`^[45]\d\d$`)
	reStatusStart = regexp.MustCompile(`^([45]\d\d)\s*(\S.*)$`)
)

// readErrorTable reads the error rows of a section's text: a status cell
// and a code cell (then the message and, when the table has the column,
// the description), or a cell that starts with the status — space
// separated (400 Code Message Description) or run together
// (400Code.XMessage.Description).
func (r *reader) readErrorTable(tt tableText) {
	cs := cells(tt)
	var roles []string
	for _, c := range cs {
		if isStatusCell(c.text) || reStatusStart.MatchString(c.text) {
			break
		}
		if rs := headerRoles(c.text); rs != nil {
			roles = append(roles, rs...)
		}
	}
	hasDesc := hasRole(roles, "description") || !hasRole(roles, "message")
	known := r.paramNames()
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		if isStatusCell(c.text) && i+1 < len(cs) && reCode.MatchString(cs[i+1].text) {
			status, _ := strconv.Atoi(c.text)
			e := &ErrorRow{Status: status, Code: cs[i+1].text, Line: c.line}
			j := i + 2
			if j < len(cs) && !isStatusCell(cs[j].text) && !reStatusStart.MatchString(cs[j].text) {
				e.Message = stripDiagnose(cs[j].text)
				j++
				if hasDesc && j < len(cs) && !isStatusCell(cs[j].text) && !reStatusStart.MatchString(cs[j].text) && (!c.row || cs[j].line == c.line) {
					e.Description = stripDiagnose(cs[j].text)
					j++
				}
			}
			r.p.Errors = append(r.p.Errors, e)
			i = j - 1
			continue
		}
		m := reStatusStart.FindStringSubmatch(c.text)
		if m == nil {
			if isStatusCell(c.text) {
				r.warn(c.line, "an error row cut short after its status (the page may be truncated)")
			}
			continue
		}
		status, _ := strconv.Atoi(m[1])
		rest := m[2]
		var code string
		if word, after, _ := strings.Cut(rest, " "); c.text[len(m[1])] == ' ' && reCode.MatchString(word) {
			code, rest = word, strings.TrimSpace(after) // space separated
		} else {
			var ok bool
			if code, rest, ok = SplitCodeKnowing(rest, known); !ok {
				if reCode.MatchString(rest) {
					code, rest = rest, "" // a row cut after its code
				} else {
					r.warn(c.line, "cannot tell the error code from the message in %q", snippet(c.text))
					continue
				}
			}
		}
		msg, desc := SplitMessage(stripDiagnose(rest))
		if !hasDesc {
			msg, desc = strings.TrimSpace(rest), ""
		}
		r.p.Errors = append(r.p.Errors, &ErrorRow{Status: status, Code: code, Message: msg, Description: desc, Line: c.line})
	}
}

func isStatusCell(s string) bool { return reStatusCell.MatchString(s) }

func stripDiagnose(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"诊断", "診斷"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, suf))
	}
	return s
}

// splitPipes splits a one-line pipe row into its cells.
func splitPipes(t string) []string {
	t = strings.TrimSpace(t)
	t = strings.TrimPrefix(t, "|")
	t = strings.TrimSuffix(t, "|")
	parts := strings.Split(t, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(strings.ReplaceAll(parts[i], "<br>", " "))
	}
	return parts
}

func isSeparator(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, "-: ") != "" {
			return false
		}
	}
	return len(cells) > 0
}
