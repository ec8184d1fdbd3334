// Package gentest holds the checks every generated product package runs
// against its own contract: each rule broken and each boundary accepted,
// through the generated decoder and validators. The generated packages'
// tests call it, so a second product gets the same proof as the first
// without a copy of the test.
package gentest

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// Validator is what a generated request type offers.
type Validator interface {
	Validate() error
	ValidateSite(site string) error
	CheckSite(site string) (rule string, err *acs.APIError)
}

// ValidateEveryRule runs every case derived from the contract — each rule
// broken, each boundary accepted — through decode and Validate, and
// expects exactly the rule's chosen code, status and message (or one of
// its candidates). It fails when a rule has no case. It returns the
// number of cases run.
func ValidateEveryRule[R Validator](t *testing.T, api *spec.API, decode func(action string, v url.Values) (R, error)) int {
	t.Helper()
	total := 0
	for _, op := range api.Operations {
		base, err := cases.Baseline(op)
		if err != nil {
			t.Fatal(err)
		}
		req, err := decode(op.Action, base)
		if err != nil {
			t.Fatalf("%s: the baseline request does not decode: %v", op.Action, err)
		}
		if err := req.Validate(); err != nil {
			t.Fatalf("%s: the baseline request fails: %v", op.Action, err)
		}
		cs, err := cases.For(op)
		if err != nil {
			t.Fatal(err)
		}
		rules := map[string]bool{}
		for _, c := range cs {
			total++
			rules[c.Rule.ID] = true
			t.Run(c.ID, func(t *testing.T) {
				req, err := decode(c.Action, c.Params)
				if err != nil {
					t.Fatalf("decode %v: %v", c.Params, err)
				}
				// A site's own rule is checked on that site; on none it
				// does not hold.
				err = req.ValidateSite(c.Rule.Site)
				if c.Rule.Site != "" {
					for _, other := range []string{"", otherSite(c.Rule.Site)} {
						if broken, _ := req.CheckSite(other); broken == c.Rule.ID {
							t.Fatalf("%s: rule %s, of the %s site only, applied on site %q", c.Why, c.Rule.ID, c.Rule.Site, other)
						}
					}
				}
				if c.Accept {
					if err != nil {
						t.Fatalf("%s: want accepted, got %v", c.Why, err)
					}
					return
				}
				var ae *acs.APIError
				if !errors.As(err, &ae) {
					t.Fatalf("%s: want %s, got %v", c.Why, c.Rule.Error, err)
				}
				// The first documented code the answer names (an empty
				// value may be answered as an absent one).
				want := op.Error(c.Rule.Error)
				for _, code := range c.Codes {
					if code == ae.Code && op.Error(code) != nil {
						want = op.Error(code)
					}
				}
				if ae.Code != want.Code || ae.HTTPStatus != want.Status || !MessageMatches(want, ae.Message, c.Rule.ParamName()) {
					t.Fatalf("%s: got %s %d %q, want %s %d %q", c.Why, ae.Code, ae.HTTPStatus, ae.Message, want.Code, want.Status, want.Message)
				}
			})
		}
		for _, r := range op.Rules {
			if !rules[r.ID] {
				t.Errorf("%s: rule %s has no case", op.Action, r.ID)
			}
		}
	}
	return total
}

// MessageMatches compares a message with the documented one; a template
// ({Name}) is filled with the parameter the rule is about.
func MessageMatches(want *spec.ErrorCode, got, param string) bool {
	if want.Match() == spec.MatchTemplate {
		return got == strings.NewReplacer("{Name}", param).Replace(want.Message)
	}
	return got == want.Message
}

// otherSite is the vendor's other site.
func otherSite(site string) string {
	if site == spec.SiteChina {
		return spec.SiteIntl
	}
	return spec.SiteChina
}
