package resourcedirectorymaster

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// benchInput is one request in the three forms the benchmark validates it in.
type benchInput struct {
	req   Request          // generated type
	obj   map[string]any   // the equivalent JSON object
	query url.Values       // OpenAPI's form/explode query form
	route *routers.Route   // for openapi3filter
	sch   *openapi3.Schema // object schema of the parameters
	op    *spec.Operation
}

// requestSchema is the parameters of op as one JSON object schema, which is
// what validating "the equivalent JSON" with kin-openapi means.
func requestSchema(op *spec.Operation) *openapi3.Schema {
	s := openapi3.NewObjectSchema()
	for _, p := range op.Params {
		s.WithPropertyRef(p.Name, &openapi3.SchemaRef{Value: p.Schema})
		if p.Required {
			s.Required = append(s.Required, p.Name)
		}
	}
	return s
}

func benchInputs(b testing.TB, valid bool) []benchInput {
	api := contract(b)
	var out []benchInput
	for _, op := range api.Operations {
		params, err := cases.Baseline(op)
		if err != nil {
			b.Fatal(err)
		}
		if !valid {
			// Break the last rule: every earlier check runs first.
			cs, _ := cases.For(op)
			for _, c := range cs {
				if !c.Accept && c.Rule == op.Rules[len(op.Rules)-1] {
					params = c.Params
				}
			}
		}
		req, err := DecodeRequest(op.Action, params)
		if err != nil {
			b.Fatal(err)
		}
		obj := map[string]any{}
		query := url.Values{}
		for _, p := range op.Params {
			switch p.Style {
			case spec.StyleRepeatList:
				items, _ := acs.DecodeRepeatList(params, p.Name)
				if items != nil {
					list := make([]any, len(items))
					for i, it := range items {
						list[i] = it
						query.Add(p.Name, it)
					}
					obj[p.Name] = list
				}
			case spec.StyleFlat:
				var fields []string
				for name := range p.Schema.Items.Value.Properties {
					fields = append(fields, name)
				}
				items, _ := acs.DecodeFlat(params, p.Name, fields...)
				if items != nil {
					list := make([]any, len(items))
					for i, it := range items {
						m := map[string]any{}
						for k, v := range it {
							m[k] = v
						}
						list[i] = m
					}
					obj[p.Name] = list
				}
			default:
				if params.Has(p.Name) {
					obj[p.Name] = typed(p, params.Get(p.Name))
					query.Set(p.Name, params.Get(p.Name))
				}
			}
		}
		item := api.Doc.Paths.Value(op.PathKey)
		route := &routers.Route{Spec: api.Doc, Path: op.PathKey, PathItem: item, Method: http.MethodPost, Operation: item.Post}
		out = append(out, benchInput{req: req, obj: obj, query: query, route: route, sch: requestSchema(op), op: op})
	}
	return out
}

// BenchmarkValidate compares the generated Validate with kin-openapi on the
// same requests, valid and invalid, per operation. Run with -benchmem and
// read the ratios across sub-benchmarks of one run.
func BenchmarkValidate(b *testing.B) {
	for _, valid := range []bool{true, false} {
		name := map[bool]string{true: "valid", false: "invalid"}[valid]
		for _, in := range benchInputs(b, valid) {
			in := in
			b.Run(in.op.Action+"/"+name+"/generated", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					_ = in.req.Validate()
				}
			})
			b.Run(in.op.Action+"/"+name+"/kin-schema", func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					_ = in.sch.VisitJSON(in.obj)
				}
			})
			b.Run(in.op.Action+"/"+name+"/kin-filter", func(b *testing.B) {
				b.ReportAllocs()
				ctx := context.Background()
				opts := &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
				r, _ := http.NewRequest(http.MethodPost, "http://h/?"+in.query.Encode(), nil)
				for i := 0; i < b.N; i++ {
					_ = openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{Request: r, Route: in.route, Options: opts})
				}
			})
		}
	}
}

// typed gives kin-openapi's JSON view of a query value its schema type.
func typed(p *spec.Param, v string) any {
	switch {
	case p.Schema.Type.Is("integer"):
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case p.Schema.Type.Is("boolean"):
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return v
}

// TestValidateAllocatesNothingOnValidInput guards the zero-allocation path.
func TestValidateAllocatesNothingOnValidInput(t *testing.T) {
	api := contract(t)
	for _, op := range api.Operations {
		params, _ := cases.Baseline(op)
		req, _ := DecodeRequest(op.Action, params)
		if n := testing.AllocsPerRun(100, func() { _ = req.Validate() }); n != 0 {
			t.Errorf("%s: %v allocations per valid Validate", op.Action, n)
		}
	}
}

// TestKinAgreesOnBaselines: the benchmark's kin-openapi inputs are valid
// where ours are, so the comparison times the same verdict.
func TestKinAgreesOnBaselines(t *testing.T) {
	for _, in := range benchInputs(t, true) {
		if err := in.sch.VisitJSON(in.obj); err != nil {
			t.Errorf("%s: kin-openapi rejects the baseline: %v", in.op.Action, err)
		}
		if hasFlat(in.op) {
			continue // kin-openapi has no query form for Tag.1.Key lists
		}
		r, _ := http.NewRequest(http.MethodPost, "http://h/?"+in.query.Encode(), nil)
		opts := &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
		if err := openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: r, Route: in.route, Options: opts}); err != nil {
			t.Errorf("%s: openapi3filter rejects the baseline: %v", in.op.Action, err)
		}
	}
}

func hasFlat(op *spec.Operation) bool {
	for _, p := range op.Params {
		if p.Style == spec.StyleFlat {
			return true
		}
	}
	return false
}

// BenchmarkValidateAll validates every operation's request once per
// iteration — the generated validators, kin-openapi's schema validation of
// the equivalent JSON, and openapi3filter on the query form — so one run
// gives the product-wide ratio. ns/request is the mean per request.
func BenchmarkValidateAll(b *testing.B) {
	for _, valid := range []bool{true, false} {
		name := map[bool]string{true: "valid", false: "invalid"}[valid]
		ins := benchInputs(b, valid)
		perRequest := func(b *testing.B) {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ins)), "ns/request")
		}
		b.Run(name+"/generated", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, in := range ins {
					_ = in.req.Validate()
				}
			}
			perRequest(b)
		})
		b.Run(name+"/kin-schema", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, in := range ins {
					_ = in.sch.VisitJSON(in.obj)
				}
			}
			perRequest(b)
		})
		b.Run(name+"/kin-filter", func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			opts := &openapi3filter.Options{ExcludeRequestBody: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
			reqs := make([]*http.Request, len(ins))
			for i, in := range ins {
				reqs[i], _ = http.NewRequest(http.MethodPost, "http://h/?"+in.query.Encode(), nil)
			}
			for b.Loop() {
				for i, in := range ins {
					_ = openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{Request: reqs[i], Route: in.route, Options: opts})
				}
			}
			perRequest(b)
		})
	}
}

// TestValidateAllocations guards the cost of the validators without
// timing anything: neither a valid request nor a refused one allocates
// (a refusal is a shared error built at generation time).
func TestValidateAllocations(t *testing.T) {
	for _, valid := range []bool{true, false} {
		for _, in := range benchInputs(t, valid) {
			allocs := testing.AllocsPerRun(20, func() { _ = in.req.Validate() })
			if limit := 0.0; allocs > limit {
				t.Errorf("%s, %s request: %.0f allocations, want at most %.0f", in.op.Action, map[bool]string{true: "valid", false: "refused"}[valid], allocs, limit)
			}
		}
	}
}
