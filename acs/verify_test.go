package acs

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var (
	testCreds = Credentials{AccessKeyID: "testid", AccessKeySecret: "testsecret"}
	testNow   = time.Date(2023, 3, 27, 9, 19, 21, 0, time.UTC)
)

func testVerifier() *Verifier {
	return &Verifier{
		Secrets: func(id string) (string, bool) { return testCreds.AccessKeySecret, id == testCreds.AccessKeyID },
		Now:     func() time.Time { return testNow },
		MaxSkew: 15 * time.Minute,
	}
}

// v1Request signs params for GET at the given time and nonce.
func v1Request(c Credentials, at time.Time, nonce string) (*http.Request, url.Values) {
	p := url.Values{"Action": {"AssociateMembers"}, "Version": {"2022-04-19"}, "ContactId": {"c-1"}}
	SignV1("GET", p, c, at, nonce)
	r, _ := http.NewRequest("GET", "http://h/?"+p.Encode(), nil)
	return r, p
}

func v3Request(c Credentials, at time.Time, nonce string) *http.Request {
	r, _ := http.NewRequest("POST", "http://h/?ContactId=c-1", nil)
	r.Header.Set("x-acs-action", "AssociateMembers")
	r.Header.Set("x-acs-version", "2022-04-19")
	SignV3(r, nil, c, at, nonce)
	return r
}

func authState(err error) string {
	var ae *AuthError
	if errors.As(err, &ae) {
		return ae.State
	}
	if err != nil {
		return "other: " + err.Error()
	}
	return ""
}

// TestVerifyStates: each way a request can fail authentication yields its
// state, for both signature versions; a good request passes once.
func TestVerifyStates(t *testing.T) {
	wrong := Credentials{AccessKeyID: "testid", AccessKeySecret: "other"}
	unknown := Credentials{AccessKeyID: "nobody", AccessKeySecret: "testsecret"}
	stale := testNow.Add(-16 * time.Minute)
	cases := []struct {
		name string
		v1   func() (*http.Request, url.Values)
		v3   func() *http.Request
		want string
	}{
		{"good", func() (*http.Request, url.Values) { return v1Request(testCreds, testNow, "n-good") },
			func() *http.Request { return v3Request(testCreds, testNow, "n-good-3") }, ""},
		{"within skew", func() (*http.Request, url.Values) { return v1Request(testCreds, testNow.Add(14*time.Minute), "n-skew") },
			func() *http.Request { return v3Request(testCreds, testNow.Add(-14*time.Minute), "n-skew-3") }, ""},
		{"wrong secret", func() (*http.Request, url.Values) { return v1Request(wrong, testNow, "n1") },
			func() *http.Request { return v3Request(wrong, testNow, "n1") }, AuthBadSignature},
		{"unknown key", func() (*http.Request, url.Values) { return v1Request(unknown, testNow, "n2") },
			func() *http.Request { return v3Request(unknown, testNow, "n2") }, AuthUnknownKey},
		{"stale", func() (*http.Request, url.Values) { return v1Request(testCreds, stale, "n3") },
			func() *http.Request { return v3Request(testCreds, stale, "n3") }, AuthStale},
		{"malformed time", func() (*http.Request, url.Values) {
			r, p := v1Request(testCreds, testNow, "n4")
			p.Set("Timestamp", "yesterday")
			return r, p
		}, func() *http.Request {
			r := v3Request(testCreds, testNow, "n4")
			r.Header.Set("x-acs-date", "2023-03-27 09:19:21")
			return r
		}, AuthBadTimestamp},
		{"unsigned", func() (*http.Request, url.Values) {
			r, _ := http.NewRequest("GET", "http://h/?Action=AssociateMembers", nil)
			return r, r.URL.Query()
		}, func() *http.Request {
			r, _ := http.NewRequest("POST", "http://h/", nil)
			r.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=testid")
			return r
		}, AuthUnsigned},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := testVerifier()
			r, p := c.v1()
			if got := authState(verifyOnce(v, r, p, nil)); got != c.want {
				t.Errorf("v1: state %q, want %q", got, c.want)
			}
			r3 := c.v3()
			if got := authState(verifyOnce(v, r3, r3.URL.Query(), nil)); got != c.want {
				t.Errorf("v3: state %q, want %q", got, c.want)
			}
		})
	}
}

func verifyOnce(v *Verifier, r *http.Request, p url.Values, body []byte) error {
	_, err := v.Verify(r, p, body)
	return err
}

func TestVerifyRejectsReplayAndTampering(t *testing.T) {
	v := testVerifier()
	r, p := v1Request(testCreds, testNow, "same")
	if err := verifyOnce(v, r, p, nil); err != nil {
		t.Fatal(err)
	}
	if got := authState(verifyOnce(v, r, p, nil)); got != AuthNonceReused {
		t.Errorf("v1 replay: %q", got)
	}
	r3 := v3Request(testCreds, testNow, "same3")
	if err := verifyOnce(v, r3, r3.URL.Query(), nil); err != nil {
		t.Fatal(err)
	}
	if got := authState(verifyOnce(v, r3, r3.URL.Query(), nil)); got != AuthNonceReused {
		t.Errorf("v3 replay: %q", got)
	}
	// A bad signature does not burn the nonce.
	r4 := v3Request(Credentials{AccessKeyID: "testid", AccessKeySecret: "x"}, testNow, "fresh")
	_ = verifyOnce(v, r4, r4.URL.Query(), nil)
	r5 := v3Request(testCreds, testNow, "fresh")
	if err := verifyOnce(v, r5, r5.URL.Query(), nil); err != nil {
		t.Errorf("a nonce first seen on a forged request was burnt: %v", err)
	}
	// Body tampering under v3.
	r6, _ := http.NewRequest("POST", "http://h/", strings.NewReader("Note=a"))
	r6.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r6.Header.Set("x-acs-action", "AssociateMembers")
	r6.Header.Set("x-acs-version", "2022-04-19")
	SignV3(r6, []byte("Note=a"), testCreds, testNow, "body")
	if got := authState(verifyOnce(v, r6, url.Values{"Note": {"b"}}, []byte("Note=b"))); got != AuthBadSignature {
		t.Errorf("v3 tampered body: %q", got)
	}
}

// TestVerifyRequiresWhatRoutesTheRequest: a v3 signature that leaves the
// action, the version, the payload hash or a present security token out
// of its signed headers is refused (they could be rewritten in transit),
// and so is an oversized nonce, in v1 and v3.
func TestVerifyRequiresWhatRoutesTheRequest(t *testing.T) {
	v := testVerifier()
	for i, h := range RequiredSignedHeadersV3 {
		r := v3Request(testCreds, testNow, fmt.Sprint("n-drop-", i))
		auth := r.Header.Get("Authorization")
		signed := strings.Split(between(auth, "SignedHeaders=", ","), ";")
		var kept []string
		for _, s := range signed {
			if s != h {
				kept = append(kept, s)
			}
		}
		sig := SignatureV3(CanonicalRequestV3(r, kept, HashHex(nil)), testCreds.AccessKeySecret)
		r.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s,SignedHeaders=%s,Signature=%s", AlgorithmV3, testCreds.AccessKeyID, strings.Join(kept, ";"), sig))
		if got := authState(verifyOnce(v, r, r.URL.Query(), nil)); got != AuthUnsigned {
			t.Errorf("a v3 signature without %s: %q, want %s", h, got, AuthUnsigned)
		}
	}
	withToken := testCreds
	withToken.SecurityToken = "sts-token"
	r := v3Request(withToken, testNow, "n-token")
	if err := verifyOnce(v, r, r.URL.Query(), nil); err != nil {
		t.Fatalf("a token signed with the request: %v", err)
	}
	r = v3Request(testCreds, testNow, "n-token-2")
	r.Header.Set("x-acs-security-token", "added-after-signing")
	if got := authState(verifyOnce(v, r, r.URL.Query(), nil)); got != AuthUnsigned {
		t.Errorf("a token header the signature does not cover: %q", got)
	}
	long := strings.Repeat("n", MaxNonceLength+1)
	if got := authState(verifyOnce(v, v3Request(testCreds, testNow, long), url.Values{"ContactId": {"c-1"}}, nil)); got != AuthUnsigned {
		t.Errorf("a v3 nonce of %d bytes: %q", len(long), got)
	}
	r1, p1 := v1Request(testCreds, testNow, long)
	if got := authState(verifyOnce(v, r1, p1, nil)); got != AuthUnsigned {
		t.Errorf("a v1 nonce of %d bytes: %q", len(long), got)
	}
	r1, p1 = v1Request(testCreds, testNow, strings.Repeat("n", MaxNonceLength))
	if err := verifyOnce(v, r1, p1, nil); err != nil {
		t.Errorf("a nonce of exactly %d bytes: %v", MaxNonceLength, err)
	}
}

func between(s, from, to string) string {
	_, rest, _ := strings.Cut(s, from)
	out, _, _ := strings.Cut(rest, to)
	return out
}

// FuzzVerify: arbitrary requests never panic the verifier and never verify.
func FuzzVerify(f *testing.F) {
	f.Add("GET", "/?Signature=x&AccessKeyId=testid&SignatureNonce=n&Timestamp=2023-03-27T09:19:21Z", "", "")
	f.Add("POST", "/", "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=host;x-acs-date;x-acs-signature-nonce,Signature=00", "Note=a")
	f.Add("POST", "/?a=%zz", "ACS3-HMAC-SHA256 ,,,=", "")
	f.Fuzz(func(t *testing.T, method, target, auth, body string) {
		r, err := http.NewRequest("GET", "http://h/", nil)
		if err != nil {
			t.Skip()
		}
		if u, err := url.Parse(target); err == nil {
			r.URL = u
		}
		r.Method = method
		r.Header.Set("Authorization", auth)
		r.Header.Set("x-acs-date", "2023-03-27T09:19:21Z")
		r.Header.Set("x-acs-signature-nonce", "n")
		r.Header.Set("x-acs-content-sha256", HashHex([]byte(body)))
		if _, err := testVerifier().Verify(r, r.URL.Query(), []byte(body)); err == nil {
			t.Fatalf("a forged request verified: %s %s %q", method, target, auth)
		}
	})
}

// TestVerifySecurityTokens: with Tokens set, a temporary key must carry its
// own, unexpired token, and a long-term key none; for both signature
// versions. Without Tokens nothing is checked.
func TestVerifySecurityTokens(t *testing.T) {
	sts := Credentials{AccessKeyID: "STS.temp", AccessKeySecret: "stssecret", SecurityToken: "CAIStoken01"}
	expired := Credentials{AccessKeyID: "STS.old", AccessKeySecret: "oldsecret", SecurityToken: "CAISold01"}
	secrets := map[string]string{"testid": "testsecret", "STS.temp": "stssecret", "STS.old": "oldsecret"}
	tokens := map[string]string{"STS.temp": "CAIStoken01", "STS.old": "CAISold01"}
	with := func(c Credentials, token string) Credentials { c.SecurityToken = token; return c }
	cases := []struct {
		name  string
		creds Credentials
		want  string
	}{
		{"temporary key with its token", sts, ""},
		{"long-term key without a token", testCreds, ""},
		{"temporary key without its token", with(sts, ""), AuthTokenMissing},
		{"a token that is no token", with(sts, "not a token!"), AuthTokenMalformed},
		{"an overlong token", with(sts, strings.Repeat("A", MaxSecurityTokenLength+1)), AuthTokenMalformed},
		{"another key's token", with(sts, "CAISold01"), AuthTokenMismatch},
		{"a token on a long-term key", with(testCreds, "CAIStoken01"), AuthTokenMismatch},
		{"an expired token", expired, AuthTokenExpired},
	}
	for _, sig := range []int{1, 3} {
		for i, tc := range cases {
			v := &Verifier{
				Secrets: func(id string) (string, bool) { s, ok := secrets[id]; return s, ok },
				Now:     func() time.Time { return testNow },
				MaxSkew: 15 * time.Minute,
				Tokens: func(id string) (string, time.Time) {
					if id == "STS.old" {
						return tokens[id], testNow.Add(-time.Second)
					}
					return tokens[id], time.Time{}
				},
			}
			nonce := fmt.Sprintf("n%d-%d", sig, i)
			var err error
			if sig == 1 {
				r, p := v1Request(tc.creds, testNow, nonce)
				_, err = v.Verify(r, p, nil)
			} else {
				_, err = v.Verify(v3Request(tc.creds, testNow, nonce), nil, nil)
			}
			if got := authState(err); got != tc.want {
				t.Errorf("v%d %s: %q, want %q", sig, tc.name, got, tc.want)
			}
			v.Tokens = nil
			nonce += "-unchecked"
			if sig == 1 {
				r, p := v1Request(tc.creds, testNow, nonce)
				_, err = v.Verify(r, p, nil)
			} else {
				_, err = v.Verify(v3Request(tc.creds, testNow, nonce), nil, nil)
			}
			if err != nil {
				t.Errorf("v%d %s without Tokens: %v", sig, tc.name, err)
			}
		}
	}
}

// TestNonceCacheExpires checks a nonce is refused within twice the window,
// accepted again after it, and that expired nonces leave the cache as new
// ones arrive (no scan needed, the cache does not grow without bound).
func TestNonceCacheExpires(t *testing.T) {
	c := NewNonceCache()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w := time.Minute
	if !c.Add("k/a", t0, w) || c.Add("k/a", t0.Add(2*w), w) {
		t.Fatal("a nonce is not refused within twice the window")
	}
	if !c.Add("k/a", t0.Add(2*w+time.Second), w) {
		t.Fatal("a nonce older than twice the window is still refused")
	}
	for i := 0; i < 5000; i++ {
		c.Add(fmt.Sprintf("k/%d", i), t0.Add(time.Duration(i)*time.Second), w)
	}
	c.mu.Lock()
	n, queued := len(c.seen), len(c.order)-c.head
	c.mu.Unlock()
	if n > 2*60+2 || queued > 2*60+2 {
		t.Errorf("after 5000 nonces a second apart the cache holds %d (%d queued), want at most two windows' worth", n, queued)
	}
	live := 0
	c.Live(t0.Add(5000*time.Second), w, func(string, time.Time) { live++ })
	if live == 0 || live > 2*60+1 {
		t.Errorf("Live reports %d nonces, want those of the last two windows", live)
	}
	c.Restore("k/old", t0)
	if c.Add("k/old", t0.Add(time.Second), w) {
		t.Error("a restored nonce is accepted again within the window")
	}
}
