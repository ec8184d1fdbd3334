package resourcedirectorymaster

import (
	"errors"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

func contract(t testing.TB) *spec.API {
	t.Helper()
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// TestValidateEveryRule runs every case derived from the contract — each
// rule broken, each boundary accepted — through the generated decoder and
// Validate, and expects exactly the rule's chosen code, status and message.
func TestValidateEveryRule(t *testing.T) {
	api := contract(t)
	total := 0
	for _, op := range api.Operations {
		base, err := cases.Baseline(op)
		if err != nil {
			t.Fatal(err)
		}
		req, err := DecodeRequest(op.Action, base)
		if err != nil || req.Validate() != nil {
			t.Fatalf("%s: the baseline request fails: %v / %v", op.Action, err, req.Validate())
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
				req, err := DecodeRequest(c.Action, c.Params)
				if err != nil {
					t.Fatalf("decode %v: %v", c.Params, err)
				}
				err = req.Validate()
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
				if ae.Code != want.Code || ae.HTTPStatus != want.Status || !messageMatches(want, ae.Message, c.Rule.ParamName()) {
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
	t.Logf("%d cases", total)
}

// TestValidateRuleOrder: a request breaking two rules gets the code of the
// one the contract lists first.
func TestValidateRuleOrder(t *testing.T) {
	r := &AssociateMembersRequest{ContactId: "bad id", Members: []string{"x", "x", "x", "x", "x", "x"}}
	var ae *acs.APIError
	if err := r.Validate(); !errors.As(err, &ae) || ae.Code != CodeInvalidParameterContactId {
		t.Fatalf("got %v, want the ContactId code first", err)
	}
	r.ContactId = "c-ok"
	if err := r.Validate(); !errors.As(err, &ae) || ae.Code != CodeLimitExceededContactMembers {
		t.Fatalf("got %v, want the count code before the item pattern", err)
	}
}

// messageMatches compares a message with the documented one; a template
// ({Name}) is filled with the parameter the rule is about.
func messageMatches(want *spec.ErrorCode, got, param string) bool {
	if want.Match() == spec.MatchTemplate {
		return got == strings.NewReplacer("{Name}", param).Replace(want.Message)
	}
	return got == want.Message
}
