package spec

import (
	"strings"
	"testing"
)

// roaContract is a REST-style product: each operation on its own path and
// method, parameters in the path, the query, a header and the body.
const roaContract = `openapi: 3.0.3
info: {title: Things, version: "2022-08-30"}
x-acs-imports:
  - {file: gateway.yaml, note: the gateway}
x-acs-api:
  product: Things
  version: "2022-08-30"
  endpoint: things.aliyuncs.com
  style: ROA
  methods: [GET, POST, PUT, DELETE]
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
        - {name: x-acs-accept-language, in: header, description: The language., schema: {type: string}, x-acs-provenance: {kind: metadata, pages: [m000]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {RequestId: {type: string}}}}}}
    put:
      operationId: UpdateThing
      x-acs-operation: {action: UpdateThing, sources: [m000], provenance: {kind: metadata, pages: [m000]}}
      parameters:
        - {name: thingId, in: path, required: true, description: The thing., schema: {type: string}, x-acs-provenance: {kind: metadata, pages: [m000]}}
        - {name: name, in: query, x-acs-in: body, description: Its name., schema: {type: string, maxLength: 8}, x-acs-provenance: {kind: metadata, pages: [m000]}, x-acs-limits: [{keyword: maxLength, provenance: {kind: metadata, pages: [m000]}}]}
        - {name: tags, in: query, x-acs-in: body, description: Its tags., schema: {type: array, items: {type: string}}, x-acs-provenance: {kind: metadata, pages: [m000]}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {RequestId: {type: string}}}}}}
`

// TestROAContract: a REST-style contract loads with each operation's path
// and method and each parameter's place; what the rest of the pipeline
// cannot take yet is said where it stops.
func TestROAContract(t *testing.T) {
	api, err := ParseLayered("things.yaml", []byte(roaContract), EmbeddedLayer)
	if err != nil {
		t.Fatal(err)
	}
	if api.Style != StyleROA || len(api.Operations) != 2 {
		t.Fatalf("style %s, %d operations", api.Style, len(api.Operations))
	}
	get, put := api.Operation("GetThing"), api.Operation("UpdateThing")
	if get == nil || put == nil || get.Method != "GET" || put.Method != "PUT" || get.PathKey != "/api/v1/things/{thingId}" {
		t.Fatalf("operations: %+v %+v", get, put)
	}
	where := map[string]string{}
	for _, op := range api.Operations {
		for _, p := range op.Params {
			where[op.Action+"."+p.Name] = p.Location
		}
	}
	for k, want := range map[string]string{"GetThing.thingId": "path", "GetThing.x-acs-accept-language": "header", "UpdateThing.name": "body", "UpdateThing.tags": "body"} {
		if where[k] != want {
			t.Errorf("%s travels in %q, want %q", k, where[k], want)
		}
	}
	for _, c := range []struct{ from, to, want string }{
		{"name: x-acs-accept-language, in: header", "name: x-acs-accept-language, in: cookie", "want path, query or header"},
		{"x-acs-in: body, description: Its name.", "x-acs-in: elsewhere, description: Its name.", `x-acs-in "elsewhere"`},
	} {
		broken := strings.Replace(roaContract, c.from, c.to, 1)
		if _, err := ParseLayered("things.yaml", []byte(broken), EmbeddedLayer); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want it to say %q", c.to, err, c.want)
		}
	}
	// x-acs-in belongs to ROA products only.
	rpc := strings.Replace(roaContract, "style: ROA", "style: RPC", 1)
	rpc = strings.Replace(rpc, "/api/v1/things/{thingId}:\n    get:", "/#GetThing:\n    post:", 1)
	rpc = strings.Replace(rpc, "{name: thingId, in: path, required: true,", "{name: thingId, in: query, x-acs-in: body, required: true,", 1)
	rpc = rpc[:strings.Index(rpc, "    put:")]
	if _, err := ParseLayered("things.yaml", []byte(rpc), EmbeddedLayer); err == nil || !strings.Contains(err.Error(), "x-acs-in is for ROA products only") {
		t.Errorf("x-acs-in in an RPC contract: %v", err)
	}
}
