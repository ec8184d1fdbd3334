package conformance

import (
	"fmt"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
)

// reportUnusedInputs names the profile's inputs no case looked up: each
// one close to a name a case did look up as a likely misspelling, the rest
// together (inputs of another contract, perhaps).
func (s *Session) reportUnusedInputs(asked map[string]bool) {
	var others []string
	for _, name := range plan.UnusedInputs(s.Profile, asked) {
		if meant := suggest(name, asked); meant != "" {
			fmt.Fprintf(s.Opts.Out, "acsconform: profile %s: no case of %s %s uses input %q (did you mean %q?)\n", s.Profile.File, s.API.Product, s.API.Version, name, meant)
			continue
		}
		others = append(others, name)
	}
	if len(others) > 0 {
		shown, more := others, ""
		if len(shown) > 5 {
			shown, more = shown[:5], fmt.Sprintf(", … %d more", len(others)-5)
		}
		fmt.Fprintf(s.Opts.Out, "acsconform: profile %s: %d input(s) used by no case of %s %s (meant for another contract?): %s%s\n", s.Profile.File, len(others), s.API.Product, s.API.Version, strings.Join(shown, ", "), more)
	}
}

// suggest names the input a misspelt one was probably meant to be (the
// same but for case, or one or two letters apart), or "".
func suggest(name string, asked map[string]bool) string {
	limit := 1
	if len(name) >= 8 {
		limit = 2
	}
	best, bestD := "", limit+1
	for a := range asked {
		if a == "" || strings.Contains(a, ".") != strings.Contains(name, ".") {
			continue
		}
		d := editDistance(strings.ToLower(name), strings.ToLower(a))
		if strings.EqualFold(a, name) {
			d = 0
		}
		if d < bestD || (d == bestD && a < best) {
			best, bestD = a, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
