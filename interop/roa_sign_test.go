package interop

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// TestROASignaturesMatchDarabonbaOpenAPI: the official SDK's ROA call path
// (darabonba-openapi CallApi, Style ROA, ACS3-HMAC-SHA256) signs a request
// on a REST path — path parameters escaped, a query, a header parameter
// and a JSON body — and acs verifies it over the canonical URI; acs.SignV3
// over the same request gives the same Authorization; a changed path does
// not verify. The ROA products' mock and suite will stand on this.
func TestROASignaturesMatchDarabonbaOpenAPI(t *testing.T) {
	for _, method := range []string{"GET", "POST", "PUT", "DELETE"} {
		t.Run(method, func(t *testing.T) {
			srv, last := capture(t, 200, okBody)
			client, err := openapi.NewClient(&openapiutil.Config{
				AccessKeyId: dara.String(keyID), AccessKeySecret: dara.String(secret),
				Endpoint: dara.String(strings.TrimPrefix(srv.URL, "http://")), Protocol: dara.String("HTTP"),
			})
			if err != nil {
				t.Fatal(err)
			}
			req := &openapiutil.OpenApiRequest{
				Query:   map[string]*string{"regionId": dara.String("cn-hangzhou"), "filter": dara.String("a b*~+")},
				Headers: map[string]*string{"x-acs-accept-language": dara.String("en")},
			}
			if method != "GET" && method != "DELETE" {
				req.Body = map[string]any{"name": "cctest", "tags": []any{map[string]any{"key": "k", "value": "v"}}}
			}
			path := "/api/v1/providers/Aliyun/products/ECS/resources/" + dara.PercentEncode("i-bp1 2/x")
			_, err = client.CallApi(&openapiutil.Params{
				Action: dara.String("CreateResource"), Version: dara.String("2022-08-30"), Protocol: dara.String("HTTP"),
				Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
				ReqBodyType: dara.String("json"), BodyType: dara.String("json"),
			}, req, &dara.RuntimeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := last()
			ts, _ := time.Parse(acs.TimeLayout, c.req.Header.Get("x-acs-date"))
			query := c.req.URL.Query()
			signed, err := verifier(ts).Verify(c.req, query, c.body)
			if err != nil || signed.Version != 3 {
				t.Fatalf("acs does not verify darabonba's ROA request %s %s: %v\nAuthorization: %s", c.req.Method, c.req.URL, err, c.req.Header.Get("Authorization"))
			}
			if c.req.URL.EscapedPath() != path {
				t.Errorf("path on the wire %s, sent %s", c.req.URL.EscapedPath(), path)
			}
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
			moved := c.req.Clone(c.req.Context())
			moved.URL.Path, moved.URL.RawPath = "/api/v1/providers/Aliyun/products/ECS/resources/i-other", ""
			if _, err := verifier(ts).Verify(moved, query, c.body); err == nil {
				t.Fatal("a ROA request moved to another path verified")
			}
		})
	}
}
