package cases

import (
	"regexp"
	"strings"
	"testing"
)

func edgeValues(es []Edge, match bool) []string {
	var out []string
	for _, e := range es {
		if e.Match == match {
			out = append(out, e.Value)
		}
	}
	return out
}

// TestEdges pins the boundaries derived from the contract's ID patterns:
// exactly the documented lengths are accepted, one more or one less refused.
func TestEdges(t *testing.T) {
	cases := []struct {
		pattern        string
		accept, refuse []string
	}{
		{"^[0-9]{16}$", []string{"1234567890123456"}, []string{"12345678901234567", "123456789012345"}},
		{"^(r-[A-Za-z0-9]{6}|fd-[A-Za-z0-9]{10})$",
			[]string{"r-123456", "fd-123456789A"},
			[]string{"r-1234567", "r-12345", "fd-123456789AB", "fd-123456789"}},
		{"^c-[A-Za-z0-9]+$", []string{"c-1", "c-1234"}, []string{"c-"}},
	}
	for _, c := range cases {
		es := Edges(c.pattern)
		got := map[bool]string{true: strings.Join(edgeValues(es, true), ","), false: strings.Join(edgeValues(es, false), ",")}
		if want := strings.Join(c.accept, ","); got[true] != want {
			t.Errorf("%s accepts %s, want %s", c.pattern, got[true], want)
		}
		if want := strings.Join(c.refuse, ","); got[false] != want {
			t.Errorf("%s refuses %s, want %s", c.pattern, got[false], want)
		}
	}
}

func TestSampleMatchesAndVaries(t *testing.T) {
	for _, p := range []string{"^[0-9]{16}$", "^(rd-[A-Za-z0-9]+|r-[A-Za-z0-9]{6}|fd-[A-Za-z0-9]{10}|[0-9]{16})$", "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "^[^\\x00-\\x08]*$"} {
		re := regexp.MustCompile(p)
		seen := map[string]bool{}
		for seed := 0; seed < 8; seed++ {
			s, ok := Sample(p, seed)
			if !ok || !re.MatchString(s) {
				t.Fatalf("%s: sample %q (ok %v) does not match", p, s, ok)
			}
			seen[s] = true
		}
		if len(seen) < 4 {
			t.Errorf("%s: only %d distinct samples in 8 seeds", p, len(seen))
		}
	}
}
