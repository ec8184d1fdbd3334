package plan

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// ReservedChars are the characters signing implementations get wrong:
// space (%20, never +), the RFC 3986 reserved and unreserved edge cases,
// CJK and an emoji (4-byte UTF-8).
const ReservedChars = "a b*c~d+e%f/g=h&i#j歡😀"

// signatureProbes send, signed with v1 and v3 over GET and a POST form,
// a request whose value holds ReservedChars: a target that canonicalises
// such a value otherwise than the signature rules say refuses a correctly
// signed request. The value rides on a free-text parameter added to the
// operation's wire carrier, or else on a pattern rule's rejection.
func signatureProbes(op *spec.Operation, base *Case, planned []*Case) []*Case {
	var carrier *Case
	var r Request
	// The parameters that make the base case what it is stay as they are:
	// a rule's own parameter, and every parameter a trigger's request sets
	// (a name that must be one already in use, say).
	except := map[string]bool{}
	if base != nil && base.rule != nil {
		except[base.rule.ParamName()] = true
	}
	if base != nil && base.trigger != nil {
		for k := range base.trigger.Request {
			except[k] = true
		}
	}
	if free := freeText(op, len([]rune(ReservedChars)), except); free != "" && base != nil {
		carrier, r = base, base.Requests[0]
		r.Params = Clone(r.Params)
		r.Params.Set(free, ReservedChars)
	} else {
		for _, c := range planned {
			if c.Kind != KindRule || c.rule == nil || c.rule.Kind != spec.RulePattern || c.rule.OnItems() || c.Skip != "" || !strings.HasSuffix(c.ID, "/reject") {
				continue
			}
			v := "x" + ReservedChars
			if regexp.MustCompile(c.rule.EffectivePattern()).MatchString(v) {
				continue
			}
			carrier, r = c, c.Requests[0]
			r.Params = Clone(r.Params)
			r.Params.Set(c.rule.ParamName(), v)
			break
		}
	}
	variants := []struct {
		name string
		set  func(*Request)
	}{
		{"v1-GET", func(r *Request) { r.SigV1, r.Method = true, "GET" }},
		{"v1-POST-form", func(r *Request) { r.SigV1, r.Method, r.Form = true, "POST", true }},
		{"v3-GET", func(r *Request) { r.Method = "GET" }},
		{"v3-POST-form", func(r *Request) { r.Method, r.Form = "POST", true }},
	}
	var out []*Case
	for _, v := range variants {
		c := &Case{ID: op.Action + "/signature:" + v.name + "/reserved-characters", Action: op.Action, Kind: KindWire, Safety: spec.SafetyReadonly, op: op,
			Probe: ProbeSignature, Why: "a correctly signed " + v.name + " request whose value holds " + ReservedChars + " is not refused for its signature"}
		if carrier == nil {
			c.Skip = "no readonly case of this operation can carry a free-text value against this profile"
		} else {
			rr := r
			rr.Params = Clone(r.Params)
			v.set(&rr)
			if strings.HasPrefix(v.name, "v3") {
				rr.SigV3 = true
			}
			// The carrier's own request over the same wire first: when the
			// target refuses that one too, the probe proves nothing.
			plain := carrier.Requests[0]
			plain.Method, plain.Form, plain.SigV1, plain.SigV3 = rr.Method, rr.Form, rr.SigV1, rr.SigV3
			c.Code, c.Requests, c.Provenance = carrier.Code, []Request{plain, rr}, carrier.Provenance
			c.Expect = Expect{Codes: carrier.Expect.Codes, Parity: true}
			c.Evidence, c.Inference, c.rule, c.errCode, c.trigger = carrier.Evidence, carrier.Inference, carrier.rule, carrier.errCode, carrier.trigger
			c.Refusal, c.RefusalInference = carrier.Refusal, carrier.RefusalInference
		}
		out = append(out, c)
	}
	return out
}

// freeText names an optional string parameter no rule constrains but its
// length (at least n): a value there changes no documented answer.
func freeText(op *spec.Operation, n int, except map[string]bool) string {
	for _, p := range op.Params {
		if except[p.Name] || p.Required || p.Style != "" || p.Encoding != "" || p.Schema == nil || !p.Schema.Type.Is("string") || len(p.Schema.Enum) > 0 || p.Schema.Pattern != "" {
			continue
		}
		// Not free text: a value the server issued (an ID, a token), a
		// form stated in words we could not read, or one the description
		// gives a format or a list of values for.
		if spec.ServerIssued(p.Name) || len(p.UnreadLimits) > 0 || statesForm(p) || !textual(p.Name) {
			continue
		}
		if p.Schema.MaxLength != nil && int(*p.Schema.MaxLength) < n {
			continue
		}
		constrained := false
		for _, r := range op.Rules {
			if (r.ParamName() == p.Name && r.Kind != spec.RuleMaxLength && r.Kind != spec.RuleMinLength) || (r.When != nil && r.When.Param == p.Name) {
				constrained = true
			}
		}
		if !constrained {
			return p.Name
		}
	}
	return ""
}

// rideOn replaces, parameter by parameter, a boundary case's values with
// the real request's, except the rule's own parameter and its condition,
// and any replacement that would break a conditional rule.
func rideOn(op *spec.Operation, rule *spec.Rule, params, real url.Values) url.Values {
	names := map[string]bool{}
	for k := range real {
		name, _, _ := strings.Cut(k, ".")
		if p := op.ParamOf(k); p != nil {
			name = p.Name
		}
		names[name] = true
	}
	order := make([]string, 0, len(names))
	for n := range names {
		order = append(order, n)
	}
	sort.Strings(order)
	out := Clone(params)
	for _, name := range order {
		if name == rule.ParamName() || (rule.When != nil && rule.When.Param == name) {
			continue
		}
		next := Clone(out)
		for k := range next {
			if k == name || strings.HasPrefix(k, name+".") {
				delete(next, k)
			}
		}
		for k, vs := range real {
			if k == name || strings.HasPrefix(k, name+".") {
				next[k] = append([]string(nil), vs...)
			}
		}
		if conditionsHold(op, next) {
			out = next
		}
	}
	return out
}

// conditionsHold: every conditional pattern rule whose condition the
// request meets is satisfied.
func conditionsHold(op *spec.Operation, v url.Values) bool {
	for _, r := range op.Rules {
		if r.When == nil || r.Kind != spec.RulePattern || v.Get(r.When.Param) != r.When.Equals {
			continue
		}
		if cur := v.Get(r.ParamName()); cur != "" && !regexp.MustCompile(r.EffectivePattern()).MatchString(cur) {
			return false
		}
	}
	return true
}

func firstProvenance(ps ...spec.Provenance) spec.Provenance {
	for _, p := range ps {
		if p.Kind != "" {
			return p
		}
	}
	return spec.Provenance{}
}

func provocationRequests(op *spec.Operation, pv *cases.Provocation) []Request {
	base := Request{Action: op.Action, Params: pv.Params, As: pv.As}
	switch pv.Procedure {
	case spec.ProcedureConcurrent:
		out := make([]Request, 6)
		for i := range out {
			out[i] = base
		}
		return out
	case spec.ProcedureExhaustQuota:
		out := make([]Request, len(pv.Values))
		for i, v := range pv.Values {
			r := base
			r.Params = Clone(pv.Params)
			r.Params.Set(pv.Vary, v)
			out[i] = r
		}
		return out
	}
	return []Request{base}
}

// Clone copies parameters deeply.
func Clone(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

func successCases(api *spec.API, op *spec.Operation, sc *spec.Success, lookup cases.Lookup) []*Case {
	var out []*Case
	var missing []string
	needs := sc.Needs
	if sc.As != "" && !slices.Contains(needs, sc.As) {
		needs = append(slices.Clone(needs), sc.As)
	}
	for _, n := range needs {
		if _, _, ok := lookup(n); !ok {
			missing = append(missing, n)
		}
	}
	call := func(c *spec.Call) *Request {
		if c == nil {
			return nil
		}
		target := api.Operation(c.Action)
		params, err := cases.Fill(target, c.Request, lookup)
		if err != nil {
			return nil
		}
		return &Request{Action: c.Action, Params: params, As: sc.As}
	}
	examples := op.Examples
	if len(examples) == 0 {
		examples = []*spec.Example{{Name: "schema"}}
	}
	for _, ex := range examples {
		c := &Case{ID: op.Action + "/example:" + ex.Name + "/success", Action: op.Action, Kind: KindExample, Safety: sc.Safety, op: op,
			Why: "a documented success answer, checked against the response schema, date layouts, echoes and relations", NoCleanup: sc.NoCleanup,
			Provenance: api.Cite(op.Provenance), Expect: Expect{Success: true}, Evidence: spec.EvidenceStated}
		if len(missing) > 0 {
			c.Skip = "the profile lacks " + strings.Join(missing, ", ")
		} else {
			params, err := cases.Fill(op, sc.Request, lookup)
			if err != nil {
				c.Skip = err.Error()
			} else {
				c.Requests = []Request{{Action: op.Action, Params: params, As: sc.As}}
				c.Setup, c.Cleanup = call(sc.Setup), call(sc.Cleanup)
			}
		}
		out = append(out, c)
	}
	return out
}

// wireCases send the first readonly error case over each wire variant; all
// must give the documented answer, XML and JSON alike.
func wireCases(op *spec.Operation, base *Case) []*Case {
	variants := []struct {
		name string
		set  func(*Request)
	}{
		{"GET", func(r *Request) { r.Method = "GET" }},
		{"POST-query", func(r *Request) { r.Method = "POST" }},
		{"POST-form", func(r *Request) { r.Method, r.Form = "POST", true }},
		{"XML", func(r *Request) { r.XML = true }},
		{"signature-v1", func(r *Request) { r.SigV1 = true }},
	}
	var out []*Case
	for _, v := range variants {
		c := &Case{ID: op.Action + "/wire:" + v.name + "/" + strings.TrimPrefix(idTail(base), "/"), Action: op.Action, Kind: KindWire, Safety: spec.SafetyReadonly, op: op,
			Why: "the same request as " + v.name + " gets the same documented answer"}
		if base == nil {
			c.Skip = "no readonly error case of this operation can run against this profile to carry the wire variants"
			c.ID = op.Action + "/wire:" + v.name + "/none"
		} else {
			r := base.Requests[0]
			v.set(&r)
			c.Code, c.Requests, c.Provenance, c.Expect = base.Code, []Request{r}, base.Provenance, Expect{Codes: base.Expect.Codes, Parity: true}
			c.Evidence, c.Inference, c.errCode, c.trigger = base.Evidence, base.Inference, base.errCode, base.trigger
			c.Refusal, c.RefusalInference = base.Refusal, base.RefusalInference
		}
		out = append(out, c)
	}
	return out
}

// realItems puts the profile's real values into a count or uniqueness
// rule's list (Members.maxItems' six members, uniqueItems' repeated one):
// each distinct item the case made up becomes a distinct value of the
// profile's list input named after the parameter, so a target that looks
// the items up finds them, and the answer is the rule's whichever it
// checks first. False when the profile has too few values, or the rule
// is about the items' form.
func realItems(op *spec.Operation, r *spec.Rule, params url.Values, lookup cases.Lookup) (url.Values, bool) {
	switch r.Kind {
	case spec.RuleMaxItems, spec.RuleMinItems, spec.RuleUniqueItems:
	default:
		return nil, false
	}
	p := op.Param(r.ParamName())
	if p == nil || p.Style != spec.StyleRepeatList {
		return nil, false
	}
	_, list, ok := lookup(p.Name)
	if !ok || len(list) == 0 {
		return nil, false
	}
	items, err := acs.DecodeRepeatList(params, p.Name)
	if err != nil || len(items) == 0 {
		return nil, false
	}
	var distinct []string
	for _, it := range items {
		if !slices.Contains(distinct, it) {
			distinct = append(distinct, it)
		}
	}
	var real []string
	for _, v := range list {
		if !slices.Contains(real, v) {
			real = append(real, v)
		}
	}
	if len(real) < len(distinct) {
		return nil, false
	}
	out := Clone(params)
	for k := range out {
		if strings.HasPrefix(k, p.Name+".") {
			delete(out, k)
		}
	}
	mapped := make([]string, len(items))
	for i, it := range items {
		mapped[i] = real[slices.Index(distinct, it)]
	}
	acs.EncodeRepeatList(out, p.Name, mapped)
	return out, true
}

// textual: the parameter's name says it holds words people write (a note,
// a description, a keyword or filter, a name shown to people) rather than
// a value a server reads (a code, a principal, a type).
func textual(name string) bool {
	for _, w := range []string{"Note", "Description", "Keyword", "Filter", "Remark", "Comment", "DisplayName"} {
		if strings.HasSuffix(name, w) {
			return true
		}
	}
	return false
}

// statesForm: the parameter's description gives a format or its values.
func statesForm(p *spec.Param) bool {
	for _, text := range p.Descriptions {
		lower := strings.ToLower(text)
		for _, w := range []string{"格式", "取值：", "取值:", "format", "valid values"} {
			if strings.Contains(lower, w) {
				return true
			}
		}
	}
	return false
}

// enumWith gives a request that sets an enum value a curation added the
// values the curation says go with it (ResourceType=Folder: folder IDs in
// ResourceId), from the profile's inputs; false when the value has none or
// an input is missing.
func enumWith(op *spec.Operation, rule *spec.Rule, params url.Values, lookup cases.Lookup) (url.Values, bool) {
	p := op.Param(rule.ParamName())
	if p == nil || len(p.EnumWith) == 0 {
		return nil, false
	}
	with := p.EnumWith[params.Get(p.Name)]
	if len(with) == 0 {
		return nil, false
	}
	for name := range with {
		if op.Param(name) == nil {
			return nil, false // the curation names a parameter the operation lacks
		}
	}
	for _, name := range (&spec.Trigger{Request: with}).Placeholders() {
		if _, _, ok := lookup(name); !ok {
			return nil, false
		}
	}
	fill, err := cases.Fill(op, with, lookup)
	if err != nil {
		return nil, false
	}
	out := Clone(params)
	for name := range with {
		for k := range out {
			if k == name || strings.HasPrefix(k, name+".") {
				delete(out, k)
			}
		}
		for k, vs := range fill {
			if k == name || strings.HasPrefix(k, name+".") {
				out[k] = vs
			}
		}
	}
	return out, true
}
