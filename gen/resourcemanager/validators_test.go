package resourcemanager

import (
	"testing"

	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/internal/gentest"
	"github.com/acsconform/acsconform/spec"
)

// TestValidateEveryRule: the second product's generated validators answer
// every rule of its contract (imported from the vendor's metadata) with the
// rule's code, status and message, and accept every boundary.
func TestValidateEveryRule(t *testing.T) {
	api, err := spec.LoadProduct("ResourceManager")
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Operations) != 95 {
		t.Fatalf("%d operations, want the metadata's 95", len(api.Operations))
	}
	n := gentest.ValidateEveryRule(t, api, DecodeRequest)
	t.Logf("%d cases over %d operations", n, len(api.Operations))
}

// TestValidateAllocatesNothingOnValidInput: the zero-allocation path holds
// for the second product's validators too.
func TestValidateAllocatesNothingOnValidInput(t *testing.T) {
	api, err := spec.LoadProduct("ResourceManager")
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range api.Operations {
		params, err := cases.Baseline(op)
		if err != nil {
			t.Fatal(err)
		}
		req, err := DecodeRequest(op.Action, params)
		if err != nil {
			t.Fatalf("%s: %v", op.Action, err)
		}
		if n := testing.AllocsPerRun(100, func() { _ = req.Validate() }); n != 0 {
			t.Errorf("%s: %v allocations per valid Validate", op.Action, n)
		}
	}
}

// TestRefusalsAllocateNothing: every request a rule refuses is refused
// with the rule's shared error, without allocating.
func TestRefusalsAllocateNothing(t *testing.T) {
	api, err := spec.LoadProduct("ResourceManager")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range api.Operations {
		cs, err := cases.For(op)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.Accept {
				continue
			}
			req, err := DecodeRequest(op.Action, c.Params)
			if err != nil || req.Validate() == nil {
				continue // refused by decoding, or not by a rule of its own
			}
			n++
			if allocs := testing.AllocsPerRun(20, func() { _ = req.Validate() }); allocs != 0 {
				t.Errorf("%s %s: %v allocations per refusal", op.Action, c.ID, allocs)
			}
		}
	}
	if n == 0 {
		t.Fatal("no request was refused: the test shows nothing")
	}
	t.Logf("%d refusals, none allocating", n)
}
