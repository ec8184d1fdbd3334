package cases

import (
	"regexp"
	"regexp/syntax"
	"sort"
	"strings"
)

// Edge is a value at the boundary of a pattern, with what the pattern says
// of it (Match) — never what we guess.
type Edge struct {
	Value string
	Match bool
	Why   string
}

// sampler builds strings from a parsed pattern: each repeat at a chosen
// count, each character class at a chosen member.
type sampler struct {
	seed  int
	count func(min, max int) int
}

func (s *sampler) build(re *syntax.Regexp, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		b.WriteRune(pickRune(re.Rune, s.seed))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteRune('a')
	case syntax.OpCapture:
		s.build(re.Sub[0], b)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			s.build(sub, b)
		}
	case syntax.OpAlternate:
		s.build(re.Sub[0], b)
	case syntax.OpStar:
		s.repeat(re.Sub[0], 0, -1, b)
	case syntax.OpPlus:
		s.repeat(re.Sub[0], 1, -1, b)
	case syntax.OpQuest:
		s.repeat(re.Sub[0], 0, 1, b)
	case syntax.OpRepeat:
		s.repeat(re.Sub[0], re.Min, re.Max, b)
	}
}

func (s *sampler) repeat(sub *syntax.Regexp, min, max int, b *strings.Builder) {
	n := s.count(min, max)
	for i := 0; i < n; i++ {
		s.seed++
		s.build(sub, b)
	}
}

// pickRune picks a member of a character class (pairs of lo-hi ranges),
// preferring letters and digits so samples read well; seed varies it.
func pickRune(ranges []rune, seed int) rune {
	var members []rune
	for i := 0; i+1 < len(ranges); i += 2 {
		// Only the ASCII letters and digits of the range are walked: a
		// negated class spans all of Unicode.
		for _, band := range [][2]rune{{'0', '9'}, {'A', 'Z'}, {'a', 'z'}} {
			for r := max(ranges[i], band[0]); r <= min(ranges[i+1], band[1]); r++ {
				members = append(members, r)
			}
		}
	}
	if len(members) == 0 {
		for i := 0; i+1 < len(ranges); i += 2 {
			if ranges[i] >= ' ' {
				return ranges[i]
			}
		}
		if len(ranges) > 0 {
			return ranges[0]
		}
		return 'a'
	}
	return members[seed%len(members)]
}

// branches splits a pattern into its top-level alternatives (under anchors
// and captures), so each is sampled on its own.
func branches(re *syntax.Regexp) []*syntax.Regexp {
	switch re.Op {
	case syntax.OpConcat:
		// ^ (a|b) $: look through the anchors.
		var core []*syntax.Regexp
		for _, sub := range re.Sub {
			if sub.Op != syntax.OpBeginText && sub.Op != syntax.OpEndText && sub.Op != syntax.OpBeginLine && sub.Op != syntax.OpEndLine {
				core = append(core, sub)
			}
		}
		if len(core) == 1 {
			return branches(core[0])
		}
		return []*syntax.Regexp{re}
	case syntax.OpCapture:
		return branches(re.Sub[0])
	case syntax.OpAlternate:
		return re.Sub
	}
	return []*syntax.Regexp{re}
}

// Sample returns a string matching pattern, varied by seed (distinct seeds
// give distinct strings where the pattern allows); ok is false when no
// sample could be built.
func Sample(pattern string, seed int) (string, bool) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", false
	}
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return "", false
	}
	bs := branches(parsed)
	for try := 0; try < len(bs)*4; try++ {
		var b strings.Builder
		s := &sampler{seed: seed + try, count: func(min, max int) int {
			if max < 0 || max > min+2 {
				return min + 1 + (seed % 3)
			}
			return max
		}}
		s.build(bs[try%len(bs)], &b)
		if re.MatchString(b.String()) {
			return b.String(), true
		}
	}
	return "", false
}

// Edges returns boundary values of a pattern: for each alternative, every
// bounded repeat at its minimum and maximum, and one below and one above.
// Each edge is labelled by the compiled pattern itself.
func Edges(pattern string) []Edge {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil
	}
	parsed, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []Edge
	add := func(v, why string) {
		if v == "" || seen[v] {
			return
		}
		seen[v] = true
		out = append(out, Edge{Value: v, Match: re.MatchString(v), Why: why})
	}
	for _, br := range branches(parsed) {
		for _, delta := range []struct {
			name string
			pick func(min, max int) int
		}{
			{"every repeat at its minimum", func(min, max int) int { return min }},
			{"every repeat at its maximum", func(min, max int) int {
				if max < 0 {
					return min + 3
				}
				return max
			}},
			{"one repeat past its maximum", func(min, max int) int {
				if max < 0 {
					return min + 3
				}
				return max + 1
			}},
			{"one repeat short of its minimum", func(min, max int) int {
				if min > 0 {
					return min - 1
				}
				return min
			}},
		} {
			var b strings.Builder
			(&sampler{count: delta.pick}).build(br, &b)
			add(b.String(), delta.name)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Match && !out[j].Match })
	return out
}
