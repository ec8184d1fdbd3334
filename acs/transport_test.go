package acs

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

type pingResponse struct {
	RequestID string `json:"RequestId" xml:"RequestId"`
	Echo      string `json:"Echo" xml:"Echo"`
}

// echoServer verifies the signature and echoes ContactId; fail decides the
// answer of attempt n (empty: success).
func echoServer(t *testing.T, fail func(n int32, w http.ResponseWriter) bool) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	v := &Verifier{Secrets: func(id string) (string, bool) { return testCreds.AccessKeySecret, id == testCreds.AccessKeyID }, MaxSkew: 15 * time.Minute}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, err := ReadInbound(r)
		if err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		if _, err := v.Verify(r, in.Params, in.Body); err != nil {
			w.WriteHeader(400)
			_, _ = w.Write(EncodeError(&APIError{Code: "SignatureDoesNotMatch", Message: err.Error(), RequestID: "r"}, false))
			return
		}
		attempt := n.Add(1)
		if fail != nil && fail(attempt, w) {
			return
		}
		if in.Action != "Ping" || in.Version != "2022-04-19" {
			http.Error(w, "routing", 400)
			return
		}
		if in.XML {
			fmt.Fprintf(w, "<PingResponse><RequestId>r</RequestId><Echo>%s</Echo></PingResponse>", in.Params.Get("ContactId"))
			return
		}
		fmt.Fprintf(w, `{"RequestId":"r","Echo":%q}`, in.Params.Get("ContactId"))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestTransportWireVariants(t *testing.T) {
	srv, _ := echoServer(t, nil)
	for _, sv := range []int{1, 3} {
		for _, method := range []string{"GET", "POST"} {
			for _, form := range []bool{false, true} {
				for _, xml := range []bool{false, true} {
					tr := &Transport{Endpoint: srv.URL, Credentials: testCreds, SignatureVersion: sv, Method: method, FormBody: form, XML: xml}
					var out pingResponse
					err := tr.Do(context.Background(), Call{Action: "Ping", Version: "2022-04-19", Params: map[string][]string{"ContactId": {"c-歡 *~"}}}, &out)
					if err != nil || out.Echo != "c-歡 *~" || out.RequestID != "r" {
						t.Errorf("v%d %s form=%v xml=%v: %+v, %v", sv, method, form, xml, out, err)
					}
				}
			}
		}
	}
}

func TestTransportRetriesOnlyListedCodes(t *testing.T) {
	throttle := func(code string, times int32, retryAfter string) func(int32, http.ResponseWriter) bool {
		return func(n int32, w http.ResponseWriter) bool {
			if n > times {
				return false
			}
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(429)
			_, _ = w.Write(EncodeError(&APIError{Code: code, Message: "m", RequestID: "r"}, false))
			return true
		}
	}
	call := Call{Action: "Ping", Version: "2022-04-19", Retryable: []string{"Throttling.User", "ConcurrentCallNotSupported"}}
	fast := RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}

	srv, n := echoServer(t, throttle("Throttling.User", 2, ""))
	if err := (&Transport{Endpoint: srv.URL, Credentials: testCreds, Retry: fast}).Do(context.Background(), call, nil); err != nil || n.Load() != 3 {
		t.Errorf("retryable: %v after %d attempts", err, n.Load())
	}
	srv, n = echoServer(t, throttle("InvalidParameter.Members", 5, ""))
	err := (&Transport{Endpoint: srv.URL, Credentials: testCreds, Retry: fast}).Do(context.Background(), call, nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "InvalidParameter.Members" || n.Load() != 1 {
		t.Errorf("not retryable: %v after %d attempts", err, n.Load())
	}
	srv, n = echoServer(t, throttle("Throttling.User", 10, ""))
	err = (&Transport{Endpoint: srv.URL, Credentials: testCreds, Retry: RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond}}).Do(context.Background(), call, nil)
	if !errors.As(err, &ae) || ae.Code != "Throttling.User" || n.Load() != 3 {
		t.Errorf("gives up: %v after %d attempts", err, n.Load())
	}
	srv, _ = echoServer(t, throttle("Throttling.User", 1, "1"))
	start := time.Now()
	if err := (&Transport{Endpoint: srv.URL, Credentials: testCreds, Retry: fast}).Do(context.Background(), call, nil); err != nil || time.Since(start) < 900*time.Millisecond {
		t.Errorf("Retry-After not honoured: %v after %s", err, time.Since(start))
	}
}

func TestBackoffIsBoundedJitter(t *testing.T) {
	p := RetryPolicy{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second}
	r := rand.New(rand.NewPCG(1, 2))
	for attempt := 1; attempt <= 40; attempt++ {
		ceiling := min(p.BaseDelay<<min(attempt-1, 30), p.MaxDelay)
		seen := map[time.Duration]bool{}
		for i := 0; i < 50; i++ {
			d := p.Backoff(attempt, r)
			if d < 0 || d > ceiling {
				t.Fatalf("attempt %d: %s outside [0, %s]", attempt, d, ceiling)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Fatalf("attempt %d: no jitter (%d distinct delays)", attempt, len(seen))
		}
	}
}

func TestBackoffHonoursMinDelay(t *testing.T) {
	p := RetryPolicy{BaseDelay: 200 * time.Millisecond, MinDelay: 100 * time.Millisecond}
	r := rand.New(rand.NewPCG(3, 4))
	below := 0
	for i := 0; i < 500; i++ {
		if d := p.Backoff(1, r); d < p.MinDelay || d > p.BaseDelay {
			t.Fatalf("a delay of %s outside [%s, %s]", d, p.MinDelay, p.BaseDelay)
		}
		if d := (RetryPolicy{BaseDelay: 200 * time.Millisecond}).Backoff(1, r); d < 100*time.Millisecond {
			below++
		}
	}
	if below == 0 {
		t.Fatal("without MinDelay no delay fell below 100ms: the comparison proves nothing")
	}
}

func TestTransportPacesPerAction(t *testing.T) {
	srv, n := echoServer(t, nil)
	tr := &Transport{Endpoint: srv.URL, Credentials: testCreds}
	tr.SetRateLimit("Ping", 20, 1)
	start := time.Now()
	for i := 0; i < 6; i++ {
		if err := tr.Do(context.Background(), Call{Action: "Ping", Version: "2022-04-19"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// 6 calls at 20/s with burst 1 need at least 5 intervals of 50ms.
	if el := time.Since(start); el < 240*time.Millisecond || n.Load() != 6 {
		t.Errorf("6 calls in %s", el)
	}
}

func TestTransportReportsGarbageAndHangUps(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"HTTP 200 with a body that is not the response document": func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>hello")) },
		"not an error document": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			_, _ = w.Write([]byte("<html>bad gateway</html>"))
		},
		"EOF": func(w http.ResponseWriter, r *http.Request) {
			c, _, _ := w.(http.Hijacker).Hijack()
			c.Close()
		},
	}
	for want, h := range cases {
		srv := httptest.NewServer(h)
		var out pingResponse
		err := (&Transport{Endpoint: srv.URL, Credentials: testCreds}).Do(context.Background(), Call{Action: "Ping", Version: "v"}, &out)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q, got %v", want, err)
		}
		srv.Close()
	}
	err := (&Transport{Endpoint: "not a url", Credentials: testCreds}).Do(context.Background(), Call{Action: "Ping"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not an absolute URL") {
		t.Errorf("bad endpoint: %v", err)
	}
}

func TestExchangeRedactsSecrets(t *testing.T) {
	srv, _ := echoServer(t, nil)
	var seen []*Exchange
	creds := Credentials{AccessKeyID: testCreds.AccessKeyID, AccessKeySecret: testCreds.AccessKeySecret, SecurityToken: "sts-token-value"}
	for _, sv := range []int{1, 3} {
		tr := &Transport{Endpoint: srv.URL, Credentials: creds, SignatureVersion: sv, Observe: func(e *Exchange) { seen = append(seen, e) }}
		_ = tr.Do(context.Background(), Call{Action: "Ping", Version: "2022-04-19"}, nil)
	}
	if len(seen) != 2 {
		t.Fatalf("%d exchanges observed", len(seen))
	}
	for _, e := range seen {
		s := fmt.Sprintf("%+v", *e)
		if strings.Contains(s, "sts-token-value") || strings.Contains(s, testCreds.AccessKeySecret) {
			t.Errorf("exchange leaks a secret: %s", s)
		}
	}
}

// TestHooksInterceptEverySendPath: hooks change what is signed and sent,
// a prepared request is sent again byte for byte (same nonce), pacing
// holds unless the call is unpaced, and a hook's secret is scrubbed like
// the call's own.
func TestHooksInterceptEverySendPath(t *testing.T) {
	var nonces []string
	srv, _ := echoServer(t, func(_ int32, w http.ResponseWriter) bool { return false })
	inner := srv.Config.Handler
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		nonce := r.URL.Query().Get("SignatureNonce") + r.Header.Get("x-acs-signature-nonce")
		nonces = append(nonces, nonce)
		inner.ServeHTTP(w, r)
	})
	const token = "SENTINEL-TOKEN-hooks"
	creds := testCreds
	creds.SecurityToken = token
	for _, sv := range []int{1, 3} {
		t.Run(fmt.Sprint("v", sv), func(t *testing.T) {
			nonces = nil
			tr := &Transport{Endpoint: srv.URL, Credentials: creds, SignatureVersion: sv, Retry: RetryPolicy{MaxAttempts: 1}}
			ctx := context.Background()
			call := Call{Action: "Ping", Version: "2022-04-19", Params: map[string][]string{"ContactId": {"c-1"}}}

			wrong := call
			wrong.Hooks = &Hooks{BeforeSign: func(u *ToSign) { u.Credentials.AccessKeySecret += "-wrong-SENTINEL" }}
			ex, err := tr.Exchange(ctx, wrong)
			if err != nil || ex.Status != 400 || !strings.Contains(ex.RespBody, "SignatureDoesNotMatch") {
				t.Fatalf("a wrong secret: got %v %+v", err, ex)
			}
			for _, s := range []string{ex.URL, ex.Body, fmt.Sprint(ex.Header)} {
				if strings.Contains(s, token) || strings.Contains(s, "SENTINEL") {
					t.Errorf("a secret or token reached the exchange: %s", s)
				}
			}

			var transmitted int
			replay := call
			replay.Hooks = &Hooks{BeforeTransmit: func(*http.Request) { transmitted++ }}
			p, err := tr.Prepare(ctx, replay)
			if err != nil {
				t.Fatal(err)
			}
			nonces = nil
			for i := 0; i < 2; i++ {
				if ex, err := tr.Send(ctx, p); err != nil || ex.Err != nil {
					t.Fatalf("send %d: %v %v", i, err, ex.Err)
				}
			}
			if transmitted != 2 || len(nonces) != 2 || nonces[0] == "" || nonces[0] != nonces[1] {
				t.Errorf("a prepared request sent twice: BeforeTransmit ran %d times, nonces %q", transmitted, nonces)
			}

			unsigned := call
			unsigned.Hooks = &Hooks{BeforeSign: func(u *ToSign) { u.SkipSignature = true }}
			p, err = tr.Prepare(ctx, unsigned)
			if err != nil {
				t.Fatal(err)
			}
			req := p.Request()
			if req.Header.Get("Authorization") != "" || req.URL.Query().Has("Signature") {
				t.Errorf("SkipSignature still signed: %v %v", req.Header, req.URL)
			}
		})
	}

	// Pacing: once the bucket is empty a paced call waits (here: cannot
	// within its deadline, so it says so without sending), an unpaced one
	// goes at once.
	tr := &Transport{Endpoint: srv.URL, Credentials: testCreds, Retry: RetryPolicy{MaxAttempts: 1}}
	tr.SetRateLimit("Ping", 0.001, 1)
	call := Call{Action: "Ping", Version: "2022-04-19"}
	if ex, err := tr.Exchange(context.Background(), call); err != nil || ex.Status != 200 {
		t.Fatalf("first call: %v %+v", err, ex)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := tr.Exchange(ctx, call); err == nil || !strings.Contains(err.Error(), "rate limit") {
		t.Errorf("a paced call past the limit: got %v, want a rate-limit wait error", err)
	}
	call.Unpaced = true
	if ex, err := tr.Exchange(ctx, call); err != nil || ex.Status != 200 {
		t.Errorf("an unpaced call: %v %+v", err, ex)
	}
}

// TestTransportBoundsAnswers: an answer past MaxAnswerBytes is not read
// (the exchange keeps its first bytes and says Oversize), and Do refuses it
// naming the limit; one within the limit is read whole.
func TestTransportBoundsAnswers(t *testing.T) {
	big := strings.Repeat("x", 64<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"RequestId":"r","Echo":%q}`, big)
	}))
	defer srv.Close()
	tr := &Transport{Endpoint: srv.URL, Credentials: testCreds, MaxAnswerBytes: 16 << 10}
	ex, err := tr.Exchange(context.Background(), Call{Action: "Ping", Version: "2022-04-19"})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Oversize != 16<<10 || len(ex.RespBody) > oversizeKept || ex.Err != nil {
		t.Fatalf("oversize %d, kept %d bytes, err %v", ex.Oversize, len(ex.RespBody), ex.Err)
	}
	var out pingResponse
	if err := tr.Do(context.Background(), Call{Action: "Ping", Version: "2022-04-19"}, &out); err == nil || !strings.Contains(err.Error(), "larger than 16384 bytes") {
		t.Fatalf("Do: %v", err)
	}
	tr.MaxAnswerBytes = 1 << 20
	if err := tr.Do(context.Background(), Call{Action: "Ping", Version: "2022-04-19"}, &out); err != nil || out.Echo != big {
		t.Fatalf("within the limit: %v, %d bytes", err, len(out.Echo))
	}
}
