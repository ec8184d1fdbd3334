package conformance

import (
	"fmt"

	"github.com/onsi/gomega/types"

	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
)

// Conform succeeds when a case's check found no deviation; its failure
// message names the deviation, what was sent and received, what the docs
// say and which page says it, and a curl command that reproduces it.
//
// Only that message is rendered, and only when it is printed: a failing
// case never pays for Gomega's rendering of the whole deviation (its
// exchanges, its case, the contract behind them).
func Conform(c *plan.Case) types.GomegaMatcher { return &conformMatcher{c: c} }

type conformMatcher struct {
	c *plan.Case
	d *judge.Deviation
}

func (m *conformMatcher) Match(actual any) (bool, error) {
	d, ok := actual.(*judge.Deviation)
	if !ok && actual != nil {
		return false, fmt.Errorf("Conform matches a *judge.Deviation, not %T", actual)
	}
	if d != nil {
		d.Case = m.c
	}
	m.d = d
	return d == nil, nil
}

func (m *conformMatcher) FailureMessage(any) string { return m.d.Report() }

func (m *conformMatcher) NegatedFailureMessage(any) string {
	return "the case was expected to deviate, and it conforms"
}
