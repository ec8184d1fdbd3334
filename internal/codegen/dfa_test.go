package codegen

import (
	"regexp"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// patterns the DFA must agree with regexp on: the contract's, and shapes
// chosen to stress anchoring, alternation, repetition and Unicode.
func dfaPatterns(t testing.TB) []string {
	out := []string{
		"^c-[A-Za-z0-9]+$", "^[0-9]{16}$", "^(r-[A-Za-z0-9]{6}|fd-[A-Za-z0-9]{10})$",
		"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*$",
		"abc", "^a*$", "a|b$", "^$", "^(ab|a)(bc|c)$", "^[歡迎]{2,3}$", "x*", "^.{3}$", "(?s)^.+$", "^a?b+c{2,}$", "^\\d+(\\.\\d+)?$",
	}
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range api.Operations {
		for _, r := range op.Rules {
			if p := r.EffectivePattern(); r.Kind == spec.RulePattern {
				out = append(out, p)
			}
		}
	}
	return out
}

func TestDFAAgreesWithRegexp(t *testing.T) {
	inputs := []string{"", "a", "b", "ab", "abc", "abcd", "xabc", "c-", "c-1", "c-a b", "r-123456", "r-1234567", "fd-0123456789", "fd-012345678",
		"1234567890123456", "123456789012345", "someone@example.com", "a@b", "a@b.c", "@b.c", "a b@c.d", "歡迎", "歡迎您", "歡", "\x01", "tab\there",
		"line\nbreak", "\xff\xfe", "abcbc", "abc\n", "bbbcc", "1.5", "1.", "12", "é", "xxx"}
	for _, p := range dfaPatterns(t) {
		d, err := CompileDFA(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		re := regexp.MustCompile(p)
		vals := append([]string(nil), inputs...)
		for _, e := range cases.Edges(p) {
			vals = append(vals, e.Value)
		}
		for seed := 0; seed < 5; seed++ {
			if s, ok := cases.Sample(p, seed); ok {
				vals = append(vals, s, s+"x", "x"+s, strings.ToUpper(s))
			}
		}
		for _, s := range vals {
			if d.Match(s) != re.MatchString(s) {
				t.Errorf("%q on %q: dfa %v, regexp %v", p, s, d.Match(s), re.MatchString(s))
			}
		}
	}
}

func TestDFARefuses(t *testing.T) {
	for _, p := range []string{`(?i)^abc$`, `\bword\b`, `^[a-z]{300}$`} {
		if _, err := CompileDFA(p); err == nil {
			t.Errorf("%s compiled; want it left to regexp", p)
		}
	}
}

// FuzzDFA: on any input, each pattern's automaton agrees with regexp.
func FuzzDFA(f *testing.F) {
	pats := dfaPatterns(f)
	dfas := make([]*DFA, len(pats))
	res := make([]*regexp.Regexp, len(pats))
	for i, p := range pats {
		dfas[i], _ = CompileDFA(p)
		res[i] = regexp.MustCompile(p)
	}
	for _, s := range []string{"c-abc", "fd-0123456789", "someone@example.com", "歡迎", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i, d := range dfas {
			if d != nil && d.Match(s) != res[i].MatchString(s) {
				t.Fatalf("%q on %q: dfa %v, regexp %v", pats[i], s, d.Match(s), res[i].MatchString(s))
			}
		}
	})
}
