package acs

import (
	"errors"
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
	SignV3(r6, []byte("Note=a"), testCreds, testNow, "body")
	if got := authState(verifyOnce(v, r6, url.Values{"Note": {"b"}}, []byte("Note=b"))); got != AuthBadSignature {
		t.Errorf("v3 tampered body: %q", got)
	}
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
