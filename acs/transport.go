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

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
}

// RetryPolicy retries answers whose code the call lists as retryable, with
// full-jitter exponential backoff, honouring a Retry-After header.
type RetryPolicy struct {
	MaxAttempts int           // total attempts; default 4
	BaseDelay   time.Duration // default 100ms
	MaxDelay    time.Duration // default 5s
}

// Backoff is the delay before retry number attempt (1-based): a uniformly
// random duration up to min(MaxDelay, BaseDelay·2^(attempt-1)).
func (p RetryPolicy) Backoff(attempt int, r *rand.Rand) time.Duration {
	base, max := p.BaseDelay, p.MaxDelay
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	if max <= 0 {
		max = 5 * time.Second
	}
	d := base << min(attempt-1, 30)
	if d <= 0 || d > max {
		d = max
	}
	return time.Duration(r.Int64N(int64(d) + 1))
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

// Call is one RPC invocation.
type Call struct {
	Action    string
	Version   string
	Params    url.Values
	Retryable []string // codes worth retrying (throttling, concurrency)
}

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
	Err        error

	scrub *strings.Replacer
}

// Do sends the call and decodes a 200 answer into out (a pointer to the
// response struct). Error answers come back as *APIError; anything else the
// endpoint sends (garbage, HTML, a hang-up) as an error describing it.
func (t *Transport) Do(ctx context.Context, c Call, out any) error {
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed))
	var err error
	for attempt := 1; attempt <= t.Retry.attempts(); attempt++ {
		if l := t.limiter(c.Action); l != nil {
			if werr := l.Wait(ctx); werr != nil {
				return fmt.Errorf("acs: %s: waiting for the rate limit: %w", c.Action, werr)
			}
		}
		var hint time.Duration
		hint, err = t.once(ctx, c, out, attempt)
		var apiErr *APIError
		if err == nil || !errors.As(err, &apiErr) || !contains(c.Retryable, apiErr.Code) || attempt == t.Retry.attempts() {
			return err
		}
		delay := t.Retry.Backoff(attempt, rng)
		if hint > 0 {
			delay = hint
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("acs: %s: %w (last answer: %v)", c.Action, ctx.Err(), err)
		case <-time.After(delay):
		}
	}
	return err
}

func (t *Transport) build(ctx context.Context, c Call) (*http.Request, []byte, error) {
	method := t.Method
	if method == "" {
		method = http.MethodPost
	}
	base, err := url.Parse(t.Endpoint)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return nil, nil, fmt.Errorf("acs: endpoint %q is not an absolute URL", t.Endpoint)
	}
	now, nonce := time.Now, NewNonce
	if t.Now != nil {
		now = t.Now
	}
	if t.Nonce != nil {
		nonce = t.Nonce
	}
	opParams := url.Values{}
	for k, v := range c.Params {
		opParams[k] = append([]string(nil), v...)
	}
	query := url.Values{}
	format := "JSON"
	if t.XML {
		format = "XML"
	}
	form := t.FormBody && method == http.MethodPost
	if t.SignatureVersion == 1 {
		all := url.Values{"Action": {c.Action}, "Version": {c.Version}, "Format": {format}}
		for k, v := range opParams {
			all[k] = v
		}
		SignV1(method, all, t.Credentials, now(), nonce())
		for k, v := range all {
			if form && opParams.Has(k) {
				continue
			}
			query[k] = v
		}
	} else {
		if t.XML {
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
	u := *base
	u.Path = "/"
	u.RawQuery = canonicalQuery(query, "")
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("acs: %w", err)
	}
	if form {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "application/json")
	if t.UserAgent != "" {
		req.Header.Set("User-Agent", t.UserAgent)
	}
	if t.SignatureVersion != 1 {
		req.Header.Set("x-acs-action", c.Action)
		req.Header.Set("x-acs-version", c.Version)
		SignV3(req, body, t.Credentials, now(), nonce())
	}
	return req, body, nil
}

func (t *Transport) once(ctx context.Context, c Call, out any, attempt int) (retryAfter time.Duration, err error) {
	req, body, err := t.build(ctx, c)
	if err != nil {
		return 0, err
	}
	ex := RecordExchange(req, body, t.Credentials.AccessKeySecret, t.Credentials.SecurityToken)
	ex.Attempt = attempt
	if t.Observe != nil {
		defer func() { ex.Err = err; t.Observe(ex) }()
	}
	client := t.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	start := time.Now()
	resp, err := client.Do(req)
	ex.Duration = time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("acs: %s: %w", c.Action, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	ex.RecordAnswer(resp.StatusCode, resp.Header, respBody)
	if err != nil {
		return 0, fmt.Errorf("acs: %s: reading the answer: %w", c.Action, err)
	}
	if resp.StatusCode != http.StatusOK {
		apiErr, derr := DecodeError(resp.StatusCode, respBody)
		if derr != nil {
			return 0, fmt.Errorf("acs: %s: %w", c.Action, derr)
		}
		if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
			retryAfter = time.Duration(s) * time.Second
		}
		return retryAfter, apiErr
	}
	if out == nil {
		return 0, nil
	}
	trimmed := bytes.TrimSpace(respBody)
	if len(trimmed) > 0 && trimmed[0] == '<' {
		err = xml.Unmarshal(trimmed, out)
	} else {
		err = json.Unmarshal(trimmed, out)
	}
	if err != nil {
		return 0, fmt.Errorf("acs: %s: HTTP 200 with a body that is not the response document: %w (body starts %q)", c.Action, err, snippet(trimmed))
	}
	return 0, nil
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
