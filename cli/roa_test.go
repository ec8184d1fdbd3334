package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

// roaContract is a REST-style product (spec/roa_test.go has the same).
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

// TestROAContractRefusedClearly: a ROA contract lints; gen and test say
// they cannot take it yet, naming the style, and exit 2 (the mock serves it
// interpreted: interop's TestROAServedToTheOfficialSDK).
func TestROAContractRefusedClearly(t *testing.T) {
	dir := t.TempDir()
	gateway, err := spec.EmbeddedLayer("gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"gateway.yaml": gateway, "things.yaml": []byte(roaContract)} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	contract := filepath.Join(dir, "things.yaml")
	if code, out, errOut := run("lint", "--contract", contract); code != ExitOK {
		t.Errorf("lint: exit %d\n%s%s", code, out, errOut)
	}
	for _, args := range [][]string{
		{"gen", "--contract", contract, "--out", filepath.Join(dir, "gen")},
		{"test", "--contract", contract},
	} {
		code, out, errOut := run(args...)
		if code != ExitUsage || !strings.Contains(out+errOut, "ROA (REST-style) product") {
			t.Errorf("%s: exit %d\n%s%s", args[0], code, out, errOut)
		}
	}
}
