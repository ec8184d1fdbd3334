package run

import (
	"context"
	"errors"
	"fmt"
	"slices"

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

// maxQueryBytes is the largest query string a request of the default
// method carries; a larger one travels in a form body.
const maxQueryBytes = 16 << 10

// call is r as an acs call: its credentials, signature version, method
// and encoding, and the hooks that damage it as its Tamper says.
func (e *Env) call(r plan.Request, retryable []string) (acs.Call, error) {
	creds, err := e.Credentials(r.As)
	if err != nil {
		return acs.Call{}, err
	}
	c := acs.Call{Action: r.Action, Version: e.API.Version, Params: plan.Clone(r.Params), Retryable: retryable,
		Credentials: &creds, Method: r.Method, FormBody: r.Form, XML: r.XML, Hooks: e.hooks(r)}
	if r.Method == "" && !r.Form && len(r.Params.Encode()) > maxQueryBytes {
		// A request this large (ten thousand list items) would not fit a
		// URL the target, or any proxy before it, takes: it goes as a
		// POST form body, which the wire allows for every operation.
		c.FormBody = true
	}
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
		if !slices.Contains(about, code) {
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
