package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// TestBannerInterpreted: a product no generated package serves is
// announced as interpreted, and the directory's IDs are offered only when
// a stateful product is served.
func TestBannerInterpreted(t *testing.T) {
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	banner(&b, p, "127.0.0.1:1", "mock.yaml (embedded)", "x.yaml", []servedProduct{{api: &spec.API{Product: "Agency", Version: "2022-12-16"}}}, false, true, true)
	if out := b.String(); !strings.Contains(out, "Agency 2022-12-16 (contract-only, interpreted from the contract") || strings.Contains(out, "try: directory") {
		t.Errorf("banner of an interpreted product:\n%s", out)
	}
	b.Reset()
	sts, err := spec.LoadProduct("sts")
	if err != nil {
		t.Fatal(err)
	}
	banner(&b, p, "127.0.0.1:1", "mock.yaml (embedded)", "", []servedProduct{{api: &spec.API{Product: "ResourceDirectoryMaster", Version: "2022-04-19"}, stateful: true}, {api: sts, name: "sts"}}, false, true, true)
	if out := b.String(); strings.Contains(out, "interpreted") || !strings.Contains(out, "try: directory") {
		t.Errorf("banner of the built-in products:\n%s", out)
	}
}
