package interop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/acsconform/acsconform/acs"
)

// TestV3VectorsAgreeWithDarabonba recomputes every v3 known-answer vector of
// acs/testdata with darabonba-openapi's own GetAuthorization, so the vectors
// are the vendor SDK's answers, not only ours.
func TestV3VectorsAgreeWithDarabonba(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "acs", "testdata", "signatures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vectors []struct {
		Name, Method, Host, Body, Time, Nonce, Signature string
		Version                                          int
		Params, Headers                                  map[string]string
		KeyID                                            string `json:"key_id"`
		Secret                                           string
	}
	if err := json.Unmarshal(data, &vectors); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range vectors {
		if v.Version != 3 {
			continue
		}
		n++
		req := dara.NewRequest()
		req.Method = dara.String(v.Method)
		req.Pathname = dara.String("/")
		req.Query = map[string]*string{}
		for k, val := range v.Params {
			req.Query[k] = dara.String(val)
		}
		payload := acs.HashHex([]byte(v.Body))
		req.Headers = map[string]*string{
			"host": dara.String(v.Host), "x-acs-date": dara.String(v.Time),
			"x-acs-signature-nonce": dara.String(v.Nonce), "x-acs-content-sha256": dara.String(payload),
		}
		for k, val := range v.Headers {
			req.Headers[k] = dara.String(val)
		}
		got := dara.StringValue(openapiutil.GetAuthorization(req, dara.String(acs.AlgorithmV3), dara.String(payload), dara.String(v.KeyID), dara.String(v.Secret)))
		if got != v.Signature {
			t.Errorf("%s:\n darabonba: %s\n vector:    %s", v.Name, got, v.Signature)
		}
	}
	if n < 3 {
		t.Fatalf("only %d v3 vectors", n)
	}
}
