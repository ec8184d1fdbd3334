package resourcedirectorymaster

import (
	"errors"
	"testing"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/gentest"
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
	n := gentest.ValidateEveryRule(t, contract(t), DecodeRequest)
	t.Logf("%d cases", n)
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
