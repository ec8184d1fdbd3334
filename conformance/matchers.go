package conformance

import (
	"github.com/onsi/gomega/gcustom"
	"github.com/onsi/gomega/types"
)

// Conform succeeds when a case's check found no deviation; its failure
// message names the deviation, what was sent and received, what the docs
// say and which page says it, and a curl command that reproduces it.
func Conform(c *Case) types.GomegaMatcher {
	return gcustom.MakeMatcher(func(d *Deviation) (bool, error) {
		if d != nil {
			d.Case = c
		}
		return d == nil, nil
	}).WithTemplate("{{.Actual.Report}}")
}

// Report renders the deviation for a failure message.
func (d *Deviation) Report() string {
	if d == nil || d.Case == nil {
		return "no deviation"
	}
	return Explain(d.Case, d)
}
