package mock

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/acs"
)

// FaultHeader asks the mock for a fault on one request, in the same syntax
// as a Fault without action: "latency=200ms,503=1". Shares of 1 always apply.
const FaultHeader = "X-Acsconform-Fault"

// Fault describes injected trouble for client testing. Shares are
// probabilities from 0 to 1, drawn independently in the order drop, 500,
// 503, throttle; Latency is added before answering.
type Fault struct {
	Action   string // empty or "*": every operation
	Latency  time.Duration
	Share500 float64
	Share503 float64
	Throttle float64
	Drop     float64
}

// ParseFault reads "action=AssociateMembers,latency=100ms,500=0.1,503=0.1,throttle=0.05,drop=0.01".
func ParseFault(s string) (Fault, error) {
	var f Fault
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return f, fmt.Errorf("fault %q: %q is not key=value", s, part)
		}
		var err error
		share := func(dst *float64) {
			*dst, err = strconv.ParseFloat(v, 64)
			if err == nil && (*dst < 0 || *dst > 1) {
				err = fmt.Errorf("a share is between 0 and 1")
			}
		}
		switch k {
		case "action":
			f.Action = v
		case "latency":
			f.Latency, err = time.ParseDuration(v)
		case "500":
			share(&f.Share500)
		case "503":
			share(&f.Share503)
		case "throttle":
			share(&f.Throttle)
		case "drop":
			share(&f.Drop)
		default:
			return f, fmt.Errorf("fault %q: unknown key %q (want action, latency, 500, 503, throttle, drop)", s, k)
		}
		if err != nil {
			return f, fmt.Errorf("fault %q: %s: %v", s, k, err)
		}
	}
	return f, nil
}

// faults injects Faults in front of the real handler.
type faults struct {
	next http.Handler
	// fromHeader honours FaultHeader from anyone; otherwise only from a
	// request whose signature verifies (verifier nil: auth is off).
	fromHeader bool
	verifier   *acs.Verifier
	faults     []Fault
	mu         sync.Mutex
	rng        *rand.Rand
	hostID     string
	pr         product
}

// peekAction finds the action without consuming the body.
func peekAction(r *http.Request) (string, error) {
	if a := r.URL.Query().Get("Action"); a != "" {
		return a, nil
	}
	if a := r.Header.Get("X-Acs-Action"); a != "" {
		return a, nil
	}
	return bodyParam(r, "Action")
}

// bodyParam reads one parameter of a form body without consuming it (the
// body is read, bounded, and put back); "" when the body has none.
func bodyParam(r *http.Request, name string) (string, error) {
	if r.Body == nil {
		return "", nil
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, acs.MaxBodyBytes+1))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil
	}
	return form.Get(name), nil
}

// headerAllowed: the fault header is honoured when the mock was told to
// take it from anyone, when auth is off, or from a request signed by a
// caller (checked without spending its nonce; the handler verifies it).
func (f *faults) headerAllowed(r *http.Request) bool {
	if f.fromHeader || f.verifier == nil {
		return true
	}
	_, ok := signedBy(f.verifier, r)
	return ok
}

// signedBy is the access key that signed r, checked without spending the
// nonce (the handler verifies r afterwards) and leaving its body readable.
func signedBy(v *acs.Verifier, r *http.Request) (string, bool) {
	in, err := acs.ReadInbound(r)
	if err != nil {
		return "", false
	}
	r.Body = io.NopCloser(bytes.NewReader(in.Body))
	signed, err := v.Authentic(r, in.Params, in.Body)
	return signed.AccessKeyID, err == nil
}

func (f *faults) roll(p float64) bool {
	if p >= 1 {
		return true
	}
	if p <= 0 {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Float64() < p
}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var active []Fault
	if h := r.Header.Get(FaultHeader); h != "" && f.headerAllowed(r) {
		fault, err := ParseFault(h)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		active = append(active, fault)
	}
	if len(f.faults) > 0 {
		action, _ := peekAction(r)
		for _, fault := range f.faults {
			if fault.Action == "" || fault.Action == "*" || fault.Action == action {
				active = append(active, fault)
			}
		}
	}
	for _, fault := range active {
		if fault.Latency > 0 {
			select {
			case <-time.After(fault.Latency):
			case <-r.Context().Done():
				return
			}
		}
		switch {
		case f.roll(fault.Drop):
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			panic(http.ErrAbortHandler)
		case f.roll(fault.Share500):
			f.fail(w, r, f.pr.stateError("internal-failure"))
			return
		case f.roll(fault.Share503):
			f.fail(w, r, f.pr.stateError("service-unavailable"))
			return
		case f.roll(fault.Throttle):
			f.fail(w, r, f.pr.stateError("rate-exceeded"))
			return
		}
	}
	f.next.ServeHTTP(w, r)
}

// fail answers a platform error the way the generated handler does.
func (f *faults) fail(w http.ResponseWriter, r *http.Request, e *acs.APIError) {
	gatewayError(w, r, e, f.hostID, f.pr)
}
