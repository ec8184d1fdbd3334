package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Env is what cases run against: the target, its credentials, pacing.
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

	client    *http.Client
	limiters  map[string]*rate.Limiter
	retryable map[string]bool
	sent      atomic.Int64
	failures  atomic.Int64 // consecutive transport failures
	lastErr   atomic.Value
	mu        sync.Mutex
	creds     map[string]acs.Credentials
}

// brokenAfter consecutive transport failures end the run's exchanges early.
const brokenAfter = 3

// NewEnv prepares an environment; it resolves every credential set now, so
// a missing environment variable is one clear error before any case runs.
func NewEnv(api *spec.API, p *profile.Profile, endpoint string) (*Env, error) {
	e := &Env{API: api, Profile: p, Endpoint: strings.TrimRight(endpoint, "/"), Timeout: 10 * time.Second,
		limiters: map[string]*rate.Limiter{}, retryable: map[string]bool{}, creds: map[string]acs.Credentials{}}
	for _, op := range api.Operations {
		if op.RateLimit != nil {
			perSecond := op.RateLimit.PerSecond()
			e.limiters[op.Action] = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
		}
		for _, er := range op.Errors {
			if er.Retryable {
				e.retryable[er.Code] = true
			}
		}
	}
	for _, er := range api.PlatformErrors {
		if er.Retryable {
			e.retryable[er.Code] = true
		}
	}
	if _, ok := p.Credentials["default"]; !ok {
		return nil, fmt.Errorf("profile %s defines no \"default\" credentials", p.File)
	}
	return e, nil
}

func (e *Env) credentials(name string) (acs.Credentials, error) {
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
}

func (e *Env) httpClient() *http.Client {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.client == nil {
		e.client = &http.Client{Timeout: e.Timeout}
	}
	return e.client
}

// build makes the HTTP request of r, signed (or tampered with) as r says.
func (e *Env) build(ctx context.Context, r Request) (*http.Request, []byte, error) {
	creds, err := e.credentials(r.As)
	if err != nil {
		return nil, nil, err
	}
	now, nonce := time.Now(), acs.NewNonce()
	switch r.Tamper {
	case TamperBadSignature:
		creds.AccessKeySecret += "-wrong"
	case TamperUnknownKey:
		creds.AccessKeyID = "LTAIacsconformUnknownKey"
	case TamperStale:
		// Past the contract's clock skew (x-acs-api clock-skew) by five minutes.
		now = now.Add(-(e.API.ClockSkew + 5*time.Minute))
	}
	action, version := r.Action, e.API.Version
	switch r.Tamper {
	case TamperUnknownAction:
		action = "AcsconformNoSuchAction"
	case TamperWrongVersion:
		version = "2020-03-31"
	}
	params := clone(r.Params)
	if r.Tamper == TamperMalformed {
		params = malform(params)
	}
	method := r.Method
	if method == "" {
		method = http.MethodPost
	}
	form := r.Form && method == http.MethodPost
	v1 := r.SigV1 || (e.Profile.Signature == "v1" && !r.SigV3)
	query := url.Values{}
	if r.XML {
		query.Set("Format", "XML")
	}
	if v1 {
		all := clone(params)
		if r.Tamper != TamperNoAction {
			all.Set("Action", action)
		}
		all.Set("Version", version)
		if !all.Has("Format") {
			all.Set("Format", map[bool]string{true: "XML", false: "JSON"}[r.XML])
		}
		if r.Tamper != TamperUnsigned {
			acs.SignV1(method, all, creds, now, nonce)
			if r.Tamper == TamperBadTimestamp {
				all.Set("Timestamp", "2023/03/27 09:19:21")
				all.Set("Signature", acs.SignatureV1(acs.StringToSignV1(method, all), creds.AccessKeySecret))
			}
		}
		for k, vs := range all {
			if form && params.Has(k) {
				continue
			}
			query[k] = vs
		}
	} else if !form {
		for k, vs := range params {
			query[k] = vs
		}
	}
	var body []byte
	if form {
		body = []byte(params.Encode())
	}
	u := e.Endpoint + "/?" + query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("endpoint %q: %w", e.Endpoint, err)
	}
	if form {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	if !v1 {
		if r.Tamper != TamperNoAction {
			req.Header.Set("x-acs-action", action)
		}
		req.Header.Set("x-acs-version", version)
		if r.Tamper != TamperUnsigned {
			acs.SignV3(req, body, creds, now, nonce)
			if r.Tamper == TamperBadTimestamp {
				req.Header.Set("x-acs-date", "2023/03/27 09:19:21")
				sh := strings.Split(between(req.Header.Get("Authorization"), "SignedHeaders=", ","), ";")
				sig := acs.SignatureV3(acs.CanonicalRequestV3(req, sh, acs.HashHex(body)), creds.AccessKeySecret)
				auth := req.Header.Get("Authorization")
				req.Header.Set("Authorization", auth[:strings.Index(auth, "Signature=")]+"Signature="+sig)
			}
		}
	}
	return req, body, nil
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

// Send sends r once (paced, unless paced is false) and reads the answer.
func (e *Env) Send(ctx context.Context, r Request, paced bool) *Answer {
	if n := e.failures.Load(); n >= brokenAfter {
		last, _ := e.lastErr.Load().(string)
		return &Answer{TransportErr: fmt.Errorf("not sent: the target failed %d times in a row (last: %s)", n, last)}
	}
	if l := e.limiters[r.Action]; l != nil && paced {
		if err := l.Wait(ctx); err != nil {
			return &Answer{TransportErr: err}
		}
	}
	req, body, err := e.build(ctx, r)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	return e.transmit(req, body, r.XML)
}

// transmit sends a built request and reads the answer. It is the one place
// requests leave the suite: the exchange it records has the secrets and
// the security token scrubbed (acs.RecordExchange), whatever the path.
func (e *Env) transmit(req *http.Request, body []byte, xmlAnswer bool) *Answer {
	ex := acs.RecordExchange(req, body, e.secrets()...)
	e.sent.Add(1)
	start := time.Now()
	resp, err := e.httpClient().Do(req)
	ex.Duration = time.Since(start)
	if err != nil {
		ex.Err = errors.New(e.scrubText(err.Error()))
		e.lastErr.Store(ex.Err.Error())
		e.failures.Add(1)
		return &Answer{Exchange: ex, TransportErr: ex.Err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	ex.RecordAnswer(resp.StatusCode, resp.Header, raw)
	if err != nil {
		err = errors.New(e.scrubText(err.Error()))
		e.failures.Add(1)
		e.lastErr.Store(err.Error())
		return &Answer{Exchange: ex, TransportErr: err}
	}
	raw = []byte(ex.RespBody)
	e.failures.Store(0)
	a := &Answer{Exchange: ex, Status: resp.StatusCode, Body: raw}
	if resp.StatusCode == http.StatusOK {
		if xmlAnswer {
			a.Garbage = "an XML success body (the suite checks success bodies as JSON)"
			return a
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			a.Garbage = fmt.Sprintf("HTTP 200 with a body that is not JSON: %v", err)
		} else {
			a.Success = m
		}
		return a
	}
	ae, err := acs.DecodeError(resp.StatusCode, raw)
	if err != nil {
		a.Garbage = err.Error()
	} else {
		a.Err = ae
	}
	return a
}

// SendRetrying sends r, retrying retryable answers the case is not about.
func (e *Env) SendRetrying(ctx context.Context, r Request, about []string) *Answer {
	var a *Answer
	for attempt := 1; attempt <= 4; attempt++ {
		a = e.Send(ctx, r, true)
		if a.Err == nil || !e.retryable[a.Err.Code] || contains(about, a.Err.Code) {
			return a
		}
		select {
		case <-ctx.Done():
			return a
		case <-time.After(time.Duration(attempt*attempt) * 100 * time.Millisecond):
		}
	}
	return a
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
}

// Run executes a case.
func (e *Env) Run(ctx context.Context, c *Case) *Outcome {
	o := &Outcome{}
	if c.Setup != nil {
		o.Setup = e.SendRetrying(ctx, *c.Setup, nil)
	}
	about := append(append([]string{}, c.Expect.Codes...), c.Expect.NotCodes...)
	switch c.Procedure {
	case "concurrent", "burst":
		// Concurrent requests still honour the rate limit: take the tokens
		// for all of them, then send them at once. A burst is meant to pass
		// the limit and is not paced.
		if l := e.limiters[c.Action]; l != nil && c.Procedure == "concurrent" {
			if err := l.WaitN(ctx, min(len(c.Requests), l.Burst())); err != nil {
				o.Answers = []*Answer{{TransportErr: err}}
				return o
			}
		}
		o.Answers = make([]*Answer, len(c.Requests))
		var wg sync.WaitGroup
		for i, r := range c.Requests {
			wg.Add(1)
			go func(i int, r Request) {
				defer wg.Done()
				o.Answers[i] = e.Send(ctx, r, false)
			}(i, r)
		}
		wg.Wait()
		// A burst empties the target's bucket but not ours: wait for a full
		// bucket's worth of tokens, so the next paced request does not meet
		// a target still throttling.
		if l := e.limiters[c.Action]; l != nil && c.Procedure == "burst" {
			_ = l.WaitN(ctx, l.Burst())
		}
	default:
		for _, r := range c.Requests {
			if r.Tamper == TamperReplay {
				o.Answers = append(o.Answers, e.sendReplay(ctx, r, o))
				continue
			}
			o.Answers = append(o.Answers, e.SendRetrying(ctx, r, about))
		}
	}
	if c.Cleanup != nil {
		o.Cleanup = e.SendRetrying(ctx, *c.Cleanup, nil)
	}
	if (c.Safety == spec.SafetyReadonly && c.Kind != KindExample) || len(c.Expect.NotCodes) > 0 {
		e.undoAccepted(ctx, c, o)
	}
	return o
}

// undoAccepted: a readonly case counts on the target refusing it. When the
// target accepted a request instead, state changed: undo it with the
// operation's cleanup recipe (its parameters taken from the accepted
// request), or say what could not be undone.
func (e *Env) undoAccepted(ctx context.Context, c *Case, o *Outcome) {
	for i, a := range o.Answers {
		if a == nil || a.TransportErr != nil || a.Status != http.StatusOK || i >= len(c.Requests) {
			continue
		}
		r := c.Requests[i]
		var sc *spec.Success
		if c.op != nil {
			sc = c.op.Success
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
		undo := e.SendRetrying(ctx, Request{Action: target.Action, Params: params, As: r.As}, nil)
		if undo.TransportErr == nil && undo.Status == http.StatusOK {
			o.StateChanged = what + "; undone with " + target.Action
			continue
		}
		o.StateChanged = what + "; undoing it with " + target.Action + " failed: " + describe(undo)
		o.NotUndone = what + ": " + target.Action + " failed: " + describe(undo)
	}
}

// sendReplay sends one signed request twice, paced like any other: the
// second sending is the answer.
func (e *Env) sendReplay(ctx context.Context, r Request, o *Outcome) *Answer {
	if l := e.limiters[r.Action]; l != nil {
		if err := l.WaitN(ctx, min(2, l.Burst())); err != nil {
			return &Answer{TransportErr: err}
		}
	}
	req, body, err := e.build(ctx, Request{Action: r.Action, Params: r.Params, As: r.As, Method: r.Method, Form: r.Form, XML: r.XML, SigV1: r.SigV1})
	if err != nil {
		return &Answer{TransportErr: err}
	}
	again, _ := http.NewRequestWithContext(ctx, req.Method, req.URL.String(), bytes.NewReader(body))
	again.Header = req.Header.Clone()
	o.Replay = e.transmit(req, body, r.XML)
	return e.transmit(again, body, r.XML)
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
