package judge

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// TestBurstDoesNotSpoilTheNextCase: right after the rate-limit burst
// drains the target's bucket, the concurrent-call case (paced, six
// requests at once) still judges concurrency, not throttling. Whatever
// order Ginkgo gives the two containers, neither cries wolf.
func TestBurstDoesNotSpoilTheNextCase(t *testing.T) {
	p, err := profile.Load(filepath.Join("..", "..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Options{Profile: p, Admin: true, EnforceRateLimit: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	defer func() { srv.Close(); _ = m.Close() }()
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	env, err := run.NewEnv(api, p, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	env.Reset = m.Backend().Reset
	j := New(api, p, "", true)
	// The burst, then a paced case of the same operation.
	var burst, concurrent *plan.Case
	planned, err := plan.Plan(api, p, plan.PlanOptions{Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range planned {
		if c.Procedure == plan.ProcedureBurst {
			burst = c
		}
	}
	for _, c := range planned {
		if burst != nil && c.Action == burst.Action && c.Kind == plan.KindErrorCode && c.Procedure == "" && c.Skip == "" && c.Safety == spec.SafetyReadonly && concurrent == nil {
			concurrent = c
		}
	}
	if burst == nil || concurrent == nil {
		t.Fatalf("want a burst and a paced case of its operation: %v, %v", burst, concurrent)
	}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, dev := j.Check(burst, env.Run(ctx, burst)); dev != nil {
			t.Fatalf("burst: %s", dev.What)
		}
		if err := env.Reset(); err != nil {
			t.Fatal(err)
		}
		if _, dev := j.Check(concurrent, env.Run(ctx, concurrent)); dev != nil {
			t.Fatalf("round %d: the case right after the burst: %s (%s)", i+1, dev.What, dev.Got)
		}
	}
}

// TestRefusalAttribution: a request that keeps a rule's documented limit
// and is refused with a code that a rule we only infer (or a form the docs
// do not state) also answers is at most a deviation from our reading; a
// refusal with a code only the stated rule of that parameter answers
// stays a deviation from the docs.
func TestRefusalAttribution(t *testing.T) {
	api, p, planned := mockPlan(t)
	find := func(prefix string) *plan.Case {
		for _, c := range planned {
			if len(c.ID) >= len(prefix) && c.ID[:len(prefix)] == prefix && len(c.Expect.NotCodes) > 0 {
				return c
			}
		}
		t.Fatalf("no boundary case %s…", prefix)
		return nil
	}
	refused := func(code string) *run.Outcome {
		return &run.Outcome{Answers: []*run.Answer{{Status: 400, Err: &acs.APIError{HTTPStatus: 400, Code: code, Message: "m", RequestID: "r"}}}}
	}
	j := New(api, p, "", true)
	tests := []struct {
		prefix, code string
		inferred     bool
		says         string
	}{
		// The seed case: InvalidParameter.Members is a candidate of the
		// stated Members.maxItems and the code of the inferred member-ID form.
		{"AssociateMembers/Members.uniqueItems/accept", "InvalidParameter.Members", true, "Members.items.pattern (our reading)"},
		// The limit's own code, which no other rule answers: a documented deviation.
		{"InviteAccountToResourceDirectory/Note.maxLength/accept", "InvalidParameter.Note.Length", false, "refused a request inside the documented limit"},
		{"AssociateMembers/Members.maxItems/accept", "LimitExceeded.ContactMembers", false, "refused a request inside the documented limit"},
	}
	for _, tt := range tests {
		c := find(tt.prefix)
		c.Requests = c.Requests[:1]
		_, dev := j.Check(c, refused(tt.code))
		if dev == nil || dev.Inconclusive {
			t.Fatalf("%s refused with %s: no deviation (%v)", c.ID, tt.code, dev)
		}
		if dev.Inferred() != tt.inferred || !strings.Contains(dev.What+dev.Inference, tt.says) {
			t.Errorf("%s refused with %s: inferred=%v (want %v): %s [%s]", c.ID, tt.code, dev.Inferred(), tt.inferred, dev.What, dev.Inference)
		}
	}
}

// TestRefusalEvidenceApartFromCode: a limit the metadata states, answered
// with a code we infer (ResellAccountType's enum, InvalidParameter): a
// target that accepts a value outside it deviates from the docs; one that
// refuses it with another code deviates from our reading only.
func TestRefusalEvidenceApartFromCode(t *testing.T) {
	api, p, planned := mockPlan(t)
	var c *plan.Case
	for _, x := range planned {
		if x.ID == "CreateResourceAccount/ResellAccountType.enum/reject-Mobile" {
			c = x
		}
	}
	if c == nil {
		t.Fatal("no case CreateResourceAccount/ResellAccountType.enum/reject-Mobile")
	}
	if !c.Inferred {
		t.Fatalf("%s: the code is our reading, yet the case is %s", c.ID, c.Evidence)
	}
	j := New(api, p, "", true)
	accepted := &run.Outcome{Answers: []*run.Answer{{Status: 200, Success: map[string]any{"RequestId": "r"}}}}
	_, dev := j.Check(c, accepted)
	if dev == nil || dev.Inferred() || !strings.Contains(dev.What, "accepted (HTTP 200)") {
		t.Fatalf("accepting a value outside the stated enum: %+v", dev)
	}
	other := &run.Outcome{Answers: []*run.Answer{{Status: 400, Err: &acs.APIError{HTTPStatus: 400, Code: "InvalidParameter.Account.DisplayName", Message: "m", RequestID: "r"}}}}
	_, dev = j.Check(c, other)
	if dev == nil || !dev.Inferred() {
		t.Fatalf("refusing with another documented code: %+v", dev)
	}
}

// mockPlan is the contract, the embedded mock's profile and the plan of
// every case against it.
func mockPlan(t *testing.T) (*spec.API, *profile.Profile, []*plan.Case) {
	t.Helper()
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(filepath.Join("..", "..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	planned, err := plan.Plan(api, p, plan.PlanOptions{Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	return api, p, planned
}
