// Package mock is the reference mock: a signature-checking stand-in served
// through each product's generated server glue, so parameter rules come
// from the contract and only business state and rules are written here.
// Resource Directory's contacts and invitations are modelled with state;
// its other operations and every operation of a product without modelled
// state (Resource Manager) answer their documented samples (product.go).
//
// The backend holds the state behind a lock with an injected clock and ID
// generator; the handler is the generated one. A state file journals every
// acknowledged change (fsync'ed before the answer), faults can be injected
// for client testing, and reset/dump endpoints isolate tests.
package mock

import (
	"bytes"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Options configures a mock.
type Options struct {
	// Profile seeds the state (its mock section) and the callers' keys.
	Profile *profile.Profile
	// Contract defaults to the embedded one.
	Contract *spec.API
	// StateFile journals the state; empty keeps it in memory.
	StateFile string
	// AcceptStateLoss starts from a damaged state file's trustworthy lines
	// instead of refusing to start (the dropped lines are in Warnings).
	AcceptStateLoss bool
	// CompactAfter is how many journalled events trigger a compaction of
	// the state file (DefaultCompactAfter when 0; never when negative).
	CompactAfter int
	// Limits bound the parameters of one request (acs defaults when zero).
	Limits acs.InboundLimits
	// NoAuth serves requests without checking signatures, as the caller
	// each one claims (the profile's first when it claims none).
	NoAuth bool
	// Admin serves the reset and state-dump endpoints under AdminPrefix.
	Admin bool
	// FaultsFromHeader honours FaultHeader from any request; otherwise only
	// from requests a caller signed (or any, when auth is off).
	FaultsFromHeader bool
	// AdminHosts are host names (besides IP addresses and localhost) the
	// admin endpoints answer to.
	AdminHosts []string
	// Faults are injected in front of the handler; requests can also ask
	// for one with FaultHeader.
	Faults []Fault
	// EnforceRateLimit answers the contract's throttling code past an
	// operation's documented rate (per access key).
	EnforceRateLimit bool
	// Now and NewID are injected for reproducible state.
	Now   func() time.Time
	NewID func(prefix string) string
	// HoldTime, when set, overrides the profile's hold time.
	HoldTime *time.Duration
	// Log receives a structured access log line per request (no secrets).
	Log *slog.Logger
	// Warnf receives what the mock recovers from on its own (a state-file
	// compaction that failed and will be retried); Log's Warn when nil.
	Warnf func(format string, args ...any)
	// FaultSeed seeds the fault dice.
	FaultSeed uint64
	// Validate, when set, replaces the contract's parameter validation. It
	// exists to emulate a deviating server (for testing conformance tools);
	// a faithful mock leaves it nil.
	Validate func(rdm.Request) error

	// directory is the directory mock whose state a product served over it
	// shares (set by NewMulti).
	directory *Mock
}

// Mock serves the RPC wire.
type Mock struct {
	// backend is the modelled state; nil for a product served
	// contract-only. product is the product code served.
	backend *Backend
	// ownsBackend: the backend is this mock's to close (not the state of
	// another product's mock it is served over); owned is the directory
	// mock a product served over its state alone opened for itself.
	ownsBackend bool
	owned       *Mock
	// validate is the directory's Validate hook (mock.answers).
	validate   func(rdm.Request) error
	product    string
	pr         product // how the product is served (its error layout)
	handler    http.Handler
	admin_     bool
	adminHosts []string
	// Warnings report what opening the state file repaired or dropped.
	Warnings []string
	nonces   *nonceFile // with a state file and auth: nonces outlive a restart
}

// New builds a mock.
func New(o Options) (*Mock, error) {
	if o.Profile == nil {
		return nil, fmt.Errorf("mock: no profile")
	}
	api := o.Contract
	if api == nil {
		var err error
		if api, err = spec.Load(); err != nil {
			return nil, err
		}
	}
	pr, err := productFor(api)
	if err != nil {
		return nil, err
	}
	if pr.contractOnly != nil {
		return newContractOnly(api, pr, o)
	}
	if pr.overDirectory != nil {
		return newOverDirectory(api, pr, o)
	}
	o = withHoldTime(o)
	b, validate, warnings, err := openBackend(api, o)
	if err != nil {
		return nil, err
	}
	hopts := rdm.HandlerOptions{Validate: validate, Limits: o.Limits, Site: o.Profile.Site}
	var nonces *nonceFile
	if !o.NoAuth {
		hopts.Verifier = rdm.NewVerifier(b.Secret, nil)
		hopts.Verifier.Tokens = b.Token
		if o.StateFile != "" {
			var warns []string
			nonces, warns, err = openNonceFile(o.StateFile+".nonces", hopts.Verifier.MaxSkew, nil, warnf(o))
			if err != nil {
				b.Close()
				return nil, err
			}
			warnings = append(warnings, warns...)
			hopts.Verifier.Nonces = nonces
		}
	}
	if o.Log != nil {
		observe := logRequests(o.Log)
		hopts.Observe = func(i rdm.RequestInfo, status int, code string, elapsed time.Duration) {
			observe(i.RequestID, i.Action, i.AccessKeyID, i.SignatureVersion, i.Method, status, code, elapsed)
		}
	}
	srv := server{b: b}
	hopts.Admit = srv.admitHook
	var inner http.Handler = rdm.NewHandler(srv, hopts)
	if o.NoAuth {
		inner = withClaimedKey(inner)
	}
	h := engine(api, pr, o, inner, hopts.Verifier)
	return &Mock{backend: b, ownsBackend: true, validate: validate, handler: h, admin_: o.Admin, adminHosts: adminHosts(o), Warnings: warnings, nonces: nonces, product: api.Product, pr: pr}, nil
}

// withHoldTime applies Options.HoldTime to the profile's mock section.
func withHoldTime(o Options) Options {
	if o.HoldTime != nil {
		cp := *o.Profile.Mock
		cp.Limits.HoldTime = *o.HoldTime
		p := *o.Profile
		p.Mock = &cp
		o.Profile = &p
	}
	return o
}

// warnf is where the mock says what it recovers from on its own.
func warnf(o Options) func(format string, args ...any) {
	if o.Warnf == nil && o.Log != nil {
		log := o.Log
		return func(format string, args ...any) { log.Warn(fmt.Sprintf(format, args...)) }
	}
	return o.Warnf
}

// openBackend opens the directory's state for api and the Validate hook
// the profile's mock.answers (or Options.Validate) ask for.
func openBackend(api *spec.API, o Options) (*Backend, func(rdm.Request) error, []string, error) {
	bo := BackendOptions{Now: o.Now, NewID: o.NewID, StateFile: o.StateFile, AcceptStateLoss: o.AcceptStateLoss, CompactAfter: o.CompactAfter, Logf: warnf(o)}
	b, warnings, err := NewBackend(api, o.Profile, bo)
	if err != nil {
		return nil, nil, nil, err
	}
	validate, err := answers(api, o.Profile.Site, o.Profile.Mock.Answers)
	if err != nil {
		b.Close()
		return nil, nil, nil, err
	}
	if o.Validate != nil {
		validate = o.Validate
	}
	return b, validate, warnings, nil
}

// newOverDirectory serves a product over the directory's state (see
// forward.go): the state of the directory mock Multi gives, or a state of
// its own when served alone.
func newOverDirectory(api *spec.API, pr product, o Options) (*Mock, error) {
	if o.Profile.Mock == nil {
		return nil, fmt.Errorf("mock: profile %s has no mock section", o.Profile.File)
	}
	dir := o.directory
	owns := dir == nil
	if owns {
		dirAPI, err := spec.Load()
		if err != nil {
			return nil, err
		}
		do := o
		do.Contract = dirAPI
		if dir, err = New(do); err != nil {
			return nil, err
		}
	}
	srv := server{b: dir.backend}
	inner := rdm.NewHandler(srv, rdm.HandlerOptions{Validate: forwardedRules(dir.validate, o.Profile.Site), Site: o.Profile.Site, Admit: srv.admitHook})
	f := &forwarder{api: api, dir: dir.backend.api, next: inner, b: dir.backend}
	eo := engineOptions{Limits: o.Limits, Site: o.Profile.Site}
	if !o.NoAuth {
		eo.Verifier = &acs.Verifier{Secrets: dir.backend.Secret, MaxSkew: api.ClockSkew}
		eo.Verifier.Tokens = dir.backend.Token
	}
	if o.Log != nil {
		eo.Observe = logRequests(o.Log)
	}
	h := pr.overDirectory(eo, f)
	if o.NoAuth {
		h = withClaimedKey(h)
	}
	m := &Mock{backend: dir.backend, handler: engine(api, pr, o, h, eo.Verifier), admin_: o.Admin, adminHosts: adminHosts(o), product: api.Product, pr: pr}
	if owns {
		m.Warnings, m.owned = dir.Warnings, dir
	}
	return m, nil
}

// engine wraps a product's generated handler in what every product shares:
// rate limits, injected faults and the unsigned-request hint.
func engine(api *spec.API, pr product, o Options, h http.Handler, verifier *acs.Verifier) http.Handler {
	if o.EnforceRateLimit {
		lim := newLimiter(api, h, pr)
		lim.verifier = verifier
		h = lim
	}
	h = &faults{next: h, faults: o.Faults, rng: rand.New(rand.NewPCG(o.FaultSeed, 0xfa17)), hostID: api.Endpoint, fromHeader: o.FaultsFromHeader, verifier: verifier, pr: pr}
	if !o.NoAuth {
		h = unsignedHint{next: h, pr: pr}
	}
	return h
}

func adminHosts(o Options) []string {
	var hosts []string
	for _, h := range o.AdminHosts {
		hosts = append(hosts, strings.ToLower(h))
	}
	return hosts
}

// newContractOnly serves a product whose state the mock does not model:
// its generated handler over the documented samples, behind the engine.
// State files and rule answers (mock.answers) need modelled state and are
// refused rather than ignored.
func newContractOnly(api *spec.API, pr product, o Options) (*Mock, error) {
	switch {
	case o.StateFile != "":
		return nil, fmt.Errorf("mock: %s is served contract-only (each operation answers its documented sample): it keeps no state to write to a state file", api.Product)
	case o.Validate != nil:
		return nil, fmt.Errorf("mock: %s is served contract-only: Options.Validate applies to the modelled products only", api.Product)
	case o.Profile.Mock == nil:
		return nil, fmt.Errorf("mock: profile %s has no mock section", o.Profile.File)
	case len(o.Profile.Mock.Answers) > 0:
		return nil, fmt.Errorf("mock: %s is served contract-only: the profile's mock.answers apply to the modelled products only", api.Product)
	}
	eo := engineOptions{Limits: o.Limits, Site: o.Profile.Site}
	if !o.NoAuth {
		keys := callerKeys(o.Profile.Mock.Callers)
		eo.Verifier = &acs.Verifier{Secrets: keys.Secret, MaxSkew: api.ClockSkew}
		eo.Verifier.Tokens = keys.Token
	}
	if o.Log != nil {
		eo.Observe = logRequests(o.Log)
	}
	h := engine(api, pr, o, samplePages{api: api, next: pr.contractOnly(eo)}, eo.Verifier)
	return &Mock{handler: h, admin_: o.Admin, adminHosts: adminHosts(o), product: api.Product, pr: pr}, nil
}

// UnsignedHint is what the mock tells the sender of an unsigned request:
// the answer keeps the documented code, status and Recommend, and carries
// this after the documented message and in an X-Acsconform-Hint header.
const UnsignedHint = "the request is not signed: sign it with one of the profile's mock callers (acsconform mock prints their key IDs), or start the mock with --no-auth to serve unsigned requests"

// unsignedHint adds UnsignedHint to the IncompleteSignature answer to a
// request that carries no signature at all (a bare curl).
type unsignedHint struct {
	next http.Handler
	pr   product
}

func (u unsignedHint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" || r.URL.Query().Has("Signature") {
		u.next.ServeHTTP(w, r)
		return
	}
	rec := &recorder{header: http.Header{}}
	u.next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status >= 400 {
		if e, err := acs.DecodeError(rec.status, body); err == nil && e.Code == rdm.CodeIncompleteSignature && !strings.Contains(e.Message, UnsignedHint) {
			e.Message += " (acsconform mock: " + UnsignedHint + ")"
			body = u.pr.encodeError(e, bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")))
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
			rec.header.Set("X-Acsconform-Hint", UnsignedHint)
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// gatewayError answers a platform error in front of the generated handler
// exactly as it would: RequestId header, HostId, Recommend, the gateway's
// layout, JSON or XML as the request asks.
func gatewayError(w http.ResponseWriter, r *http.Request, e *acs.APIError, hostID string, pr product) {
	body := *e
	body.RequestID, body.HostID = pr.newRequestID(), hostID
	xml := strings.EqualFold(r.URL.Query().Get("Format"), "XML")
	if xml {
		w.Header().Set("Content-Type", "text/xml;charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
	}
	if pr.requestIDHeader != "" {
		w.Header().Set(pr.requestIDHeader, body.RequestID)
	}
	w.WriteHeader(body.HTTPStatus)
	_, _ = w.Write(pr.encodeError(&body, xml))
}

// recorder holds an answer so it can be amended before it is sent.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// ServeHTTP serves the RPC wire and, when enabled, the admin endpoints.
func (m *Mock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, AdminPrefix) {
		if !m.admin_ {
			http.Error(w, "admin endpoints are off (acsconform mock --admin)", http.StatusNotFound)
			return
		}
		m.admin(w, r)
		return
	}
	tw := &wroteWriter{ResponseWriter: w}
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		// A bug of the mock's own: said on stderr with its stack, and
		// answered as the server's internal failure rather than a closed
		// connection.
		fmt.Fprintf(os.Stderr, "acsconform mock: internal error (a bug: please report it): %v\n%s", v, debug.Stack())
		if tw.wrote {
			return
		}
		pr := m.pr
		e := pr.stateError("internal-failure")
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.WriteHeader(e.HTTPStatus)
		_, _ = w.Write(pr.encodeError(e, false))
	}()
	m.handler.ServeHTTP(tw, r)
}

// wroteWriter notes whether an answer was begun.
type wroteWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *wroteWriter) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *wroteWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Flush passes a flush on when the writer can.
func (w *wroteWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Backend exposes the state for tests and tools.
// It is nil for a product served contract-only.
func (m *Mock) Backend() *Backend { return m.backend }

// Reset returns the state to the profile's seed (nothing to do for a
// product served contract-only).
func (m *Mock) Reset() error {
	if m.backend == nil {
		return nil
	}
	return m.backend.Reset()
}

// Mark makes the present state the one Reset returns to (nothing to do
// for a product served contract-only).
func (m *Mock) Mark() error {
	if m.backend == nil {
		return nil
	}
	return m.backend.Mark()
}

// Unmark makes Reset return to the profile's seed again.
func (m *Mock) Unmark() {
	if m.backend != nil {
		m.backend.Unmark()
	}
}

// Close closes the state file.
func (m *Mock) Close() error {
	if m.nonces != nil {
		m.nonces.Close()
	}
	if m.owned != nil {
		return m.owned.Close()
	}
	if m.backend == nil || !m.ownsBackend {
		return nil
	}
	return m.backend.Close()
}

// answers builds the Validate hook that answers a documented alternative
// code for a rule, as the profile's mock.answers ask, on the mock's site.
func answers(api *spec.API, site string, cfg map[string]map[string]string) (func(rdm.Request) error, error) {
	if len(cfg) == 0 {
		return nil, nil
	}
	subst := map[string]map[string]string{} // action → rule → code
	for action, rules := range cfg {
		op := api.Operation(action)
		if op == nil {
			return nil, fmt.Errorf("mock: answers: no operation %q", action)
		}
		subst[action] = map[string]string{}
		for ruleID, code := range rules {
			var rule *spec.Rule
			for _, r := range op.Rules {
				if r.ID == ruleID {
					rule = r
				}
			}
			if rule == nil {
				return nil, fmt.Errorf("mock: answers: %s has no rule %q", action, ruleID)
			}
			if !contains(rule.Accepted(), code) {
				return nil, fmt.Errorf("mock: answers: %s rule %s may answer %v, not %s", action, ruleID, rule.Accepted(), code)
			}
			subst[action][ruleID] = code
		}
	}
	return func(r rdm.Request) error {
		rule, err := r.CheckSite(site)
		if err == nil {
			return nil
		}
		if code, ok := subst[r.Action()][rule]; ok {
			return rdm.NewError(r.Action(), code)
		}
		return err
	}, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// limiter answers the throttling code past an operation's documented rate.
type limiter struct {
	next http.Handler
	// verifier identifies the caller a bucket belongs to; nil (auth off):
	// every request acts as one caller.
	verifier *acs.Verifier
	rates    map[string]float64
	hostID   string
	pr       product
	mu       sync.Mutex
	lims     map[string]*rate.Limiter
}

func newLimiter(api *spec.API, next http.Handler, pr product) *limiter {
	l := &limiter{next: next, pr: pr, rates: map[string]float64{}, lims: map[string]*rate.Limiter{}, hostID: api.Endpoint}
	for _, op := range api.Operations {
		if op.RateLimit != nil {
			l.rates[op.Action] = op.RateLimit.PerSecond()
		}
	}
	return l
}

func (l *limiter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, _ := peekAction(r)
	if perSecond, ok := l.rates[action]; ok {
		// Buckets belong to verified callers only: a request that names a
		// caller's key without its signature cannot spend its rate, and
		// the table holds at most one bucket per operation and caller.
		key := action
		if l.verifier != nil {
			id, ok := signedBy(l.verifier, r)
			if !ok {
				l.next.ServeHTTP(w, r) // the handler refuses it
				return
			}
			key += "/" + id
		}
		l.mu.Lock()
		lim := l.lims[key]
		if lim == nil {
			lim = rate.NewLimiter(rate.Limit(perSecond), int(perSecond))
			l.lims[key] = lim
		}
		l.mu.Unlock()
		if !lim.Allow() {
			gatewayError(w, r, l.pr.stateError("rate-exceeded"), l.hostID, l.pr)
			return
		}
	}
	l.next.ServeHTTP(w, r)
}

// Embedded serves a mock of profile p on a loopback port, with the
// contract's rate limits enforced (so throttling is testable) and the admin
// endpoints on: the harness `acsconform test` and the suite's tests use
// for the embedded target. It returns the base URL, a reset of the state
// to the seed, and a stop.
func Embedded(p *profile.Profile, api *spec.API) (endpoint string, reset func() error, stop func(), err error) {
	m, err := New(Options{Profile: p, Contract: api, Admin: true, EnforceRateLimit: true})
	if err != nil {
		return "", nil, nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		m.Close()
		return "", nil, nil, err
	}
	srv := &http.Server{Handler: m, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), m.Reset, func() { _ = srv.Close(); _ = m.Close() }, nil
}
