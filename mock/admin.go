package mock

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/profile"
)

// AdminPrefix is the reserved path of the test-isolation endpoints, served
// only when Options.Admin is set:
//
//	POST /_acsconform/reset                      back to the seeded (or marked) state
//	POST /_acsconform/mark                       the present state is what reset returns to
//	DELETE /_acsconform/mark                     reset returns to the seed again
//	GET  /_acsconform/state                      the whole state as JSON
//	POST /_acsconform/handshakes/{id}?status=S   Accepted, Declined or Cancelled
const AdminPrefix = profile.MockAdminPrefix

// adminAllowed refuses what a web page could send the admin endpoints
// through a user's browser: a Host that is a DNS name other than
// localhost (DNS rebinding points a name at 127.0.0.1) unless the
// operator listed it, and a cross-origin request.
func (m *Mock) adminAllowed(r *http.Request) (int, string) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) == nil && !strings.EqualFold(host, "localhost") && !slices.Contains(m.adminHosts, strings.ToLower(host)) {
		return http.StatusForbidden, fmt.Sprintf("admin endpoints answer requests to an IP address or localhost, not to %q (acsconform mock --admin-host %s allows it)", host, host)
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, r.Host) {
			return http.StatusForbidden, "admin endpoints refuse cross-origin requests (Origin " + origin + ")"
		}
	}
	if strings.EqualFold(r.Header.Get("Sec-Fetch-Site"), "cross-site") {
		return http.StatusForbidden, "admin endpoints refuse cross-site requests"
	}
	return 0, ""
}

func (m *Mock) admin(w http.ResponseWriter, r *http.Request) {
	if status, msg := m.adminAllowed(r); status != 0 {
		http.Error(w, msg, status)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, AdminPrefix)
	switch {
	case m.backend == nil && path == "state" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"product": m.product, "state": "none: served contract-only, each operation answers its documented sample"})
	case m.backend == nil && strings.HasPrefix(path, "handshakes/"):
		http.Error(w, m.product+" is served contract-only: it has no handshakes", http.StatusNotFound)
	case path == "reset" && r.Method == http.MethodPost:
		if err := m.Reset(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case path == "mark" && r.Method == http.MethodPost:
		if err := m.Mark(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case path == "mark" && r.Method == http.MethodDelete:
		m.Unmark()
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
