package mock

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/acsconform/acsconform/spec"
)

// Multi serves several products on one address, as the vendor's clients
// meet them: a request goes to the product whose endpoint its Host names
// (resourcemanager.aliyuncs.com, resourcedirectory.aliyuncs.com …), else to
// the one its Version names (the x-acs-version header, or Version in the
// query or the form body), else to the first that has its action, which
// answers the unknown version as its gateway does (InvalidVersion); else
// to the first product. The admin endpoints act on every product.
type Multi struct {
	mocks    []*Mock
	apis     []*spec.API
	versions map[string]*Mock
	shared   map[string]bool // versions more than one product has
	hosts    map[string]*Mock
	// Warnings report what opening the state file repaired or dropped.
	Warnings []string
}

// NewMulti serves the contracts in apis (the first is the default) with
// the same options; a state file is the modelled product's alone.
func NewMulti(o Options, apis []*spec.API) (*Multi, error) {
	if len(apis) == 0 {
		return nil, errors.New("mock: no product to serve")
	}
	m := &Multi{apis: apis, mocks: make([]*Mock, len(apis)), versions: map[string]*Mock{}, shared: map[string]bool{}, hosts: map[string]*Mock{}}
	// The modelled products first: a product served over the directory's
	// state shares the directory mock's.
	var dir *Mock
	for pass := 0; pass < 2; pass++ {
		for i, api := range apis {
			pr, err := productFor(api)
			known := err == nil
			over := known && pr.overDirectory != nil
			if over != (pass == 1) {
				continue
			}
			po := o
			po.Contract = api
			if known && pr.contractOnly != nil {
				po.StateFile, po.Validate = "", nil
			}
			if over {
				po.directory = dir
			}
			one, err := New(po)
			if err != nil {
				m.Close()
				return nil, err
			}
			if dir == nil && one.ownsBackend {
				dir = one
			}
			m.mocks[i] = one
			if m.versions[api.Version] != nil {
				// Two products of one version: the action tells them apart
				// (route), the first listed keeps the version's own requests.
				m.shared[api.Version] = true
			} else {
				m.versions[api.Version] = one
			}
			if api.Endpoint != "" {
				m.hosts[strings.ToLower(api.Endpoint)] = one
			}
			m.Warnings = append(m.Warnings, one.Warnings...)
		}
	}
	return m, nil
}

// Products lists what is served, the default first.
func (m *Multi) Products() []*spec.API { return m.apis }

// Stateful reports whether the i-th product answers from modelled state.
func (m *Multi) Stateful(i int) bool { return m.mocks[i].backend != nil }

// Mock is the i-th product's mock.
func (m *Multi) Mock(i int) *Mock { return m.mocks[i] }

// ServeHTTP routes a request to its product.
func (m *Multi) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		m.admin(w, r)
		return
	}
	m.route(r).ServeHTTP(w, r)
}

func (m *Multi) route(r *http.Request) *Mock {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if one := m.hosts[strings.ToLower(host)]; one != nil {
		return one
	}
	version := requestVersion(r)
	if one := m.versions[version]; one != nil {
		if m.shared[version] {
			// Products sharing the version: the one whose contract has the
			// action.
			if action, err := peekAction(r); err == nil && action != "" {
				for i, api := range m.apis {
					if api.Version == version && api.Operation(action) != nil {
						return m.mocks[i]
					}
				}
			}
		}
		return one
	}
	// An unknown version: the product that has the action answers it
	// (InvalidVersion, as its gateway does), else the first.
	if action, err := peekAction(r); err == nil && action != "" {
		for i, api := range m.apis {
			if api.Operation(action) != nil {
				return m.mocks[i]
			}
		}
	}
	return m.mocks[0]
}

// requestVersion reads the API version a request names without consuming
// its body.
func requestVersion(r *http.Request) string {
	if v := r.Header.Get("X-Acs-Version"); v != "" {
		return v
	}
	if v := r.URL.Query().Get("Version"); v != "" {
		return v
	}
	v, _ := bodyParam(r, "Version")
	return v
}

// admin serves the admin endpoints: a reset or a mark acts on every
// product; the state dump and the handshake moves are the modelled
// product's.
func (m *Multi) admin(w http.ResponseWriter, r *http.Request) {
	answer := m.mocks[0]
	for _, one := range m.mocks {
		if one.backend != nil {
			answer = one
			break
		}
	}
	if path := strings.TrimPrefix(r.URL.Path, AdminPrefix); path == "reset" || path == "mark" {
		for _, one := range m.mocks {
			if one == answer || one.backend != nil && one.backend == answer.backend {
				continue // the same state: reset or marked once
			}
			rec := &recorder{header: http.Header{}}
			one.ServeHTTP(rec, r)
			if rec.status >= 300 {
				w.WriteHeader(rec.status)
				_, _ = w.Write(rec.body.Bytes())
				return
			}
		}
	}
	answer.ServeHTTP(w, r)
}

// Reset returns every product to its seed (or mark).
func (m *Multi) Reset() error {
	done := map[*Backend]bool{}
	for _, one := range m.mocks {
		if one.backend != nil && done[one.backend] {
			continue
		}
		done[one.backend] = true
		if err := one.Reset(); err != nil {
			return err
		}
	}
	return nil
}

// Close closes every product's state.
func (m *Multi) Close() error {
	var errs []error
	for _, one := range m.mocks {
		if one != nil {
			errs = append(errs, one.Close())
		}
	}
	return errors.Join(errs...)
}
