package run

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// TestOversizedAnswersNeverHeld drives 1,000 answers of 32 MiB each and
// keeps every Answer, as a run keeps its outcomes: each is a bounded
// answer (Oversize, a few KiB kept), and the heap stays flat — far below
// what reading them would take (32 GiB), or even one of them.
func TestOversizedAnswersNeverHeld(t *testing.T) {
	chunk := []byte(strings.Repeat("a", 1<<20))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"RequestId":"x","Pad":"`))
		for i := 0; i < 32; i++ {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Load(filepath.Join("..", "..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEnv(api, p, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	e.MaxAnswerBytes = 64 << 10
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	kept := make([]*Answer, 0, 1000)
	req := plan.Request{Action: api.Operations[0].Action}
	for i := 0; i < 1000; i++ {
		a := e.Send(context.Background(), req, false)
		if a.Oversize != 64<<10 || a.Broken() != "" || !strings.Contains(a.Garbage, "larger than 65536 bytes") {
			t.Fatalf("answer %d: oversize %d, broken %q, %q", i, a.Oversize, a.Broken(), a.Garbage)
		}
		kept = append(kept, a)
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	grew := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if grew > 64<<20 {
		t.Fatalf("the heap grew by %d MiB holding 1,000 oversized answers", grew>>20)
	}
	t.Logf("1,000 answers of 32 MiB held in %d KiB of heap", grew>>10)
	runtime.KeepAlive(kept)
}
