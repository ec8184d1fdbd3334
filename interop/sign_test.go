package interop

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/acsconform/acsconform/acs"
)

const (
	keyID  = "LTAI5tInteropTestKey"
	secret = "interop-test-secret-value"
)

// captured is one request as the server saw it.
type captured struct {
	req  *http.Request
	body []byte
}

// capture starts a loopback server that records requests and answers with
// the given status and body.
func capture(t *testing.T, status int, body string) (*httptest.Server, func() captured) {
	t.Helper()
	var mu sync.Mutex
	var last captured
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		last = captured{req: r.Clone(r.Context()), body: b}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, func() captured { mu.Lock(); defer mu.Unlock(); return last }
}

func verifier(at time.Time) *acs.Verifier {
	return &acs.Verifier{
		Secrets: func(id string) (string, bool) { return secret, id == keyID },
		Now:     func() time.Time { return at },
		MaxSkew: 15 * time.Minute,
	}
}

// params merges the query and a form body, as a server reads them.
func params(t *testing.T, c captured) url.Values {
	t.Helper()
	c.req.Body = io.NopCloser(bytes.NewReader(c.body))
	in, err := acs.ReadInbound(c.req)
	if err != nil {
		t.Fatal(err)
	}
	return in.Params
}

const okBody = `{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992"}`

// TestV1SignaturesMatchAlibabaCloudSDK: the SDK's CommonRequest (v1,
// HMAC-SHA1) signs; acs verifies it, and acs.SignV1 over the same inputs
// (the SDK's nonce and timestamp) yields the SDK's signature exactly.
func TestV1SignaturesMatchAlibabaCloudSDK(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		for _, form := range []bool{false, true} {
			if method == "GET" && form {
				continue
			}
			name := method
			if form {
				name += "+form"
			}
			t.Run(name, func(t *testing.T) {
				srv, last := capture(t, 200, okBody)
				client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential(keyID, secret))
				if err != nil {
					t.Fatal(err)
				}
				req := requests.NewCommonRequest()
				req.Method = method
				req.Scheme = "http"
				req.Domain = strings.TrimPrefix(srv.URL, "http://")
				req.Version = "2022-04-19"
				req.ApiName = "InviteAccountToResourceDirectory"
				fields := map[string]string{"TargetEntity": "someone@example.com", "TargetType": "Email", "Note": "歡迎您加入 * ~ +&=", "Tag.1.Key": "k1", "Tag.1.Value": "v 1"}
				for k, v := range fields {
					if form {
						req.FormParams[k] = v
					} else {
						req.QueryParams[k] = v
					}
				}
				if _, err := client.ProcessCommonRequest(req); err != nil {
					t.Fatal(err)
				}
				c := last()
				p := params(t, c)
				ts, _ := time.Parse(acs.TimeLayout, p.Get("Timestamp"))
				t.Logf("%s %s\nbody %s", c.req.Method, c.req.URL, c.body)
				signed, err := verifier(ts).Verify(c.req, p, c.body)
				if err != nil || signed.Version != 1 || signed.AccessKeyID != keyID {
					t.Fatalf("acs does not verify the SDK's v1 request: %v (%+v)", err, signed)
				}
				for k, v := range fields {
					if p.Get(k) != v {
						t.Errorf("%s = %q on the wire, sent %q", k, p.Get(k), v)
					}
				}
				// Same inputs through acs.SignV1 → the same signature.
				mine := url.Values{}
				for k, v := range p {
					if k != "Signature" && k != "AccessKeyId" && k != "SignatureMethod" && k != "SignatureVersion" && k != "SignatureNonce" && k != "Timestamp" {
						mine[k] = v
					}
				}
				acs.SignV1(method, mine, acs.Credentials{AccessKeyID: keyID, AccessKeySecret: secret}, ts, p.Get("SignatureNonce"))
				if mine.Get("Signature") != p.Get("Signature") {
					t.Fatalf("acs.SignV1 = %q, the SDK signed %q", mine.Get("Signature"), p.Get("Signature"))
				}
				// A changed parameter breaks it.
				p.Set("TargetType", "Account")
				if _, err := verifier(ts).Verify(c.req, p, c.body); err == nil {
					t.Fatal("a tampered v1 request verified")
				}
			})
		}
	}
}

// TestV3SignaturesMatchDarabonbaOpenAPI: darabonba-openapi's CallApi (RPC
// style, ACS3-HMAC-SHA256) signs; acs verifies it, and acs.SignV3 over the
// same request (its date and nonce) yields the same Authorization.
func TestV3SignaturesMatchDarabonbaOpenAPI(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		for _, form := range []bool{false, true} {
			if method == "GET" && form {
				continue
			}
			name := method
			if form {
				name += "+form"
			}
			t.Run(name, func(t *testing.T) {
				srv, last := capture(t, 200, okBody)
				client, err := openapi.NewClient(&openapiutil.Config{
					AccessKeyId: dara.String(keyID), AccessKeySecret: dara.String(secret),
					Endpoint: dara.String(strings.TrimPrefix(srv.URL, "http://")), Protocol: dara.String("HTTP"),
				})
				if err != nil {
					t.Fatal(err)
				}
				reqBodyType := "json"
				req := &openapiutil.OpenApiRequest{}
				fields := map[string]any{"ContactId": "c-qL4HqKONzOM7abcd", "Members.1": "fd-ZDNPiT0000", "Members.2": "r-b1 *~+"}
				if form {
					reqBodyType = "formData"
					req.Body = fields
				} else {
					q := map[string]*string{}
					for k, v := range fields {
						q[k] = dara.String(v.(string))
					}
					req.Query = q
				}
				_, err = client.CallApi(&openapiutil.Params{
					Action: dara.String("AssociateMembers"), Version: dara.String("2022-04-19"), Protocol: dara.String("HTTP"),
					Pathname: dara.String("/"), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("RPC"),
					ReqBodyType: dara.String(reqBodyType), BodyType: dara.String("json"),
				}, req, &dara.RuntimeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				c := last()
				p := params(t, c)
				ts, _ := time.Parse(acs.TimeLayout, c.req.Header.Get("x-acs-date"))
				t.Logf("%s %s\nbody %s\nauth %s", c.req.Method, c.req.URL, c.body, c.req.Header.Get("Authorization"))
				signed, err := verifier(ts).Verify(c.req, p, c.body)
				if err != nil || signed.Version != 3 {
					t.Fatalf("acs does not verify darabonba's v3 request: %v\nAuthorization: %s", err, c.req.Header.Get("Authorization"))
				}
				for k, v := range fields {
					if p.Get(k) != v {
						t.Errorf("%s = %q on the wire, sent %q", k, p.Get(k), v)
					}
				}
				// Rebuild the request with only the headers the SDK signed and
				// sign it with acs.SignV3: the Authorization must be identical.
				auth := c.req.Header.Get("Authorization")
				mine := c.req.Clone(c.req.Context())
				mine.Header = http.Header{}
				for k, v := range c.req.Header {
					lk := strings.ToLower(k)
					if (strings.HasPrefix(lk, "x-acs-") || lk == "content-type") && lk != "x-acs-date" && lk != "x-acs-signature-nonce" && lk != "x-acs-content-sha256" {
						mine.Header[k] = v
					}
				}
				acs.SignV3(mine, c.body, acs.Credentials{AccessKeyID: keyID, AccessKeySecret: secret}, ts, c.req.Header.Get("x-acs-signature-nonce"))
				if got := mine.Header.Get("Authorization"); got != auth {
					t.Fatalf("acs.SignV3:\n %s\nthe SDK:\n %s", got, auth)
				}
				c.req.Header.Set("x-acs-action", "DisassociateMembers")
				if _, err := verifier(ts).Verify(c.req, p, c.body); err == nil {
					t.Fatal("a v3 request with a changed x-acs-action verified")
				}
			})
		}
	}
}
