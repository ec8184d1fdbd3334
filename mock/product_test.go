package mock

import (
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/spec"
)

// contractOnlyRM registers ResourceManager as a product without modelled
// state for the test's duration (no built-in product is served that way
// today; one imported from any vendor file will be).
func contractOnlyRM(t *testing.T) {
	saved := products[rm.Product]
	pr := saved
	pr.overDirectory = nil
	pr.contractOnly = func(o engineOptions) http.Handler {
		return rm.NewHandler(rm.Samples{}, rm.HandlerOptions{Verifier: o.Verifier, Limits: o.Limits, Site: o.Site})
	}
	products[rm.Product] = pr
	t.Cleanup(func() { products[rm.Product] = saved })
}

// TestContractOnlyProduct: a product without modelled state is served
// from its contract: a valid signed request gets the operation's sample,
// a broken rule its documented code, an unknown key the gateway's refusal;
// what needs state (a state file) is refused with the reason, and the
// admin state endpoint says there is none.
func TestContractOnlyProduct(t *testing.T) {
	contractOnlyRM(t)
	api, err := spec.LoadProduct("resourcemanager")
	if err != nil {
		t.Fatal(err)
	}
	p := loadProfile(t)
	if _, err := New(Options{Profile: p, Contract: api, StateFile: filepath.Join(t.TempDir(), "state")}); err == nil || !strings.Contains(err.Error(), "contract-only") {
		t.Fatalf("a state file for a contract-only product: %v", err)
	}
	tg := start(t, p, Options{Contract: api, Admin: true})
	if tg.mock.Backend() != nil || tg.mock.Reset() != nil {
		t.Fatal("a contract-only product has no backend, and its reset does nothing")
	}
	creds, err := p.Resolve("default", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	call := func(creds acs.Credentials, action string, params map[string]string, out any) error {
		tr := &acs.Transport{Endpoint: tg.srv.URL, Credentials: creds, Retry: acs.RetryPolicy{MaxAttempts: 1}}
		v := map[string][]string{}
		for k, x := range params {
			v[k] = []string{x}
		}
		return tr.Do(context.Background(), acs.Call{Action: action, Version: api.Version, Params: v}, out)
	}
	var got struct{ ResourceGroup struct{ Id string } }
	if err := call(creds, "GetResourceGroup", map[string]string{"ResourceGroupId": "rg-aekzwrtvsmihjiq"}, &got); err != nil || got.ResourceGroup.Id == "" {
		t.Fatalf("GetResourceGroup: %v, %+v: want the documented sample", err, got)
	}
	var ae *acs.APIError
	if err := call(creds, "GetResourceGroup", nil, nil); !errors.As(err, &ae) || ae.Code != rm.CodeMissingParameter {
		t.Fatalf("GetResourceGroup without ResourceGroupId: %v", err)
	}
	bad := creds
	bad.AccessKeySecret += "-wrong"
	if err := call(bad, "GetResourceGroup", map[string]string{"ResourceGroupId": "rg-1"}, nil); !errors.As(err, &ae) || ae.Code != rm.CodeSignatureDoesNotMatch {
		t.Fatalf("a wrong secret: %v", err)
	}
	resp, err := http.Get(tg.srv.URL + AdminPrefix + "state")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "contract-only") || !strings.Contains(string(body), "ResourceManager") {
		t.Fatalf("state dump: %d %s", resp.StatusCode, body)
	}
}
