package judge

import (
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Judge holds what a verdict depends on beyond the exchange itself: the
// contract, the target profile, how messages are matched, and whether the
// target is reset between cases.
type Judge struct {
	API     *spec.API
	Profile *profile.Profile
	// MessageMatch overrides the contract's message matching: exact, prefix or any.
	MessageMatch string
	// Resettable: the target is returned to its seeded state before each
	// mutating or exhausting case.
	Resettable bool
	retryable  map[string]bool
}

// New returns the judge of a run against the contract api and profile p.
func New(api *spec.API, p *profile.Profile, messageMatch string, resettable bool) *Judge {
	return &Judge{API: api, Profile: p, MessageMatch: messageMatch, Resettable: resettable, retryable: api.RetryableCodes()}
}

// Deviation is a case's failure: what is wrong, in words, plus the evidence.
type Deviation struct {
	What     string // one line naming the deviation
	Expected string
	Got      string
	Answer   *run.Answer
	Case     *plan.Case
	// Evidence of the expectation the answer deviates from; Inference
	// names our reading and its reason when it is inferred.
	Evidence  spec.Evidence
	Inference string
	// Inconclusive: the answer proves nothing either way (the gateway
	// refused the request before the operation saw it); What says why.
	Inconclusive bool
	// Refusal is the gateway code of an inconclusive answer.
	Refusal string
	// Transport: inconclusive because an exchange failed for the
	// transport (no answer, or one that is not the API's); the run may
	// wait for the target and try the case again.
	Transport bool
	// firm: the deviation's evidence is its own, whatever the case rests
	// on (a signature refusal is one whichever rule carried the value).
	firm bool
	// accepted: the target accepted a request the case expects refused;
	// its evidence is the case's refusal evidence, not its code's.
	accepted bool
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

// ourReading, given why (non-empty) the deviation proves only our reading
// of the docs, says so in its words and lowers its evidence.
func (d *Deviation) ourReading(why string) {
	if why == "" {
		return
	}
	d.What += "; " + why
	d.weaken(spec.EvidenceInferred, why)
}

func (d *Deviation) Error() string { return d.What }

// Check judges an outcome. note is set when the target answered a
// documented alternative rather than the contract's choice. A deviation
// carries the evidence of what it deviates from: the weaker of the case's
// and of the failing fact's.
func (j *Judge) Check(c *plan.Case, o *run.Outcome) (note string, dev *Deviation) {
	if a, why := brokenAnswer(o); why != "" {
		return "", &Deviation{What: "inconclusive: the exchange failed for the transport: " + why, Got: run.Describe(a), Answer: a, Inconclusive: true, Transport: true}
	}
	note, dev = j.check(c, o)
	if dev != nil && o.StateChanged != "" && c.Safety == spec.SafetyReadonly {
		dev.What += "; " + o.StateChanged
	}
	if dev != nil && !dev.Inconclusive {
		evidence, inference := c.Evidence, c.Inference
		if dev.accepted {
			evidence, inference = c.RefusalEvidence()
		}
		if dev.Evidence == "" {
			dev.Evidence = spec.EvidenceStated
			if evidence != "" {
				dev.Evidence = evidence
			}
			if dev.Evidence == spec.EvidenceInferred {
				dev.Inference = inference
			}
		}
		if !dev.firm {
			dev.weaken(evidence, inference)
		}
	}
	return note, dev
}

// brokenAnswer is the first exchange of an outcome that failed for the
// transport, and why; a case with one proves nothing either way.
func brokenAnswer(o *run.Outcome) (*run.Answer, string) {
	all := append([]*run.Answer{o.Setup}, o.Answers...)
	all = append(all, o.Replay, o.Cleanup)
	for _, a := range all {
		if why := a.Broken(); why != "" {
			return a, why
		}
	}
	return nil, ""
}

func (j *Judge) check(c *plan.Case, o *run.Outcome) (note string, dev *Deviation) {
	if o.Setup != nil && (o.Setup.TransportErr != nil || o.Setup.Status != 200) {
		return "", &Deviation{What: "setup " + c.Setup.Action + " did not succeed, so the case could not be set up", Got: run.Describe(o.Setup), Answer: o.Setup}
	}
	switch c.Probe {
	case plan.ProbePaging:
		return "", j.checkPaging(c, o)
	case plan.ProbeAfter:
		return "", j.checkAfter(c, o)
	}
	switch c.Procedure {
	case spec.ProcedureConcurrent, plan.ProcedureBurst:
		dev = j.checkSome(c, o)
	case "exhaust-quota":
		if !j.Resettable {
			return j.checkSpentQuota(c, o)
		}
		for i, a := range o.Answers {
			if i < c.Quota {
				if a.TransportErr != nil || a.Status != 200 {
					return "", &Deviation{What: fmt.Sprintf("request %d of the documented quota of %d was refused", i+1, c.Quota), Got: run.Describe(a), Answer: a}
				}
				continue
			}
			note, dev = j.checkError(c, a, c.Expect.Codes)
		}
	default:
		for i, a := range o.Answers {
			if c.Requests[i].Tamper == plan.TamperReplayedNonce && o.Replay != nil && o.Replay.Status != 200 && o.Replay.Err == nil {
				return "", &Deviation{What: "the first sending of the replayed request got no documented answer", Got: run.Describe(o.Replay), Answer: o.Replay}
			}
			if c.Probe == plan.ProbeSignature {
				if i == 0 {
					// The plain request: only a gateway refusal matters here.
					if why, ok := j.GatewayRefusal(a); ok {
						return "", inconclusive(a, why+" (the same request without reserved characters)")
					}
					continue
				}
				if d := j.signatureRefused(c, a); d != nil {
					return "", d
				}
			}
			switch {
			case c.Expect.Success:
				dev = j.checkSuccess(c, c.Requests[i], a)
			case len(c.Expect.NotCodes) > 0:
				dev = j.checkBoundary(c, c.Requests[i], a)
			default:
				note, dev = j.checkError(c, a, c.Expect.Codes)
				if dev == nil && c.Requests[i].XML && !strings.HasPrefix(strings.TrimSpace(string(a.Body)), "<") {
					dev = &Deviation{What: "Format=XML was asked for but the error body is not XML", Got: run.Describe(a), Answer: a}
				}
			}
			if dev != nil && c.Probe == plan.ProbeSignature && i > 0 && !dev.Inconclusive {
				// Not refused for its signature, yet answered otherwise than
				// the same request with a plain value: the reserved
				// characters may break a form of the parameter the docs
				// leave open.
				dev.weaken(spec.EvidenceInferred, "the value with reserved characters may break a form of its parameter that no document states; only a refusal for the signature deviates from the wire protocol")
			}
			if dev != nil {
				return note, dev
			}
		}
	}
	if dev == nil && o.Cleanup != nil && (o.Cleanup.TransportErr != nil || o.Cleanup.Status != 200) {
		dev = &Deviation{What: "cleanup " + c.Cleanup.Action + " failed: the case left state behind", Got: run.Describe(o.Cleanup), Answer: o.Cleanup}
	}
	return note, dev
}

// checkSpentQuota judges a quota case on a target that cannot be reset,
// where requests sent earlier (by this run's other cases, or earlier today)
// count too: the quota must hold — quota+1 requests never all succeed, the
// first refusal is the documented code, and nothing succeeds after it. How
// many succeeded before it is reported, not judged.
func (j *Judge) checkSpentQuota(c *plan.Case, o *run.Outcome) (string, *Deviation) {
	first := -1
	for i, a := range o.Answers {
		if a.TransportErr == nil && a.Status == 200 {
			if first >= 0 {
				return "", &Deviation{What: fmt.Sprintf("request %d succeeded after request %d was refused for the spent quota", i+1, first+1), Got: run.Describe(a), Answer: a}
			}
			continue
		}
		if first < 0 {
			first = i
			if note, dev := j.checkError(c, a, c.Expect.Codes); dev != nil {
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
