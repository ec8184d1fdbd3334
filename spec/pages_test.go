package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// The completeness test reads the vendor pages in fixtures/docs with simple
// line rules of its own — independent of the importer, so the two check each
// other — and reports every fact a page states that the contract lacks or
// states differently: error rows (status, code, message, description),
// parameters (type, required), enum values, limits stated in prose, the rate
// limit, the RAM action, change-history dates and the last-updated date.

// section headings per layout language.
var headings = map[string]string{
	"Request parameters": "request", "請求參數": "request", "请求参数": "request",
	"Response parameters": "response", "返回參數": "response", "返回参数": "response",
	"Examples": "examples", "示例": "examples", "返回示例": "examples",
	"Error codes": "errors", "錯誤碼": "errors", "错误码": "errors",
	"Change history": "history", "變更歷史": "history", "变更历史": "history",
	"Authorization information": "ram", "授權信息": "ram", "授权信息": "ram",
	"流控信息": "rate",
}

var (
	reTypedRow   = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9]*)?(string|array<object>|object \[\]|array|object|integer|long|boolean)(Yes|No)?$`)
	reEnumBullet = regexp.MustCompile(`^\s*•\s*([A-Za-z]+)[:：]`)
	reErrorRow   = regexp.MustCompile(`^([45]\d\d)([A-Z].*)$`)
	reStatusLine = regexp.MustCompile(`^([45]\d\d)$`)
	reCodeLine   = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)*$`)
	reDate       = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})`)
	reUpdated    = regexp.MustCompile(`^Last Updated:(\w+ \d+, \d{4})$`)
	reRAMAction  = regexp.MustCompile(`^(resourcemanager:[A-Za-z]+?)(create|update|delete|read|list|get)?$`)
	reARN        = regexp.MustCompile(`^acs:[a-z]+:`)
	// Limits stated in prose.
	reItemsRange  = regexp.MustCompile(`Valid values of N: (\d+) to (\d+)`)
	reMaxChars    = regexp.MustCompile(`最大長度為 (\d+) 個字符`)
	reMaxCharsErr = regexp.MustCompile(`最多不能超過(\d+)個字符或漢字`)
	rePerDay      = regexp.MustCompile(`每日最多只能發送(\d+)條邀請`)
	reRate        = regexp.MustCompile(`请求速率为(\d+)/(\d+)\(s\)`)
	reFolderIDs   = regexp.MustCompile(`以“(r-)”開頭\+(\d+)位數字或英文字母或以“(fd-)”開頭\+(\d+)位數字或英文字母`)
	reAccountID   = regexp.MustCompile(`請輸入(\d+)位賬號ID`)
)

// pageChecker walks one page and records each difference from the contract.
type pageChecker struct {
	t       *testing.T
	api     *API
	src     *Source
	op      *Operation
	file    string
	diffs   []string
	section string
	param   *Param           // request parameter of the last row
	field   *openapi3.Schema // response field of the last row
	lines   []string
	checked map[string]int // facts compared, by kind
}

func (c *pageChecker) count(kind string) { c.checked[kind]++ }

// counted counts a fact and returns true, for use inside conditions.
func (c *pageChecker) counted(kind string) bool { c.count(kind); return true }

func (c *pageChecker) diff(line int, format string, args ...any) {
	c.diffs = append(c.diffs, fmt.Sprintf("%s:%d: %s: %s", c.file, line+1, c.op.Action, fmt.Sprintf(format, args...)))
}

func TestPagesCompleteness(t *testing.T) {
	api := mustLoad(t)
	// The least each page must yield, so the reader cannot silently stop
	// recognising a layout and pass by checking nothing.
	floor := map[string]map[string]int{
		"p000": {"error": 9, "param": 3, "response": 4, "limit": 1, "date": 1},
		"p001": {"error": 9, "param": 3, "response": 4, "limit": 1, "date": 1, "ram": 1},
		"p002": {"error": 9, "param": 3, "response": 4, "limit": 1, "date": 1, "history": 1},
		"p003": {"error": 18, "param": 7, "response": 12, "enum": 7, "limit": 5, "history": 5},
		"p004": {"error": 18, "param": 5, "response": 2, "limit": 1, "history": 5, "ram": 3},
	}
	var all []string
	for _, src := range api.Sources {
		if src.Layout == "metadata" {
			continue // the metadata is checked by package metaimport's tests
		}
		c, err := checkPage(t, api, src)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, c.diffs...)
		for kind, min := range floor[src.ID] {
			if c.checked[kind] < min {
				t.Errorf("%s: only %d %s facts checked, want at least %d", src.File, c.checked[kind], kind, min)
			}
		}
		t.Logf("%s: checked %v", src.ID, c.checked)
	}
	for _, d := range all {
		t.Error(d)
	}
}

func checkPage(t *testing.T, api *API, src *Source) (*pageChecker, error) {
	path := filepath.Join("..", src.File)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", src.ID, err)
	}
	op := api.Operation(src.Operation)
	if op == nil {
		return nil, fmt.Errorf("source %s documents %s, which the contract lacks", src.ID, src.Operation)
	}
	c := &pageChecker{t: t, api: api, src: src, op: op, file: src.File, lines: strings.Split(string(data), "\n"), checked: map[string]int{}}
	c.walk()
	return c, nil
}

func (c *pageChecker) walk() {
	for i := 0; i < len(c.lines); i++ {
		line := strings.TrimRight(c.lines[i], " \t\r")
		if s, ok := headings[strings.TrimSpace(line)]; ok {
			c.section, c.param, c.field = s, nil, nil
			continue
		}
		c.prose(i, line)
		switch c.section {
		case "request":
			c.requestLine(i, line)
		case "response":
			c.responseLine(i, line)
		case "errors":
			i = c.errorLine(i, line)
		case "history":
			if m := reDate.FindStringSubmatch(line); m != nil {
				c.count("history")
			}
			if m := reDate.FindStringSubmatch(line); m != nil && !slices.ContainsFunc(c.op.Changes, func(ch *Change) bool { return ch.Date == m[1] }) {
				c.diff(i, "change-history entry %s is not in x-acs-changes", m[1])
			}
		case "ram":
			c.ramLine(i, line)
		}
		if m := reUpdated.FindStringSubmatch(line); m != nil {
			c.count("date")
			d, err := time.Parse("Jan 2, 2006", m[1])
			if err != nil || d.Format("2006-01-02") != c.src.LastUpdated {
				c.diff(i, "page says Last Updated %s; x-acs-sources says %q", m[1], c.src.LastUpdated)
			}
		}
	}
}

func schemaType(s *openapi3.Schema) string {
	for _, t := range []string{"string", "array", "object", "integer", "number", "boolean"} {
		if s.Type.Is(t) {
			if t == "array" && s.Items != nil && s.Items.Value.Type.Is("object") {
				return "array<object>"
			}
			return t
		}
	}
	return "?"
}

func pageType(t string) string {
	switch t {
	case "object []", "array<object>":
		return "array<object>"
	case "long":
		return "integer"
	}
	return t
}

func (c *pageChecker) requestLine(i int, line string) {
	m := reTypedRow.FindStringSubmatch(line)
	if m == nil {
		c.enumLine(i, line, c.paramSchema())
		return
	}
	name, typ, req := m[1], pageType(m[2]), m[3]
	c.count("param")
	switch {
	case name == "" && c.param != nil: // the unnamed item row under an array
		if items := c.param.Schema.Items; items == nil || schemaType(items.Value) != typ {
			c.diff(i, "item row of %s has type %s; the contract's items differ", c.param.Name, typ)
		}
	case c.op.Param(name) != nil:
		c.param = c.op.Param(name)
		if got := schemaType(c.param.Schema); got != typ {
			c.diff(i, "parameter %s: page type %s, contract type %s", name, m[2], got)
		}
		if req != "" && (req == "Yes") != c.param.Required {
			c.diff(i, "parameter %s: page says Required=%s, contract says required=%v", name, req, c.param.Required)
		}
	case c.param != nil && c.param.Schema.Items != nil && c.param.Schema.Items.Value.Properties[name] != nil:
		if got := schemaType(c.param.Schema.Items.Value.Properties[name].Value); got != typ {
			c.diff(i, "field %s.%s: page type %s, contract type %s", c.param.Name, name, typ, got)
		}
	case name != "":
		c.diff(i, "request parameter %s (%s) is not in the contract", name, m[2])
	}
}

func (c *pageChecker) paramSchema() *openapi3.Schema {
	if c.param == nil {
		return nil
	}
	return c.param.Schema
}

func (c *pageChecker) enumLine(i int, line string, s *openapi3.Schema) {
	m := reEnumBullet.FindStringSubmatch(line)
	if m == nil {
		return
	}
	c.count("enum")
	if s == nil || !slices.Contains(s.Enum, any(m[1])) {
		c.diff(i, "enum value %s (%q) is not in the contract's enum", m[1], strings.TrimSpace(line))
	}
}

func (c *pageChecker) responseLine(i int, line string) {
	m := reTypedRow.FindStringSubmatch(line)
	if m == nil {
		c.enumLine(i, line, c.field)
		return
	}
	name, typ := m[1], pageType(m[2])
	if name == "" {
		return // the unnamed root object row
	}
	c.count("response")
	f := findField(c.op.Response, name, 0)
	if f == nil {
		// An item row that names the element of the array above it (p001's "Member object").
		if typ == "object" && c.field != nil && c.field.Items != nil {
			return
		}
		c.diff(i, "response field %s (%s) is not in the contract", name, m[2])
		return
	}
	c.field = f
	if got := schemaType(f); got != typ {
		c.diff(i, "response field %s: page type %s, contract type %s", name, m[2], got)
	}
}

func findField(s *openapi3.Schema, name string, depth int) *openapi3.Schema {
	if s == nil || depth > 8 {
		return nil
	}
	if p := s.Properties[name]; p != nil {
		return p.Value
	}
	if s.Items != nil {
		if f := findField(s.Items.Value, name, depth+1); f != nil {
			return f
		}
	}
	for _, p := range s.Properties {
		if f := findField(p.Value, name, depth+1); f != nil {
			return f
		}
	}
	return nil
}

// errorLine handles both error-table layouts and returns the last line used.
func (c *pageChecker) errorLine(i int, line string) int {
	if m := reStatusLine.FindStringSubmatch(line); m != nil && i+2 < len(c.lines) && reCodeLine.MatchString(c.lines[i+1]) {
		// Portal layout: status, code, message+"诊断" on three lines.
		msg := strings.TrimSuffix(strings.TrimSpace(c.lines[i+2]), "诊断")
		c.compareError(i, m[1], c.lines[i+1], msg, "", "")
		return i + 2
	}
	m := reErrorRow.FindStringSubmatch(line)
	if m == nil {
		return i
	}
	status, rest := m[1], m[2]
	code := splitCode(rest)
	c.compareError(i, status, code, "", strings.TrimPrefix(rest, code), c.src.Language)
	return i
}

// splitCode finds where a run-together code ends: the code has no spaces, so
// the first word holds code and the message's first word; the message starts
// at the last upper-case letter of that word.
func splitCode(rest string) string {
	word, _, _ := strings.Cut(rest, " ")
	last := strings.LastIndexFunc(word, func(r rune) bool { return r >= 'A' && r <= 'Z' })
	if last <= 0 {
		return word
	}
	return word[:last]
}

func (c *pageChecker) compareError(i int, status, code, message, messageAndDesc, lang string) {
	c.count("error")
	e := c.op.Error(code)
	if e == nil || e.Platform {
		c.diff(i, "error %s %s is on the page but not in the contract", status, code)
		return
	}
	if strconv.Itoa(e.Status) != status {
		c.diff(i, "error %s: page status %s, contract status %d", code, status, e.Status)
	}
	if messageAndDesc == "" {
		if message != e.Message {
			c.diff(i, "error %s: page message %q, contract message %q", code, message, e.Message)
		}
		return
	}
	if want := e.Message + e.Description[lang]; messageAndDesc != want {
		c.diff(i, "error %s: page says %q; the contract's message+description(%s) is %q", code, messageAndDesc, lang, want)
	}
}

func (c *pageChecker) ramLine(i int, line string) {
	if m := reRAMAction.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
		c.count("ram")
		level := m[2]
		if level == "" && i+1 < len(c.lines) {
			level = strings.ToLower(strings.TrimSpace(c.lines[i+1]))
		}
		if c.op.RAM == nil || c.op.RAM.Action != m[1] || c.op.RAM.AccessLevel != level {
			c.diff(i, "RAM action %s (level %s) differs from x-acs-ram %+v", m[1], level, c.op.RAM)
		}
	}
	if reARN.MatchString(line) {
		c.count("ram")
	}
	if reARN.MatchString(line) && (c.op.RAM == nil || !slices.ContainsFunc(c.op.RAM.Resources, func(r *RAMResource) bool { return r.ARN == line })) {
		c.diff(i, "RAM resource %s is not in x-acs-ram", line)
	}
}

// prose checks the limits a page states in sentences.
func (c *pageChecker) prose(i int, line string) {
	if m := reItemsRange.FindStringSubmatch(line); m != nil && c.counted("limit") {
		s := c.paramSchema()
		if s == nil || s.MaxItems == nil || strconv.FormatUint(*s.MaxItems, 10) != m[2] || strconv.FormatUint(s.MinItems, 10) != m[1] {
			c.diff(i, "%q: the contract's minItems/maxItems of %v differ", m[0], c.param)
		}
	}
	for _, re := range []*regexp.Regexp{reMaxChars, reMaxCharsErr} {
		if m := re.FindStringSubmatch(line); m != nil && c.counted("limit") {
			note := c.op.Param("Note")
			if note == nil || note.Schema.MaxLength == nil || strconv.FormatUint(*note.Schema.MaxLength, 10) != m[1] || LengthUnit(note.Schema) != "characters" {
				c.diff(i, "%q: the contract's Note maxLength (in characters) differs", m[0])
			}
		}
	}
	if m := rePerDay.FindStringSubmatch(line); m != nil && c.counted("limit") && !slices.ContainsFunc(c.op.Quotas, func(q *Quota) bool { return strconv.Itoa(q.Limit) == m[1] && q.Period == "day" }) {
		c.diff(i, "%q: no per-day quota of %s in x-acs-quotas", m[0], m[1])
	}
	if m := reRate.FindStringSubmatch(line); m != nil && c.counted("limit") {
		if r := c.op.RateLimit; r == nil || strconv.Itoa(r.Requests) != m[1] || strconv.Itoa(r.PerSeconds) != m[2] {
			c.diff(i, "%q: x-acs-rate-limit differs: %+v", m[0], r)
		}
	}
	if m := reFolderIDs.FindStringSubmatch(line); m != nil && c.counted("limit") {
		c.checkIDPattern(i, m[0], "ParentFolderId", m[1], m[2], "a")
		c.checkIDPattern(i, m[0], "ParentFolderId", m[3], m[4], "a")
	}
	if m := reAccountID.FindStringSubmatch(line); m != nil && c.counted("limit") {
		for _, r := range c.op.RulesFor("InvalidParameter.AccountId") {
			re := regexp.MustCompile(r.EffectivePattern())
			n, _ := strconv.Atoi(m[1])
			if !re.MatchString(strings.Repeat("1", n)) || re.MatchString(strings.Repeat("1", n+1)) || re.MatchString(strings.Repeat("1", n-1)) {
				c.diff(i, "%q: rule %s's pattern %s does not accept exactly %d digits", m[0], r.ID, re, n)
			}
		}
	}
}

// checkIDPattern: the parameter's pattern accepts prefix+n letters or digits
// and refuses n-1 and n+1.
func (c *pageChecker) checkIDPattern(i int, quote, param, prefix, count, fill string) {
	p := c.op.Param(param)
	n, _ := strconv.Atoi(count)
	if p == nil || p.Schema.Pattern == "" {
		c.diff(i, "%q: %s has no pattern", quote, param)
		return
	}
	re := regexp.MustCompile(p.Schema.Pattern)
	ok := re.MatchString(prefix+strings.Repeat(fill, n)) && re.MatchString(prefix+strings.Repeat("7", n))
	if !ok || re.MatchString(prefix+strings.Repeat(fill, n+1)) || re.MatchString(prefix+strings.Repeat(fill, n-1)) {
		c.diff(i, "%q: %s's pattern %s does not accept exactly %s plus %d letters or digits", quote, param, p.Schema.Pattern, prefix, n)
	}
}

// deleteError removes one error entry from an operation's x-acs-errors.
func deleteError(doc, code string) string {
	re := regexp.MustCompile(`(?s)\n        - code: ` + regexp.QuoteMeta(code) + `\n.*?(\n        - code: |\n      x-acs-)`)
	return re.ReplaceAllString(doc, "$1")
}

// TestPagesCompletenessCatchesMutations proves the completeness test fails
// when the contract loses or changes a fact the pages state.
func TestPagesCompletenessCatchesMutations(t *testing.T) {
	base := string(Embedded())
	cases := []struct {
		name   string
		mutate func(string) string
		want   string
	}{
		{"error code deleted", func(s string) string { return deleteError(s, "EntityNotExists.Folder") },
			"error 404 EntityNotExists.Folder is on the page but not in the contract"},
		{"message changed", func(s string) string {
			return strings.Replace(s, "message: The ContactId is invalid.", "message: The ContactId is not valid.", 1)
		}, `error InvalidParameter.ContactId: page says "The ContactId is invalid.The value`},
		{"status changed", func(s string) string {
			return strings.Replace(s, "code: LegalEntityMismatch\n          status: 409", "code: LegalEntityMismatch\n          status: 400", 1)
		}, "error LegalEntityMismatch: page status 409, contract status 400"},
		{"zh-Hant description changed", func(s string) string { return strings.Replace(s, "zh-Hant: Note無效。", "zh-Hant: Note無效", 1) },
			"error InvalidParameter.Note: page says"},
		{"maxItems changed", func(s string) string { return strings.Replace(s, "maxItems: 5", "maxItems: 6", 1) },
			`"Valid values of N: 1 to 5"`},
		{"enum value lost", func(s string) string {
			return strings.Replace(s, "enum: [Account, Email]", "enum: [Account, EMail]", 1)
		},
			"enum value Email"},
		{"Note limit changed", func(s string) string { return strings.Replace(s, "maxLength: 1024", "maxLength: 1000", 1) },
			"Note maxLength"},
		{"folder ID length changed", func(s string) string {
			// The seed operation's pattern, not a curation entry's copy of it.
			head, paths, _ := strings.Cut(s, "\npaths:\n")
			return head + "\npaths:\n" + strings.Replace(paths, `pattern: "^(r-[A-Za-z0-9]{6}|fd-[A-Za-z0-9]{10})$"`, `pattern: "^(r-[A-Za-z0-9]{6}|fd-[A-Za-z0-9]{12})$"`, 1)
		}, "does not accept exactly fd- plus 10"},
		{"rate limit changed", func(s string) string {
			return strings.Replace(s, "requests: 20\n        per-seconds: 1\n        provenance:\n          kind: prose", "requests: 10\n        per-seconds: 1\n        provenance:\n          kind: prose", 1)
		}, "x-acs-rate-limit differs"},
		{"daily quota changed", func(s string) string { return strings.Replace(s, "limit: 20\n", "limit: 25\n", 1) }, "no per-day quota of 20"},
		{"parameter renamed", func(s string) string { return strings.Replace(s, "- name: Tag\n", "- name: Tags\n", 1) },
			"request parameter Tag (object []) is not in the contract"},
		{"required-ness changed", func(s string) string {
			return strings.Replace(s, "- name: ContactId\n          in: query\n          required: true", "- name: ContactId\n          in: query\n          required: false", 1)
		}, "parameter ContactId: page says Required=Yes"},
		{"history entry lost", func(s string) string { return strings.Replace(s, `date: "2023-07-25"`, `date: "2023-07-26"`, 1) },
			"change-history entry 2023-07-25"},
		{"RAM action changed", func(s string) string {
			return strings.Replace(s, "action: resourcemanager:AssociateMembers", "action: resourcemanager:BindContact", 1)
		}, "RAM action resourcemanager:AssociateMembers"},
		{"last-updated changed", func(s string) string {
			return strings.Replace(s, `last-updated: "2025-07-25"`, `last-updated: "2025-07-24"`, 1)
		},
			"page says Last Updated Jul 25, 2025"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mutated := c.mutate(base)
			if mutated == base {
				t.Fatal("the mutation changed nothing; update the test")
			}
			api, err := Parse("mutated.yaml", []byte(mutated))
			if err != nil {
				t.Fatalf("the mutated contract does not load: %v", err)
			}
			var diffs []string
			for _, src := range api.Sources {
				if src.Layout == "metadata" {
					continue
				}
				pc, err := checkPage(t, api, src)
				if err != nil {
					t.Fatal(err)
				}
				diffs = append(diffs, pc.diffs...)
			}
			joined := strings.Join(diffs, "\n")
			if !strings.Contains(joined, c.want) {
				t.Fatalf("the completeness check did not report %q; it said:\n%s", c.want, joined)
			}
			t.Logf("reported:\n%s", joined)
		})
	}
}
