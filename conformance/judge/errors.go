package judge

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// documented returns the error as the case's operation documents it.
func (j *Judge) documented(c *plan.Case, code string) *spec.ErrorCode {
	if c.Op() != nil {
		if er := c.Op().Error(code); er != nil {
			return er
		}
	}
	for _, er := range j.API.PlatformErrors {
		if er.Code == code {
			return er
		}
	}
	return nil
}

func expectText(docs []*spec.ErrorCode, mode func(*spec.ErrorCode) string) string {
	parts := make([]string, len(docs))
	for i, d := range docs {
		parts[i] = fmt.Sprintf("HTTP %d %s %q (%s message)", d.Status, d.Code, d.Message, mode(d))
	}
	return strings.Join(parts, ", or ")
}

func (j *Judge) matchMode(d *spec.ErrorCode) string {
	switch j.MessageMatch {
	case "prefix", "any":
		if d.Match() == spec.MatchExact {
			return j.MessageMatch
		}
	}
	return d.Match()
}

// messageOK compares a message by the case's mode.
func (j *Judge) messageOK(d *spec.ErrorCode, got string) bool {
	switch j.matchMode(d) {
	case "any":
		return true
	case spec.MatchPrefix:
		return strings.HasPrefix(got, d.Message)
	case spec.MatchTemplate:
		parts := strings.Split(regexp.QuoteMeta(d.Message), `\{`)
		expr := parts[0]
		for _, p := range parts[1:] {
			_, rest, _ := strings.Cut(p, `\}`)
			expr += ".+" + rest
		}
		return regexp.MustCompile("^" + expr + "$").MatchString(got)
	}
	return got == d.Message
}

// checkError: an error answer with one of codes, its documented status and
// message, and a RequestId.
func (j *Judge) checkError(c *plan.Case, a *run.Answer, codes []string) (string, *Deviation) {
	var docs []*spec.ErrorCode
	for _, code := range codes {
		if d := j.documented(c, code); d != nil {
			docs = append(docs, d)
		}
	}
	want := expectText(docs, j.matchMode)
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: want, Got: run.Describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return "", dev("no answer from the target")
	case a.Garbage != "":
		return "", dev("the answer is not a documented error body: " + a.Garbage)
	case a.Err == nil:
		d := dev(fmt.Sprintf("accepted (HTTP %d) a request the docs say is answered with %s", a.Status, strings.Join(codes, " or ")))
		d.accepted = true
		if ev, _ := c.RefusalEvidence(); ev != c.Evidence && c.Evidence == spec.EvidenceInferred {
			d.What = fmt.Sprintf("accepted (HTTP %d) a request the docs say is refused (with %s, by our reading)", a.Status, strings.Join(codes, " or "))
		}
		return "", d
	}
	var d *spec.ErrorCode
	for _, x := range docs {
		if x.Code == a.Err.Code {
			d = x
		}
	}
	if d == nil {
		if why, ok := j.GatewayRefusal(a); ok {
			return "", inconclusive(a, why)
		}
		d := dev(fmt.Sprintf("wrong code: %s, documented %s", a.Err.Code, strings.Join(codes, " or ")))
		if why := stateFirst(c, a.Err.Code); why != "" {
			d.weaken(spec.EvidenceInferred, why)
		}
		d.ourReading(inferredForm(c, a.Err.Code))
		return "", d
	}
	if echo, ok := j.signatureMessage(c, d); ok {
		// The gateway words a signature mismatch by signature version.
		d2 := *d
		d2.Message, d2.MessageMatch, d2.MessageProvenance = echo.Value, spec.MatchPrefix, &echo.Provenance
		d = &d2
	}
	switch {
	case a.Status != d.Status:
		level, p := d.StatusEvidence()
		return "", dev(fmt.Sprintf("wrong HTTP status for %s: %d, documented %d", d.Code, a.Status, d.Status)).
			weaken(level, "the status of "+d.Code+": "+strings.Join(strings.Fields(p.Reason), " "))
	case !j.messageOK(d, a.Err.Message):
		level, p := d.MessageEvidence()
		return "", dev(fmt.Sprintf("wrong message for %s: %q, documented %q (%s match)", d.Code, a.Err.Message, d.Message, j.matchMode(d))).
			weaken(level, "the wording of "+d.Code+": "+strings.Join(strings.Fields(p.Reason), " "))
	case a.Err.RequestID == "":
		return "", dev("the error body has no RequestId")
	}
	if gd := j.checkGateway(d, a); gd != nil {
		gd.Expected = want
		return "", gd
	}
	if d.Code != codes[0] {
		return fmt.Sprintf("answered %s, a documented alternative of the contract's choice %s", d.Code, codes[0]), nil
	}
	return "", nil
}

// signatureMessage is the message template the contract's gateway facts
// give a signature mismatch for the case's signature version, cut at its
// echo (false for other codes, or without such a fact).
func (j *Judge) signatureMessage(c *plan.Case, d *spec.ErrorCode) (spec.GatewayFact[string], bool) {
	if !d.Platform || len(c.Requests) == 0 || !slices.ContainsFunc(d.Triggers, func(t *spec.Trigger) bool { return plan.Tamper(t.State) == plan.TamperBadSignature }) {
		return spec.GatewayFact[string]{}, false
	}
	r := c.Requests[0]
	version := 3
	switch {
	case r.SigV1:
		version = 1
	case r.SigV3:
	case j.Profile != nil && j.Profile.Signature == "v1":
		version = 1
	}
	f := j.API.Gateway.SignatureMismatch(version)
	if f == nil {
		return spec.GatewayFact[string]{}, false
	}
	prefix, _, _ := strings.Cut(f.Value, "{StringToSign}")
	return spec.GatewayFact[string]{Value: prefix, Provenance: f.Provenance}, true
}

// checkGateway holds an error answer to the contract's gateway facts: the
// RequestId header on every answer; on the gateway's own codes, the
// Recommend URL and the order of the body's keys. Each deviation carries
// the evidence of its fact (key order is judged as our inference: JSON
// does not make it significant).
func (j *Judge) checkGateway(d *spec.ErrorCode, a *run.Answer) *Deviation {
	g := j.API.Gateway
	if g == nil || a.Exchange == nil {
		return nil
	}
	dev := func(what string, p spec.Provenance, level spec.Evidence) *Deviation {
		return (&Deviation{What: what, Got: run.Describe(a), Answer: a}).weaken(level, strings.Join(strings.Fields(p.Reason), " "))
	}
	if f := g.RequestIDHeader; f != nil {
		if got := a.Exchange.RespHeader.Get(f.Value); got != a.Err.RequestID {
			return dev(fmt.Sprintf("the %s header is %q, not the body's RequestId %q", f.Value, got, a.Err.RequestID), f.Provenance, f.Provenance.Level())
		}
	}
	if !d.Platform {
		return nil
	}
	if f := g.Recommend; f != nil {
		head, _, _ := strings.Cut(f.Value, "{Product}")
		want := strings.NewReplacer("{Code}", d.Code, "{RequestId}", a.Err.RequestID).Replace(head)
		if !strings.HasPrefix(a.Err.Recommend, want) {
			return dev(fmt.Sprintf("Recommend is %q, not the gateway's %s…", a.Err.Recommend, want), f.Provenance, f.Provenance.Level())
		}
	}
	if f := g.ErrorKeyOrder; f != nil && strings.HasPrefix(strings.TrimSpace(a.Exchange.RespBody), "{") {
		if got := jsonKeys(a.Exchange.RespBody); !sameOrder(got, f.Value) {
			return dev(fmt.Sprintf("the error body's keys come in the order %s, the gateway's is %s", strings.Join(got, ", "), strings.Join(f.Value, ", ")),
				f.Provenance, spec.EvidenceInferred)
		}
	}
	return nil
}

// jsonKeys lists a JSON object's top-level keys in the order they appear.
func jsonKeys(body string) []string {
	dec := json.NewDecoder(strings.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// sameOrder: the keys of got that order names come in order's order.
func sameOrder(got, order []string) bool {
	at := -1
	for _, k := range got {
		i := slices.Index(order, k)
		if i < 0 {
			continue
		}
		if i < at {
			return false
		}
		at = i
	}
	return true
}

// checkBoundary: a request at a rule's boundary passes only on proof that
// the rule let it through — a success, or a documented code of a check the
// contract orders after the rule (a later rule, or a state check such as
// EntityNotExists.Contact for a well-formed unknown ID). The rule's own
// code is a refusal inside the limit; an earlier rule's code means a check
// the request satisfies refused it; a gateway refusal (signature,
// credentials, throttling, a server failure) proves nothing.
func (j *Judge) checkBoundary(c *plan.Case, r plan.Request, a *run.Answer) *Deviation {
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: "not " + strings.Join(c.Expect.NotCodes, " or ") + " (the request is inside the documented limit)", Got: run.Describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return dev("no answer from the target")
	case a.Garbage != "":
		return dev("the answer is neither a success nor a documented error: " + a.Garbage)
	case a.Status == 200:
		return j.checkSuccess(c, r, a)
	}
	code := a.Err.Code
	if why, ok := j.GatewayRefusal(a); ok {
		return inconclusive(a, why)
	}
	earlier, later := rulesAround(c, code)
	if slices.Contains(c.Expect.NotCodes, code) {
		if later != nil {
			return inconclusive(a, fmt.Sprintf("answered %s, which rule %s answers too (a check after %s): it neither proves nor disproves the boundary", code, later.ID, c.Rule))
		}
		d := dev(fmt.Sprintf("refused a request inside the documented limit with %s", code))
		d.ourReading(openAttribution(c, code))
		return d
	}
	d := j.documented(c, code)
	if d == nil {
		return dev(fmt.Sprintf("answered %s, which the operation does not document", code))
	}
	if d.Status != a.Status {
		return dev(fmt.Sprintf("wrong HTTP status for %s: %d, documented %d", d.Code, a.Status, d.Status))
	}
	if earlier != nil && later == nil {
		d := dev(fmt.Sprintf("refused with %s, the code of rule %s, which the request satisfies", code, earlier.ID)).
			weaken(earlier.Provenance.Level(), "rule "+earlier.ID+": "+strings.Join(strings.Fields(earlier.Provenance.Reason), " "))
		d.ourReading(openAttribution(c, code))
		return d
	}
	return nil
}

// openAttribution says why a refusal with code, on a request that keeps a
// rule's documented limit, cannot be pinned on a documented rule: another
// rule that answers the same code is our reading or belongs to another
// parameter of the request, or the code names the parameter as a whole
// while the docs state no form for it (a check of a form we do not know
// may answer it). "" when the code belongs to stated rules of this
// parameter alone.
func openAttribution(c *plan.Case, code string) string {
	own := c.RuleSpec()
	if c.Op() == nil || own == nil {
		return ""
	}
	var open []string
	chosen := own.Error == code
	for _, r := range c.Op().Rules {
		if r == own || !slices.Contains(r.Accepted(), code) {
			continue
		}
		switch {
		case r.Provenance.Level() == spec.EvidenceInferred:
			open = append(open, "rule "+r.ID+" (our reading)")
		case r.ParamName() != own.ParamName() || (r.When != nil && r.When.Param != own.ParamName()):
			open = append(open, "rule "+r.ID+" (of "+r.ParamName()+")")
		case r.Error == code:
			chosen = true
		}
	}
	if len(open) > 0 {
		return code + " is also the code of " + strings.Join(open, ", ") + ": the refusal may be theirs"
	}
	if !chosen && !formStated(c.Op(), own.ParamName()) {
		return code + " is a documented code of " + own.ParamName() + " that no stated rule chooses, and the docs state no form for " + own.ParamName() + ": a check of a form we do not know may answer it"
	}
	return ""
}

// formStated: a stated (not inferred) pattern or enum rule fixes the
// parameter's form.
func formStated(op *spec.Operation, param string) bool {
	for _, r := range op.Rules {
		if r.ParamName() == param && (r.Kind == spec.RulePattern || r.Kind == spec.RuleEnum) && r.Provenance.Level() != spec.EvidenceInferred {
			return true
		}
	}
	return false
}

// signatureRefused: a correctly signed request refused for its signature
// (or as unsigned) means the target canonicalises values otherwise than
// the signature rules say — a deviation from the observed wire protocol.
func (j *Judge) signatureRefused(c *plan.Case, a *run.Answer) *Deviation {
	if a == nil || a.Err == nil {
		return nil
	}
	pe, _ := j.platformTrigger(a.Err.Code, func(_ *spec.ErrorCode, t *spec.Trigger) bool {
		return plan.Tamper(t.State) == plan.TamperBadSignature || plan.Tamper(t.State) == plan.TamperUnsignedRequest
	})
	if pe == nil {
		return nil
	}
	return &Deviation{What: fmt.Sprintf("a correctly signed request whose value holds %q was refused with %s: the target canonicalises reserved characters otherwise than the signature rules (RFC 3986 percent-encoding: space is %%20, * is %%2A, ~ stays)", plan.ReservedChars, pe.Code),
		Expected: "the answer of the same request with a plain value", Got: run.Describe(a), Answer: a, Evidence: spec.EvidenceObserved, firm: true}
}

// rulesAround returns a rule ordered before the case's rule and one after
// it whose documented codes include code (nil when none).
func rulesAround(c *plan.Case, code string) (earlier, later *spec.Rule) {
	if c.Op() == nil || c.RuleSpec() == nil {
		return nil, nil
	}
	at := slices.Index(c.Op().Rules, c.RuleSpec())
	for i, r := range c.Op().Rules {
		if i == at || !slices.Contains(r.Accepted(), code) {
			continue
		}
		if i < at && earlier == nil {
			earlier = r
		}
		if i > at && later == nil {
			later = r
		}
	}
	return earlier, later
}

// inconclusive is the verdict on an answer that proves nothing.
func inconclusive(a *run.Answer, why string) *Deviation {
	d := &Deviation{What: why, Got: run.Describe(a), Answer: a, Inconclusive: true}
	if a != nil && a.Err != nil {
		d.Refusal = a.Err.Code
	}
	return d
}

// refusalStates are the trigger states of the gateway codes that refuse a
// request before the operation sees it: credentials, signatures, clocks and
// nonces. Retryable platform codes (throttling, the server's own failures)
// refuse it too.
var refusalStates = map[plan.Tamper]bool{
	plan.TamperUnsignedRequest: true, plan.TamperBadSignature: true, plan.TamperUnknownAccessKey: true,
	plan.TamperStaleTimestamp: true, plan.TamperMalformedTimestamp: true, plan.TamperReplayedNonce: true,
	plan.TamperMissingSecurityToken: true, plan.TamperMalformedSecurityToken: true, plan.TamperMismatchedSecurityToken: true,
	plan.TamperExpiredSecurityToken: true,
}

func isRefusal(j *Judge, a *run.Answer) bool {
	_, ok := j.GatewayRefusal(a)
	return ok
}

// platformTrigger returns the platform error answering with code and its
// first trigger whose state match accepts (nil, nil when none).
func (j *Judge) platformTrigger(code string, match func(pe *spec.ErrorCode, t *spec.Trigger) bool) (*spec.ErrorCode, *spec.Trigger) {
	pe := j.API.PlatformError(code)
	if pe == nil {
		return nil, nil
	}
	for _, t := range pe.Triggers {
		if match(pe, t) {
			return pe, t
		}
	}
	return nil, nil
}

// GatewayRefusal reports whether an answer is the gateway refusing the
// request before the operation saw it, and says so in words.
func (j *Judge) GatewayRefusal(a *run.Answer) (string, bool) {
	if a == nil || a.Err == nil {
		return "", false
	}
	if pe, t := j.platformTrigger(a.Err.Code, func(pe *spec.ErrorCode, t *spec.Trigger) bool {
		return refusalStates[plan.Tamper(t.State)] || pe.Retryable
	}); pe != nil {
		return fmt.Sprintf("inconclusive: the gateway answered %s (%s) before the operation saw the request", pe.Code, t.Description), true
	}
	if a.Status >= 500 {
		return fmt.Sprintf("inconclusive: the target answered HTTP %d %s, a server failure", a.Status, a.Err.Code), true
	}
	return "", false
}

// stateFirst says why a rule case answered with one of the operation's
// state codes proves only our reading: its other values are the docs'
// examples, which may name nothing on the target, and no document says
// whether the target checks the rule or that state first. "" otherwise.
func stateFirst(c *plan.Case, code string) string {
	op := c.Op()
	if op == nil || c.RuleSpec() == nil || len(op.RulesFor(code)) > 0 {
		return ""
	}
	own := c.RuleSpec().ParamName()
	// The rule's own values name entities when they are IDs or a list
	// (Members); unless they are the profile's real ones, a state check
	// may refuse them first.
	p := op.Param(own)
	mayName := spec.ServerIssued(own) || (p != nil && p.Style != "")
	if c.RealValues && (c.OwnReal || !mayName) {
		return ""
	}
	e := op.Error(code)
	if e == nil || len(e.Triggers) == 0 {
		return ""
	}
	if !c.RealValues {
		return fmt.Sprintf("%s answers a state check of %s; the request's other values are the docs' examples (the profile gives no real ones for the success request), and no document says whether %s is checked before that state", code, op.Action, own)
	}
	return fmt.Sprintf("%s answers a state check of %s; the request's %s values are made up for the rule (the profile gives no list input %s of real ones), and no document says whether %s's rule is checked before the state of what it names", code, op.Action, own, own, own)
}

// inferredForm says why an answer with code, where the case expects
// another, proves only our reading: code is the code of a rule we infer
// (a form no document states) on a parameter the request sets, so the
// target may read that form otherwise than we do and refuse the value
// before the state the case is about. "" otherwise.
func inferredForm(c *plan.Case, code string) string {
	op := c.Op()
	if op == nil || len(c.Requests) == 0 {
		return ""
	}
	params := c.Requests[0].Params
	for _, r := range op.Rules {
		if r == c.RuleSpec() || r.Provenance.Level() != spec.EvidenceInferred || !slices.Contains(r.Accepted(), code) {
			continue
		}
		name := r.ParamName()
		if cases.Has(params, name) && r.Kind != spec.RuleRequired {
			return fmt.Sprintf("%s is the code of rule %s (our reading of a form no document states): the target may read the form of %s otherwise", code, r.ID, name)
		}
	}
	return ""
}
