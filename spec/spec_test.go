package spec

import "testing"

func mustLoad(t testing.TB) *API {
	t.Helper()
	api, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return api
}
