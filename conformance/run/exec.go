package run

import (
	"bytes"
	"io"
	"math"

	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"

	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Env is what cases run against: the target, its credentials, and the
// acs transport every request goes through (pacing, retries, redaction).
type Env struct {
	API      *spec.API
	Profile  *profile.Profile
	Endpoint string
	// Reset returns the target to its seeded state before each mutating or
	// exhausting case (the embedded mock, or a profile's reset URL).
	Reset   func() error
	Timeout time.Duration
	// MessageMatch overrides the contract's message matching: exact, prefix or any.
	MessageMatch string
	Getenv       func(string) string
	// MaxAnswerBytes bounds every answer read (acs.DefaultMaxAnswerBytes
	// when 0); a longer one is a deviation of its case, never buffered.
	MaxAnswerBytes int64
	// Patience is how long, in all, the run waits for a target that
	// stopped answering (DefaultPatience when 0).
	Patience time.Duration
	// HealthCheck, when set, is a request only an ACS endpoint answers as
	// the API does (a documented refusal); the breaker's probes send it,
	// and the target is healthy when the answer is the API's.
	HealthCheck *plan.Request

	tr        *acs.Transport
	trOnce    sync.Once
	retryable map[string]bool
	sent      atomic.Int64
	brk       breaker
	mu        sync.Mutex
	creds     map[string]acs.Credentials
}

// NewEnv prepares an environment. Credentials are resolved when first
// used (the suite resolves "default" before any case runs).
func NewEnv(api *spec.API, p *profile.Profile, endpoint string) (*Env, error) {
	e := &Env{API: api, Profile: p, Endpoint: strings.TrimRight(endpoint, "/"), Timeout: 10 * time.Second,
		retryable: api.RetryableCodes(), creds: map[string]acs.Credentials{}}
	e.tr = &acs.Transport{Endpoint: e.Endpoint, Method: http.MethodPost, SignatureVersion: 3,
		// Patient retries: a target throttling a paced run (clock jitter
		// between our bucket and its) gets time to refill.
		Retry:  acs.RetryPolicy{MaxAttempts: 5, BaseDelay: 200 * time.Millisecond, MinDelay: 100 * time.Millisecond},
		Redact: e.secrets, Observe: func(*acs.Exchange) { e.sent.Add(1) }}
	if p.Signature == "v1" {
		e.tr.SignatureVersion = 1
	}
	for _, op := range api.Operations {
		if op.RateLimit != nil {
			perSecond := op.RateLimit.PerSecond()
			e.tr.SetRateLimit(op.Action, perSecond, max(1, int(perSecond)))
		}
	}
	if _, ok := p.Credentials["default"]; !ok {
		return nil, fmt.Errorf("profile %s defines no \"default\" credentials", p.File)
	}
	return e, nil
}

// transport is the run's one acs transport, its HTTP client bound to the
// timeout the options set after NewEnv.
func (e *Env) transport() *acs.Transport {
	e.trOnce.Do(func() {
		e.tr.HTTPClient = &http.Client{Timeout: e.Timeout}
		e.tr.MaxAnswerBytes = e.MaxAnswerBytes
	})
	return e.tr
}

func (e *Env) Credentials(name string) (acs.Credentials, error) {
	if name == "" {
		name = "default"
	}
	if in, ok := e.Profile.Inputs[name]; ok && in.Credentials != "" {
		name = in.Credentials
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if c, ok := e.creds[name]; ok {
		return c, nil
	}
	c, err := e.Profile.Resolve(name, e.Getenv)
	if err != nil {
		return acs.Credentials{}, err
	}
	e.creds[name] = c
	return c, nil
}

// Sent is how many requests the run sent.
func (e *Env) Sent() int64 { return e.sent.Load() }

// Answer is one exchange and what came back.
type Answer struct {
	Exchange *acs.Exchange
	Status   int
	Body     []byte
	Err      *acs.APIError // a documented-shape error answer
	Success  map[string]any
	// Garbage says what was wrong with an answer that is neither.
	Garbage string
	// TransportErr: no answer at all.
	TransportErr error
	// NotSent: the breaker was open; the request never left.
	NotSent bool
	// Oversize: the answer went past the run's limit and was not read.
	Oversize int64
	// Foreign says why the answer is not the API's at all (an HTML page, a
	// body cut short, plain text): the transport failed, not the target's
	// reading of the docs.
	Foreign string
}

// Broken says why an answer proves nothing about the target (it never
// came, or is not the API's), or "" for an answer to judge.
func (a *Answer) Broken() string {
	switch {
	case a == nil:
		return ""
	case a.TransportErr != nil:
		return a.TransportErr.Error()
	case a.Foreign != "":
		return a.Foreign
	}
	return ""
}

// call is r as an acs call: its credentials, signature version, method
// and encoding, and the hooks that damage it as its Tamper says.
func (e *Env) call(r plan.Request, retryable []string) (acs.Call, error) {
	creds, err := e.Credentials(r.As)
	if err != nil {
		return acs.Call{}, err
	}
	c := acs.Call{Action: r.Action, Version: e.API.Version, Params: plan.Clone(r.Params), Retryable: retryable,
		Credentials: &creds, Method: r.Method, FormBody: r.Form, XML: r.XML, Hooks: e.hooks(r)}
	switch {
	case r.SigV1:
		c.SignatureVersion = 1
	case r.SigV3:
		c.SignatureVersion = 3
	}
	return c, nil
}

// hooks damage a correctly built request the way a platform trigger
// state asks; nil for an undamaged request.
func (e *Env) hooks(r plan.Request) *acs.Hooks {
	switch r.Tamper {
	case plan.TamperBadSignature:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Credentials.AccessKeySecret += "-wrong" }}
	case plan.TamperUnknownAccessKey:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Credentials.AccessKeyID = "LTAIacsconformUnknownKey" }}
	case plan.TamperStaleTimestamp:
		// Past the contract's clock skew (x-acs-api clock-skew) by five minutes.
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Time = u.Time.Add(-(e.API.ClockSkew + 5*time.Minute)) }}
	case plan.TamperUnknownAction:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Action = "AcsconformNoSuchAction" }}
	case plan.TamperWrongVersion:
		v := otherVersion(e.API.Version)
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Version = v }}
	case plan.TamperMalformedParameter:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Params = malform(u.Params) }}
	case plan.TamperMissingCommonParameter:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Action = "" }}
	case plan.TamperUnsignedRequest:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.SkipSignature = true }}
	case plan.TamperUnsupportedMethod:
		return &acs.Hooks{BeforeTransmit: func(q *http.Request) { q.Method = http.MethodPut }}
	case plan.TamperUnknownPath:
		return &acs.Hooks{BeforeTransmit: func(q *http.Request) { q.URL.Path = "/acsconform/no-such-path" }}
	case plan.TamperMissingSecurityToken:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Credentials.SecurityToken = "" }}
	case plan.TamperMalformedSecurityToken:
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) { u.Credentials.SecurityToken = "acsconform: not a token!" }}
	case plan.TamperMismatchedSecurityToken:
		// The long-term key, carrying the token issued with the temporary one.
		return &acs.Hooks{BeforeSign: func(u *acs.ToSign) {
			if sts, err := e.Credentials(r.TokenOf); err == nil && r.TokenOf != "" {
				u.Credentials.SecurityToken = sts.SecurityToken
			}
		}}
	case plan.TamperMalformedTimestamp:
		// Signed correctly over a timestamp in the wrong layout.
		const bad = "2023/03/27 09:19:21"
		return &acs.Hooks{AfterSign: func(s *acs.SignedRequest) {
			if s.SignatureVersion == 1 {
				s.Params.Set("Timestamp", bad)
				s.Params.Set("Signature", acs.SignatureV1(acs.StringToSignV1(s.Method, s.Params), s.Credentials.AccessKeySecret))
				return
			}
			req := s.Request
			req.Header.Set("x-acs-date", bad)
			auth := req.Header.Get("Authorization")
			signed := strings.Split(between(auth, "SignedHeaders=", ","), ";")
			sig := acs.SignatureV3(acs.CanonicalRequestV3(req, signed, acs.HashHex(s.Body)), s.Credentials.AccessKeySecret)
			req.Header.Set("Authorization", auth[:strings.Index(auth, "Signature=")]+"Signature="+sig)
		}}
	}
	return nil
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	out, _, _ := strings.Cut(rest, to)
	return out
}

// malform breaks a list index (Members.1 → Members.0), or adds one.
func malform(p url.Values) url.Values {
	for k, vs := range p {
		if strings.HasSuffix(k, ".1") {
			delete(p, k)
			p[strings.TrimSuffix(k, ".1")+".0"] = vs
			return p
		}
	}
	p.Set("Members.0", "x")
	return p
}

// Send sends r once, paced unless paced is false, and reads the answer.
func (e *Env) Send(ctx context.Context, r plan.Request, paced bool) *Answer {
	return e.exchange(ctx, r, paced, nil)
}

// SendRetrying sends r, retrying retryable answers the case is not about.
func (e *Env) SendRetrying(ctx context.Context, r plan.Request, about []string) *Answer {
	var retry []string
	for code := range e.retryable {
		if !contains(about, code) {
			retry = append(retry, code)
		}
	}
	if len(retry) == 0 {
		retry = []string{}
	}
	return e.exchange(ctx, r, true, retry)
}

// exchange sends r through the transport: once when retryable is nil,
// else retrying those codes.
func (e *Env) exchange(ctx context.Context, r plan.Request, paced bool, retryable []string) *Answer {
	if a := e.broken(ctx); a != nil {
		return a
	}
	return e.send(ctx, r, paced, retryable)
}

// send is exchange past the breaker.
func (e *Env) send(ctx context.Context, r plan.Request, paced bool, retryable []string) *Answer {
	c, err := e.call(r, retryable)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	c.Unpaced = !paced
	tr := e.transport()
	var ex *acs.Exchange
	if retryable == nil {
		var p *acs.Prepared
		if p, err = tr.Prepare(ctx, c); err == nil {
			ex, err = tr.Send(ctx, p)
		}
	} else {
		ex, err = tr.Exchange(ctx, c)
	}
	if err != nil {
		return &Answer{TransportErr: errors.New(e.scrubText(err.Error()))}
	}
	return e.read(ex, r.XML)
}

// read turns an exchange (recorded, secrets scrubbed, by the transport)
// into an answer: a success document, a documented error, or garbage.
func (e *Env) read(ex *acs.Exchange, xmlAnswer bool) *Answer {
	if ex.Err != nil {
		e.fail(ex.Err.Error())
		return &Answer{Exchange: ex, TransportErr: ex.Err}
	}
	raw := []byte(ex.RespBody)
	a := &Answer{Exchange: ex, Status: ex.Status, Body: raw}
	if ex.Oversize > 0 {
		// An answer, and the target's own: judged, not retried.
		e.answered()
		a.Oversize = ex.Oversize
		a.Garbage = fmt.Sprintf("HTTP %d with an answer larger than %d bytes (not read; --max-answer-bytes raises the limit)", ex.Status, ex.Oversize)
		return a
	}
	defer func() {
		if a.Foreign != "" {
			e.fail(a.Foreign)
		} else {
			e.answered()
		}
	}()
	if ex.Status == http.StatusOK {
		if xmlAnswer {
			switch {
			case !apiShaped(raw, true):
				a.Foreign = "HTTP 200 with " + EscapedSnippet(raw, 80) + ", not an API answer"
				a.Garbage = a.Foreign
			case bytes.HasPrefix(bytes.TrimSpace(raw), []byte("<")):
				a.Garbage = "an XML success body (the suite checks success bodies as JSON)"
			default:
				a.Garbage = "a success body that is not XML, to a request for XML (Format=XML)"
			}
			return a
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			a.Garbage = fmt.Sprintf("HTTP 200 with a body that is not JSON: %v", err)
			if !apiShaped(raw, false) {
				a.Foreign = "HTTP 200 with " + EscapedSnippet(raw, 80) + ", not an API answer"
			}
		} else {
			a.Success = m
		}
		return a
	}
	ae, err := acs.DecodeError(ex.Status, raw)
	if err != nil {
		a.Garbage = err.Error()
		if !apiShaped(raw, xmlAnswer) {
			a.Foreign = fmt.Sprintf("HTTP %d with %s, not an API answer", ex.Status, EscapedSnippet(raw, 80))
		}
	} else {
		a.Err = ae
	}
	return a
}

// apiShaped says whether a body could be the API's answer at all: a whole
// JSON document, or (for a request for XML) an XML one — not an HTML page,
// a truncated body or plain text, which only a proxy or a broken transport
// sends.
func apiShaped(body []byte, xmlAnswer bool) bool {
	t := bytes.TrimSpace(body)
	if json.Valid(t) && len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return true
	}
	if !xmlAnswer || !bytes.HasPrefix(t, []byte("<")) {
		return false
	}
	lower := bytes.ToLower(t[:min(len(t), 64)])
	if bytes.Contains(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
		return false
	}
	dec := xml.NewDecoder(bytes.NewReader(t))
	for {
		if _, err := dec.Token(); err != nil {
			return err == io.EOF
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Outcome is everything a case saw.
type Outcome struct {
	Setup   *Answer
	Answers []*Answer
	Cleanup *Answer
	// Replay holds the second sending of a replayed request.
	Replay *Answer
	// StateChanged says, for a readonly case the target accepted, that it
	// changed state and whether the run undid it; NotUndone is set when it
	// could not.
	StateChanged string
	NotUndone    string
	// Took is how long the case's exchanges took, pacing included.
	Took time.Duration
}

// Run executes a case.
func (e *Env) Run(ctx context.Context, c *plan.Case) *Outcome {
	o := &Outcome{}
	start := time.Now()
	defer func() { o.Took = time.Since(start) }()
	if c.Setup != nil {
		o.Setup = e.SendRetrying(ctx, *c.Setup, nil)
	}
	about := append(append([]string{}, c.Expect.Codes...), c.Expect.NotCodes...)
	switch c.Procedure {
	case spec.ProcedureConcurrent, plan.ProcedureBurst:
		// Concurrent requests still honour the rate limit: take the tokens
		// for all of them, then send them at once. A burst is meant to pass
		// the limit and is not paced.
		if c.Procedure == spec.ProcedureConcurrent {
			if err := e.transport().WaitN(ctx, c.Action, len(c.Requests)); err != nil {
				o.Answers = []*Answer{{TransportErr: err}}
				return o
			}
		}
		o.Answers = make([]*Answer, len(c.Requests))
		var wg sync.WaitGroup
		for i, r := range c.Requests {
			wg.Add(1)
			go func(i int, r plan.Request) {
				defer wg.Done()
				o.Answers[i] = e.Send(ctx, r, false)
			}(i, r)
		}
		wg.Wait()
		// A burst empties the target's bucket but not ours: wait for a full
		// bucket's worth of tokens, so the next paced request does not meet
		// a target still throttling.
		if c.Procedure == plan.ProcedureBurst {
			_ = e.transport().WaitN(ctx, c.Action, math.MaxInt)
		}
	default:
		for _, r := range c.Requests {
			if r.Tamper == plan.TamperReplayedNonce {
				o.Answers = append(o.Answers, e.sendReplay(ctx, r, o))
				continue
			}
			o.Answers = append(o.Answers, e.SendRetrying(ctx, r, about))
		}
	}
	if c.Cleanup != nil {
		o.Cleanup = e.SendRetrying(ctx, *c.Cleanup, nil)
	}
	if (c.Safety == spec.SafetyReadonly && c.Kind != plan.KindExample) || len(c.Expect.NotCodes) > 0 {
		e.undoAccepted(ctx, c, o)
	}
	return o
}

// undoAccepted: a readonly case counts on the target refusing it. When the
// target accepted a request instead, state changed: undo it with the
// operation's cleanup recipe (its parameters taken from the accepted
// request), or say what could not be undone.
func (e *Env) undoAccepted(ctx context.Context, c *plan.Case, o *Outcome) {
	for i, a := range o.Answers {
		if a == nil || a.TransportErr != nil || a.Status != http.StatusOK || i >= len(c.Requests) {
			continue
		}
		r := c.Requests[i]
		var sc *spec.Success
		if c.Op() != nil {
			sc = c.Op().Success
		}
		if sc != nil && sc.Safety == spec.SafetyReadonly {
			continue // the operation reads; accepting it changed nothing
		}
		if e.Reset != nil {
			// The target is reset before the next case that changes state.
			if c.Safety == spec.SafetyReadonly {
				o.StateChanged = fmt.Sprintf("the target accepted a readonly case's %s request (HTTP 200), so it changed state (the run resets the target)", r.Action)
			}
			continue
		}
		what := fmt.Sprintf("the target accepted a readonly case's %s request (HTTP 200), so it changed state", r.Action)
		if c.Safety != spec.SafetyReadonly {
			what = fmt.Sprintf("the boundary case's %s request succeeded and changed state", r.Action)
		}
		if sc == nil || sc.Cleanup == nil || e.API.Operation(sc.Cleanup.Action) == nil {
			reason := "the contract has no cleanup recipe for " + r.Action
			if sc != nil && sc.NoCleanup != "" {
				reason += " (" + strings.Join(strings.Fields(sc.NoCleanup), " ") + ")"
			}
			o.StateChanged, o.NotUndone = what+"; not undone: "+reason, what+": "+reason
			continue
		}
		target := e.API.Operation(sc.Cleanup.Action)
		params := url.Values{}
		for k, vs := range r.Params {
			name, _, _ := strings.Cut(k, ".")
			if target.Param(name) != nil {
				params[k] = vs
			}
		}
		undo := e.SendRetrying(ctx, plan.Request{Action: target.Action, Params: params, As: r.As}, nil)
		if undo.TransportErr == nil && undo.Status == http.StatusOK {
			o.StateChanged = what + "; undone with " + target.Action
			continue
		}
		o.StateChanged = what + "; undoing it with " + target.Action + " failed: " + Describe(undo)
		o.NotUndone = what + ": " + target.Action + " failed: " + Describe(undo)
	}
}

// sendReplay sends one signed request twice, each sending paced like any
// other: the second sending is the answer.
func (e *Env) sendReplay(ctx context.Context, r plan.Request, o *Outcome) *Answer {
	if a := e.broken(ctx); a != nil {
		return a
	}
	r.Tamper = plan.TamperNone
	c, err := e.call(r, nil)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	tr := e.transport()
	p, err := tr.Prepare(ctx, c)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	for _, into := range []**Answer{&o.Replay, nil} {
		ex, err := tr.Send(ctx, p)
		if err != nil {
			return &Answer{TransportErr: err}
		}
		a := e.read(ex, r.XML)
		if into == nil {
			return a
		}
		*into = a
	}
	return nil
}

// secrets are every credential secret and token of the profile resolved so
// far: what no output may hold.
func (e *Env) secrets() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, c := range e.creds {
		out = append(out, c.AccessKeySecret, c.SecurityToken)
	}
	return out
}

// scrubText removes the secrets from a message (a transport error quotes
// the URL, which holds a v1 token).
func (e *Env) scrubText(s string) string { return acs.Scrub(s, e.secrets()...) }

// Probe checks that the target answers at all, so an unreachable target is
// one clear error before the suite starts.
func (e *Env) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.Endpoint+"/", nil)
	if err != nil {
		return fmt.Errorf("target %q is not a URL: %w", e.Endpoint, err)
	}
	c := &http.Client{Timeout: e.Timeout}
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && ue.Timeout() {
			return fmt.Errorf("target %s did not answer within %s", e.Endpoint, e.Timeout)
		}
		return fmt.Errorf("target %s is unreachable: %v", e.Endpoint, err)
	}
	resp.Body.Close()
	return nil
}

// otherVersion is a well-formed API version that is not the contract's:
// its date ten years earlier (or a fixed one when the version is not a
// date).
func otherVersion(v string) string {
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t.AddDate(-10, 0, 0).Format("2006-01-02")
	}
	if v == "2010-01-01" {
		return "2011-01-01"
	}
	return "2010-01-01"
}
