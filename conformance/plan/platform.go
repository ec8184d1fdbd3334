package plan

import (
	"sort"
	"strings"

	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

func idTail(c *Case) string {
	if c == nil {
		return ""
	}
	return c.ID[strings.Index(c.ID, "/"):]
}

// ruleCarrier is a readonly request that needs no profile input: the first
// rule rejection. It carries the platform checks when no state trigger's
// inputs are in the profile.
func RuleCarrier(planned []*Case) *Case {
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
		r.Params = Clone(r.Params)
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
				r.Params = Clone(carrier.Params)
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
					r.Params, r.Tamper = Clone(r.Params), TamperRateExceeded
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
