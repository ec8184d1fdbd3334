package plan

import (
	"errors"
	"fmt"
	"net/url"
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
	KindRelation  Kind = "relation"   // a relation between answers: paging, the state a call leaves
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

// PlanOptions say what the target allows.
type PlanOptions struct {
	// Embedded: the target is the embedded mock; every case runs.
	Embedded bool
	// AllowMutating and AllowExhausting open the safety classes on other targets.
	AllowMutating   bool
	AllowExhausting bool
	// Asked, when set, receives every input name the plan looked up (as
	// "<name>" and, for an operation, "<Action>.<name>"), and every
	// credentials name a request signs as: what the profile's inputs are
	// for, so a misspelt one can be named.
	Asked map[string]bool
}

// Plan builds every case of the contract for a profile, in a stable order.
func Plan(api *spec.API, p *profile.Profile, o PlanOptions) ([]*Case, error) {
	if api.Style == spec.StyleROA {
		return nil, fmt.Errorf("plan: %s %s is a ROA (REST-style) product: the suite sends RPC requests only, so it cannot run it yet", api.Product, api.Version)
	}
	lookup := inputs(api, p, nil, o.Asked)
	var out []*Case
	for _, op := range api.Operations {
		cs, err := opCases(api, op, func(as string) cases.Lookup { return callerInputs(api, p, op, o.Asked, as) })
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	plat, err := platformCases(api, lookup, RuleCarrier(out), burstCarrier(out))
	if err != nil {
		return nil, err
	}
	out = append(out, plat...)
	for _, c := range out {
		if o.Asked != nil {
			for _, r := range c.all() {
				o.Asked[r.As] = true
			}
		}
		c.siteGate(p.Site)
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
//
// An input the profile lacks that the contract declares absent (a
// well-formed ID that names nothing, x-acs-inputs status absent) is made
// up from the form of the parameter a trigger sends it as: no profile has
// to invent one.
func inputs(api *spec.API, p *profile.Profile, op *spec.Operation, asked map[string]bool) cases.Lookup {
	action := ""
	if op != nil {
		action = op.Action
	}
	return func(name string) (string, []string, bool) {
		if asked != nil {
			asked[name] = true
			if action != "" {
				asked[action+"."+name] = true
			}
		}
		key := name
		if action != "" && p.Has(action+"."+name) {
			key = action + "." + name
		}
		in, ok := p.Inputs[key]
		if !ok || !p.Has(key) {
			if p.ExampleInputs && op != nil {
				if v, list, ok := exampleInput(op, name); ok {
					return v, list, true
				}
			}
			if v, ok := absentInput(api, op, name); ok {
				return v, []string{v}, true
			}
			return "", nil, false
		}
		if in.Credentials != "" {
			return in.Credentials, nil, true
		}
		return in.Value, in.List, true
	}
}

// callerInputs is inputs for a request signed as the credentials input as
// ("" for the default credentials): the inputs the profile gives under
// that caller's credential set (credentials.<set>.inputs) win over the
// profile's own, so what belongs to one caller (the invitations sent to
// it, say) sits with its keys.
func callerInputs(api *spec.API, p *profile.Profile, op *spec.Operation, asked map[string]bool, as string) cases.Lookup {
	base := inputs(api, p, op, asked)
	set := p.CallerSet(op.Action, as)
	own := p.Credentials[set].Inputs
	if len(own) == 0 {
		return base
	}
	return func(name string) (string, []string, bool) {
		for _, key := range []string{op.Action + "." + name, name} {
			if in, ok := own[key]; ok {
				if asked != nil {
					asked[set+":"+key] = true
				}
				if in.Credentials != "" {
					return in.Credentials, nil, true
				}
				return in.Value, in.List, true
			}
		}
		return base(name)
	}
}

// absentInput makes up a value for an input the contract declares absent:
// a sample of the form of the parameter a trigger sends it as (false when
// none does, or no form is known).
func absentInput(api *spec.API, op *spec.Operation, name string) (string, bool) {
	if api.Inputs[name] == nil || api.Inputs[name].Status != "absent" {
		return "", false
	}
	// The form of the parameter op sends it as, else of one another
	// operation does: one input has one form.
	if op != nil {
		if v, ok := absentFrom(op, name); ok {
			return v, true
		}
	}
	for _, other := range api.Operations {
		if v, ok := absentFrom(other, name); ok {
			return v, true
		}
	}
	return "", false
}

// absentFrom samples the form of the parameter op's triggers send the
// input as.
func absentFrom(op *spec.Operation, name string) (string, bool) {
	want := "{" + name + "}"
	for _, e := range op.Errors {
		for _, t := range e.Triggers {
			for param, v := range t.Request {
				items := false
				switch x := v.(type) {
				case string:
					if x != want {
						continue
					}
				case []any:
					if len(x) != 1 || spec.WireText(x[0]) != want {
						continue
					}
					items = true
				default:
					continue
				}
				for _, r := range op.Rules {
					if r.Kind == spec.RulePattern && r.ParamName() == param && r.OnItems() == items && r.When == nil {
						// A seed far from the rule cases' own samples.
						if s, ok := cases.Sample(r.EffectivePattern(), 7919); ok {
							return s, true
						}
					}
				}
			}
		}
	}
	return "", false
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
			list = append(list, spec.WireText(x))
		}
		if len(list) == 0 {
			return "", nil, false
		}
		return list[0], list, true
	case map[string]any:
		return "", nil, false
	default:
		return spec.WireText(ex), nil, true
	}
}

// siteGate skips a case of a fact the vendor states for one site only
// when the profile plays the other site, or states none.
func (c *Case) siteGate(site string) {
	r := c.rule
	if r == nil || r.Site == "" || c.Skip != "" || r.HoldsOn(site) {
		return
	}
	if site == "" {
		c.Skip = "a fact of the " + r.Site + " site only, and the profile states no site (site: china or site: intl)"
		return
	}
	c.Skip = "a fact of the " + r.Site + " site only; the profile's site is " + site
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

func opCases(api *spec.API, op *spec.Operation, lookupAs func(as string) cases.Lookup) ([]*Case, error) {
	var out []*Case
	lookup := lookupAs("")
	successLookup := lookup
	if op.Success != nil {
		successLookup = lookupAs(op.Success.As)
	}
	acceptSafety := spec.SafetyMutating
	if op.Success != nil && op.Success.Safety != spec.SafetyReadonly {
		acceptSafety = op.Success.Safety
	}
	ruleCases, err := cases.For(op)
	var noValue *cases.NoValueError
	if errors.As(err, &noValue) {
		// No valid request can be built: each rule's cases are skipped
		// with the reason, the rest of the product runs.
		for _, r := range op.Rules {
			c := &Case{ID: op.Action + "/" + r.ID, Action: op.Action, Kind: KindRule, Rule: r.ID, Why: "the cases of rule " + r.ID,
				Inferred: r.Provenance.Kind == spec.KindInferred, Provenance: api.Cite(r.Provenance), op: op, rule: r, Skip: noValue.Reason()}
			out = append(out, c)
		}
		ruleCases, err = nil, nil
	}
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
			if _, _, have := successLookup(n); !have {
				ok = false
			}
		}
		if ok {
			real, _ = cases.Fill(op, sc.Request, successLookup)
		}
	}
	// Rule cases sign as the success request's caller when they ride on
	// its values: the caller every state check of the operation passes for.
	realAs := ""
	if real != nil && op.Success.As != "" {
		if v, _, ok := lookup(op.Success.As); ok && v != "" {
			realAs = op.Success.As
		}
	}
	for _, rc := range ruleCases {
		if real != nil {
			// Boundary and rejection alike: with the profile's real IDs
			// every other check passes, so the answer is the rule's
			// whatever order a target checks in.
			rc.Params = rideOn(op, rc.Rule, rc.Params, real)
		}
		ownReal := false
		if params, ok := realItems(op, rc.Rule, rc.Params, successLookup); ok {
			rc.Params, ownReal = params, true
		}
		if params, ok := enumWith(op, rc.Rule, rc.Params, successLookup); ok {
			rc.Params = params
		}
		c := &Case{ID: rc.ID, Action: op.Action, Kind: KindRule, Rule: rc.Rule.ID, Why: rc.Why, Inferred: rc.Inferred(),
			Provenance: api.Cite(rc.Rule.Provenance), op: op, rule: rc.Rule, RealValues: real != nil, OwnReal: ownReal,
			Requests: []Request{{Action: op.Action, Params: rc.Params, As: realAs}}}
		c.setEvidence(rc.Rule.Provenance, "rule "+rc.Rule.ID)
		if rc.Reading != "" {
			c.setEvidence(spec.Provenance{Kind: spec.KindInferred, Reason: rc.Reading}, "case "+rc.Variant)
		}
		if rc.Rule.Refusal != nil {
			c.setRefusal(*rc.Rule.Refusal, "rule "+rc.Rule.ID, rc.Reading, "case "+rc.Variant)
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
			pv, err := cases.Provoke(op, e, t, lookupAs(t.As))
			if errors.As(err, &noValue) {
				c := &Case{ID: op.Action + "/" + e.Code + "/" + t.State, Action: op.Action, Kind: KindErrorCode, Code: e.Code, Safety: t.Safety, Why: t.Description,
					Inferred: t.Provenance.Kind == spec.KindInferred, Provenance: api.Cite(firstProvenance(t.Provenance, e.Provenance)),
					Expect: Expect{Codes: []string{e.Code}}, op: op, errCode: e, trigger: t, Skip: noValue.Reason()}
				out = append(out, c)
				continue
			}
			if err != nil {
				return nil, err
			}
			c := &Case{ID: pv.ID, Action: op.Action, Kind: KindErrorCode, Code: e.Code, Safety: t.Safety, Why: t.Description,
				Inferred: t.Provenance.Kind == spec.KindInferred, Provenance: api.Cite(firstProvenance(t.Provenance, e.Provenance)),
				Procedure: pv.Procedure, Quota: pv.Quota, Expect: Expect{Codes: []string{e.Code}}, op: op, errCode: e, trigger: t}
			c.setEvidence(firstProvenance(t.Provenance, e.Provenance), "trigger "+t.State+" of "+e.Code)
			if t.Refusal != nil {
				c.setRefusal(*t.Refusal, "trigger "+t.State, "", "")
			}
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
		succ := successCases(api, op, sc, successLookup)
		out = append(out, succ...)
		if len(succ) > 0 && sc.Safety == spec.SafetyReadonly {
			if pc := pagingCase(api, op, succ[0]); pc != nil {
				out = append(out, pc)
			}
		}
		if len(succ) > 0 {
			out = append(out, afterCases(api, op, succ[0])...)
		}
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
