package acs

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Transport sends RPC calls: it encodes, signs, paces, retries and decodes.
// Generated clients hold one; its zero value plus Endpoint and Credentials
// is usable (v3 signatures, POST with parameters in the query, JSON).
type Transport struct {
	// Endpoint is the base URL, such as https://resourcedirectory.aliyuncs.com.
	Endpoint    string
	Credentials Credentials
	// SignatureVersion is 3 (default) or 1.
	SignatureVersion int
	// Method is POST (default) or GET.
	Method string
	// FormBody sends the operation's parameters as a form body (POST only).
	FormBody bool
	// XML asks for Format=XML answers.
	XML        bool
	HTTPClient *http.Client
	UserAgent  string
	Retry      RetryPolicy
	// Now and Nonce are injected for deterministic signing; defaults are
	// time.Now and NewNonce.
	Now   func() time.Time
	Nonce func() string
	// Observe, when set, sees every exchange (secrets redacted).
	Observe func(*Exchange)
	// Redact, when set, names more secrets to scrub from every exchange
	// besides the call's own credentials (every secret a caller holds).
	Redact func() []string
	// MaxAnswerBytes bounds the answer body read from the endpoint
	// (default DefaultMaxAnswerBytes). A longer answer is never buffered:
	// its first bytes are kept for display, the rest is not read, and the
	// exchange says so (Exchange.Oversize).
	MaxAnswerBytes int64

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// DefaultMaxAnswerBytes bounds an answer when Transport.MaxAnswerBytes is
// not set: far above any answer of an RPC operation (a page of a list is
// tens of kilobytes), far below what would strain the caller's memory.
const DefaultMaxAnswerBytes = 4 << 20

// oversizeKept is how much of an oversize answer is kept for display.
const oversizeKept = 4 << 10

// RetryPolicy retries answers whose code the call lists as retryable, with
// full-jitter exponential backoff, honouring a Retry-After header.
type RetryPolicy struct {
	MaxAttempts int           // total attempts; default 4
	BaseDelay   time.Duration // default 100ms
	MaxDelay    time.Duration // default 5s
	// MinDelay is the least wait before a retry (full jitter alone may
	// retry at once, into the same throttling); default 0.
	MinDelay time.Duration
}

// Backoff is the delay before retry number attempt (1-based): a uniformly
// random duration up to min(MaxDelay, BaseDelay·2^(attempt-1)), and at
// least MinDelay.
func (p RetryPolicy) Backoff(attempt int, r *rand.Rand) time.Duration {
	base, ceiling := p.BaseDelay, p.MaxDelay
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 5 * time.Second
	}
	d := base << min(attempt-1, 30)
	if d <= 0 || d > ceiling {
		d = ceiling
	}
	return max(p.MinDelay, time.Duration(r.Int64N(int64(d)+1)))
}

func (p RetryPolicy) attempts() int {
	if p.MaxAttempts <= 0 {
		return 4
	}
	return p.MaxAttempts
}

// SetRateLimit paces calls of one action to perSecond with the given burst.
func (t *Transport) SetRateLimit(action string, perSecond float64, burst int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limiters == nil {
		t.limiters = map[string]*rate.Limiter{}
	}
	t.limiters[action] = rate.NewLimiter(rate.Limit(perSecond), max(burst, 1))
}

func (t *Transport) limiter(action string) *rate.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.limiters[action]
}

// Call is one RPC invocation. The fields after Retryable override the
// transport's settings for this call; their zero values keep them.
type Call struct {
	Action    string
	Version   string
	Params    url.Values
	Retryable []string // codes worth retrying (throttling, concurrency)

	// Credentials to sign with instead of the transport's.
	Credentials *Credentials
	// SignatureVersion 1 or 3 instead of the transport's.
	SignatureVersion int
	// Method instead of the transport's.
	Method string
	// FormBody and XML switch the transport's settings on for this call.
	FormBody bool
	XML      bool
	// Unpaced sends without waiting for the action's rate limit (a probe
	// meant to exceed it).
	Unpaced bool
	// Hooks intercept the request on its way out.
	Hooks *Hooks
	// ROA, when set, sends the call in the REST style instead of RPC.
	ROA *ROA
}

// ROA is a call in the REST style (the vendor's ROA products): the
// operation is named by its method and path, Params travel in the query,
// and the path, headers and body are given apart. Only v3 signatures sign
// it (over the path as the canonical URI); Action and Version travel in
// x-acs-action and x-acs-version.
type ROA struct {
	// Path is the request path with its parameters already in place, each
	// segment escaped (/api/v1/things/i-bp1%202).
	Path string
	// Header holds the operation's header parameters.
	Header http.Header
	// Body is the request body, sent with ContentType (JSON by default);
	// nil sends none.
	Body        []byte
	ContentType string
}

// Hooks intercept a call between encoding and the wire, for probes that
// must send what a correct client never would (a stale clock, a wrong
// secret, an unsigned request). Every hook is optional. Whatever a hook
// does, the request still goes through the transport's pacing, its
// recording and its redaction of secrets.
type Hooks struct {
	// BeforeSign may change what is about to be signed.
	BeforeSign func(*ToSign)
	// AfterSign may change the signed request: for signature version 1
	// the signed parameter set (the request is assembled from it
	// afterwards), for version 3 the request itself.
	AfterSign func(*SignedRequest)
	// BeforeTransmit sees the final request, each time it is sent.
	BeforeTransmit func(*http.Request)
}

// ToSign is a call about to be signed.
type ToSign struct {
	// Action and Version travel as parameters (v1) or headers (v3); an
	// empty Action is left out of the request.
	Action, Version string
	// Params are the operation's parameters.
	Params      url.Values
	Credentials Credentials
	Time        time.Time
	Nonce       string
	// SkipSignature sends the request unsigned.
	SkipSignature bool
}

// SignedRequest is a call after signing.
type SignedRequest struct {
	SignatureVersion int
	Method           string
	Credentials      Credentials
	// Params (version 1) is every signed parameter, Signature included.
	Params url.Values
	// Request and Body (version 3) are the signed request.
	Request *http.Request
	Body    []byte
}

// Prepared is a built, signed request, ready to be sent (more than once,
// for a replay).
type Prepared struct {
	call    Call
	req     *http.Request
	body    []byte
	secrets []string
}

// Request is a copy of the prepared request.
func (p *Prepared) Request() *http.Request { return p.req.Clone(p.req.Context()) }

// Exchange is one HTTP round trip, for reports: secrets are redacted.
type Exchange struct {
	Method     string
	URL        string
	Header     http.Header
	Body       string
	Status     int
	RespHeader http.Header
	RespBody   string
	Attempt    int
	Duration   time.Duration
	// Err is set when no complete answer came back (its text scrubbed).
	Err error
	// Oversize is the limit an answer went past (0: it did not); RespBody
	// then holds only its first bytes.
	Oversize int64

	scrub *strings.Replacer
}

// Do sends the call and decodes a 200 answer into out (a pointer to the
// response struct). Error answers come back as *APIError; anything else the
// endpoint sends (garbage, HTML, a hang-up) as an error describing it.
func (t *Transport) Do(ctx context.Context, c Call, out any) error {
	ex, err := t.Exchange(ctx, c)
	if err != nil {
		return err
	}
	if ex.Err != nil {
		return fmt.Errorf("acs: %s: %w", c.Action, ex.Err)
	}
	if ex.Oversize > 0 {
		return fmt.Errorf("acs: %s: HTTP %d with an answer larger than %d bytes (not read; Transport.MaxAnswerBytes raises the limit)", c.Action, ex.Status, ex.Oversize)
	}
	body := []byte(ex.RespBody)
	if ex.Status != http.StatusOK {
		apiErr, derr := DecodeError(ex.Status, body)
		if derr != nil {
			return fmt.Errorf("acs: %s: %w", c.Action, derr)
		}
		return apiErr
	}
	if out == nil {
		return nil
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		err = xml.Unmarshal(trimmed, out)
	} else {
		err = json.Unmarshal(trimmed, out)
	}
	if err != nil {
		return fmt.Errorf("acs: %s: HTTP 200 with a body that is not the response document: %w (body starts %q)", c.Action, err, snippet(trimmed))
	}
	return nil
}

// Exchange prepares and sends the call, paced, retrying answers whose
// code the call lists as retryable (a fresh nonce each time), and returns
// the last exchange undecoded. The error is for a call that could not be
// built or paced; a failed round trip is the exchange's Err.
func (t *Transport) Exchange(ctx context.Context, c Call) (*Exchange, error) {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed))
	var ex *Exchange
	for attempt := 1; attempt <= t.Retry.attempts(); attempt++ {
		p, err := t.Prepare(ctx, c)
		if err != nil {
			return nil, err
		}
		ex, err = t.send(ctx, p, attempt)
		if err != nil {
			return nil, err
		}
		if ex.Err != nil || ex.Status == http.StatusOK || attempt == t.Retry.attempts() {
			return ex, nil
		}
		apiErr, derr := DecodeError(ex.Status, []byte(ex.RespBody))
		if derr != nil || !contains(c.Retryable, apiErr.Code) {
			return ex, nil
		}
		delay := t.Retry.Backoff(attempt, rng)
		if s, perr := strconv.Atoi(ex.RespHeader.Get("Retry-After")); perr == nil && s > 0 {
			delay = time.Duration(s) * time.Second
		}
		select {
		case <-ctx.Done():
			return ex, nil
		case <-time.After(delay):
		}
	}
	return ex, nil
}

// WaitN takes n tokens (at most the burst) of the action's rate limit, so
// requests sent together afterwards, unpaced, still keep to it.
func (t *Transport) WaitN(ctx context.Context, action string, n int) error {
	l := t.limiter(action)
	if l == nil {
		return nil
	}
	if err := l.WaitN(ctx, min(n, l.Burst())); err != nil {
		return fmt.Errorf("acs: %s: waiting for the rate limit: %w", action, err)
	}
	return nil
}

// Send transmits a prepared request once, paced unless its call is
// Unpaced. A prepared request may be sent again: the same bytes, the same
// nonce. The error is for pacing that could not finish; a failed round
// trip is the exchange's Err.
func (t *Transport) Send(ctx context.Context, p *Prepared) (*Exchange, error) {
	return t.send(ctx, p, 1)
}

func (t *Transport) send(ctx context.Context, p *Prepared, attempt int) (*Exchange, error) {
	if !p.call.Unpaced {
		if err := t.WaitN(ctx, p.call.Action, 1); err != nil {
			return nil, err
		}
	}
	req := p.req.Clone(ctx)
	req.Body = io.NopCloser(bytes.NewReader(p.body))
	req.ContentLength = int64(len(p.body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(p.body)), nil }
	if h := p.call.Hooks; h != nil && h.BeforeTransmit != nil {
		h.BeforeTransmit(req)
	}
	ex := RecordExchange(req, p.body, p.secrets...)
	ex.Attempt = attempt
	if t.Observe != nil {
		defer t.Observe(ex)
	}
	client := t.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	start := time.Now()
	resp, err := client.Do(req)
	ex.Duration = time.Since(start)
	if err != nil {
		ex.Err = errors.New(Scrub(err.Error(), p.secrets...))
		return ex, nil
	}
	defer resp.Body.Close()
	limit := t.MaxAnswerBytes
	if limit <= 0 {
		limit = DefaultMaxAnswerBytes
	}
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if int64(len(respBody)) > limit {
		// Closing the body unread drops the connection: the rest of the
		// answer is never read.
		ex.Oversize = limit
		respBody = respBody[:min(len(respBody), oversizeKept)]
		err = nil
	}
	ex.RecordAnswer(resp.StatusCode, resp.Header, respBody)
	if err != nil {
		ex.Err = errors.New(Scrub("reading the answer: "+err.Error(), p.secrets...))
	}
	return ex, nil
}

// Prepare encodes and signs the call, running its hooks, without sending
// it.
func (t *Transport) Prepare(ctx context.Context, c Call) (*Prepared, error) {
	method := first(c.Method, t.Method)
	if method == "" {
		method = http.MethodPost
	}
	base, err := url.Parse(t.Endpoint)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, fmt.Errorf("acs: endpoint %q is not an absolute URL", t.Endpoint)
	}
	now, nonce := time.Now, NewNonce
	if t.Now != nil {
		now = t.Now
	}
	if t.Nonce != nil {
		nonce = t.Nonce
	}
	creds := t.Credentials
	if c.Credentials != nil {
		creds = *c.Credentials
	}
	sigVersion := c.SignatureVersion
	if sigVersion == 0 {
		sigVersion = t.SignatureVersion
	}
	if sigVersion != 1 {
		sigVersion = 3
	}
	xmlFormat := t.XML || c.XML
	form := (t.FormBody || c.FormBody) && method == http.MethodPost
	u := &ToSign{Action: c.Action, Version: c.Version, Params: url.Values{}, Credentials: creds, Time: now(), Nonce: nonce()}
	for k, v := range c.Params {
		u.Params[k] = append([]string(nil), v...)
	}
	hooks := c.Hooks
	if hooks == nil {
		hooks = &Hooks{}
	}
	if hooks.BeforeSign != nil {
		hooks.BeforeSign(u)
	}
	p := &Prepared{call: c, secrets: append(t.redact(), creds.AccessKeySecret, creds.SecurityToken, u.Credentials.AccessKeySecret, u.Credentials.SecurityToken)}
	opParams := u.Params
	query := url.Values{}
	format := "JSON"
	if xmlFormat {
		format = "XML"
	}
	if sigVersion == 1 {
		all := url.Values{"Version": {u.Version}, "Format": {format}}
		if u.Action != "" {
			all.Set("Action", u.Action)
		}
		for k, v := range opParams {
			all[k] = v
		}
		if !u.SkipSignature {
			SignV1(method, all, u.Credentials, u.Time, u.Nonce)
			if hooks.AfterSign != nil {
				hooks.AfterSign(&SignedRequest{SignatureVersion: 1, Method: method, Credentials: u.Credentials, Params: all})
			}
		}
		for k, v := range all {
			if form && opParams.Has(k) {
				continue
			}
			query[k] = v
		}
	} else {
		if xmlFormat {
			query.Set("Format", "XML")
		}
		if !form {
			for k, v := range opParams {
				query[k] = v
			}
		}
	}
	var body []byte
	if form {
		body = []byte(opParams.Encode())
	}
	target := *base
	target.Path = "/"
	if c.ROA != nil {
		if sigVersion != 3 {
			return nil, fmt.Errorf("acs: %s: a ROA call is signed with v3 only", c.Action)
		}
		target.Path, target.RawPath = "", ""
		esc, err := url.Parse(c.ROA.Path)
		if err != nil || !strings.HasPrefix(c.ROA.Path, "/") {
			return nil, fmt.Errorf("acs: %s: ROA path %q is not an escaped absolute path", c.Action, c.ROA.Path)
		}
		target.Path, target.RawPath = esc.Path, esc.RawPath
		body, form = c.ROA.Body, false
	}
	target.RawQuery = canonicalQuery(query, "")
	req, err := http.NewRequestWithContext(ctx, method, target.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("acs: %w", err)
	}
	if form {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.ROA != nil {
		for k, v := range c.ROA.Header {
			req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
		}
		if body != nil {
			ct := c.ROA.ContentType
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
		}
	}
	req.Header.Set("Accept", "application/json")
	if t.UserAgent != "" {
		req.Header.Set("User-Agent", t.UserAgent)
	}
	if sigVersion == 3 {
		if u.Action != "" {
			req.Header.Set("x-acs-action", u.Action)
		}
		req.Header.Set("x-acs-version", u.Version)
		if !u.SkipSignature {
			SignV3(req, body, u.Credentials, u.Time, u.Nonce)
			if hooks.AfterSign != nil {
				hooks.AfterSign(&SignedRequest{SignatureVersion: 3, Method: method, Credentials: u.Credentials, Request: req, Body: body})
			}
		}
	}
	p.req, p.body = req, body
	return p, nil
}

func (t *Transport) redact() []string {
	if t.Redact == nil {
		return nil
	}
	return t.Redact()
}

// RecordExchange records a request about to be sent, for reports: the
// security token is redacted from the query, the form body and the
// headers, and every value in secrets (an access key secret, a token, in
// any encoding a request or an echoing server could give it) is scrubbed
// from all of it. Record the answer with RecordAnswer.
func RecordExchange(req *http.Request, body []byte, secrets ...string) *Exchange {
	ex := &Exchange{Method: req.Method, URL: redactURL(req.URL), Header: redactHeader(req.Header), Body: redactForm(body)}
	sc := newScrubber(secrets)
	if sc != nil {
		ex.URL, ex.Body = sc.Replace(ex.URL), sc.Replace(ex.Body)
		scrubHeader(ex.Header, sc)
	}
	ex.scrub = sc
	return ex
}

// RecordAnswer adds an answer to an exchange, scrubbing the secrets it was
// recorded with (a server may echo what it was sent).
func (ex *Exchange) RecordAnswer(status int, header http.Header, body []byte) {
	ex.Status, ex.RespHeader, ex.RespBody = status, header.Clone(), string(body)
	if ex.scrub != nil {
		ex.RespBody = ex.scrub.Replace(ex.RespBody)
		scrubHeader(ex.RespHeader, ex.scrub)
	}
}

// Scrub replaces every value of secrets in s, in any encoding a request
// could carry it, with [redacted].
func Scrub(s string, secrets ...string) string {
	if sc := newScrubber(secrets); sc != nil {
		return sc.Replace(s)
	}
	return s
}

func newScrubber(secrets []string) *strings.Replacer {
	var pairs []string
	seen := map[string]bool{}
	for _, s := range secrets {
		if len(s) < 4 {
			continue
		}
		for _, form := range []string{s, url.QueryEscape(s), url.QueryEscape(url.QueryEscape(s)), PercentEncode(s), PercentEncode(PercentEncode(s))} {
			if !seen[form] {
				seen[form] = true
				pairs = append(pairs, form, "[redacted]")
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	return strings.NewReplacer(pairs...)
}

func scrubHeader(h http.Header, sc *strings.Replacer) {
	if sc == nil {
		return
	}
	for k, vs := range h {
		for i, v := range vs {
			vs[i] = sc.Replace(v)
		}
		h[k] = vs
	}
}

func redactForm(body []byte) string {
	s := string(body)
	if !strings.Contains(s, "SecurityToken=") {
		return s
	}
	q, err := url.ParseQuery(s)
	if err != nil {
		return s
	}
	q.Set("SecurityToken", "[redacted]")
	return canonicalQuery(q, "")
}

func redactURL(u *url.URL) string {
	q := u.Query()
	if q.Has("SecurityToken") {
		q.Set("SecurityToken", "[redacted]")
	}
	c := *u
	c.RawQuery = canonicalQuery(q, "")
	return c.String()
}

func redactHeader(h http.Header) http.Header {
	c := h.Clone()
	for k := range c {
		if strings.EqualFold(k, "x-acs-security-token") {
			c.Set(k, "[redacted]")
		}
	}
	return c
}
