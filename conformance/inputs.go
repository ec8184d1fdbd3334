package conformance

import (
	"fmt"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/internal/yamlcheck"
	"github.com/acsconform/acsconform/spec"
)

// reportUnusedInputs names the profile's inputs no case looked up: each
// one close to a name a case did look up as a likely misspelling, the rest
// together (inputs of another contract, perhaps).
func (s *Session) reportUnusedInputs(asked map[string]bool) {
	var others []string
	declared := otherContractsInputs(s.API.Product)
	for _, name := range plan.UnusedInputs(s.Profile, asked) {
		if declared[name] {
			continue // an input of another built-in product: one profile serves them all
		}
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

// otherContractsInputs are the inputs the other built-in contracts
// declare (their x-acs-inputs), which a profile shared by every product
// gives without this one using them.
func otherContractsInputs(product string) map[string]bool {
	out := map[string]bool{}
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil || api.Product == product {
			continue
		}
		for in := range api.Inputs {
			out[in] = true
		}
	}
	return out
}

// suggest names the input a misspelt one was probably meant to be (as a
// misspelt profile key is named), or "".
func suggest(name string, asked map[string]bool) string {
	var known []string
	for a := range asked {
		if a != "" && strings.Contains(a, ".") == strings.Contains(name, ".") {
			known = append(known, a)
		}
	}
	sort.Strings(known)
	return yamlcheck.Suggest(name, known)
}
