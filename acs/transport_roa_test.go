package acs

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestTransportROA: a ROA call travels on its path with its query, header
// parameters and JSON body, signed with v3 over the path; the verifier
// takes it, and refuses it once the path changes. v1 is refused for ROA.
func TestTransportROA(t *testing.T) {
	var got *http.Request
	var body []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		got = r.Clone(context.Background())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"RequestId":"x"}`))
	}))
	defer srv.Close()
	creds := Credentials{AccessKeyID: "LTAI5tROA", AccessKeySecret: "roa-secret"}
	tr := &Transport{Endpoint: srv.URL, Credentials: creds}
	call := Call{Action: "CreateResource", Version: "2022-08-30", Method: http.MethodPut, Params: url.Values{"regionId": {"cn-hangzhou"}, "filter": {"a b*~+"}},
		ROA: &ROA{Path: "/api/v1/resources/" + url.PathEscape("i-bp1 2"), Header: http.Header{"x-acs-accept-language": {"en"}}, Body: []byte(`{"name":"cctest"}`)}}
	if err := tr.Do(context.Background(), call, nil); err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodPut || got.URL.EscapedPath() != "/api/v1/resources/i-bp1%202" || got.URL.Query().Get("filter") != "a b*~+" ||
		got.Header.Get("X-Acs-Accept-Language") != "en" || string(body) != `{"name":"cctest"}` || got.Header.Get("Content-Type") != "application/json" ||
		got.Header.Get("X-Acs-Action") != "CreateResource" {
		t.Fatalf("on the wire: %s %s %v body %s", got.Method, got.URL, got.Header, body)
	}
	v := &Verifier{Secrets: func(id string) (string, bool) { return creds.AccessKeySecret, id == creds.AccessKeyID }, MaxSkew: 15 * time.Minute}
	if _, err := v.Verify(got, got.URL.Query(), body); err != nil {
		t.Fatalf("the ROA request does not verify: %v", err)
	}
	moved := got.Clone(context.Background())
	moved.URL.Path, moved.URL.RawPath = "/api/v1/resources/other", ""
	v.Nonces = nil
	if _, err := (&Verifier{Secrets: v.Secrets, MaxSkew: v.MaxSkew}).Verify(moved, got.URL.Query(), body); err == nil {
		t.Fatal("a moved ROA request verified")
	}
	call.SignatureVersion = 1
	if err := tr.Do(context.Background(), call, nil); err == nil {
		t.Fatal("a ROA call signed with v1 was sent")
	}
	call.SignatureVersion, call.ROA.Path = 3, "api/relative"
	if err := tr.Do(context.Background(), call, nil); err == nil {
		t.Fatal("a relative ROA path was sent")
	}
}
