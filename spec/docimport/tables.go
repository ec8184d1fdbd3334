package docimport

import (
	"strconv"
	"strings"
)

// column roles by header word, in the languages of the doc system.
var columns = map[string]string{
	"parameter": "name", "name": "name", "名称": "name", "名稱": "name", "字段": "name", "参数": "name", "參數": "name",
	"type": "type", "类型": "type", "類型": "type",
	"required": "required", "必填": "required", "是否必选": "required",
	"description": "description", "描述": "description", "说明": "description", "說明": "description",
	"example": "example", "示例值": "example", "示例": "example",
	"http status code": "status", "http 状态码": "status", "http status": "status",
	"error code": "code", "错误码": "code", "錯誤碼": "code",
	"error message": "message", "错误信息": "message", "錯誤信息": "message",
}

func columnOf(cell string) string {
	return columns[strings.ToLower(strings.TrimSpace(cell))]
}

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

// markdownLine reads a pipe-table line: a header, a separator, a row, or
// the continuation of the previous row's description cell.
func (r *reader) markdownLine(n int, t string) {
	if t == "" {
		return
	}
	if r.mdPending != "" {
		t, r.mdPending = r.mdPending+" "+t, ""
	}
	if !strings.Contains(t, "|") {
		if len(r.rows) > 0 && len(r.mdHeader) > 0 {
			last := r.rows[len(r.rows)-1]
			last.body = append(last.body, t)
		}
		return
	}
	cells := splitPipes(t)
	if isSeparator(cells) {
		return
	}
	roles := make([]string, len(cells))
	header := true
	for i, c := range cells {
		roles[i] = columnOf(c)
		if roles[i] == "" {
			header = false
		}
	}
	if header {
		r.mdHeader = roles
		r.hasExample = true
		return
	}
	if len(r.mdHeader) == 0 {
		r.warn(n, "a table row before any header")
		return
	}
	if len(cells) < len(r.mdHeader) && !strings.HasSuffix(strings.TrimSpace(t), "|") {
		r.mdPending = t // the doc system wrapped a cell onto the next line
		return
	}
	if len(cells) != len(r.mdHeader) {
		r.warn(n, "a table row with %d cells under a header of %d", len(cells), len(r.mdHeader))
		return
	}
	r.row(n, r.mdHeader, cells)
}

// cellLine reads one-cell-per-line tables: header words on their own
// lines, then each row's cells, one per line.
func (r *reader) cellLine(n int, t string) {
	if t == "" {
		return
	}
	if role := columnOf(t); role != "" && len(r.cells) == 0 && (len(r.mdHeader) == 0 || r.cellN == 0) {
		r.mdHeader = append(r.mdHeader, role)
		return
	}
	if len(r.mdHeader) == 0 {
		r.warn(n, "a table cell before any header")
		return
	}
	r.cellN++
	if len(r.cells) == 0 {
		r.cellStart = n
	}
	r.cells = append(r.cells, t)
	if len(r.cells) == len(r.mdHeader) {
		r.row(r.cellStart, r.mdHeader, r.cells)
		r.cells = nil
	}
}

// row turns the cells of one table row into a parameter row or an error row.
func (r *reader) row(n int, roles, cells []string) {
	get := func(role string) string {
		for i, ro := range roles {
			if ro == role && i < len(cells) {
				return cells[i]
			}
		}
		return ""
	}
	if r.section == "errors" {
		status, err := strconv.Atoi(get("status"))
		code := get("code")
		if err != nil || !reCode.MatchString(code) {
			r.warn(n, "an error row without a status and a code")
			return
		}
		r.p.Errors = append(r.p.Errors, &ErrorRow{Status: status, Code: code, Message: get("message"), Description: get("description"), Line: n})
		return
	}
	name := strings.TrimLeft(get("name"), "└├─-·* \u00a0")
	typ := strings.ToLower(get("type"))
	if m := reRow.FindStringSubmatch(typ); m == nil || m[1] != "" {
		r.warn(n, "parameter %q has type %q, which the importer does not know", name, get("type"))
		return
	}
	req := get("required")
	switch strings.ToLower(req) {
	case "yes", "true", "是":
		req = "Yes"
	case "no", "false", "否":
		req = "No"
	default:
		req = ""
	}
	b := &rowBlock{name: name, typ: typ, required: req, line: n, example: strings.Trim(get("example"), "` ")}
	desc := get("description")
	for i, part := range strings.Split(desc, " - ") {
		if part = strings.TrimSpace(part); part != "" {
			if i > 0 {
				part = "• " + part // an inline list item, such as an enum value
			}
			b.body = append(b.body, part)
		}
	}
	r.rows = append(r.rows, b)
}
