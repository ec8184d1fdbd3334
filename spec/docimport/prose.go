package docimport

import (
	"regexp"
	"strings"
)

// Limits stated in sentences. Each pattern reads one kind; the sentence is
// kept as the quote.
var (
	reItemsRange = regexp.MustCompile(`Valid values of N:\s*(\d+)\s*to\s*(\d+)`)
	reMaxChars   = regexp.MustCompile(`(?:最大長度為|最大长度为|长度不超过|長度不超過)\s*(\d+)\s*(?:個|个)?字符`)
	reMaxCharsEN = regexp.MustCompile(`(?i)(?:up to|at most|maximum of|cannot exceed)\s+(\d+)\s+characters`)
	reMaxCharsE2 = regexp.MustCompile(`(?:最多不能超過|最多不能超过)\s*(\d+)\s*(?:個|个)?字符`)
	rePerDay     = regexp.MustCompile(`每日最多(?:只能)?(?:發送|发送)\s*(\d+)\s*(?:條|条)`)
	rePerDayEN   = regexp.MustCompile(`(?i)(?:up to|at most|a maximum of)\s+(\d+)\s+invitations?\s+(?:per|a|each)\s+day`)
	reLenRange   = regexp.MustCompile(`(?i)(\d+)\s+to\s+(\d+)\s+characters`)
	reRate       = regexp.MustCompile(`(?:请求速率为|請求速率為)\s*(\d+)\s*/\s*(\d+)\s*\(s\)`)
	reRateEN     = regexp.MustCompile(`(?i)(\d+)\s+requests?\s+per\s+second`)
	reRangeEN    = regexp.MustCompile(`(?i)valid values?:?\s*(-?\d+)\s+to\s+(-?\d+)`)
	reIDPrefix   = regexp.MustCompile(`以“([A-Za-z]+-)”開頭\+(\d+)位數字或英文字母|以“([A-Za-z]+-)”开头\+(\d+)位数字或英文字母`)
	reDigits     = regexp.MustCompile(`(?:請輸入|请输入)(\d+)位(?:賬號|账号)ID`)
	// Words that mark a sentence as a limit, so one we cannot read is reported.
	reLimitWords = regexp.MustCompile(`(?i)\b(at most|up to|maximum|minimum|no more than|valid values of)\b|最大|最多|至多|不超过|不超過|不能超過|不能超过|速率|上限`)
)

// prose notes limits in a line of the page; where they apply is settled
// once the tables are read (attachLimits).
func (r *reader) prose(n int, t string) {
	add := func(kw, v, quote, target string) {
		r.pending = append(r.pending, &Limit{Keyword: kw, Value: v, Quote: sentence(quote, v), Line: n, Target: target})
	}
	matched := false
	if m := reItemsRange.FindStringSubmatch(t); m != nil {
		add("minItems", m[1], t, "")
		add("maxItems", m[2], t, "")
		matched = true
	}
	if m := reLenRange.FindStringSubmatch(t); m != nil {
		add("minLength", m[1], t, "")
		add("maxLength", m[2], t, "")
		matched = true
	}
	for _, re := range []*regexp.Regexp{reMaxChars, reMaxCharsEN} {
		if m := re.FindStringSubmatch(t); m != nil {
			add("maxLength", m[1], t, "")
			matched = true
		}
	}
	if m := reMaxCharsE2.FindStringSubmatch(t); m != nil {
		add("maxLength", m[1], t, "error")
		matched = true
	}
	for _, re := range []*regexp.Regexp{rePerDay, rePerDayEN} {
		if m := re.FindStringSubmatch(t); m != nil {
			r.p.Quotas = append(r.p.Quotas, &Limit{Keyword: "quota-per-day", Value: m[1], Quote: t, Line: n, Target: "error"})
			matched = true
		}
	}
	if m := reRate.FindStringSubmatch(t); m != nil {
		r.p.Rate = &Limit{Keyword: "rate", Value: m[1] + "/" + m[2], Quote: t, Line: n}
		matched = true
	} else if m := reRateEN.FindStringSubmatch(t); m != nil {
		r.p.Rate = &Limit{Keyword: "rate", Value: m[1] + "/1", Quote: t, Line: n}
		matched = true
	}
	if ms := reIDPrefix.FindAllStringSubmatch(t, -1); ms != nil {
		var alts []string
		for _, m := range ms {
			prefix, count := m[1], m[2]
			if prefix == "" {
				prefix, count = m[3], m[4]
			}
			alts = append(alts, regexp.QuoteMeta(prefix)+"[A-Za-z0-9]{"+count+"}")
		}
		add("pattern", "^("+strings.Join(alts, "|")+")$", t, "error")
		matched = true
	}
	if m := reDigits.FindStringSubmatch(t); m != nil {
		add("pattern", "^[0-9]{"+m[1]+"}$", t, "error")
		matched = true
	}
	if !matched && r.section != "errors" {
		if m := reRangeEN.FindStringSubmatch(t); m != nil {
			add("minimum", m[1], t, "")
			add("maximum", m[2], t, "")
			matched = true
		}
	}
	if !matched && r.section != "history" && r.section != "errors" && reLimitWords.MatchString(t) && strings.ContainsAny(t, "0123456789") {
		r.warn(n, "a limit is stated here but not in a form the importer reads: %q", snippet(t))
	}
}

// attachLimits places each prose limit: on the field whose row the sentence
// is under, or — for a sentence in an error description — on the parameter
// the error code names (InvalidParameter.Note.Length → Note).
func (r *reader) attachLimits() {
	byLine := map[int]*Field{}
	var walk func(fs []*Field, parent *Field)
	walk = func(fs []*Field, parent *Field) {
		for _, f := range fs {
			if f.Name == "[*]" && parent != nil {
				byLine[f.Line] = parent
			} else {
				byLine[f.Line] = f
			}
			walk(f.Children, f)
		}
	}
	walk(r.p.Params, nil)
	owner := func(line int) *Field {
		var best *Field
		bestLine := 0
		for l, f := range byLine {
			if l <= line && l > bestLine {
				best, bestLine = f, l
			}
		}
		return best
	}
	errorAt := func(line int) *ErrorRow {
		for _, e := range r.p.Errors {
			if e.Line == line {
				return e
			}
		}
		return nil
	}
	for _, l := range r.pending {
		var f *Field
		if l.Target == "error" {
			if e := errorAt(l.Line); e != nil {
				f = paramOfCode(r.p.Params, e.Code)
				if f == nil {
					r.warn(l.Line, "error %s states %s %s for %q, which is not a parameter of the page", e.Code, l.Keyword, l.Value, codeParam(e.Code))
					continue
				}
			}
		} else {
			f = owner(l.Line)
		}
		if f == nil {
			r.warn(l.Line, "a %s limit (%s) with no parameter above it", l.Keyword, l.Value)
			continue
		}
		l.Target = f.Name
		dup := false
		for _, have := range f.Limits {
			dup = dup || have.Keyword == l.Keyword && have.Value == l.Value
		}
		if !dup {
			f.Limits = append(f.Limits, l)
		}
	}
	for _, q := range r.p.Quotas {
		if e := errorAt(q.Line); e != nil {
			q.Target = e.Code
		}
	}
}

// codeParam is the parameter an error code names: the part after
// InvalidParameter./MissingParameter., without a trailing .Length.
func codeParam(code string) string {
	parts := strings.Split(code, ".")
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

func paramOfCode(fs []*Field, code string) *Field {
	name := codeParam(code)
	for _, f := range fs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// sentence narrows a line to the sentence (or table cell) that holds v.
func sentence(line, v string) string {
	i := strings.Index(line, v)
	if i < 0 {
		return strings.TrimSpace(line)
	}
	start := strings.LastIndexAny(line[:i], "|") + 1
	for _, sep := range []string{". ", "。"} {
		if j := strings.LastIndex(line[start:i], sep); j >= 0 {
			start += j + len(sep)
		}
	}
	end := len(line)
	if j := strings.IndexAny(line[i:], "|"); j >= 0 {
		end = i + j
	}
	for _, sep := range []string{". ", "。"} {
		if j := strings.Index(line[i:end], sep); j >= 0 && i+j+len(sep) < end {
			end = i + j + len(sep)
		}
	}
	return strings.TrimSpace(line[start:end])
}
