package conformance

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
)

// Deviation is a case's failure: what is wrong, in words, plus the evidence.
type Deviation struct {
	What     string // one line naming the deviation
	Expected string
	Got      string
	Answer   *Answer
	Case     *Case
	// Evidence of the expectation the answer deviates from; Inference
	// names our reading and its reason when it is inferred.
	Evidence  spec.Evidence
	Inference string
	// Inconclusive: the answer proves nothing either way (the gateway
	// refused the request before the operation saw it); What says why.
	Inconclusive bool
	// Refusal is the gateway code of an inconclusive answer.
	Refusal string
	// firm: the deviation's evidence is its own, whatever the case rests
	// on (a signature refusal is one whichever rule carried the value).
	firm bool
}

// Inferred reports whether the deviation is only from our reading of the docs.
func (d *Deviation) Inferred() bool { return d != nil && d.Evidence == spec.EvidenceInferred }

// weaken lowers a deviation's evidence to a fact's, when that is weaker.
func (d *Deviation) weaken(level spec.Evidence, inference string) *Deviation {
	if d != nil && level == spec.EvidenceInferred && d.Evidence != spec.EvidenceInferred {
		d.Evidence, d.Inference = level, inference
	}
	return d
}

func (d *Deviation) Error() string { return d.What }

// Check judges an outcome. note is set when the target answered a
// documented alternative rather than the contract's choice. A deviation
// carries the evidence of what it deviates from: the weaker of the case's
// and of the failing fact's.
func (e *Env) Check(c *Case, o *Outcome) (note string, dev *Deviation) {
	note, dev = e.check(c, o)
	if dev != nil && o.StateChanged != "" && c.Safety == spec.SafetyReadonly {
		dev.What += "; " + o.StateChanged
	}
	if dev != nil && !dev.Inconclusive {
		if dev.Evidence == "" {
			dev.Evidence = spec.EvidenceStated
			if c.Evidence != "" {
				dev.Evidence = c.Evidence
			}
			if dev.Evidence == spec.EvidenceInferred {
				dev.Inference = c.Inference
			}
		}
		if !dev.firm {
			dev.weaken(c.Evidence, c.Inference)
		}
	}
	return note, dev
}

func (e *Env) check(c *Case, o *Outcome) (note string, dev *Deviation) {
	if o.Setup != nil && (o.Setup.TransportErr != nil || o.Setup.Status != 200) {
		return "", &Deviation{What: "setup " + c.Setup.Action + " did not succeed, so the case could not be set up", Got: describe(o.Setup), Answer: o.Setup}
	}
	switch c.Procedure {
	case spec.ProcedureConcurrent, ProcedureBurst:
		dev = e.checkSome(c, o)
	case "exhaust-quota":
		if e.Reset == nil {
			return e.checkSpentQuota(c, o)
		}
		for i, a := range o.Answers {
			if i < c.Quota {
				if a.TransportErr != nil || a.Status != 200 {
					return "", &Deviation{What: fmt.Sprintf("request %d of the documented quota of %d was refused", i+1, c.Quota), Got: describe(a), Answer: a}
				}
				continue
			}
			note, dev = e.checkError(c, a, c.Expect.Codes)
		}
	default:
		for i, a := range o.Answers {
			if c.Requests[i].Tamper == TamperReplayedNonce && o.Replay != nil && o.Replay.Status != 200 && o.Replay.Err == nil {
				return "", &Deviation{What: "the first sending of the replayed request got no documented answer", Got: describe(o.Replay), Answer: o.Replay}
			}
			if c.Probe == ProbeSignature {
				if i == 0 {
					// The plain request: only a gateway refusal matters here.
					if why, ok := e.gatewayRefusal(a); ok {
						return "", inconclusive(a, why+" (the same request without reserved characters)")
					}
					continue
				}
				if d := e.signatureRefused(c, a); d != nil {
					return "", d
				}
			}
			switch {
			case c.Expect.Success:
				dev = e.checkSuccess(c, c.Requests[i], a)
			case len(c.Expect.NotCodes) > 0:
				dev = e.checkBoundary(c, c.Requests[i], a)
			default:
				note, dev = e.checkError(c, a, c.Expect.Codes)
				if dev == nil && c.Requests[i].XML && !strings.HasPrefix(strings.TrimSpace(string(a.Body)), "<") {
					dev = &Deviation{What: "Format=XML was asked for but the error body is not XML", Got: describe(a), Answer: a}
				}
			}
			if dev != nil {
				return note, dev
			}
		}
	}
	if dev == nil && o.Cleanup != nil && (o.Cleanup.TransportErr != nil || o.Cleanup.Status != 200) {
		dev = &Deviation{What: "cleanup " + c.Cleanup.Action + " failed: the case left state behind", Got: describe(o.Cleanup), Answer: o.Cleanup}
	}
	return note, dev
}

// checkSpentQuota judges a quota case on a target that cannot be reset,
// where requests sent earlier (by this run's other cases, or earlier today)
// count too: the quota must hold — quota+1 requests never all succeed, the
// first refusal is the documented code, and nothing succeeds after it. How
// many succeeded before it is reported, not judged.
func (e *Env) checkSpentQuota(c *Case, o *Outcome) (string, *Deviation) {
	first := -1
	for i, a := range o.Answers {
		if a.TransportErr == nil && a.Status == 200 {
			if first >= 0 {
				return "", &Deviation{What: fmt.Sprintf("request %d succeeded after request %d was refused for the spent quota", i+1, first+1), Got: describe(a), Answer: a}
			}
			continue
		}
		if first < 0 {
			first = i
			if note, dev := e.checkError(c, a, c.Expect.Codes); dev != nil {
				return note, dev
			}
		}
	}
	if first < 0 {
		return "", &Deviation{What: fmt.Sprintf("all %d requests succeeded: the documented quota of %d was not enforced", len(o.Answers), c.Quota),
			Expected: strings.Join(c.Expect.Codes, " or ") + " by request " + fmt.Sprint(c.Quota+1), Got: "no refusal", Answer: o.Answers[len(o.Answers)-1]}
	}
	return fmt.Sprintf("the target cannot be reset: the quota was spent after %d request(s) of this case (earlier successes count too)", first), nil
}

func describe(a *Answer) string {
	switch {
	case a == nil:
		return "no answer"
	case a.TransportErr != nil:
		return "no answer: " + a.TransportErr.Error()
	case a.Err != nil:
		return fmt.Sprintf("HTTP %d %s %q (RequestId %q)", a.Status, a.Err.Code, a.Err.Message, a.Err.RequestID)
	case a.Garbage != "":
		return fmt.Sprintf("HTTP %d, %s", a.Status, a.Garbage)
	}
	return fmt.Sprintf("HTTP %d %s", a.Status, snippet(string(a.Body), 200))
}

func snippet(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return escapeText(s)
}

// escapeText keeps received bytes printable: control characters and
// invalid UTF-8 are shown as Go escapes, never written raw.
func escapeText(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || r == 0x7f:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapedSnippet quotes the start of a body for a one-line message.
func escapedSnippet(body []byte, n int) string {
	if len(body) == 0 {
		return "an empty body"
	}
	s := string(body)
	if len(s) > n {
		s = s[:n]
	}
	return "a body starting " + strconv.Quote(strings.ToValidUTF8(s, "\uFFFD"))
}

// documented returns the error as the case's operation documents it.
func (e *Env) documented(c *Case, code string) *spec.ErrorCode {
	if c.op != nil {
		if er := c.op.Error(code); er != nil {
			return er
		}
	}
	for _, er := range e.API.PlatformErrors {
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

func (e *Env) matchMode(d *spec.ErrorCode) string {
	switch e.MessageMatch {
	case "prefix", "any":
		if d.Match() == spec.MatchExact {
			return e.MessageMatch
		}
	}
	return d.Match()
}

// messageOK compares a message by the case's mode.
func (e *Env) messageOK(d *spec.ErrorCode, got string) bool {
	switch e.matchMode(d) {
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
func (e *Env) checkError(c *Case, a *Answer, codes []string) (string, *Deviation) {
	var docs []*spec.ErrorCode
	for _, code := range codes {
		if d := e.documented(c, code); d != nil {
			docs = append(docs, d)
		}
	}
	want := expectText(docs, e.matchMode)
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: want, Got: describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return "", dev("no answer from the target")
	case a.Garbage != "":
		return "", dev("the answer is not a documented error body: " + a.Garbage)
	case a.Err == nil:
		return "", dev(fmt.Sprintf("accepted (HTTP %d) a request the docs say is answered with %s", a.Status, strings.Join(codes, " or ")))
	}
	var d *spec.ErrorCode
	for _, x := range docs {
		if x.Code == a.Err.Code {
			d = x
		}
	}
	if d == nil {
		if why, ok := e.gatewayRefusal(a); ok {
			return "", inconclusive(a, why)
		}
		return "", dev(fmt.Sprintf("wrong code: %s, documented %s", a.Err.Code, strings.Join(codes, " or ")))
	}
	if echo, ok := e.signatureMessage(c, d); ok {
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
	case !e.messageOK(d, a.Err.Message):
		level, p := d.MessageEvidence()
		return "", dev(fmt.Sprintf("wrong message for %s: %q, documented %q (%s match)", d.Code, a.Err.Message, d.Message, e.matchMode(d))).
			weaken(level, "the wording of "+d.Code+": "+strings.Join(strings.Fields(p.Reason), " "))
	case a.Err.RequestID == "":
		return "", dev("the error body has no RequestId")
	}
	if gd := e.checkGateway(d, a); gd != nil {
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
func (e *Env) signatureMessage(c *Case, d *spec.ErrorCode) (spec.GatewayFact[string], bool) {
	if !d.Platform || len(c.Requests) == 0 || !slices.ContainsFunc(d.Triggers, func(t *spec.Trigger) bool { return Tamper(t.State) == TamperBadSignature }) {
		return spec.GatewayFact[string]{}, false
	}
	r := c.Requests[0]
	version := 3
	switch {
	case r.SigV1:
		version = 1
	case r.SigV3:
	case e.Profile != nil && e.Profile.Signature == "v1":
		version = 1
	}
	f := e.API.Gateway.SignatureMismatch(version)
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
func (e *Env) checkGateway(d *spec.ErrorCode, a *Answer) *Deviation {
	g := e.API.Gateway
	if g == nil || a.Exchange == nil {
		return nil
	}
	dev := func(what string, p spec.Provenance, level spec.Evidence) *Deviation {
		return (&Deviation{What: what, Got: describe(a), Answer: a}).weaken(level, strings.Join(strings.Fields(p.Reason), " "))
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
func (e *Env) checkBoundary(c *Case, r Request, a *Answer) *Deviation {
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: "not " + strings.Join(c.Expect.NotCodes, " or ") + " (the request is inside the documented limit)", Got: describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return dev("no answer from the target")
	case a.Garbage != "":
		return dev("the answer is neither a success nor a documented error: " + a.Garbage)
	case a.Status == 200:
		return e.checkSuccess(c, r, a)
	}
	code := a.Err.Code
	if why, ok := e.gatewayRefusal(a); ok {
		return inconclusive(a, why)
	}
	earlier, later := c.rulesAround(code)
	if contains(c.Expect.NotCodes, code) {
		if later != nil {
			return inconclusive(a, fmt.Sprintf("answered %s, which rule %s answers too (a check after %s): it neither proves nor disproves the boundary", code, later.ID, c.Rule))
		}
		return dev(fmt.Sprintf("refused a request inside the documented limit with %s", code))
	}
	d := e.documented(c, code)
	if d == nil {
		return dev(fmt.Sprintf("answered %s, which the operation does not document", code))
	}
	if d.Status != a.Status {
		return dev(fmt.Sprintf("wrong HTTP status for %s: %d, documented %d", d.Code, a.Status, d.Status))
	}
	if earlier != nil && later == nil {
		return dev(fmt.Sprintf("refused with %s, the code of rule %s, which the request satisfies", code, earlier.ID)).
			weaken(earlier.Provenance.Level(), "rule "+earlier.ID+": "+strings.Join(strings.Fields(earlier.Provenance.Reason), " "))
	}
	return nil
}

// signatureRefused: a correctly signed request refused for its signature
// (or as unsigned) means the target canonicalises values otherwise than
// the signature rules say — a deviation from the observed wire protocol.
func (e *Env) signatureRefused(c *Case, a *Answer) *Deviation {
	if a == nil || a.Err == nil {
		return nil
	}
	pe, _ := e.platformTrigger(a.Err.Code, func(_ *spec.ErrorCode, t *spec.Trigger) bool {
		return Tamper(t.State) == TamperBadSignature || Tamper(t.State) == TamperUnsignedRequest
	})
	if pe == nil {
		return nil
	}
	return &Deviation{What: fmt.Sprintf("a correctly signed request whose value holds %q was refused with %s: the target canonicalises reserved characters otherwise than the signature rules (RFC 3986 percent-encoding: space is %%20, * is %%2A, ~ stays)", reservedChars, pe.Code),
		Expected: "the answer of the same request with a plain value", Got: describe(a), Answer: a, Evidence: spec.EvidenceObserved, firm: true}
}

// rulesAround returns a rule ordered before the case's rule and one after
// it whose documented codes include code (nil when none).
func (c *Case) rulesAround(code string) (earlier, later *spec.Rule) {
	if c.op == nil || c.rule == nil {
		return nil, nil
	}
	at := slices.Index(c.op.Rules, c.rule)
	for i, r := range c.op.Rules {
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
func inconclusive(a *Answer, why string) *Deviation {
	d := &Deviation{What: why, Got: describe(a), Answer: a, Inconclusive: true}
	if a != nil && a.Err != nil {
		d.Refusal = a.Err.Code
	}
	return d
}

// refusalStates are the trigger states of the gateway codes that refuse a
// request before the operation sees it: credentials, signatures, clocks and
// nonces. Retryable platform codes (throttling, the server's own failures)
// refuse it too.
var refusalStates = map[Tamper]bool{
	TamperUnsignedRequest: true, TamperBadSignature: true, TamperUnknownAccessKey: true,
	TamperStaleTimestamp: true, TamperMalformedTimestamp: true, TamperReplayedNonce: true,
	TamperMissingSecurityToken: true, TamperMalformedSecurityToken: true, TamperMismatchedSecurityToken: true,
	TamperExpiredSecurityToken: true,
}

func isRefusal(e *Env, a *Answer) bool {
	_, ok := e.gatewayRefusal(a)
	return ok
}

// platformTrigger returns the platform error answering with code and its
// first trigger whose state match accepts (nil, nil when none).
func (e *Env) platformTrigger(code string, match func(pe *spec.ErrorCode, t *spec.Trigger) bool) (*spec.ErrorCode, *spec.Trigger) {
	pe := e.API.PlatformError(code)
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

// gatewayRefusal reports whether an answer is the gateway refusing the
// request before the operation saw it, and says so in words.
func (e *Env) gatewayRefusal(a *Answer) (string, bool) {
	if a == nil || a.Err == nil {
		return "", false
	}
	if pe, t := e.platformTrigger(a.Err.Code, func(pe *spec.ErrorCode, t *spec.Trigger) bool {
		return refusalStates[Tamper(t.State)] || pe.Retryable
	}); pe != nil {
		return fmt.Sprintf("inconclusive: the gateway answered %s (%s) before the operation saw the request", pe.Code, t.Description), true
	}
	if a.Status >= 500 {
		return fmt.Sprintf("inconclusive: the target answered HTTP %d %s, a server failure", a.Status, a.Err.Code), true
	}
	return "", false
}

// checkSome: concurrent and burst cases — at least one answer has the code,
// and every answer is a success or that code.
func (e *Env) checkSome(c *Case, o *Outcome) *Deviation {
	hits, oks := 0, 0
	var refused *Answer
	for _, a := range o.Answers {
		switch {
		case a.Status == 200:
			oks++
		case a.Err != nil && contains(c.Expect.Codes, a.Err.Code):
			if _, dev := e.checkError(c, a, c.Expect.Codes); dev != nil {
				return dev
			}
			hits++
		case c.Procedure == ProcedureBurst && a.Err != nil && e.documented(c, a.Err.Code) != nil:
			// The carrier request's own documented answer, not throttled.
		case c.Procedure == spec.ProcedureConcurrent && a.Err != nil && e.retryable[a.Err.Code]:
			// Throttled or unavailable: no evidence either way about the
			// concurrency the case is about (it is paced at the documented
			// rate, but a target's bucket may run a little behind ours).
		case a.Err != nil && isRefusal(e, a):
			refused = a
		default:
			return &Deviation{What: "an answer is neither a success nor " + strings.Join(c.Expect.Codes, " or "), Got: describe(a), Answer: a}
		}
	}
	if hits == 0 && refused != nil {
		why, _ := e.gatewayRefusal(refused)
		return inconclusive(refused, why)
	}
	if hits == 0 {
		return &Deviation{What: fmt.Sprintf("%d requests at once, none answered %s", len(o.Answers), strings.Join(c.Expect.Codes, " or ")),
			Expected: "at least one " + strings.Join(c.Expect.Codes, " or "), Got: fmt.Sprintf("%d successes", oks), Answer: o.Answers[0]}
	}
	return nil
}

// checkSuccess: HTTP 200, the response schema, RequestId, the documented
// date layouts, the fields that echo the request, and the relations.
func (e *Env) checkSuccess(c *Case, r Request, a *Answer) *Deviation {
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: "HTTP 200 and a body as documented", Got: describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return dev("no answer from the target")
	case a.Status != 200:
		if why, ok := e.gatewayRefusal(a); ok {
			return inconclusive(a, why)
		}
		return dev(fmt.Sprintf("the documented success request was refused: %s", describe(a)))
	case a.Success == nil:
		return dev(a.Garbage)
	}
	op := c.op
	if err := op.Response.VisitJSON(a.Success, openapi3.MultiErrors()); err != nil {
		return dev("the body does not satisfy the documented response schema: " + strings.Join(strings.Fields(err.Error()), " "))
	}
	var problems []string
	walk(op.Response, a.Success, "", func(path string, s *openapi3.Schema, v any) {
		if layout := spec.Layout(s); layout != "" {
			if str, ok := v.(string); ok {
				if goLayout, ok := spec.GoTimeLayout(layout); ok {
					if _, err := time.Parse(goLayout, str); err != nil {
						problems = append(problems, fmt.Sprintf("%s = %q is not a %s date", path, str, layout))
					}
				}
			}
		}
		if echo := spec.Echo(s); echo != "" {
			if p := echoProblem(path, echo, v, r.Params); p != "" {
				problems = append(problems, p)
			}
		}
	})
	problems = append(problems, listEchoProblems(op.Response, a.Success, r.Params)...)
	// Relations carry their own provenance: when only inferred ones are
	// broken, the deviation is from our reading.
	rel, inferred := relationProblems(op, a.Success)
	if len(problems) == 0 && len(rel) > 0 {
		sort.Strings(rel)
		return dev(strings.Join(rel, "; ")).weaken(spec.EvidenceInferred, inferred)
	}
	problems = append(problems, rel...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return dev(strings.Join(problems, "; "))
	}
	return nil
}

// walk visits every value of a body with its schema.
func walk(s *openapi3.Schema, v any, path string, f func(path string, s *openapi3.Schema, v any)) {
	if s == nil {
		return
	}
	f(path, s, v)
	switch x := v.(type) {
	case map[string]any:
		for name, ref := range s.Properties {
			if child, ok := x[name]; ok && ref.Value != nil {
				walk(ref.Value, child, strings.TrimPrefix(path+"."+name, "."), f)
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range x {
				walk(s.Items.Value, item, fmt.Sprintf("%s[%d]", path, i), f)
			}
		}
	}
}

func echoProblem(path, echo string, v any, params url.Values) string {
	got := fmt.Sprint(v)
	if strings.HasSuffix(echo, "[*]") {
		list, _ := acs.DecodeRepeatList(params, strings.TrimSuffix(echo, "[*]"))
		if !contains(list, got) {
			return fmt.Sprintf("%s = %q is not one of the requested %s %v", path, got, echo, list)
		}
		return ""
	}
	if want := params.Get(echo); want != "" && got != want {
		return fmt.Sprintf("%s = %q, but the request's %s is %q", path, got, echo, want)
	}
	return ""
}

// listEchoProblems: a list whose items echo a requested list has one entry
// per requested item (inferred from the samples: one binding per member).
func listEchoProblems(s *openapi3.Schema, body map[string]any, params url.Values) []string {
	var out []string
	for name, ref := range s.Properties {
		arr := ref.Value
		if arr == nil || arr.Items == nil || arr.Items.Value == nil {
			continue
		}
		for field, fref := range arr.Items.Value.Properties {
			echo := spec.Echo(fref.Value)
			if !strings.HasSuffix(echo, "[*]") {
				continue
			}
			want, _ := acs.DecodeRepeatList(params, strings.TrimSuffix(echo, "[*]"))
			items, _ := body[name].([]any)
			var got []string
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					got = append(got, fmt.Sprint(m[field]))
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				out = append(out, fmt.Sprintf("%s answers %s %v for the requested %v (one entry per requested item)", name, field, got, want))
			}
		}
	}
	return out
}

// lookup finds a dotted path (Handshake.Status) in a body and its schema.
func lookup(s *openapi3.Schema, body map[string]any, path string) (any, *openapi3.Schema) {
	var cur any = body
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok || s == nil || s.Properties[part] == nil {
			return nil, nil
		}
		cur, s = m[part], s.Properties[part].Value
	}
	return cur, s
}

// relationProblems lists the broken relations; inferred names the reading
// when every broken relation is inferred ("" when a stated one is broken).
func relationProblems(op *spec.Operation, body map[string]any) (out []string, inferred string) {
	stated := false
	for _, r := range op.Relations {
		p := relationProblem(op, r, body)
		if p == "" {
			continue
		}
		out = append(out, p)
		if r.Provenance.Level() != spec.EvidenceInferred {
			stated = true
		} else if inferred == "" {
			inferred = "relation " + r.ID + ": " + strings.Join(strings.Fields(r.Provenance.Reason), " ")
		}
	}
	if stated {
		inferred = ""
	}
	return out, inferred
}

// relationProblem says how a body breaks one relation, or "".
func relationProblem(op *spec.Operation, r *spec.Relation, body map[string]any) string {
	v, s := lookup(op.Response, body, r.Field)
	if v == nil {
		return ""
	}
	got := fmt.Sprint(v)
	switch {
	case r.EqualsValue != "" && got != r.EqualsValue:
		return fmt.Sprintf("%s = %q, expected %q (%s; %s)", r.Field, got, r.EqualsValue, r.Description, r.Provenance.Kind)
	case r.EqualsField != "":
		if other, _ := lookup(op.Response, body, r.EqualsField); fmt.Sprint(other) != got {
			return fmt.Sprintf("%s = %q differs from %s = %q (%s; %s)", r.Field, got, r.EqualsField, fmt.Sprint(other), r.Description, r.Provenance.Kind)
		}
	case r.AfterField != "":
		other, os := lookup(op.Response, body, r.AfterField)
		offset, _ := time.ParseDuration(r.Offset)
		l1, ok1 := spec.GoTimeLayout(spec.Layout(s))
		l2, ok2 := spec.GoTimeLayout(spec.Layout(os))
		if !ok1 || !ok2 || other == nil {
			return ""
		}
		t1, err1 := time.Parse(l1, got)
		t2, err2 := time.Parse(l2, fmt.Sprint(other))
		if err1 == nil && err2 == nil && !t1.Equal(t2.Add(offset)) {
			return fmt.Sprintf("%s = %s is not %s after %s = %s (%s; %s)", r.Field, got, offset, r.AfterField, other, r.Description, r.Provenance.Kind)
		}
	}
	return ""
}

// Curl renders an exchange as a curl command line.
func Curl(ex *acs.Exchange) string {
	if ex == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X %s '%s'", ex.Method, ex.URL)
	keys := make([]string, 0, len(ex.Header))
	for k := range ex.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " -H '%s: %s'", k, ex.Header.Get(k))
	}
	if ex.Body != "" {
		fmt.Fprintf(&b, " --data '%s'", ex.Body)
	}
	return b.String()
}

// Explain renders a deviation for a failure message.
func Explain(c *Case, d *Deviation) string {
	skew := "a few minutes"
	if c.op != nil && c.op.API().ClockSkew > 0 {
		skew = c.op.API().ClockSkew.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", c.ID, d.What)
	if d.Expected != "" {
		fmt.Fprintf(&b, "  documented: %s\n", d.Expected)
	}
	fmt.Fprintf(&b, "  by:         %s\n", c.Provenance)
	if where := c.Where(); where.Line > 0 {
		fmt.Fprintf(&b, "  contract:   %s:%d\n", where.File, where.Line)
	}
	if d.Inferred() {
		fmt.Fprintf(&b, "  evidence:   our reading, not a stated fact (failing because of --strict): %s\n", d.Inference)
	} else if d.Evidence != "" {
		fmt.Fprintf(&b, "  evidence:   %s\n", d.Evidence)
	}
	fmt.Fprintf(&b, "  got:        %s\n", d.Got)
	if a := d.Answer; a != nil && a.Exchange != nil {
		fmt.Fprintf(&b, "  sent:       %s %s\n", a.Exchange.Method, a.Exchange.URL)
		if a.Exchange.Body != "" {
			fmt.Fprintf(&b, "              body %s\n", a.Exchange.Body)
		}
		if a.Exchange.RespBody != "" {
			fmt.Fprintf(&b, "  received:   %s\n", snippet(a.Exchange.RespBody, 600))
		}
		fmt.Fprintf(&b, "  reproduce:  %s\n", Curl(a.Exchange))
		fmt.Fprintf(&b, "              (signed when sent: the signature is valid for %s and its nonce once)\n", skew)
	}
	return b.String()
}

// refusalHint says what a user can do about a gateway refusal, by the
// trigger state the contract gives its code.
func refusalHint(api *spec.API, code string) string {
	state := ""
	if e := api.PlatformError(code); e != nil && len(e.Triggers) > 0 {
		state = e.Triggers[0].State
	}
	switch Tamper(state) {
	case TamperBadSignature, TamperUnsignedRequest:
		return "check the access key secret and the signature version (profile signature: v1 or v3)"
	case TamperUnknownAccessKey:
		return "check the access key ID (the target does not know it)"
	case TamperStaleTimestamp, TamperMalformedTimestamp:
		return "check this machine's clock"
	case TamperReplayedNonce:
		return "the target saw our nonces before: is something replaying requests?"
	case TamperMissingSecurityToken, TamperMalformedSecurityToken, TamperMismatchedSecurityToken, TamperExpiredSecurityToken:
		return "check the security token (security-token-env) of the profile's temporary credentials, and that it has not expired"
	case TamperRateExceeded:
		return "the target throttles the run: lower --procs or the profile's rates"
	}
	return "the target is failing; try again later"
}
