package interop

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// folderAnswer is GetFolder's documented answer, which the benchmark's
// server returns to every request: what is measured is the client's side
// of a call (build, validate, sign, send, read).
const folderAnswer = `{"RequestId":"C2CBCA30-C8DD-423E-B4AD-4FB694C9180C","Folder":{"CreateTime":"2015-01-23T12:33:18Z","FolderId":"fd-u8B321****","FolderName":"rdFolder","ParentFolderId":"r-b1****"}}`

// BenchmarkClientCall compares one GetFolder call through our generated
// client (validation on; v3 and v1 signatures) with the official SDKs:
// alibaba-cloud-sdk-go's CommonRequest (v1) and darabonba-openapi's
// CallApi (v3), in the same run, against one local server. Read the
// ns/op and allocs/op of the sub-benchmarks as ratios.
func BenchmarkClientCall(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = io.WriteString(w, folderAnswer)
	}))
	defer srv.Close()
	host := srv.Listener.Addr().String()
	const id, secret = "LTAI5tBenchCaller", "bench-secret"
	ctx := context.Background()

	for _, v1 := range []bool{false, true} {
		name := map[bool]string{false: "acsconform-v3", true: "acsconform-v1"}[v1]
		b.Run(name, func(b *testing.B) {
			opts := []rdm.Option{rdm.WithEndpoint(srv.URL), rdm.WithoutRateLimit()}
			if v1 {
				opts = append(opts, rdm.WithSignatureV1())
			}
			c, err := rdm.NewClient(acs.Credentials{AccessKeyID: id, AccessKeySecret: secret}, opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				out, err := c.GetFolder(ctx, &rdm.GetFolderRequest{FolderId: "fd-u8B321aaaa"})
				if err != nil || out.Folder.FolderName != "rdFolder" {
					b.Fatalf("%v %+v", err, out)
				}
			}
		})
	}
	b.Run("alibaba-cloud-sdk-go-v1", func(b *testing.B) {
		c, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential(id, secret))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			req := requests.NewCommonRequest()
			req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = "POST", "http", host, "2022-04-19", "GetFolder"
			req.QueryParams["FolderId"] = "fd-u8B321aaaa"
			resp, err := c.ProcessCommonRequest(req)
			if err != nil || len(resp.GetHttpContentBytes()) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("darabonba-openapi-v3", func(b *testing.B) {
		c, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret), Endpoint: dara.String(host), Protocol: dara.String("HTTP")})
		if err != nil {
			b.Fatal(err)
		}
		params := &openapiutil.Params{Action: dara.String("GetFolder"), Version: dara.String("2022-04-19"), Protocol: dara.String("HTTP"),
			Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
			ReqBodyType: dara.String("json"), BodyType: dara.String("json")}
		rt := &dara.RuntimeOptions{Autoretry: dara.Bool(false)}
		b.ReportAllocs()
		for b.Loop() {
			out, err := c.CallApi(params, &openapiutil.OpenApiRequest{Query: map[string]*string{"FolderId": dara.String("fd-u8B321aaaa")}}, rt)
			if err != nil || out["body"] == nil {
				b.Fatal(err)
			}
		}
	})
}
