package docs

import (
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// TestTerraformHCL: terraform.md's configuration parses as HCL and points
// the provider at the mock as the page says: HTTP, the Domestic account type
// (no BssOpenApi call at start-up), the resourcemanager endpoint at the
// address the page starts the mock on, which the page also gives the
// Resource Directory endpoint variable.
func TestTerraformHCL(t *testing.T) {
	data, err := os.ReadFile("terraform.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := Blocks("terraform.md", data)
	if err != nil {
		t.Fatal(err)
	}
	var tf, sh string
	for _, b := range blocks {
		switch {
		case b.File == "main.tf":
			tf = b.Body
		case b.Lang == "sh":
			sh += b.Body
		}
	}
	if tf == "" {
		t.Fatal("terraform.md has no main.tf block")
	}
	file, diags := hclsyntax.ParseConfig([]byte(tf), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("main.tf does not parse: %v", diags)
	}
	body := file.Body.(*hclsyntax.Body)
	var provider *hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "alicloud" {
			provider = b
		}
	}
	if provider == nil {
		t.Fatal(`main.tf has no provider "alicloud" block`)
	}
	str := func(attrs hclsyntax.Attributes, name string) string {
		a := attrs[name]
		if a == nil {
			return ""
		}
		v, d := a.Expr.Value(nil)
		if d.HasErrors() || v.Type() != cty.String {
			return ""
		}
		return v.AsString()
	}
	if got := str(provider.Body.Attributes, "protocol"); got != "HTTP" {
		t.Errorf("protocol = %q, want HTTP (the mock serves plain HTTP)", got)
	}
	if got := str(provider.Body.Attributes, "account_type"); got != "Domestic" {
		t.Errorf("account_type = %q, want Domestic (skips BssOpenApi at start-up)", got)
	}
	var endpoint string
	for _, b := range provider.Body.Blocks {
		if b.Type == "endpoints" {
			endpoint = str(b.Body.Attributes, "resourcemanager")
		}
	}
	if endpoint == "" || !strings.Contains(sh, "--listen "+endpoint) {
		t.Errorf("endpoints.resourcemanager = %q, not the address the page starts the mock on", endpoint)
	}
	if !strings.Contains(sh, "ALIBABA_CLOUD_ENDPOINT_RESOURCEDIRECTORYMASTER="+endpoint) {
		t.Errorf("the page does not give Resource Directory the same endpoint %q", endpoint)
	}
}
