package spec

import "testing"

func TestLoadEmbedded(t *testing.T) {
	api, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d ops", len(api.Operations))
}
