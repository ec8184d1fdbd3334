package cases

import (
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestFromSchema: a value for a required parameter without an example is
// built from what its schema allows, or refused saying why.
func TestFromSchema(t *testing.T) {
	ten, three := uint64(10), uint64(3)
	min := 5.0
	cases := []struct {
		name   string
		schema *openapi3.Schema
		want   string
		fails  bool
	}{
		{"enum", &openapi3.Schema{Type: &openapi3.Types{"string"}, Enum: []any{"Basic", "Pro"}}, "Basic", false},
		{"integer enum", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Enum: []any{float64(30), float64(50)}}, "30", false},
		{"default", &openapi3.Schema{Type: &openapi3.Types{"string"}, Default: "zh"}, "zh", false},
		{"minimum", &openapi3.Schema{Type: &openapi3.Types{"integer"}, Min: &min}, "5", false},
		{"boolean", &openapi3.Schema{Type: &openapi3.Types{"boolean"}}, "true", false},
		{"least length", &openapi3.Schema{Type: &openapi3.Types{"string"}, MinLength: 3, MaxLength: &ten}, "aaa", false},
		{"pattern within lengths", &openapi3.Schema{Type: &openapi3.Types{"string"}, Pattern: "^[a-z]+$", MinLength: 8}, "", false},
		{"lengths that admit nothing", &openapi3.Schema{Type: &openapi3.Types{"string"}, MinLength: 5, MaxLength: &three}, "", true},
		{"an object", &openapi3.Schema{Type: &openapi3.Types{"object"}}, "", true},
		{"no schema", nil, "", true},
	}
	for _, c := range cases {
		got, why := FromSchema(c.schema)
		if c.fails != (why != "") {
			t.Errorf("%s: %q, why %q", c.name, got, why)
			continue
		}
		if c.want != "" && got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if c.name == "pattern within lengths" && (len(got) < 8 || !regexpMatch("^[a-z]+$", got)) {
			t.Errorf("%s: %q does not fit the pattern and length", c.name, got)
		}
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
