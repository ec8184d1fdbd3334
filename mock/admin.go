package mock

import (
	"encoding/json"
	"net/http"
	"strings"
)

// AdminPrefix is the reserved path of the test-isolation endpoints, served
// only when Options.Admin is set:
//
//	POST /_acsconform/reset                      back to the seeded state
//	GET  /_acsconform/state                      the whole state as JSON
//	POST /_acsconform/handshakes/{id}?status=S   Accepted, Declined or Cancelled
const AdminPrefix = "/_acsconform/"

func (m *Mock) admin(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, AdminPrefix)
	switch {
	case path == "reset" && r.Method == http.MethodPost:
		if err := m.backend.Reset(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case path == "state" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(m.backend.Dump())
	case strings.HasPrefix(path, "handshakes/") && r.Method == http.MethodPost:
		id := strings.TrimPrefix(path, "handshakes/")
		if err := m.backend.SetHandshakeStatus(id, r.URL.Query().Get("status")); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "unknown admin endpoint; see mock.AdminPrefix", http.StatusNotFound)
	}
}
