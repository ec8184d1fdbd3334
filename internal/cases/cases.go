// Package cases derives test requests from the contract: a baseline request
// that satisfies every rule of an operation, and for each rule the requests
// that break it (with the codes a server may answer) and the boundary
// requests it must accept. The generated validators' tests and the
// conformance suite use the same cases, so neither lists them by hand.
package cases

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// Case is one request and its expected answer.
type Case struct {
	// ID is stable: <Action>/<rule id>/<variant>.
	ID      string
	Action  string
	Rule    *spec.Rule
	Variant string
	Params  url.Values
	// Accept: the request must succeed as far as the rule is concerned.
	Accept bool
	// Codes a server may answer when !Accept: the chosen one first.
	Codes []string
	// Why says in words what the case does.
	Why string
	// Reading, when set, is our own reading the case rests on beyond its
	// rule (an empty value of an optional parameter refused rather than
	// read as absent).
	Reading string
}

// Inferred reports whether the case rests on an inferred rule.
func (c *Case) Inferred() bool { return c.Rule != nil && c.Rule.Provenance.Kind == spec.KindInferred }

// Baseline builds a request that satisfies every rule of op from the
// parameters' examples (vendor masking undone). Required parameters without
// an example are sampled from their pattern.
func Baseline(op *spec.Operation) (url.Values, error) {
	v := url.Values{}
	for _, p := range op.Params {
		if !p.Required && !requiredByRule(op, p.Name) && spec.Masked(p.Example) && spec.ServerIssued(p.Name) {
			// A value the server issued (a NextToken, an ID) masked in the
			// docs names nothing on the target: an optional one is left out.
			continue
		}
		ex := spec.Unmask(p.Example)
		switch p.Style {
		case spec.StyleRepeatList:
			list, _ := ex.([]any)
			items := make([]string, 0, len(list))
			for _, x := range list {
				items = append(items, spec.WireText(x))
			}
			acs.EncodeRepeatList(v, p.Name, items)
		case spec.StyleFlat:
			list, _ := ex.([]any)
			items := make([]map[string]string, 0, len(list))
			for _, x := range list {
				m, _ := x.(map[string]any)
				item := map[string]string{}
				for k, val := range m {
					item[k] = fmt.Sprint(val)
				}
				items = append(items, item)
			}
			acs.EncodeFlat(v, p.Name, items)
		default:
			if m, ok := ex.(map[string]any); ok && p.Encoding != spec.EncodingJSON {
				// A flat object: Name.Field=value.
				for k, x := range m {
					v.Set(p.Name+"."+k, spec.WireText(x))
				}
			} else if ex != nil {
				v.Set(p.Name, spec.WireText(ex))
			} else if p.Required {
				s, why := FromSchema(p.Schema)
				if why != "" {
					return nil, &NoValueError{Action: op.Action, Param: p.Name, Why: why}
				}
				v.Set(p.Name, s)
			}
		}
		if (p.Style == spec.StyleRepeatList || p.Style == spec.StyleFlat) && (p.Required || requiredByRule(op, p.Name)) && !v.Has(p.Name+".1") && !hasPrefix(v, p.Name+".1.") {
			// A required list the docs give no example of: one item built
			// from the item's schema.
			item := (*openapi3.Schema)(nil)
			if p.Schema != nil && p.Schema.Items != nil {
				item = p.Schema.Items.Value
			}
			if p.Style == spec.StyleRepeatList {
				s, why := FromSchema(item)
				if why != "" {
					return nil, &NoValueError{Action: op.Action, Param: p.Name, Why: "its items: " + why}
				}
				acs.EncodeRepeatList(v, p.Name, []string{s})
			} else {
				m := map[string]string{}
				if item != nil {
					for name, ps := range item.Properties {
						if ps.Value == nil {
							continue
						}
						if ps.Value.Example != nil {
							m[name] = spec.WireText(ps.Value.Example)
						} else if s, why := FromSchema(ps.Value); why == "" {
							m[name] = s
						}
					}
				}
				if len(m) == 0 {
					return nil, &NoValueError{Action: op.Action, Param: p.Name, Why: "its items state no field a value can be built for"}
				}
				acs.EncodeFlat(v, p.Name, []map[string]string{m})
			}
		}
	}
	MeetNeedless(op, v)
	return v, nil
}

// NoValueError says a required parameter has no example and no value can
// be built from its schema: the operation's cases that need a valid
// request are skipped with Why, never the whole product refused.
type NoValueError struct {
	Action, Param, Why string
}

func (e *NoValueError) Error() string {
	return fmt.Sprintf("cases: %s: required parameter %s has no example and %s", e.Action, e.Param, e.Why)
}

// Reason is the skip reason of the cases the missing value stops.
func (e *NoValueError) Reason() string {
	return fmt.Sprintf("the required parameter %s has no example and %s: no valid request can be built", e.Param, e.Why)
}

// FromSchema builds a value a parameter's schema accepts, for a required
// parameter the docs give no example of: its first enum value, a sample of
// its pattern, its default, its lower bound, or text of its least length.
// It is our value, not the vendor's: why says what stopped it ("" when a
// value was built).
func FromSchema(s *openapi3.Schema) (value, why string) {
	switch {
	case s == nil:
		return "", "no schema to build one from"
	case len(s.Enum) > 0:
		return spec.WireText(s.Enum[0]), ""
	case s.Default != nil:
		return spec.WireText(s.Default), ""
	case s.Type.Is("boolean"):
		return "true", ""
	case s.Type.Is("integer") || s.Type.Is("number"):
		n := 1.0
		if s.Min != nil {
			n = *s.Min
			if b := s.ExclusiveMin.Bool; b != nil && *b {
				n++
			}
		} else if s.Max != nil && *s.Max < n {
			n = *s.Max
		}
		return strconv.FormatFloat(n, 'f', -1, 64), ""
	case s.Type.Is("object") || s.Type.Is("array"):
		return "", "its schema (" + strings.Join(s.Type.Slice(), ",") + ") gives no form to build one in"
	case s.Pattern != "":
		// A sample of the pattern within the length limits too.
		for seed := 0; seed < 64; seed++ {
			v, ok := Sample(s.Pattern, seed*7919)
			if !ok {
				return "", "its pattern cannot be sampled"
			}
			if !acs.ShorterThan(v, int(s.MinLength)) && (s.MaxLength == nil || !acs.LongerThan(v, int(*s.MaxLength))) {
				return v, ""
			}
			if seed == 0 && s.MinLength > 0 {
				// Grow the first sample by repeating it, when the
				// pattern allows (one character class repeated).
				if grown := strings.Repeat(v, int(s.MinLength)/max(len(v), 1)+1); regexp.MustCompile(s.Pattern).MatchString(grown) &&
					(s.MaxLength == nil || !acs.LongerThan(grown, int(*s.MaxLength))) {
					return grown, ""
				}
			}
		}
		return "", "no sample of its pattern fits its length limits"
	}
	n := int(s.MinLength)
	if n < 1 {
		n = 1
	}
	if s.MaxLength != nil && int(*s.MaxLength) < n {
		return "", "its length limits admit no value"
	}
	return strings.Repeat("a", n), ""
}

func hasPrefix(v url.Values, prefix string) bool {
	for k := range v {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// requiredByRule: a rule requires the parameter although its schema marks
// it optional (a documented MissingParameter code read as a rule).
func requiredByRule(op *spec.Operation, name string) bool {
	for _, r := range op.Rules {
		if r.Kind == spec.RuleRequired && r.ParamName() == name && r.When == nil {
			return true
		}
	}
	return false
}

func clone(v url.Values) url.Values {
	c := url.Values{}
	for k, vals := range v {
		c[k] = append([]string(nil), vals...)
	}
	return c
}

// without removes a parameter and, for lists, all its indexed keys.
func without(v url.Values, name string) url.Values {
	c := clone(v)
	for k := range c {
		if k == name || strings.HasPrefix(k, name+".") {
			delete(c, k)
		}
	}
	return c
}

func withList(v url.Values, name string, items []string) url.Values {
	c := without(v, name)
	acs.EncodeRepeatList(c, name, items)
	return c
}

func withFlat(v url.Values, name string, items []map[string]string) url.Values {
	c := without(v, name)
	acs.EncodeFlat(c, name, items)
	return c
}

// flatItems builds n distinct items of a flat list (Tag.N.Key, Tag.N.Value)
// from its example item: each field's example with the item's number
// appended, so no two items are the same.
func flatItems(p *spec.Param, n int) []map[string]string {
	var first map[string]any
	if list, ok := spec.Unmask(p.Example).([]any); ok && len(list) > 0 {
		first, _ = list[0].(map[string]any)
	}
	var fields []string
	if p.Schema.Items != nil && p.Schema.Items.Value != nil {
		for name := range p.Schema.Items.Value.Properties {
			fields = append(fields, name)
		}
	}
	sort.Strings(fields)
	out := make([]map[string]string, n)
	for i := range out {
		item := map[string]string{}
		for _, f := range fields {
			ex := "v"
			if x, ok := first[f]; ok {
				ex = spec.WireText(x)
			}
			item[f] = fmt.Sprintf("%s%d", ex, i+1)
		}
		out[i] = item
	}
	return out
}

func withValue(v url.Values, name, value string) url.Values {
	c := clone(v)
	c.Set(name, value)
	return c
}

// For returns every rule case of op, in rule order.
func For(op *spec.Operation) ([]*Case, error) {
	base, err := Baseline(op)
	if err != nil {
		return nil, err
	}
	var out []*Case
	for _, r := range op.Rules {
		cs, err := forRule(op, r, base)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}

// distinctItems returns n distinct values the item pattern accepts.
func distinctItems(pattern string, n int, first []string) ([]string, error) {
	items := append([]string(nil), first...)
	seen := map[string]bool{}
	for _, it := range items {
		seen[it] = true
	}
	for seed := 0; len(items) < n && seed < 50*n; seed++ {
		s := fmt.Sprintf("item-%d", seed)
		if v, ok := shapedLike(first, seed); ok && pattern == "" {
			// No stated form: the documented item's own shape, its last
			// digits counted up (1524000 → 1524001), serves better than
			// a made-up one a target may read as malformed.
			s = v
		}
		if pattern != "" {
			var ok bool
			if s, ok = Sample(pattern, seed); !ok {
				break
			}
		}
		if !seen[s] {
			seen[s] = true
			items = append(items, s)
		}
	}
	if len(items) < n {
		return nil, fmt.Errorf("cannot build %d distinct items for pattern %q", n, pattern)
	}
	return items[:n], nil
}

// shapedLike is the first item with its trailing digits (at most four)
// replaced by seed+1, zero-padded to their width; false when the item ends
// in fewer than two digits or seed+1 does not fit.
func shapedLike(first []string, seed int) (string, bool) {
	if len(first) == 0 {
		return "", false
	}
	v := first[0]
	i := len(v)
	for i > 0 && i > len(v)-4 && v[i-1] >= '0' && v[i-1] <= '9' {
		i--
	}
	width := len(v) - i
	if width < 2 {
		return "", false
	}
	n := fmt.Sprintf("%0*d", width, seed+1)
	if len(n) > width {
		return "", false
	}
	return v[:i] + n, true
}

// withinLength reports whether a value satisfies the schema's length limits.
func withinLength(s *openapi3.Schema, v string) bool {
	if s == nil {
		return true
	}
	n := uint64(len([]rune(v)))
	if n < s.MinLength || s.MaxLength != nil && n > *s.MaxLength {
		return false
	}
	return true
}

// nonMatching returns a value the pattern refuses, preferring the pattern's
// own near misses.
func nonMatching(pattern string) (string, bool) {
	re := regexp.MustCompile(pattern)
	for _, e := range Edges(pattern) {
		if !e.Match {
			return e.Value, true
		}
	}
	for _, s := range []string{"invalid value", "!", "x", "\x01", "-", "0", "@"} {
		if !re.MatchString(s) {
			return s, true
		}
	}
	return "", false
}

func forRule(op *spec.Operation, r *spec.Rule, base url.Values) ([]*Case, error) {
	p := r.Target()
	s := r.Schema()
	mk := func(variant string, params url.Values, accept bool, why string) *Case {
		params = satisfyConditions(op, r, params)
		c := &Case{ID: op.Action + "/" + r.ID + "/" + variant, Action: op.Action, Rule: r, Variant: variant, Params: params, Accept: accept, Why: why}
		if !accept {
			c.Codes = r.Accepted()
		}
		return c
	}
	if r.When != nil {
		base = withValue(base, r.When.Param, r.When.Equals)
	}
	items, _ := acs.DecodeRepeatList(base, p.Name)
	// set gives the parameter one value, or a list of that one value for a
	// rule on each item.
	set := func(v string) url.Values {
		if r.OnItems() {
			return withList(base, p.Name, []string{v})
		}
		return withValue(base, p.Name, v)
	}
	var out []*Case
	switch r.Kind {
	case spec.RuleRequired:
		out = append(out, mk("absent", without(base, p.Name), false, p.Name+" left out"))
	case spec.RulePattern:
		pat := r.EffectivePattern()
		bad, ok := nonMatching(pat)
		if !ok {
			return nil, fmt.Errorf("cases: %s rule %s: no value breaks pattern %q", op.Action, r.ID, pat)
		}
		out = append(out, mk("reject", set(bad), false, fmt.Sprintf("%s = %q does not match %s", r.Param, bad, pat)))
		for i, e := range Edges(pat) {
			if e.Match && !withinLength(s, e.Value) {
				continue // the length rules of the parameter would answer instead
			}
			out = append(out, mk(fmt.Sprintf("edge-%d", i+1), set(e.Value), e.Match, fmt.Sprintf("%s = %q (%s): the pattern %s it", r.Param, e.Value, e.Why, map[bool]string{true: "accepts", false: "refuses"}[e.Match])))
		}
	case spec.RuleMaxLength, spec.RuleMinLength:
		n := int(s.MinLength)
		if r.Kind == spec.RuleMaxLength {
			n = int(*s.MaxLength)
		}
		over, under := n+1, n-1
		var shape *regexp.Regexp
		if s.Pattern != "" {
			shape = regexp.MustCompile(s.Pattern)
		}
		for _, unit := range []struct{ name, char string }{{"ascii", "a"}, {"cjk", "歡"}} {
			// A value of the length alone: one the parameter's pattern refuses
			// would test the pattern instead.
			if shape != nil && !shape.MatchString(strings.Repeat(unit.char, max(n, 1))) {
				continue
			}
			out = append(out, mk("accept-"+fmt.Sprint(n)+"-"+unit.name, set(strings.Repeat(unit.char, n)), true,
				fmt.Sprintf("%s of exactly %d %s characters", p.Name, n, unit.name)))
			if r.Kind == spec.RuleMaxLength {
				out = append(out, mk("reject-"+fmt.Sprint(over)+"-"+unit.name, set(strings.Repeat(unit.char, over)), false,
					fmt.Sprintf("%s of %d %s characters", p.Name, over, unit.name)))
			} else if under > 0 {
				out = append(out, mk("reject-"+fmt.Sprint(under)+"-"+unit.name, set(strings.Repeat(unit.char, under)), false,
					fmt.Sprintf("%s of %d %s characters", p.Name, under, unit.name)))
			}
		}
	case spec.RuleEnum:
		var vals []string
		for _, v := range s.Enum {
			vals = append(vals, spec.WireText(v))
		}
		for _, v := range vals {
			out = append(out, mk("accept-"+v, set(v), true, fmt.Sprintf("%s = %s, a documented value", p.Name, v)))
		}
		off := offEnum
		if s.Type.Is("integer") || s.Type.Is("number") {
			off = offEnumNumbers
		} else if s.Type.Is("boolean") {
			off = offEnumBool
		}
		for _, miss := range off(vals) {
			if miss.value == "" && !p.Required && !r.OnItems() {
				// An empty value of an optional parameter reads as absent on
				// the RPC wire as often as not: no documented fact to test.
				continue
			}
			c := mk("reject-"+variantName(miss.value), set(miss.value), false, fmt.Sprintf("%s = %q, %s", p.Name, miss.value, miss.why))
			if miss.value == "" && !p.Required {
				c.Reading = "an empty value of the optional " + p.Name + " could be read as absent; we read it as a value outside the documented list"
			}
			if miss.value == "" {
				// An empty value may be read as an absent one: the
				// parameter's required rule answers then, as documented.
				for _, other := range op.Rules {
					if other.Kind == spec.RuleRequired && other.ParamName() == p.Name {
						for _, code := range other.Accepted() {
							if !contains(c.Codes, code) {
								c.Codes = append(c.Codes, code)
							}
						}
					}
				}
			}
			out = append(out, c)
		}
	case spec.RuleMaxItems, spec.RuleMinItems:
		itemPattern := ""
		if p.Schema.Items != nil && p.Schema.Items.Value != nil {
			itemPattern = p.Schema.Items.Value.Pattern
		}
		n := int(s.MinItems)
		if r.Kind == spec.RuleMaxItems {
			n = int(*s.MaxItems)
		}
		if p.Style == spec.StyleFlat {
			list := flatItems(p, n+1)
			out = append(out, mk(fmt.Sprintf("accept-%d", n), withFlat(base, p.Name, list[:n]), true, fmt.Sprintf("%d distinct %s", n, p.Name)))
			if r.Kind == spec.RuleMaxItems {
				out = append(out, mk(fmt.Sprintf("reject-%d", n+1), withFlat(base, p.Name, list), false, fmt.Sprintf("%d distinct %s", n+1, p.Name)))
			} else if n > 1 {
				out = append(out, mk(fmt.Sprintf("reject-%d", n-1), withFlat(base, p.Name, list[:n-1]), false, fmt.Sprintf("%d %s", n-1, p.Name)))
			}
			break
		}
		list, err := distinctItems(itemPattern, n+1, items)
		if err != nil {
			return nil, fmt.Errorf("cases: %s rule %s: %v", op.Action, r.ID, err)
		}
		out = append(out, mk(fmt.Sprintf("accept-%d", n), withList(base, p.Name, list[:n]), true, fmt.Sprintf("%d distinct %s", n, p.Name)))
		if r.Kind == spec.RuleMaxItems {
			out = append(out, mk(fmt.Sprintf("reject-%d", n+1), withList(base, p.Name, list), false, fmt.Sprintf("%d distinct %s", n+1, p.Name)))
		} else if n > 1 {
			out = append(out, mk(fmt.Sprintf("reject-%d", n-1), withList(base, p.Name, list[:n-1]), false, fmt.Sprintf("%d %s", n-1, p.Name)))
		}
	case spec.RuleUniqueItems:
		itemPattern := ""
		if p.Schema.Items != nil && p.Schema.Items.Value != nil {
			itemPattern = p.Schema.Items.Value.Pattern
		}
		list, err := distinctItems(itemPattern, 2, items)
		if err != nil {
			return nil, fmt.Errorf("cases: %s rule %s: %v", op.Action, r.ID, err)
		}
		out = append(out, mk("reject-duplicate", withList(base, p.Name, []string{list[0], list[0]}), false, fmt.Sprintf("%s names %s twice", p.Name, list[0])))
		out = append(out, mk("accept-distinct", withList(base, p.Name, list), true, fmt.Sprintf("%s names two distinct objects", p.Name)))
	case spec.RuleMaximum, spec.RuleMinimum:
		bound, step := s.Max, 1.0
		if r.Kind == spec.RuleMinimum {
			bound, step = s.Min, -1.0
		}
		if !s.Type.Is("integer") {
			step /= 2
		}
		at := strconv.FormatFloat(*bound, 'f', -1, 64)
		past := strconv.FormatFloat(*bound+step, 'f', -1, 64)
		out = append(out, mk("accept-"+at, withValue(base, p.Name, at), true, fmt.Sprintf("%s = %s, the documented %s", p.Name, at, r.Kind)))
		out = append(out, mk("reject-"+past, withValue(base, p.Name, past), false, fmt.Sprintf("%s = %s, past the documented %s %s", p.Name, past, r.Kind, at)))
	default:
		return nil, fmt.Errorf("cases: %s rule %s: kind %s has no case builder", op.Action, r.ID, r.Kind)
	}
	return out, nil
}

// satisfyConditions keeps a case about one rule from breaking another:
// every other conditional rule whose condition the case makes true gets a
// target value sampled from its own pattern.
func satisfyConditions(op *spec.Operation, except *spec.Rule, v url.Values) url.Values {
	for _, r := range op.Rules {
		if r == except || r.When == nil || r.Kind != spec.RulePattern || v.Get(r.When.Param) != r.When.Equals {
			continue
		}
		if except.ParamName() == r.ParamName() {
			continue
		}
		cur := v.Get(r.ParamName())
		if cur == "" || regexp.MustCompile(r.EffectivePattern()).MatchString(cur) {
			continue
		}
		if s, ok := Sample(r.EffectivePattern(), 0); ok {
			v = withValue(v, r.ParamName(), s)
		}
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

type offValue struct{ value, why string }

// plausible are values an enum of this API could hold but may not: each
// probe is sent only when the enum does not list it.
var plausible = []string{"Phone", "Mobile", "User", "All", "None"}

// offEnum lists values an enum must refuse: case variants of every
// documented value, near misses, plausible values it does not list, and
// the empty string.
func offEnum(vals []string) []offValue {
	var out []offValue
	seen := map[string]bool{}
	for _, v := range vals {
		seen[v] = true
	}
	add := func(v, why string) {
		if !seen[v] {
			seen[v] = true
			out = append(out, offValue{v, why})
		}
	}
	for _, v := range vals {
		add(strings.ToLower(v), "a case variant of the documented "+v)
		add(strings.ToUpper(v), "a case variant of the documented "+v)
	}
	first := vals[0]
	add(first+"s", "a near miss of the documented "+first)
	if len(first) > 1 {
		add(first[:len(first)-1], "a near miss of the documented "+first)
	}
	add(" "+first, "the documented "+first+" with a leading space")
	n := 0
	for _, v := range plausible {
		if !seen[v] && n < 2 {
			add(v, "a plausible value the docs do not list")
			n++
		}
	}
	add("", "the empty string")
	return out
}

// offEnumBool is the boolean a boolean's enum leaves out (none when it
// lists both).
func offEnumBool(vals []string) []offValue {
	var out []offValue
	for _, b := range []string{"true", "false"} {
		if !slices.Contains(vals, b) {
			out = append(out, offValue{b, "the boolean the documented values leave out"})
		}
	}
	return out
}

// offEnumNumbers are numbers a numeric enum does not list: one past its
// largest value, one before its smallest, and a gap between them. A text
// would be refused as malformed rather than for the enum.
func offEnumNumbers(vals []string) []offValue {
	var nums []float64
	seen := map[float64]bool{}
	for _, v := range vals {
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			nums = append(nums, f)
			seen[f] = true
		}
	}
	if len(nums) == 0 {
		return offEnum(vals)
	}
	lo, hi := slices.Min(nums), slices.Max(nums)
	var out []offValue
	add := func(f float64, why string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, offValue{strconv.FormatFloat(f, 'f', -1, 64), why})
		}
	}
	add(hi+1, "one past the largest documented value")
	add(lo-1, "one before the smallest documented value")
	for f := lo + 1; f < hi && f < lo+1000; f++ {
		if !seen[f] {
			add(f, "a number between the documented values that they do not list")
			break
		}
	}
	return out
}

// variantName makes a value usable in a case ID.
func variantName(v string) string {
	switch {
	case v == "":
		return "empty"
	case strings.TrimSpace(v) != v:
		return "space-" + strings.TrimSpace(v)
	}
	return v
}
