package conformance

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Kind is what a case checks.
type Kind string

// Case kinds, as the coverage report names them.
const (
	KindRule      Kind = "rule"       // a documented parameter rule: rejection or boundary acceptance
	KindErrorCode Kind = "error-code" // a documented error code from its state trigger
	KindExample   Kind = "example"    // a documented success answer
	KindWire      Kind = "wire"       // the same request over another method, encoding, format or signature
	KindPlatform  Kind = "platform"   // a gateway code every operation can return
)

// ProbeSignature: the case checks that a correctly signed request is not
// refused for its signature (and otherwise answers like its carrier).
const ProbeSignature = "signature"

// Tamper says how a platform case damages an otherwise good request.
type Tamper string

// TamperNone leaves a request as a correct client sends it; the other
// tampers are the contract's platform trigger states (states_gen.go).
const TamperNone Tamper = ""

// ProcedureBurst sends more requests at once than the operation's rate
// allows (the rate-exceeded trigger state), unpaced.
const ProcedureBurst spec.Procedure = "burst"

// Request is one request of a case.
type Request struct {
	Action string
	Params url.Values
	As     string // credentials set of the profile; "" is "default"
	Method string // GET or POST (default)
	Form   bool   // parameters in a form body
	XML    bool   // Format=XML
	SigV1  bool   // sign with v1 whatever the profile says
	SigV3  bool   // sign with v3 whatever the profile says
	Tamper Tamper
	// TokenOf names the credentials input whose security token a
	// mismatched-token request carries with its own key.
	TokenOf string
}

// Expect is what a case accepts.
type Expect struct {
	// Success: HTTP 200 with a body that satisfies the contract.
	Success bool
	// Codes: an error answer with one of these codes (the contract's choice
	// first); several are the documented candidates of one rule.
	Codes []string
	// NotCodes: a boundary case — any documented answer but these.
	NotCodes []string
	// Parity: every variant gets the same documented answer.
	Parity bool
}

// Case is one conformance check.
type Case struct {
	ID         string
	Action     string
	Kind       Kind
	Code       string // the documented code the case is about
	Rule       string // the rule id, for rule cases
	Safety     string
	Inferred   bool
	Why        string
	Provenance string
	Skip       string // why it cannot run against this target, or ""
	// Evidence is how strongly the expectation binds the target: a
	// deviation from a stated or observed expectation fails; one from an
	// inferred expectation (Inference says which reading and why) is
	// reported apart and fails only with --strict.
	Evidence  spec.Evidence
	Inference string

	Setup     *Request
	Requests  []Request
	Cleanup   *Request
	NoCleanup string
	Procedure spec.Procedure // single, concurrent, exhaust-quota or burst
	// Probe names a special check: ProbeSignature.
	Probe  string
	Quota  int
	Expect Expect
	op     *spec.Operation
	// The contract's facts the case is about (nil where none applies).
	rule    *spec.Rule
	errCode *spec.ErrorCode
	trigger *spec.Trigger
}

// Where is the contract line the case checks: its rule, its trigger, its
// error code, or its operation (zero when none).
func (c *Case) Where() spec.Pos {
	switch {
	case c.rule != nil && c.rule.Pos.Line > 0:
		return c.rule.Pos
	case c.trigger != nil && c.trigger.Pos.Line > 0:
		return c.trigger.Pos
	case c.errCode != nil && c.errCode.Pos.Line > 0:
		return c.errCode.Pos
	case c.op != nil:
		return c.op.Pos
	}
	return spec.Pos{}
}

// setEvidence weakens the case's evidence by one fact it rests on; an
// inferred fact gives the case its inference (what and why).
func (c *Case) setEvidence(p spec.Provenance, what string) {
	level := p.Level()
	if c.Evidence == "" {
		c.Evidence = level
	}
	if level == spec.EvidenceInferred {
		if c.Evidence != spec.EvidenceInferred || c.Inference == "" {
			c.Inference = what + ": " + strings.Join(strings.Fields(p.Reason), " ")
		}
		c.Evidence = spec.EvidenceInferred
	}
}

// Labels returns the case's Ginkgo labels.
func (c *Case) Labels() []string {
	out := []string{"kind:" + string(c.Kind), c.Safety}
	if c.Action != "" {
		out = append(out, "op:"+c.Action)
	}
	if c.rule != nil && c.Kind == KindRule {
		out = append(out, "rule:"+c.rule.Kind)
	}
	if c.Code != "" {
		out = append(out, "error:"+c.Code)
	}
	if c.Inferred {
		out = append(out, "inferred")
	}
	return out
}

// PlanOptions say what the target allows.
type PlanOptions struct {
	// Embedded: the target is the embedded mock; every case runs.
	Embedded bool
	// AllowMutating and AllowExhausting open the safety classes on other targets.
	AllowMutating   bool
	AllowExhausting bool
}

// Plan builds every case of the contract for a profile, in a stable order.
func Plan(api *spec.API, p *profile.Profile, o PlanOptions) ([]*Case, error) {
	lookup := inputs(p, nil)
	var out []*Case
	for _, op := range api.Operations {
		cs, err := opCases(api, op, inputs(p, op))
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	plat, err := platformCases(api, lookup, ruleCarrier(out), burstCarrier(out))
	if err != nil {
		return nil, err
	}
	out = append(out, plat...)
	for _, c := range out {
		c.gate(o)
		if c.Evidence == "" {
			c.Evidence = spec.EvidenceStated
		}
		c.Inferred = c.Evidence == spec.EvidenceInferred
	}
	return out, nil
}

// inputs looks up a profile's inputs for one operation: an input named
// "<Action>.<name>" (the contact that blocks unbinding, say, apart from
// the one that blocks binding) wins over the plain "<name>".
func inputs(p *profile.Profile, op *spec.Operation) cases.Lookup {
	action := ""
	if op != nil {
		action = op.Action
	}
	return func(name string) (string, []string, bool) {
		key := name
		if action != "" && p.Has(action+"."+name) {
			key = action + "." + name
		}
		in, ok := p.Inputs[key]
		if !ok || !p.Has(key) {
			if p.ExampleInputs && op != nil {
				return exampleInput(op, name)
			}
			return "", nil, false
		}
		if in.Credentials != "" {
			return in.Credentials, nil, true
		}
		return in.Value, in.List, true
	}
}

// exampleInput is the contract's example of the operation's parameter of
// that name (masking undone), for a profile with example-inputs.
func exampleInput(op *spec.Operation, name string) (string, []string, bool) {
	param := op.Param(name)
	if param == nil {
		return "", nil, false
	}
	if param.Example == nil {
		// No usable example (the metadata's contradicted its format): a
		// value of the stated format.
		if param.Schema != nil && param.Schema.Pattern != "" {
			if v, ok := cases.Sample(param.Schema.Pattern, 0); ok {
				return v, nil, true
			}
		}
		return "", nil, false
	}
	switch ex := spec.Unmask(param.Example).(type) {
	case []any:
		var list []string
		for _, x := range ex {
			if _, isMap := x.(map[string]any); isMap {
				return "", nil, false
			}
			list = append(list, fmt.Sprint(x))
		}
		if len(list) == 0 {
			return "", nil, false
		}
		return list[0], list, true
	case map[string]any:
		return "", nil, false
	default:
		return fmt.Sprint(ex), nil, true
	}
}

// gate skips what the target's safety settings do not allow.
func (c *Case) gate(o PlanOptions) {
	if c.Skip != "" || o.Embedded {
		return
	}
	switch {
	case c.Safety == spec.SafetyMutating && !o.AllowMutating:
		c.Skip = "mutating (it creates state and cleans up): needs --allow-mutating against a target other than the embedded mock"
	case c.Safety == spec.SafetyExhausting && !o.AllowExhausting:
		c.Skip = "exhausting (it uses up a quota or cannot be undone): needs --allow-exhausting against a target other than the embedded mock"
	}
}

func opCases(api *spec.API, op *spec.Operation, lookup cases.Lookup) ([]*Case, error) {
	var out []*Case
	acceptSafety := spec.SafetyMutating
	if op.Success != nil && op.Success.Safety != spec.SafetyReadonly {
		acceptSafety = op.Success.Safety
	}
	ruleCases, err := cases.For(op)
	if err != nil {
		return nil, err
	}
	// The success recipe's request over the profile's real IDs: boundary
	// cases ride on it wherever they can, so they may reach success on a
	// real endpoint rather than stop at a state check.
	var real url.Values
	if sc := op.Success; sc != nil {
		ok := true
		for _, n := range sc.Needs {
			if _, _, have := lookup(n); !have {
				ok = false
			}
		}
		if ok {
			real, _ = cases.Fill(op, sc.Request, lookup)
		}
	}
	for _, rc := range ruleCases {
		if rc.Accept && real != nil {
			rc.Params = rideOn(op, rc.Rule, rc.Params, real)
		}
		c := &Case{ID: rc.ID, Action: op.Action, Kind: KindRule, Rule: rc.Rule.ID, Why: rc.Why, Inferred: rc.Inferred(),
			Provenance: api.Cite(rc.Rule.Provenance), op: op, rule: rc.Rule,
			Requests: []Request{{Action: op.Action, Params: rc.Params}}}
		c.setEvidence(rc.Rule.Provenance, "rule "+rc.Rule.ID)
		if rc.Reading != "" {
			c.setEvidence(spec.Provenance{Kind: spec.KindInferred, Reason: rc.Reading}, "case "+rc.Variant)
		}
		if rc.Accept {
			c.Safety, c.Expect = acceptSafety, Expect{NotCodes: rc.Rule.Accepted()}
		} else {
			c.Code, c.Safety, c.Expect = rc.Rule.Error, spec.SafetyReadonly, Expect{Codes: rc.Codes}
		}
		out = append(out, c)
	}
	var wireBase *Case
	for _, e := range op.Errors {
		for _, t := range e.Triggers {
			pv, err := cases.Provoke(op, e, t, lookup)
			if err != nil {
				return nil, err
			}
			c := &Case{ID: pv.ID, Action: op.Action, Kind: KindErrorCode, Code: e.Code, Safety: t.Safety, Why: t.Description,
				Inferred: t.Provenance.Kind == spec.KindInferred, Provenance: api.Cite(firstProvenance(t.Provenance, e.Provenance)),
				Procedure: pv.Procedure, Quota: pv.Quota, Expect: Expect{Codes: []string{e.Code}}, op: op, errCode: e, trigger: t}
			c.setEvidence(firstProvenance(t.Provenance, e.Provenance), "trigger "+t.State+" of "+e.Code)
			if len(pv.Missing) > 0 {
				c.Skip = "the profile lacks " + strings.Join(pv.Missing, ", ")
			} else {
				c.Requests = provocationRequests(op, pv)
			}
			if wireBase == nil && c.Skip == "" && c.Safety == spec.SafetyReadonly && c.Procedure == "" {
				wireBase = c
			}
			out = append(out, c)
		}
	}
	// A code no rule, quota or trigger provokes is listed, skipped with why.
	for _, e := range op.Errors {
		if e.Unprovoked == "" || len(e.Triggers) > 0 || len(op.RulesFor(e.Code)) > 0 {
			continue
		}
		c := &Case{ID: op.Action + "/error:" + e.Code + "/unprovoked", Action: op.Action, Kind: KindErrorCode, Code: e.Code,
			Safety: spec.SafetyReadonly, Why: "the documented code " + e.Code, Provenance: api.Cite(e.Provenance),
			Expect: Expect{Codes: []string{e.Code}}, op: op, errCode: e, Skip: "no trigger: " + e.Unprovoked}
		c.setEvidence(e.Provenance, "error "+e.Code)
		out = append(out, c)
	}
	if sc := op.Success; sc != nil {
		out = append(out, successCases(api, op, sc, lookup)...)
	}
	if wireBase == nil {
		// No state trigger can run: a rule's rejection carries the wire
		// variants (it needs no profile input).
		wireBase = ruleRejection(out)
	}
	out = append(out, wireCases(op, wireBase)...)
	out = append(out, signatureProbes(op, wireBase, out)...)
	return out, nil
}

// reservedChars are the characters signing implementations get wrong:
// space (%20, never +), the RFC 3986 reserved and unreserved edge cases,
// CJK and an emoji (4-byte UTF-8).
const reservedChars = "a b*c~d+e%f/g=h&i#j歡😀"

// signatureProbes send, signed with v1 and v3 over GET and a POST form,
// a request whose value holds reservedChars: a target that canonicalises
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
	if free := freeText(op, len([]rune(reservedChars)), except); free != "" && base != nil {
		carrier, r = base, base.Requests[0]
		r.Params = clone(r.Params)
		r.Params.Set(free, reservedChars)
	} else {
		for _, c := range planned {
			if c.Kind != KindRule || c.rule == nil || c.rule.Kind != spec.RulePattern || c.rule.OnItems() || c.Skip != "" || !strings.HasSuffix(c.ID, "/reject") {
				continue
			}
			v := "x" + reservedChars
			if regexp.MustCompile(c.rule.EffectivePattern()).MatchString(v) {
				continue
			}
			carrier, r = c, c.Requests[0]
			r.Params = clone(r.Params)
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
			Probe: ProbeSignature, Why: "a correctly signed " + v.name + " request whose value holds " + reservedChars + " is not refused for its signature"}
		if carrier == nil {
			c.Skip = "no readonly case of this operation can carry a free-text value against this profile"
		} else {
			rr := r
			rr.Params = clone(r.Params)
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
		}
		out = append(out, c)
	}
	return out
}

// freeText names an optional string parameter no rule constrains but its
// length (at least n): a value there changes no documented answer.
func freeText(op *spec.Operation, n int, except map[string]bool) string {
	for _, p := range op.Params {
		if except[p.Name] || p.Required || p.Style != "" || p.Schema == nil || !p.Schema.Type.Is("string") || len(p.Schema.Enum) > 0 || p.Schema.Pattern != "" {
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
		names[name] = true
	}
	order := make([]string, 0, len(names))
	for n := range names {
		order = append(order, n)
	}
	sort.Strings(order)
	out := clone(params)
	for _, name := range order {
		if name == rule.ParamName() || (rule.When != nil && rule.When.Param == name) {
			continue
		}
		next := clone(out)
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
			r.Params = clone(pv.Params)
			r.Params.Set(pv.Vary, v)
			out[i] = r
		}
		return out
	}
	return []Request{base}
}

func clone(v url.Values) url.Values {
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
		}
		out = append(out, c)
	}
	return out
}

func idTail(c *Case) string {
	if c == nil {
		return ""
	}
	return c.ID[strings.Index(c.ID, "/"):]
}

// ruleCarrier is a readonly request that needs no profile input: the first
// rule rejection. It carries the platform checks when no state trigger's
// inputs are in the profile.
func ruleCarrier(planned []*Case) *Case {
	for _, c := range planned {
		if plainRejection(c) {
			return c
		}
	}
	return nil
}

// plainRejection: a readonly rule rejection of one request that needs no
// profile input and no setup.
func plainRejection(c *Case) bool {
	return c.Kind == KindRule && c.Safety == spec.SafetyReadonly && c.Skip == "" && c.Setup == nil &&
		c.Procedure == "" && len(c.Requests) == 1 && strings.HasSuffix(c.ID, "/reject") && c.op != nil
}

// ruleRejection is the first readonly rule case that expects a code and
// needs one plain request.
// A stated rule is preferred; an inferred one carries the variants as our
// reading (their verdicts are then judged as such).
func ruleRejection(planned []*Case) *Case {
	var inferred *Case
	for _, c := range planned {
		if c.Kind == KindRule && c.Safety == spec.SafetyReadonly && c.Skip == "" && c.Setup == nil && c.Procedure == "" &&
			len(c.Requests) == 1 && len(c.Expect.Codes) > 0 {
			if !c.Inferred {
				return c
			}
			if inferred == nil {
				inferred = c
			}
		}
	}
	return inferred
}

// burstCarrier is a readonly rule rejection of an operation whose rate
// limit a page states (not one we assume), or nil.
func burstCarrier(planned []*Case) *Case {
	for _, c := range planned {
		if plainRejection(c) && c.op.RateLimit != nil && c.op.RateLimit.Provenance.Level() != spec.EvidenceInferred {
			return c
		}
	}
	return nil
}

// platformCases provoke the gateway's codes on a readonly carrier request:
// a state trigger's request when the profile has its inputs, else the
// fallback (a rule rejection).
func platformCases(api *spec.API, lookup cases.Lookup, fallback, burstOn *Case) ([]*Case, error) {
	var carrier *Request
	var carrierOp *spec.Operation
	for _, op := range api.Operations {
		for _, e := range op.Errors {
			for _, t := range e.Triggers {
				if t.Safety != spec.SafetyReadonly || t.Procedure != "" || t.As != "" || carrier != nil {
					continue
				}
				pv, err := cases.Provoke(op, e, t, lookup)
				if err != nil {
					return nil, err
				}
				if len(pv.Missing) == 0 {
					carrier, carrierOp = &Request{Action: op.Action, Params: pv.Params}, op
				}
			}
		}
	}
	if carrier == nil && fallback != nil {
		r := fallback.Requests[0]
		r.Params = clone(r.Params)
		carrier, carrierOp = &r, fallback.op
	}
	var out []*Case
	for _, e := range api.PlatformErrors {
		for _, t := range e.Triggers {
			c := &Case{ID: "platform/" + e.Code + "/" + t.State, Kind: KindPlatform, Code: e.Code, Safety: t.Safety, Why: t.Description,
				Provenance: api.Cite(e.Provenance), Expect: Expect{Codes: []string{e.Code}}, errCode: e, trigger: t}
			c.setEvidence(e.Provenance, e.Code)
			if t.Provenance.Kind != "" {
				c.setEvidence(t.Provenance, "trigger "+t.State+" of "+e.Code)
			}
			var missing []string
			for _, n := range t.Needs {
				if _, _, ok := lookup(n); !ok {
					missing = append(missing, n)
				}
			}
			switch {
			case !tamperable(Tamper(t.State)):
				c.Skip = "no portable way to provoke " + t.State + " (it is the server's own failure)"
			case carrier == nil:
				c.Skip = "no readonly request can run against this profile to carry the platform checks"
			case len(missing) > 0:
				c.Skip = "the profile has no " + strings.Join(missing, ", ") + " (see fixtures/targets/README.md)"
			default:
				c.Action, c.op = carrier.Action, carrierOp
				r := *carrier
				r.Params = clone(carrier.Params)
				r.Tamper, r.As = Tamper(t.State), t.As
				if r.Tamper == TamperMismatchedSecurityToken && len(t.Needs) > 0 {
					r.TokenOf = t.Needs[0]
				}
				c.Requests = []Request{r}
				if r.Tamper == TamperRateExceeded && burstOn == nil {
					// Flooding an operation whose rate no source states
					// proves nothing either way.
					c.Skip = "no operation of the contract states its rate limit (x-acs-rate-limit from a page): there is no documented rate to exceed"
					c.Action, c.op, c.Requests = "", nil, nil
				} else if r.Tamper == TamperRateExceeded {
					// Throttling is probed where a page states the rate.
					op := burstOn.op
					r = burstOn.Requests[0]
					r.Params, r.Tamper = clone(r.Params), TamperRateExceeded
					c.Action, c.op = op.Action, op
					c.Requests = burst(r, op)
					c.Procedure = ProcedureBurst
					if op.RateLimit != nil {
						c.setEvidence(op.RateLimit.Provenance, "the rate limit of "+op.Action)
					}
				}
			}
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func tamperable(t Tamper) bool {
	switch t {
	case TamperUnsignedRequest, TamperBadSignature, TamperUnknownAccessKey, TamperStaleTimestamp, TamperMalformedTimestamp, TamperReplayedNonce,
		TamperMissingCommonParameter, TamperUnknownAction, TamperWrongVersion, TamperMalformedParameter, TamperRateExceeded,
		TamperMissingSecurityToken, TamperMalformedSecurityToken, TamperMismatchedSecurityToken, TamperExpiredSecurityToken,
		TamperUnsupportedMethod, TamperUnknownPath:
		return true
	}
	return false
}

// burst is enough unpaced requests to pass the operation's rate limit twice over.
func burst(r Request, op *spec.Operation) []Request {
	n := 40
	if op != nil && op.RateLimit != nil {
		n = int(2*op.RateLimit.PerSecond()) + 2
	}
	out := make([]Request, n)
	for i := range out {
		out[i] = r
	}
	return out
}
