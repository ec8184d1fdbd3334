package judge

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"

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
