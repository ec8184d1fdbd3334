package mock

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	sts "github.com/acsconform/acsconform/gen/sts"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// TestInterpretedAnswersAsGenerated: for each built-in product, the
// interpreted handler gives every request the answer the generated handler
// gives (status, code and message): every rule case of every operation,
// its valid request, a wrong version, an unknown action and a malformed
// number. Signatures are left out (both use the same verifier).
func TestInterpretedAnswersAsGenerated(t *testing.T) {
	generated := map[string]http.Handler{
		"resourcedirectorymaster": rdm.NewHandler(rdm.Samples{}, rdm.HandlerOptions{Site: "intl"}),
		"resourcemanager":         rm.NewHandler(rm.Samples{}, rm.HandlerOptions{Site: "intl"}),
		"sts":                     sts.NewHandler(sts.Samples{}, sts.HandlerOptions{Site: "intl"}),
	}
	for _, name := range spec.Products {
		gen, ok := generated[name]
		if !ok {
			continue // a product added since: its generated package is not imported here
		}
		t.Run(name, func(t *testing.T) {
			api, err := spec.LoadProduct(name)
			if err != nil {
				t.Fatal(err)
			}
			pr, err := interpretProduct(api)
			if err != nil {
				t.Fatal(err)
			}
			interp := pr.contractOnly(engineOptions{Site: "intl"})
			compared := 0
			send := func(what string, params url.Values) {
				t.Helper()
				want, got := answer(gen, params), answer(interp, params)
				if want != got {
					t.Errorf("%s (%s):\n generated   %s\n interpreted %s", what, params.Encode(), want, got)
				}
				compared++
			}
			for _, op := range api.Operations {
				base, err := cases.Baseline(op)
				if err != nil {
					continue
				}
				send(op.Action+" valid", with(base, op.Action, api.Version))
				send(op.Action+" wrong version", with(base, op.Action, "1999-01-01"))
				for _, p := range op.Params {
					if p.Schema != nil && p.Schema.Type.Is("integer") {
						v := with(base, op.Action, api.Version)
						v.Set(p.Name, "x1")
						send(op.Action+" malformed "+p.Name, v)
						break
					}
				}
				rcs, err := cases.For(op)
				if err != nil {
					t.Fatalf("%s: %v", op.Action, err)
				}
				for _, rc := range rcs {
					send(rc.ID, with(rc.Params, op.Action, api.Version))
				}
			}
			send("unknown action", with(url.Values{}, "NoSuchAction", api.Version))
			if compared < 3*len(api.Operations) {
				t.Fatalf("only %d requests compared over %d operations", compared, len(api.Operations))
			}
		})
	}
}

// with is params with the common parameters of an RPC call.
func with(params url.Values, action, version string) url.Values {
	v := url.Values{}
	for k, vs := range params {
		v[k] = append([]string(nil), vs...)
	}
	v.Set("Action", action)
	v.Set("Version", version)
	v.Set("Format", "JSON")
	return v
}

// answer is a handler's answer to a form POST, as status, code and message.
func answer(h http.Handler, params url.Values) string {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(params.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	var e acs.APIError
	_ = json.Unmarshal(w.Body.Bytes(), &e)
	if w.Code == http.StatusOK {
		return "200"
	}
	return http.StatusText(w.Code) + " " + e.Code + " " + e.Message
}
