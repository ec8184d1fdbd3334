package conformance

import (
	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
)

// Conform succeeds when a case's check found no deviation; its failure
// message names the deviation, what was sent and received, what the docs
// say and which page says it, and a curl command that reproduces it.
func Conform(c *plan.Case) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(d *judge.Deviation) (bool, error) {
		if d != nil {
			d.Case = c
		}
		return d == nil, nil
	}).WithTemplate("{{.Actual.Report}}")
}
