package metaimport

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/spec"
)

// Fact is one limit read from a sentence of a description.
type Fact struct {
	// Keyword is the schema keyword it sets: maxLength, minLength,
	// minimum, maximum, maxItems, minItems, enum, pattern, default.
	Keyword string
	Int     int      // the number, for counting keywords
	Values  []string // enum values; default holds one
	Pattern string   // for pattern
	Unit    string   // for lengths: characters or bytes
	Quote   string   // the sentence it was read from
	// Site is the vendor site whose block stated the fact (<props="china">,
	// <props="intl">); "" for text of both sites.
	Site string
}

// same reports whether two facts state the same limit.
func (f Fact) same(g Fact) bool {
	return f.Keyword == g.Keyword && f.Int == g.Int && f.Pattern == g.Pattern && f.Unit == g.Unit && strings.Join(f.Values, "\x00") == strings.Join(g.Values, "\x00")
}

// Reading is what one description states: the limits it could read and the
// sentences that look like limits but could not be read (reported by lint,
// never dropped).
type Reading struct {
	Facts  []Fact
	Unread []string
	// SiteFacts are the limits one site's block states and the other's
	// does not, or states otherwise (each carries its Site); a limit both
	// sites state alike is in Facts.
	SiteFacts []Fact
}

// Get returns the first fact of a keyword, or nil.
func (r *Reading) Get(kw string) *Fact {
	for i := range r.Facts {
		if r.Facts[i].Keyword == kw {
			return &r.Facts[i]
		}
	}
	return nil
}

var (
	siteBlock = regexp.MustCompile(`(?s)<props="([a-z]+)">(.*?)</props>`)
	propsTag  = regexp.MustCompile(`</?props[^>]*>`)
	docLink   = regexp.MustCompile(`\[([^\]]*)\]\(~~[^)]*~~\)`)
	tilde     = regexp.MustCompile(`~~([A-Za-z0-9]+)~~`)
	bullet    = regexp.MustCompile(`^\s*[-*]\s+(.*)$`)
)

// Clean turns a metadata description into plain text: a site's block
// (<props="china">…</props>) keeps its text behind the site's name
// ("[china site] …"), the other markers and doc links are unwrapped.
func Clean(desc string) string {
	s := siteBlock.ReplaceAllStringFunc(desc, func(b string) string {
		m := siteBlock.FindStringSubmatch(b)
		if !slices.Contains(spec.Sites, m[1]) {
			return m[2]
		}
		body := strings.TrimSpace(m[2])
		lead := ""
		if strings.HasPrefix(body, "> ") {
			lead, body = "> ", strings.TrimPrefix(body, "> ")
		}
		return lead + "[" + m[1] + " site] " + body
	})
	s = propsTag.ReplaceAllString(s, "")
	s = docLink.ReplaceAllString(s, "$1")
	s = tilde.ReplaceAllString(s, "$1")
	s = strings.ReplaceAll(s, "**", "")
	return strings.TrimSpace(s)
}

// Prose patterns, Chinese and English. Each captures numbers only; the
// unit and the keyword follow from which pattern matched.
var (
	reNum = `(\d+)`
	// A unit of time a range may repeat after its first number (3600秒~43200秒);
	// the value itself is in the parameter's unit.
	reTimeUnit = `(?:秒|分钟|小时|天)?`
	sep        = `\s*(?:~|～|-|－|至|到|to)\s*`
	// What kind of characters a length counts: 2~200个英文或中文字符.
	reQualifier = `(?:(?:英文|中文|英文字母|汉字)(?:或|和|、)?){0,3}`
	// A length range: 长度为1~128个字符, 长度范围：2~50个字符或汉字, 2 to 64 characters in length.
	reLenRange = []*regexp.Regexp{
		regexp.MustCompile(`长度(?:为|范围[：:]?|是|[：:])\s*` + reNum + sep + reNum + `\s*个?` + reQualifier + `(字符|汉字|字节)`),
		regexp.MustCompile(`^格式[：:]\s*` + reNum + sep + reNum + `\s*个?(?:英文字母|字符|汉字)`),
		regexp.MustCompile(`(?i)(?:be|is|of|contains?)\s+` + reNum + sep + reNum + `\s+(characters|bytes)`),
	}
	reLenMax = []*regexp.Regexp{
		regexp.MustCompile(`(?:最大长度(?:为|是)?|最多支持|长度不(?:能)?超过|不超过|最长)\s*` + reNum + `\s*个?(字符|汉字|字节)`),
		regexp.MustCompile(`(?i)(?:maximum length (?:is|of)|up to|at most|cannot exceed|no more than|not exceed)\s+` + reNum + `\s+(characters|bytes)`),
	}
	reRange = []*regexp.Regexp{
		regexp.MustCompile(`取值范围(?:为|是)?[：:]?\s*` + reNum + reTimeUnit + sep + reNum),
		regexp.MustCompile(`(?i)valid values(?: of N)?(?: are)?[：:]?\s*` + reNum + sep + reNum),
	}
	reItemsRange = regexp.MustCompile(`(?:^|[^A-Za-z])N\s*的取值范围[：:]?\s*` + reNum + sep + reNum)
	reItemsMax   = []*regexp.Regexp{
		regexp.MustCompile(`最多(?:可以|可|能|支持)?(?:指定|绑定|解绑|添加|设置|输入|传入|转移)?\s*` + reNum + `\s*(?:个|组)(?:[^字汉]|$)`),
		regexp.MustCompile(`(?i)(?:a maximum of|up to)\s+` + reNum + `\s+(?:\w+\s+)?(?:items|values|tags|ids|objects|members|keys|resources)`),
	}
	reStart   = regexp.MustCompile(`(?:起始值|最小值)[：:]\s*` + reNum)
	reMax     = regexp.MustCompile(`最大值[：:]\s*` + reNum)
	reDefault = []*regexp.Regexp{
		regexp.MustCompile(`默认值?[：:为]\s*([A-Za-z0-9_.\-]+)`),
		regexp.MustCompile(`(?i)default value[：:]?\s*(?:is\s+)?([A-Za-z0-9_.\-]+)`),
	}
	reValues    = regexp.MustCompile(`^(?:取值|Valid values)[：:]\s*$`)
	reOneValue  = regexp.MustCompile(`^取值[：:]\s*([A-Za-z][A-Za-z0-9_.\-]*)[，,]\s*表示`)
	reBulletVal = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_.\-]*)\s*(?:（默认值?）|\(default\))?\s*[：:]`)
	rePhone     = regexp.MustCompile("^格式[：:]\\s*`?<国家码>-<手机号码>`?")
	// A character set in words: 可以包含英文字母、数字和短划线（-）.
	// A format given as a length of named characters counts too:
	// 格式：2~12个英文字母或汉字.
	reCharset     = regexp.MustCompile(`(?:包含|允许输入|支持|由|^格式[：:]\s*\d+\s*[~～\-]\s*\d+\s*个)((?:[^，。,；;]*?(?:汉字|英文字母|字母|数字|下划线|句号|点号|短划线|短横线|连字符|空格|（.）|\(.\)))+)`)
	reSpecialList = regexp.MustCompile("(?:和|、|及)?特殊字符\\s*[（(]?`([^`]+)`[）)]?")
	reComposition = regexp.MustCompile(`特殊字符|特殊符号|其他字符|任意[两三四2-4]种|至少[两三四2-4]种|至少包含`)
	reOneChar     = regexp.MustCompile(`[（(]([^\p{L}\p{N}\s（）()])[）)]`)
	reStartWith   = regexp.MustCompile(`(?:必须|需)以([^，。,；;、]{1,16}?)开头`)
	// Words that make a sentence look like a limit.
	reLimitish = regexp.MustCompile(`(?i)长度|取值范围|最多|最大|最小|不超过|不能超过|个字符|格式[：:]|开头|maximum|minimum|at most|up to \d|characters|valid values`)
)

var charClasses = []struct{ word, class string }{
	{"汉字", `\p{Han}`}, {"中文", `\p{Han}`}, {"英文字母", "A-Za-z"}, {"字母", "A-Za-z"}, {"数字", "0-9"},
	{"下划线", "_"}, {"句号", `.`}, {"点号", `.`}, {"短划线", `\-`}, {"短横线", `\-`}, {"连字符", `\-`}, {"空格", " "},
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func unit(u string) string {
	switch strings.ToLower(u) {
	case "字节", "bytes":
		return "bytes"
	}
	return "characters"
}

// sentences splits a cleaned description into sentences and bullet
// blocks: a line ending in 取值： keeps its bullets with it.
func sentences(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		line = strings.TrimPrefix(line, "> ")
		if line == "" {
			continue
		}
		// A value list: the heading sentence and its bullets stay one unit.
		if head := lastClause(line); reValues.MatchString(head) {
			block := []string{line}
			for j := i + 1; j < len(lines); j++ {
				l := strings.TrimSpace(lines[j])
				if l == "" {
					continue
				}
				if !bullet.MatchString(l) {
					break
				}
				block = append(block, l)
				i = j
			}
			out = append(out, strings.Join(block, "\n"))
			continue
		}
		out = append(out, splitSentences(line)...)
	}
	return out
}

func lastClause(line string) string {
	cut := -1
	for _, sep := range []string{"。", ". "} {
		if i := strings.LastIndex(line, sep); i >= 0 && i+len(sep) > cut {
			cut = i + len(sep)
		}
	}
	if cut > 0 && cut < len(line) {
		return strings.TrimSpace(line[cut:])
	}
	return line
}

func splitSentences(line string) []string {
	var out []string
	start := 0
	for i, r := range line {
		if r == '。' || r == '；' {
			if s := strings.TrimSpace(line[start : i+len(string(r))]); s != "" {
				out = append(out, s)
			}
			start = i + len(string(r))
		}
	}
	if s := strings.TrimSpace(line[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// Needless patterns: "when P is V, this parameter need not be set", in
// Chinese and English.
var reNeedless = []*regexp.Regexp{
	regexp.MustCompile("当[^。]*?参数\\s*`?([A-Za-z][A-Za-z0-9.]*)`?\\s*(?:取值)?(?:为|是|设置为)\\s*`?([A-Za-z0-9_.\\-]+)`?\\s*时[，,]\\s*(?:不需要|无需|不用)(?:设置|指定|传入|填写)"),
	regexp.MustCompile("(?i)(?:if|when) (?:you set )?(?:the )?`?([A-Za-z][A-Za-z0-9.]*)`? (?:parameter )?(?:is set to|is|to) `?([A-Za-z0-9_.\\-]+)`?, (?:you do not need to|there is no need to|you don't need to) (?:specify|set|configure)"),
}

// Needless reads the condition under which a description says the
// parameter need not be set, or false.
func Needless(desc string) (param, value string, ok bool) {
	text := Clean(desc)
	for _, re := range reNeedless {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1], m[2], true
		}
	}
	return "", "", false
}

// Read reads the limits a description states. array says whether the
// parameter is a list (N ranges then count items), integer whether it is a
// number (a range is then its minimum and maximum).
//
// The text of both sites is read first; then each site's blocks. A limit
// both sites state alike counts as the text's; one only a site states, or
// that the sites state differently, is that site's (SiteFacts). The text
// of both sites wins over a site's block on the same keyword.
func Read(desc string, array, integer bool) Reading {
	var r Reading
	common := Clean(siteBlock.ReplaceAllStringFunc(desc, func(b string) string {
		if m := siteBlock.FindStringSubmatch(b); m != nil && !slices.Contains(spec.Sites, m[1]) {
			return m[2] // a marker of no site we know: its text counts for both
		}
		return ""
	}))
	for _, s := range sentences(common) {
		if !r.sentence(s, array, integer) && limitish(s) {
			r.Unread = append(r.Unread, s)
		}
	}
	bySite := map[string]*Reading{}
	for _, m := range siteBlock.FindAllStringSubmatch(desc, -1) {
		if !slices.Contains(spec.Sites, m[1]) {
			continue
		}
		sr := bySite[m[1]]
		if sr == nil {
			sr = &Reading{}
			bySite[m[1]] = sr
		}
		for _, s := range sentences(Clean(m[2])) {
			if !sr.sentence(s, array, integer) && limitish(s) {
				r.Unread = append(r.Unread, "["+m[1]+" site] "+s)
			}
		}
	}
	china, intl := bySite[spec.SiteChina], bySite[spec.SiteIntl]
	for _, site := range spec.Sites {
		sr := bySite[site]
		if sr == nil {
			continue
		}
		other := intl
		if site == spec.SiteIntl {
			other = china
		}
		for _, f := range sr.Facts {
			if r.Get(f.Keyword) != nil {
				continue
			}
			if other != nil {
				if g := other.Get(f.Keyword); g != nil && g.same(f) {
					if site == spec.SiteChina {
						f.Quote = f.Quote + " / " + g.Quote
						r.add(f)
					}
					continue
				}
			}
			f.Site = site
			r.SiteFacts = append(r.SiteFacts, f)
		}
	}
	return r
}

// limitish reports whether an unread sentence looks like a limit: limit
// words with a number, or a format stated in words.
func limitish(s string) bool {
	if strings.Contains(s, "\n") || !reLimitish.MatchString(s) {
		return false
	}
	return strings.ContainsAny(s, "0123456789") || strings.Contains(s, "格式") || strings.Contains(s, "开头") || strings.Contains(strings.ToLower(s), "format")
}

func (r *Reading) add(f Fact) {
	if r.Get(f.Keyword) == nil {
		r.Facts = append(r.Facts, f)
	}
}

// sentence reads one sentence; it reports whether any limit was read.
func (r *Reading) sentence(s string, array, integer bool) bool {
	read := false
	quote := s
	if strings.Contains(s, "\n") {
		quote = strings.SplitN(s, "\n", 2)[0]
	}
	// A statement about a part of the value (<前缀>的长度为…) is not a
	// limit on the whole value: leave it unread.
	if strings.Contains(s, ">的长度") || strings.Contains(s, "连续") {
		return false
	}
	if m := reItemsRange.FindStringSubmatch(s); m != nil {
		r.add(Fact{Keyword: "minItems", Int: atoi(m[1]), Quote: quote})
		r.add(Fact{Keyword: "maxItems", Int: atoi(m[2]), Quote: quote})
		return true
	}
	for _, re := range reLenRange {
		if m := re.FindStringSubmatch(s); m != nil && !array {
			u := "characters"
			if len(m) > 3 {
				u = unit(m[3])
			}
			r.add(Fact{Keyword: "minLength", Int: atoi(m[1]), Unit: u, Quote: quote})
			r.add(Fact{Keyword: "maxLength", Int: atoi(m[2]), Unit: u, Quote: quote})
			read = true
			break
		}
	}
	if !read {
		for _, re := range reLenMax {
			if m := re.FindStringSubmatch(s); m != nil && !array {
				r.add(Fact{Keyword: "maxLength", Int: atoi(m[1]), Unit: unit(m[2]), Quote: quote})
				read = true
				break
			}
		}
	}
	for _, re := range reRange {
		if m := re.FindStringSubmatch(s); m != nil {
			if array {
				r.add(Fact{Keyword: "minItems", Int: atoi(m[1]), Quote: quote})
				r.add(Fact{Keyword: "maxItems", Int: atoi(m[2]), Quote: quote})
			} else if integer {
				r.add(Fact{Keyword: "minimum", Int: atoi(m[1]), Quote: quote})
				r.add(Fact{Keyword: "maximum", Int: atoi(m[2]), Quote: quote})
			} else {
				continue
			}
			read = true
			break
		}
	}
	if array && !read {
		for _, re := range reItemsMax {
			if m := re.FindStringSubmatch(s); m != nil {
				r.add(Fact{Keyword: "maxItems", Int: atoi(m[1]), Quote: quote})
				read = true
				break
			}
		}
	}
	if integer {
		if m := reStart.FindStringSubmatch(s); m != nil {
			r.add(Fact{Keyword: "minimum", Int: atoi(m[1]), Quote: quote})
			read = true
		}
		if m := reMax.FindStringSubmatch(s); m != nil {
			r.add(Fact{Keyword: "maximum", Int: atoi(m[1]), Quote: quote})
			read = true
		}
	}
	for _, re := range reDefault {
		if m := re.FindStringSubmatch(s); m != nil && !strings.Contains(s, "\n") {
			r.add(Fact{Keyword: "default", Values: []string{strings.TrimRight(m[1], ".")}, Quote: quote})
			read = true
			break
		}
	}
	if vals, def, ok := valueList(s); ok {
		r.add(Fact{Keyword: "enum", Values: vals, Quote: quote})
		if def != "" {
			r.add(Fact{Keyword: "default", Values: []string{def}, Quote: quote})
		}
		read = true
	} else if m := reOneValue.FindStringSubmatch(s); m != nil {
		r.add(Fact{Keyword: "enum", Values: []string{m[1]}, Quote: quote})
		read = true
	}
	if !array && !integer {
		if rePhone.MatchString(s) {
			r.add(Fact{Keyword: "pattern", Pattern: `^[0-9]{1,4}-[0-9]{4,}$`, Quote: quote})
			read = true
		} else if p := charsetPattern(s); p != "" {
			r.add(Fact{Keyword: "pattern", Pattern: p, Quote: quote})
			read = true
		}
	}
	return read
}

// valueList reads "取值：" followed by bullets whose values are all
// identifiers ("- Enabled：开启。"); a bullet that is prose (资源夹ID：…)
// means the list names kinds of value, not values, and nothing is read.
func valueList(s string) (vals []string, def string, ok bool) {
	lines := strings.Split(s, "\n")
	if len(lines) < 2 || !reValues.MatchString(lastClause(strings.TrimSpace(lines[0]))) {
		return nil, "", false
	}
	for _, l := range lines[1:] {
		m := bullet.FindStringSubmatch(l)
		if m == nil {
			return nil, "", false
		}
		item := strings.TrimSpace(m[1])
		v := reBulletVal.FindStringSubmatch(item)
		if v == nil {
			return nil, "", false
		}
		vals = append(vals, v[1])
		if strings.Contains(item, "默认") || strings.Contains(strings.ToLower(item), "(default)") {
			def = v[1]
		}
	}
	return vals, def, len(vals) > 0
}

// charsetPattern turns a character set stated in words into a pattern:
// 必须以英文字母开头，可以包含英文字母、数字和短划线（-）. Every clause that
// names allowed characters counts (支持中文和大小写英文字母，可包含数字…
// allows both), a negated one (不支持…) none, and the characters a value
// must start with are allowed in the rest of it too.
func charsetPattern(s string) string {
	var classes []string
	seen := map[string]bool{}
	add := func(words string) {
		for _, c := range charClasses {
			if strings.Contains(words, c.word) && !seen[c.class] {
				if c.word == "字母" && strings.Contains(words, "英文字母") {
					continue
				}
				seen[c.class] = true
				classes = append(classes, c.class)
			}
		}
		// A character named by itself: at（@）, 半角句号（.）.
		for _, m := range reOneChar.FindAllStringSubmatch(words, -1) {
			class := m[1]
			if strings.ContainsAny(class, `-]^[\`) {
				class = `\` + class
			}
			if !seen[class] {
				seen[class] = true
				classes = append(classes, class)
			}
		}
	}
	var listed []string
	if m := reSpecialList.FindStringSubmatch(s); m != nil {
		// 特殊字符`.@-_`: the special characters are listed.
		for _, r := range m[1] {
			class := string(r)
			if strings.ContainsRune(`-]^[\`, r) {
				class = `\` + class
			}
			if !slices.Contains(listed, class) {
				listed = append(listed, class)
			}
		}
		s = reSpecialList.ReplaceAllString(s, "")
	}
	if reComposition.MatchString(s) {
		// "Any three of upper case, lower case, digits and special
		// characters": a composition rule, not a set a pattern states.
		return ""
	}
	for _, m := range reCharset.FindAllStringSubmatchIndex(s, -1) {
		words := s[m[2]:m[3]]
		before := s[:m[0]]
		if strings.Contains(words, "字符") || strings.HasSuffix(before, "不") || strings.HasSuffix(before, "不能") || strings.HasSuffix(before, "不可") || strings.HasSuffix(before, "不可以") {
			// 字符 is any character: "2~50个字符或汉字" states no set;
			// 不支持… allows nothing.
			continue
		}
		add(words)
	}
	for _, c := range listed {
		if !seen[c] {
			seen[c] = true
			classes = append(classes, c)
		}
	}
	if len(classes) == 0 {
		return ""
	}
	if st := reStartWith.FindStringSubmatch(s); st != nil {
		var first []string
		for _, c := range charClasses {
			if strings.Contains(st[1], c.word) && !slices.Contains(first, c.class) {
				if c.word == "字母" && strings.Contains(st[1], "英文字母") {
					continue
				}
				first = append(first, c.class)
			}
		}
		if len(first) > 0 {
			add(st[1])
			return "^[" + strings.Join(first, "") + "][" + strings.Join(classes, "") + "]*$"
		}
	}
	return "^[" + strings.Join(classes, "") + "]+$"
}
