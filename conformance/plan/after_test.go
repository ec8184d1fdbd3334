package plan

import (
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/acsconform/acsconform/spec"
)

// TestAnotherName: the value an after case sends in place of the success
// case's is a different one its schema accepts, or none.
func TestAnotherName(t *testing.T) {
	pattern := &spec.Param{Name: "FolderName", Schema: openapi3.NewStringSchema().WithPattern("^[a-z]+$")}
	enum := &spec.Param{Name: "Name", Schema: openapi3.NewStringSchema().WithEnum("Projects")}
	free := &spec.Param{Name: "Name", Schema: openapi3.NewStringSchema()}
	for _, tc := range []struct {
		p      *spec.Param
		in     string
		want   string
		wantOK bool
	}{
		{free, "Projects", "Projectt", true},
		{free, "Zz", "Zy", true},
		{free, "v9", "v8", true},
		{free, "名字", "", false},
		{pattern, "abc", "abd", true},
		{pattern, "abC", "", false},
		{enum, "Projects", "", false},
		{free, "", "", false},
	} {
		got, ok := another(tc.p, tc.in)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("another(%s, %q) = %q, %v; want %q, %v", tc.p.Name, tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}
