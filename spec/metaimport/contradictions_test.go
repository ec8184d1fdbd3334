package metaimport

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestContradictions: each way the vendor's file disagrees with itself is
// recorded with both readings and decided, and the product still imports;
// our own readings give way to the vendor's examples.
func TestContradictions(t *testing.T) {
	wrap := func(api string) string {
		return `{"info": {"style": "RPC", "product": "P", "version": "1"}, "apis": {"A": ` + api + `}}`
	}
	cases := []struct {
		name, file string
		want       []string // in the imported layer
		not        []string // not in it
	}{
		{"error under a success status", wrap(`{"errorCodes": {"200": [{"errorCode": "Quota.Insufficient", "errorMessage": "no"}], "400": [{"errorCode": "Bad", "errorMessage": "bad"}]}}`),
			[]string{"a-error-not-an-error-status", "Quota.Insufficient under 200", "code: Bad"}, []string{"code: Quota.Insufficient"}},
		{"parameter listed twice", wrap(`{"parameters": [{"name": "Lang", "in": "query", "schema": {"type": "string"}}, {"name": "Lang", "in": "query", "schema": {"type": "integer"}}]}`),
			[]string{"a-parameter-listed-twice", "parameters lists again: Lang"}, nil},
		{"a number's enum written as text", wrap(`{"parameters": [{"name": "PageSize", "in": "query", "schema": {"type": "integer", "enum": ["30", "50"], "description": "每页条数。默认值：30。"}}]}`),
			[]string{"enum: [30, 50]", "default: 30"}, []string{`enum: ["30"`}},
		{"a boolean's enum written as text", wrap(`{"parameters": [{"name": "AutoPay", "in": "query", "schema": {"type": "boolean", "enum": ["true"]}}]}`),
			[]string{"enum: [true]"}, nil},
		{"an example outside the stated values", wrap(`{"parameters": [{"name": "Region", "in": "query", "schema": {"type": "string", "enum": ["cn-hangzhou"], "example": "cn-beijing"}}]}`),
			[]string{"a-region-example-enum", "Example: cn-beijing"}, []string{"example: cn-beijing"}},
		{"an example breaking our reading of words", wrap(`{"parameters": [{"name": "Version", "in": "query", "schema": {"type": "string", "description": "版本。取值：\n\n- MySQL：5.7\n- PostgreSQL：14.0", "example": "5.7"}}]}`),
			[]string{"a-version-example-enum", "Our reading of the words is dropped", "example: \"5.7\""}, []string{"enum: [MySQL"}},
		{"a sample and its schema disagree on a type", wrap(`{"responses": {"200": {"schema": {"type": "object", "properties": {"PageNumber": {"type": "string"}, "Total": {"type": "integer", "format": "int32"}}}}}, "responseDemo": "[{\"type\":\"json\",\"example\":\"{\\\"PageNumber\\\":1,\\\"Total\\\":5000000000}\"}]"}`),
			[]string{"a-sample-against-schema", "PageNumber: string in the schema, integer in the sample", "Total: int32 in the schema"}, []string{"format: int32"}},
		{"an error without a message", wrap(`{"errorCodes": {"400": [{"errorCode": "Bad"}]}}`),
			[]string{"message: '{Message}'", "message-match: template"}, nil},
		{"white space around an example", wrap(`{"parameters": [{"name": "Region", "in": "query", "schema": {"type": "string", "enum": ["cn-hangzhou"], "example": "cn-hangzhou\n"}}]}`),
			[]string{"example: cn-hangzhou"}, []string{"example-enum"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse("v.json", []byte(c.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(doc, Options{File: "v.json"})
			if err != nil {
				t.Fatal(err)
			}
			out := string(res.Document)
			var back yaml.Node
			if err := yaml.Unmarshal(res.Document, &back); err != nil {
				t.Fatalf("the layer does not read back: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("the layer lacks %q:\n%s", w, out)
				}
			}
			for _, n := range c.not {
				if strings.Contains(out, n) {
					t.Errorf("the layer holds %q:\n%s", n, out)
				}
			}
		})
	}
}

// TestV3Shapes: a V3 product on the RPC wire is read as RPC; one with REST
// paths or parameters in the path, a header or a body as ROA.
func TestV3Shapes(t *testing.T) {
	rpc := `{"info": {"style": "V3", "product": "P", "version": "1"}, "apis": {"A": {"methods": ["post"], "parameters": [{"name": "Id", "in": "formData", "schema": {"type": "string"}}]}}}`
	if doc, err := Parse("v3.json", []byte(rpc)); err != nil || doc.ROA {
		t.Errorf("an RPC-shaped V3 product: %v (ROA %v)", err, doc != nil && doc.ROA)
	} else if _, err := Import(doc, Options{File: "v3.json"}); err != nil {
		t.Errorf("an RPC-shaped V3 product: %v", err)
	}
	for _, rest := range []string{
		`{"info": {"style": "V3", "product": "P", "version": "1"}, "apis": {"A": {"path": "/api/v1/things/{id}", "parameters": []}}}`,
		`{"info": {"style": "V3", "product": "P", "version": "1"}, "apis": {"A": {"parameters": [{"name": "x", "in": "header", "schema": {"type": "string"}}]}}}`,
	} {
		if doc, err := Parse("v3.json", []byte(rest)); err != nil || !doc.ROA {
			t.Errorf("a REST-shaped V3 product: %v", err)
		}
	}
}

// TestROAImport: a ROA product's operations land on their paths and
// methods, parameters in their places, and the layer reads back; a path
// and its path parameters that disagree are made to agree and recorded.
func TestROAImport(t *testing.T) {
	file := `{"info": {"style": "ROA", "product": "P", "version": "1"}, "apis": {
		"GetThing": {"path": "/api/v1/things/[thingId]", "methods": ["get"], "parameters": [
			{"name": "thingId", "in": "path", "schema": {"type": "string", "required": true}},
			{"name": "x-acs-accept-language", "in": "header", "schema": {"type": "string"}},
			{"name": "tags", "in": "query", "style": "simple", "schema": {"type": "array", "items": {"type": "string"}}}]},
		"UpdateThing": {"path": "/api/v1/things/{thingId}", "methods": ["put"], "parameters": [
			{"name": "thingId", "in": "path", "schema": {"type": "string"}},
			{"name": "body", "in": "body", "style": "json", "schema": {"type": "object", "properties": {"name": {"type": "string"}}}}]},
		"GetResource": {"path": "/api/v1/providers/{provider}/resources/*", "methods": ["get"], "parameters": [
			{"name": "requestPath", "in": "path", "schema": {"type": "string"}}]},
		"ZClash": {"path": "/api/v1/things/{thingId}", "methods": ["get"], "parameters": []}}}`
	doc, err := Parse("roa.json", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(doc, Options{File: "roa.json"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Document)
	for _, want := range []string{
		"/api/v1/things/{thingId}:", "get:", "put:", "style: ROA",
		"in: header",
		"x-acs-in: body", "x-acs-encoding: simple",
		"/api/v1/providers/{provider}/resources/{requestPath}:", "getresource-path-parameters",
		"stands for the path", "which no parameter declares",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the layer lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(fmt.Sprint(res.Findings), "gives one request two operations") {
		t.Errorf("two operations on one path and method are not recorded: %v", res.Findings)
	}
	var back yaml.Node
	if err := yaml.Unmarshal(res.Document, &back); err != nil {
		t.Fatalf("the layer does not read back: %v", err)
	}
}
