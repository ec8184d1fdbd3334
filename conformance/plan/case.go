package plan

import (
	"net/url"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

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
	// Refusal is the evidence that the case's request must be refused at
	// all (a stated limit answered with a code we infer): accepting it
	// deviates by Refusal, a different code by Evidence. "" when the two
	// are one.
	Refusal          spec.Evidence
	RefusalInference string
	// RealValues: the rule case's other parameters are the profile's real
	// values (the success request's), so every state check passes; without
	// them the documented examples stand in and may name nothing.
	RealValues bool
	// OwnReal: the items of the rule's own list are the profile's real
	// values (a count or uniqueness rule over a list input of the
	// parameter's name), so no item names nothing on the target.
	OwnReal bool

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
	paging  *Paging
	after   *spec.After
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

// setRefusal records the evidence that the request is refused at all,
// when a fact of its own says so (p), weakened by the case's own reading
// (reading, "" when none).
func (c *Case) setRefusal(p spec.Provenance, what, reading, readingWhat string) {
	c.Refusal = p.Level()
	if c.Refusal == spec.EvidenceInferred {
		c.RefusalInference = what + ": " + strings.Join(strings.Fields(p.Reason), " ")
	}
	if reading != "" {
		c.Refusal, c.RefusalInference = spec.EvidenceInferred, readingWhat+": "+reading
	}
}

// RefusalEvidence is the evidence that the case's request must be refused
// whatever the code, and the reading when it is ours.
func (c *Case) RefusalEvidence() (spec.Evidence, string) {
	if c.Refusal == "" {
		return c.Evidence, c.Inference
	}
	return c.Refusal, c.RefusalInference
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

// Op is the operation the case exercises (nil for platform-wide cases).
func (c *Case) Op() *spec.Operation { return c.op }

// RuleSpec is the contract rule a rule case checks, or nil.
func (c *Case) RuleSpec() *spec.Rule { return c.rule }

// ErrorSpec is the documented error code the case is about, or nil.
func (c *Case) ErrorSpec() *spec.ErrorCode { return c.errCode }

// TriggerSpec is the trigger the case provokes, or nil.
func (c *Case) TriggerSpec() *spec.Trigger { return c.trigger }

// all is every request of the case: setup, requests, cleanup.
func (c *Case) all() []Request {
	out := append([]Request(nil), c.Requests...)
	if c.Setup != nil {
		out = append(out, *c.Setup)
	}
	if c.Cleanup != nil {
		out = append(out, *c.Cleanup)
	}
	return out
}

// UnusedInputs lists, sorted, the profile's inputs no case of the plan
// looked up: misspelt (activeContactID for activeContactId) or meant for
// another contract. asked is what PlanOptions.Asked recorded.
func UnusedInputs(p *profile.Profile, asked map[string]bool) []string {
	var out []string
	for name := range p.Inputs {
		if !asked[name] {
			out = append(out, name)
		}
	}
	for set, c := range p.Credentials {
		for name := range c.Inputs {
			if !asked[set+":"+name] {
				out = append(out, "credentials."+set+".inputs."+name)
			}
		}
	}
	sort.Strings(out)
	return out
}
