package spec

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// ExampleRef is one example in the contract and the schema it must satisfy.
type ExampleRef struct {
	Where  string // "AssociateMembers parameter Members", "AssociateMembers response example p000", ...
	Pos    Pos
	Schema *openapi3.Schema
	Value  any
}

// Validate checks the example against its schema, reading vendor-masked
// strings as Unmask does.
func (e ExampleRef) Validate() error {
	if err := e.Schema.VisitJSON(Unmask(e.Value), openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s: example %v does not validate: %w", e.Where, e.Value, err)
	}
	return nil
}

// Examples lists every example the contract carries: each parameter's, each
// example inside a parameter's or a response's schema tree, each sample
// success body, and those of the shared component schemas.
func (a *API) Examples() []ExampleRef {
	var out []ExampleRef
	seen := map[*openapi3.Schema]bool{}
	for _, op := range a.Operations {
		for _, p := range op.Params {
			if p.Example != nil && p.Schema != nil {
				out = append(out, ExampleRef{Where: op.Action + " parameter " + p.Name, Pos: p.Pos, Schema: p.Schema, Value: p.Example})
			}
			out = a.schemaExamples(out, op.Action+" parameter "+p.Name, p.Schema, seen)
		}
		for _, ex := range op.Examples {
			out = append(out, ExampleRef{Where: op.Action + " response example " + ex.Name, Pos: ex.Pos, Schema: op.Response, Value: ex.Value})
		}
		out = a.schemaExamples(out, op.Action+" response", op.Response, seen)
	}
	if a.Doc != nil && a.Doc.Components != nil {
		names := make([]string, 0, len(a.Doc.Components.Schemas))
		for n := range a.Doc.Components.Schemas {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if ref := a.Doc.Components.Schemas[n]; ref != nil {
				out = a.schemaExamples(out, "schema "+n, ref.Value, seen)
			}
		}
	}
	return out
}

func (a *API) schemaExamples(out []ExampleRef, where string, s *openapi3.Schema, seen map[*openapi3.Schema]bool) []ExampleRef {
	if s == nil || seen[s] {
		return out
	}
	seen[s] = true
	if s.Example != nil {
		out = append(out, ExampleRef{Where: where + " (schema example)", Pos: a.originPos(s.Origin, "example"), Schema: s, Value: s.Example})
	}
	if s.Items != nil {
		out = a.schemaExamples(out, where+"[*]", s.Items.Value, seen)
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ref := s.Properties[n]; ref != nil {
			out = a.schemaExamples(out, where+"."+n, ref.Value, seen)
		}
	}
	return out
}

func (a *API) originPos(o *openapi3.Origin, field string) Pos {
	if o == nil {
		return Pos{File: a.File}
	}
	if loc, ok := o.Fields.Lookup(field); ok {
		return Pos{File: a.File, Line: loc.Line, Col: loc.Column}
	}
	if o.Key != nil {
		return Pos{File: a.File, Line: o.Key.Line, Col: o.Key.Column}
	}
	return Pos{File: a.File}
}

// WireText is a sample value as it travels on the RPC wire: numbers as the
// vendor writes them (5113766248601929, never 5.113766248601929e+15, which
// a number decoded from JSON prints as), anything else as fmt prints it.
func WireText(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
