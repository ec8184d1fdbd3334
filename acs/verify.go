package acs

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Auth failure states. They are the trigger states the contract gives its
// platform error codes, so a generated server can answer each with the
// documented code and message.
const (
	AuthUnsigned     = "unsigned-request"
	AuthBadSignature = "bad-signature"
	AuthUnknownKey   = "unknown-access-key"
	AuthStale        = "stale-timestamp"
	AuthBadTimestamp = "malformed-timestamp"
	AuthNonceReused  = "replayed-nonce"
	// Security-token states: an STS key signed without its token, a token
	// that is not one, a token of another key (or on a long-term key), and
	// an expired token.
	AuthTokenMissing   = "missing-security-token"
	AuthTokenMalformed = "malformed-security-token"
	AuthTokenMismatch  = "mismatched-security-token"
	AuthTokenExpired   = "expired-security-token"
)

// AuthError says why a request's signature was refused.
// RequiredSignedHeadersV3 are the headers a v3 signature must cover.
var RequiredSignedHeadersV3 = []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}

// MaxNonceLength bounds a signature nonce, so a verifier's memory of
// nonces stays proportional to the requests it serves, not their size.
const MaxNonceLength = 128

type AuthError struct {
	State  string // one of the Auth* states
	Detail string // for logs; never holds a secret
	// StringToSign is the server's string to sign of a request whose
	// signature does not match (AuthBadSignature), for the gateway's echo
	// that lets a client tell a wrong secret from a signing bug. Version
	// is its signature version.
	StringToSign string
	Version      int
}

func (e *AuthError) Error() string { return "acs: " + e.State + ": " + e.Detail }

// Verifier checks v1 and v3 signatures. Secrets resolves an access key ID;
// Now is the server's clock (time.Now when nil); MaxSkew bounds how far a
// request's timestamp may be from Now and how long nonces are remembered.
type Verifier struct {
	Secrets func(accessKeyID string) (secret string, ok bool)
	Now     func() time.Time
	MaxSkew time.Duration
	// Nonces remembers the nonces of verified requests; an in-memory
	// NonceCache when nil. A server that restarts on the same state gives
	// one that outlives it, so a captured request cannot be replayed
	// across the restart.
	Nonces NonceStore
	// Tokens, when set, gives the security token an access key must carry
	// ("" for a long-term key) and when it expires (zero: never). A
	// request's token (SecurityToken, or the signed x-acs-security-token
	// header) is then checked after its signature; when nil, tokens are
	// not checked.
	Tokens func(accessKeyID string) (token string, expires time.Time)

	once sync.Once
}

// NonceStore remembers signature nonces for the replay window.
type NonceStore interface {
	// Add records key (access key ID and nonce) at now and reports whether
	// it was new: not seen within 2×window before now.
	Add(key string, now time.Time, window time.Duration) bool
}

// Signed is what a successful verification learned about the request.
type Signed struct {
	AccessKeyID string
	Version     int // 1 or 3
}

// Verify checks r, whose merged query and form parameters are params and
// whose raw body is body. It detects the signature version from the
// Authorization header (v3) or the Signature parameter (v1).
func (v *Verifier) Verify(r *http.Request, params url.Values, body []byte) (Signed, error) {
	return v.verify(r, params, body, true)
}

// Authentic checks the signature as Verify does without recording its
// nonce, so the request can still be verified (once) afterwards: for a
// front end that must know who signed before the handler runs.
func (v *Verifier) Authentic(r *http.Request, params url.Values, body []byte) (Signed, error) {
	return v.verify(r, params, body, false)
}

func (v *Verifier) verify(r *http.Request, params url.Values, body []byte, record bool) (Signed, error) {
	v.once.Do(func() {
		if v.Nonces == nil {
			v.Nonces = NewNonceCache()
		}
	})
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "ACS3-"):
		return v.verifyV3(r, auth, params, body, record)
	case params.Has("Signature"):
		return v.verifyV1(r, params, record)
	case auth != "":
		return Signed{}, &AuthError{State: AuthUnsigned, Detail: "unsupported Authorization scheme"}
	}
	return Signed{}, &AuthError{State: AuthUnsigned, Detail: "no Signature parameter and no Authorization header"}
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// checkTime parses a timestamp and checks the skew.
func (v *Verifier) checkTime(ts string) error {
	t, ok := parseUTC(ts)
	var err error
	if !ok {
		t, err = time.Parse(TimeLayout, ts)
	}
	if err != nil {
		return &AuthError{State: AuthBadTimestamp, Detail: fmt.Sprintf("timestamp %q is not %s", ts, TimeLayout)}
	}
	if d := v.now().Sub(t); d > v.MaxSkew || d < -v.MaxSkew {
		return &AuthError{State: AuthStale, Detail: fmt.Sprintf("timestamp %s is %s away from the server's clock (at most %s)", ts, d.Round(time.Second), v.MaxSkew)}
	}
	return nil
}

// parseUTC reads a timestamp of TimeLayout (2006-01-02T15:04:05Z) without
// time.Parse's generality, on every signed request's path; false sends
// anything else to time.Parse, which says what is wrong with it.
func parseUTC(ts string) (time.Time, bool) {
	if len(ts) != 20 || ts[4] != '-' || ts[7] != '-' || ts[10] != 'T' || ts[13] != ':' || ts[16] != ':' || ts[19] != 'Z' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for _, c := range []byte(ts[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	se, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false // 2026-02-30: time.Parse refuses it
	}
	return t, true
}

func (v *Verifier) secret(id string) (string, error) {
	if id == "" {
		return "", &AuthError{State: AuthUnsigned, Detail: "no access key ID"}
	}
	s, ok := v.Secrets(id)
	if !ok {
		return "", &AuthError{State: AuthUnknownKey, Detail: fmt.Sprintf("access key %q is not known", id)}
	}
	return s, nil
}

func (v *Verifier) verifyV1(r *http.Request, params url.Values, record bool) (Signed, error) {
	for _, p := range []string{"AccessKeyId", "SignatureNonce", "Timestamp"} {
		if params.Get(p) == "" {
			return Signed{}, &AuthError{State: AuthUnsigned, Detail: "v1 signature without " + p}
		}
	}
	if n := params.Get("SignatureNonce"); len(n) > MaxNonceLength {
		return Signed{}, &AuthError{State: AuthUnsigned, Detail: fmt.Sprintf("the nonce is %d bytes long (at most %d)", len(n), MaxNonceLength)}
	}
	if m := params.Get("SignatureMethod"); m != "" && m != AlgorithmV1 {
		return Signed{}, &AuthError{State: AuthUnsigned, Detail: fmt.Sprintf("SignatureMethod %q is not %s", m, AlgorithmV1)}
	}
	if err := v.checkTime(params.Get("Timestamp")); err != nil {
		return Signed{}, err
	}
	id := params.Get("AccessKeyId")
	secret, err := v.secret(id)
	if err != nil {
		return Signed{}, err
	}
	sts := StringToSignV1(r.Method, params)
	if want := SignatureV1(sts, secret); !hmac.Equal([]byte(want), []byte(params.Get("Signature"))) {
		return Signed{}, &AuthError{State: AuthBadSignature, Detail: "v1 signature does not match", StringToSign: sts, Version: 1}
	}
	if err := v.checkToken(id, params.Get("SecurityToken")); err != nil {
		return Signed{}, err
	}
	if record && !v.Nonces.Add(id+"/"+params.Get("SignatureNonce"), v.now(), v.MaxSkew) {
		return Signed{}, &AuthError{State: AuthNonceReused, Detail: "nonce already used"}
	}
	return Signed{AccessKeyID: id, Version: 1}, nil
}

// parseAuthorizationV3 splits "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".
func parseAuthorizationV3(auth string) (id string, signed []string, sig string, err error) {
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != AlgorithmV3 {
		return "", nil, "", &AuthError{State: AuthUnsigned, Detail: fmt.Sprintf("algorithm %q is not %s", alg, AlgorithmV3)}
	}
	for _, part := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			id = val
		case "SignedHeaders":
			signed = strings.Split(val, ";")
		case "Signature":
			sig = val
		}
	}
	if id == "" || len(signed) == 0 || sig == "" {
		return "", nil, "", &AuthError{State: AuthUnsigned, Detail: "Authorization lacks Credential, SignedHeaders or Signature"}
	}
	return id, signed, sig, nil
}

// canonicalBufs keeps the buffers canonical requests are built in.
var canonicalBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func (v *Verifier) verifyV3(r *http.Request, auth string, params url.Values, body []byte, record bool) (Signed, error) {
	id, signed, sig, err := parseAuthorizationV3(auth)
	if err != nil {
		return Signed{}, err
	}
	// Every header that routes or authenticates the request must be signed,
	// or it could be rewritten in transit (the action, above all).
	required := RequiredSignedHeadersV3
	if r.Header.Get("X-Acs-Security-Token") != "" {
		required = append(append([]string{}, required...), "x-acs-security-token")
	}
	for _, h := range required {
		if !contains(signed, h) {
			return Signed{}, &AuthError{State: AuthUnsigned, Detail: "SignedHeaders lacks " + h}
		}
	}
	if n := r.Header.Get("X-Acs-Signature-Nonce"); len(n) > MaxNonceLength {
		return Signed{}, &AuthError{State: AuthUnsigned, Detail: fmt.Sprintf("the nonce is %d bytes long (at most %d)", len(n), MaxNonceLength)}
	}
	if err := v.checkTime(r.Header.Get("X-Acs-Date")); err != nil {
		return Signed{}, err
	}
	secret, err := v.secret(id)
	if err != nil {
		return Signed{}, err
	}
	payload := r.Header.Get("X-Acs-Content-Sha256")
	if payload != HashHex(body) {
		return Signed{}, &AuthError{State: AuthBadSignature, Detail: "x-acs-content-sha256 does not match the body"}
	}
	// params are the query's unless a form body added its own: the v3
	// canonical request covers the query alone.
	query := params
	if query == nil || len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		query = r.URL.Query()
	}
	bp := canonicalBufs.Get().(*[]byte)
	canonical := appendCanonicalRequestV3((*bp)[:0], r, query, signed, payload)
	want := signatureV3(sha256.Sum256(canonical), secret)
	ok := equalConstantTime(want[:], sig)
	var sts string
	if !ok {
		sts = StringToSignV3(string(canonical))
	}
	if cap(canonical) <= 64<<10 { // a huge request's buffer is not kept
		*bp = canonical
		canonicalBufs.Put(bp)
	}
	if !ok {
		return Signed{}, &AuthError{State: AuthBadSignature, Detail: "v3 signature does not match", StringToSign: sts, Version: 3}
	}
	if err := v.checkToken(id, r.Header.Get("X-Acs-Security-Token")); err != nil {
		return Signed{}, err
	}
	if record && !v.Nonces.Add(id+"/"+r.Header.Get("X-Acs-Signature-Nonce"), v.now(), v.MaxSkew) {
		return Signed{}, &AuthError{State: AuthNonceReused, Detail: "nonce already used"}
	}
	return Signed{AccessKeyID: id, Version: 3}, nil
}

// equalConstantTime compares a computed signature with a received one in
// time that depends on their lengths only.
func equalConstantTime(want []byte, got string) bool {
	if len(want) != len(got) {
		return false
	}
	var d byte
	for i := range want {
		d |= want[i] ^ got[i]
	}
	return d == 0
}

// MaxSecurityTokenLength bounds a security token (STS tokens run to a few
// kilobytes).
const MaxSecurityTokenLength = 8192

// checkToken checks a signed request's security token against the key's.
func (v *Verifier) checkToken(id, got string) error {
	if v.Tokens == nil {
		return nil
	}
	want, expires := v.Tokens(id)
	switch {
	case got == "" && want == "":
		return nil
	case got == "":
		return &AuthError{State: AuthTokenMissing, Detail: "access key " + id + " is temporary and the request carries no security token"}
	case !wellFormedToken(got):
		return &AuthError{State: AuthTokenMalformed, Detail: fmt.Sprintf("the security token (%d bytes) is not a token", len(got))}
	case want == "":
		return &AuthError{State: AuthTokenMismatch, Detail: "a security token with the long-term access key " + id}
	case !hmac.Equal([]byte(want), []byte(got)):
		return &AuthError{State: AuthTokenMismatch, Detail: "the security token is not the one issued with access key " + id}
	case !expires.IsZero() && !v.now().Before(expires):
		return &AuthError{State: AuthTokenExpired, Detail: "the security token of access key " + id + " expired at " + expires.UTC().Format(TimeLayout)}
	}
	return nil
}

// wellFormedToken: printable ASCII of the base64 and URL-safe alphabets,
// bounded in length.
func wellFormedToken(t string) bool {
	if len(t) > MaxSecurityTokenLength {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("+/=-_.", c) >= 0) {
			return false
		}
	}
	return true
}

// NonceCache is the in-memory NonceStore. It remembers nonces for twice
// the skew window; a nonce older than that cannot be replayed anyway,
// because its request's timestamp is then stale.
type NonceCache struct {
	mu   sync.Mutex
	seen map[string]time.Time
	// order lists additions oldest first from head on, so expired nonces
	// are dropped from the front as new ones come, without a scan of the
	// whole cache.
	order []nonceAt
	head  int
}

type nonceAt struct {
	key string
	at  time.Time
}

// NewNonceCache returns an empty cache.
func NewNonceCache() *NonceCache { return &NonceCache{seen: map[string]time.Time{}} }

// Add records a nonce and reports whether it was new.
func (c *NonceCache) Add(key string, now time.Time, window time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now, window)
	if t, ok := c.seen[key]; ok && now.Sub(t) <= 2*window {
		return false
	}
	c.seen[key] = now
	c.order = append(c.order, nonceAt{key, now})
	return true
}

// expire forgets the oldest additions while they are older than 2×window.
// (An entry added out of order, by Restore or a clock stepping back, is
// only forgotten later than it could be.)
func (c *NonceCache) expire(now time.Time, window time.Duration) {
	for c.head < len(c.order) && now.Sub(c.order[c.head].at) > 2*window {
		e := c.order[c.head]
		if t, ok := c.seen[e.key]; ok && t.Equal(e.at) {
			delete(c.seen, e.key)
		}
		c.order[c.head] = nonceAt{}
		c.head++
	}
	if c.head > 1024 && c.head*2 > len(c.order) {
		c.order = append(c.order[:0], c.order[c.head:]...)
		c.head = 0
	}
}

// Restore records a nonce seen at a past time (when reloading a store).
func (c *NonceCache) Restore(key string, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.seen[key]; !ok || at.After(t) {
		c.seen[key] = at
		c.order = append(c.order, nonceAt{key, at})
	}
}

// Live calls f for each nonce still within 2×window of now.
func (c *NonceCache) Live(now time.Time, window time.Duration, f func(key string, at time.Time)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.expire(now, window)
	for k, t := range c.seen {
		if now.Sub(t) <= 2*window {
			f(k, t)
		}
	}
}
