package interop

import (
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// thingsROA is a REST-style product: a path parameter, a header, a query
// parameter and a field of a JSON body with a stated length.
const thingsROA = `openapi: 3.0.3
info: {title: Things, version: "2022-08-30"}
x-acs-imports:
  - {file: gateway.yaml, note: the gateway}
x-acs-api:
  product: Things
  version: "2022-08-30"
  endpoint: things.aliyuncs.com
  style: ROA
  methods: [GET, PUT]
  formats: [JSON]
  signatures: [v3]
  clock-skew: 15m
  provenance: {kind: platform, reason: a test}
x-acs-sources:
  - {id: m000, file: things.json, operation: "*", language: zh-Hans, layout: metadata}
paths:
  /api/v1/things/{thingId}:
    get:
      operationId: GetThing
      x-acs-operation: {action: GetThing, sources: [m000], provenance: {kind: metadata, pages: [m000]}}
      parameters:
        - {name: thingId, in: path, required: true, description: The thing., schema: {type: string}, example: t-1, x-acs-provenance: {kind: metadata, pages: [m000]}}
        - {name: x-acs-accept-language, in: header, description: The language., schema: {type: string, enum: [zh, en]}, x-acs-provenance: {kind: metadata, pages: [m000]}, x-acs-limits: [{keyword: enum, provenance: {kind: metadata, pages: [m000]}}]}
      x-acs-rules:
        - {id: x-acs-accept-language.enum, param: x-acs-accept-language, kind: enum, error: InvalidParameter, provenance: {kind: metadata, pages: [m000]}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {RequestId: {type: string}, name: {type: string}}}
              examples: {m000: {summary: a thing, value: {RequestId: 0A1B, name: lamp}}}
    put:
      operationId: UpdateThing
      x-acs-operation: {action: UpdateThing, sources: [m000], provenance: {kind: metadata, pages: [m000]}}
      parameters:
        - {name: thingId, in: path, required: true, description: The thing., schema: {type: string}, example: t-1, x-acs-provenance: {kind: metadata, pages: [m000]}}
        - {name: regionId, in: query, required: true, description: The region., schema: {type: string}, example: cn-hangzhou, x-acs-provenance: {kind: metadata, pages: [m000]}}
        - {name: name, in: query, x-acs-in: body, description: Its name., schema: {type: string, maxLength: 8}, example: lamp, x-acs-provenance: {kind: metadata, pages: [m000]}, x-acs-limits: [{keyword: maxLength, provenance: {kind: metadata, pages: [m000]}}]}
      x-acs-rules:
        - {id: regionId.required, param: regionId, kind: required, error: MissingParameter, provenance: {kind: metadata, pages: [m000]}}
        - {id: name.maxLength, param: name, kind: maxLength, error: InvalidParameter, provenance: {kind: metadata, pages: [m000]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {RequestId: {type: string}}}}}}
`

// TestROAServedToTheOfficialSDK: a ROA contract served by acsconform mock
// (interpreted), called through the official Go SDK's ROA path
// (darabonba-openapi CallApi, Style ROA, v3): a valid call gets its sample,
// a body field past its stated length and a missing query parameter get
// their documented refusals, a header outside its values too, and a path
// the contract does not have is InvalidAction.NotFound.
func TestROAServedToTheOfficialSDK(t *testing.T) {
	api, err := spec.ParseLayered("things.yaml", []byte(thingsROA), spec.EmbeddedLayer)
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Options{Profile: p, Contract: api})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	srv := httptest.NewServer(m)
	defer srv.Close()
	creds, err := p.Resolve("default", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	client, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(creds.AccessKeyID), AccessKeySecret: dara.String(creds.AccessKeySecret),
		Endpoint: dara.String(strings.TrimPrefix(srv.URL, "http://")), Protocol: dara.String("HTTP")})
	if err != nil {
		t.Fatal(err)
	}
	call := func(action, method, path string, query, headers map[string]*string, body any) (map[string]any, error) {
		return client.CallApi(&openapiutil.Params{Action: dara.String(action), Version: dara.String("2022-08-30"), Protocol: dara.String("HTTP"),
			Pathname: dara.String(path), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("ROA"),
			ReqBodyType: dara.String("json"), BodyType: dara.String("json")},
			&openapiutil.OpenApiRequest{Query: query, Headers: headers, Body: body}, &dara.RuntimeOptions{Autoretry: dara.Bool(false)})
	}
	code := func(err error) string {
		if err == nil {
			return ""
		}
		if m := regexp.MustCompile(`(?m)^\s*Code: (\S+)`).FindStringSubmatch(err.Error()); m != nil {
			return m[1]
		}
		return err.Error()
	}
	out, err := call("GetThing", "GET", "/api/v1/things/t-1", nil, map[string]*string{"x-acs-accept-language": dara.String("en")}, nil)
	if err != nil {
		t.Fatalf("GetThing: %v", err)
	}
	if b, _ := out["body"].(map[string]any); b == nil || b["name"] != "lamp" || b["RequestId"] == "0A1B" {
		t.Errorf("GetThing answered %v, want its sample with this request's RequestId", out["body"])
	}
	if _, err := call("GetThing", "GET", "/api/v1/things/t-1", nil, map[string]*string{"x-acs-accept-language": dara.String("fr")}, nil); code(err) != "InvalidParameter" {
		t.Errorf("a header outside its values: %v", err)
	}
	region := map[string]*string{"regionId": dara.String("cn-hangzhou")}
	if _, err := call("UpdateThing", "PUT", "/api/v1/things/t-1", region, nil, map[string]any{"name": "lamp"}); err != nil {
		t.Errorf("UpdateThing: %v", err)
	}
	if _, err := call("UpdateThing", "PUT", "/api/v1/things/t-1", region, nil, map[string]any{"name": "a-very-long-name"}); code(err) != "InvalidParameter" {
		t.Errorf("a body field past its length: %v", err)
	}
	if _, err := call("UpdateThing", "PUT", "/api/v1/things/t-1", nil, nil, map[string]any{"name": "lamp"}); code(err) != "MissingParameter" {
		t.Errorf("a missing query parameter: %v", err)
	}
	if _, err := call("GetThing", "GET", "/api/v1/nothing/t-1", nil, nil, nil); code(err) != "InvalidAction.NotFound" {
		t.Errorf("a path the contract does not have: %v", err)
	}
}
