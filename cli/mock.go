package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/netutil"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/fixtures"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
	"github.com/spf13/cobra"
)

func newMockCmd() *cobra.Command {
	var (
		listen, profilePath, stateFile, keyID, keySecret string
		contract                                         string
		noAuth, admin, enforceRate, quiet                bool
		faultSpecs                                       []string
		hold                                             time.Duration
		lim                                              serverLimits
		adminHosts                                       []string
		adminOnNetwork                                   bool
		secretFile                                       string
		faultsFromHeader                                 bool
		acceptLoss                                       bool
		compactAfter                                     int
		inLimits                                         acs.InboundLimits
	)
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve the reference mock of the embedded products on one address (Resource Directory stateful)",
		Long: `mock serves the products' operations on the RPC wire, with v1 and v3
signature checks, JSON and XML, every parameter rule from the contract and the
documented error codes. Every embedded product is served on one address: a
request goes to the product its Version (or its Host) names, and a version no
product serves answers InvalidVersion. Resource Directory is an emulator: every
operation answers from state seeded from a target profile
(fixtures/targets/README.md); a product without modelled state is served
contract-only (each valid request answered with its documented sample).
--contract serves one embedded product, or a contract file, alone.

Faults for client testing: --fault 'action=AssociateMembers,latency=100ms,500=0.1,503=0.1,throttle=0.05,drop=0.01'
(repeatable), or per request with the header X-Acsconform-Fault: latency=200ms,503=1 (honoured on
signed requests, or on any with --faults-from-header).
Test isolation (with --admin): POST /_acsconform/reset, GET /_acsconform/state,
POST /_acsconform/handshakes/{id}?status=Accepted|Declined|Cancelled.

It stops gracefully on SIGTERM or SIGINT.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var p *profile.Profile
			var err error
			if profilePath == "" {
				profilePath = fixtures.MockProfileName + " (embedded)"
				p, err = profile.Parse(fixtures.MockProfileName, fixtures.MockProfile)
			} else {
				p, err = profile.Load(profilePath)
			}
			if err != nil {
				return &exitError{code: ExitUsage, msg: "mock: " + err.Error()}
			}
			if p.Mock == nil {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("mock: profile %s has no mock section to seed from", profilePath)}
			}
			if secretFile != "" {
				data, err := os.ReadFile(secretFile)
				if err != nil {
					return &exitError{code: ExitUsage, msg: "mock: --access-key-secret-file " + fileError(secretFile, err)}
				}
				keySecret = strings.TrimSpace(string(data))
			}
			if keySecret == "" {
				keySecret = os.Getenv(mockSecretEnv)
			}
			if (keyID == "") != (keySecret == "") {
				return &exitError{code: ExitUsage, msg: "mock: give --access-key-id and its secret (--access-key-secret-file, or $" + mockSecretEnv + "), or neither"}
			}
			if keyID != "" {
				seed := *p.Mock
				first := profile.Caller{AccountID: "", AccessKeyID: keyID, AccessKeySecret: keySecret}
				if len(seed.Callers) > 0 {
					first.AccountID = seed.Callers[0].AccountID
				}
				seed.Callers = append([]profile.Caller{first}, seed.Callers...)
				p.Mock = &seed
			}
			var faults []mock.Fault
			for _, s := range faultSpecs {
				f, err := mock.ParseFault(s)
				if err != nil {
					return &exitError{code: ExitUsage, msg: "mock: " + err.Error()}
				}
				faults = append(faults, f)
			}
			log := slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
			if inLimits.MaxParams < 1 || inLimits.MaxValueBytes < 1 {
				return &exitError{code: ExitUsage, msg: "mock: --max-params and --max-value-bytes must be 1 or more"}
			}
			o := mock.Options{Profile: p, StateFile: stateFile, AcceptStateLoss: acceptLoss, CompactAfter: compactAfter, Limits: inLimits,
				Warnf: func(format string, args ...any) { log.Warn(fmt.Sprintf(format, args...)) }, NoAuth: noAuth, Admin: admin, AdminHosts: adminHosts, FaultsFromHeader: faultsFromHeader, Faults: faults, EnforceRateLimit: enforceRate}
			if !quiet {
				o.Log = log
			}
			if cmd.Flags().Changed("hold") {
				o.HoldTime = &hold
			}
			// Every embedded product on one address, routed by Version and
			// Host; --contract narrows to one.
			var handler http.Handler
			var served []servedProduct
			if contract != "" {
				api, err := spec.LoadNamed(contract)
				if err != nil {
					return &exitError{code: ExitUsage, msg: "mock: --contract: " + err.Error()}
				}
				o.Contract = api
				m, err := mock.New(o)
				if err != nil {
					return &exitError{code: ExitUsage, msg: err.Error()}
				}
				defer m.Close()
				for _, w := range m.Warnings {
					log.Warn(w)
				}
				handler, served = m, []servedProduct{{api: api, stateful: m.Backend() != nil}}
			} else {
				var apis []*spec.API
				for _, name := range spec.Products {
					api, err := spec.LoadProduct(name)
					if err != nil {
						return &exitError{code: ExitUsage, msg: "mock: " + err.Error()}
					}
					apis = append(apis, api)
				}
				m, err := mock.NewMulti(o, apis)
				if err != nil {
					return &exitError{code: ExitUsage, msg: err.Error()}
				}
				defer m.Close()
				for _, w := range m.Warnings {
					log.Warn(w)
				}
				handler = m
				for i, api := range apis {
					served = append(served, servedProduct{api: api, stateful: m.Stateful(i), name: spec.Products[i]})
				}
			}
			if admin && !adminOnNetwork && !loopback(listen) {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("mock: --admin on %s lets anyone who reaches that address reset or dump the state: listen on 127.0.0.1, or add --admin-on-network to mean it", listen)}
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return &exitError{code: ExitUsage, msg: "mock: " + err.Error()}
			}
			if lim.maxConns < 1 || lim.read <= 0 || lim.write <= 0 || lim.idle <= 0 {
				return &exitError{code: ExitUsage, msg: "mock: --max-connections must be 1 or more and --read-timeout, --write-timeout, --idle-timeout positive durations"}
			}
			ln = netutil.LimitListener(ln, lim.maxConns)
			srv := lim.server(handler)
			fmt.Fprintf(cmd.OutOrStdout(), "acsconform mock: listening on http://%s (profile %s, auth %v, state %s)\n", ln.Addr(), profilePath, !noAuth, orMemory(stateFile))
			banner(cmd.OutOrStdout(), p, fmt.Sprint(ln.Addr()), profilePath, contract, served, noAuth, admin, enforceRate)
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, os.Interrupt)
			defer stop()
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return &exitError{code: ExitUsage, msg: "mock: " + err.Error()}
			case <-ctx.Done():
			}
			shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return &exitError{code: ExitFindings, msg: "mock: shutdown: " + err.Error()}
			}
			fmt.Fprintln(cmd.OutOrStdout(), "acsconform mock: stopped")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&profilePath, "profile", "", "target profile whose mock section seeds the state (default: the embedded fixtures/targets/mock.yaml)")
	f.StringVar(&contract, "contract", "", "serve one contract alone: an embedded product ("+strings.Join(spec.Products, ", ")+") or a contract file (default: every embedded product on one address); a product without modelled state is served contract-only (rules from its validators, each valid request answered with its documented sample)")
	f.StringVar(&stateFile, "state", "", "state file: every acknowledged change is journaled and survives a crash")
	f.BoolVar(&acceptLoss, "accept-state-loss", false, "start from a damaged --state file's trustworthy lines, dropping the damaged line and everything after it (each drop is logged), instead of refusing to start")
	f.IntVar(&inLimits.MaxParams, "max-params", acs.DefaultMaxParams, "refuse a request carrying more parameter values than this (InvalidParameter)")
	f.IntVar(&inLimits.MaxValueBytes, "max-value-bytes", acs.DefaultMaxValueBytes, "refuse a request with a parameter value longer than this many bytes (InvalidParameter)")
	f.IntVar(&compactAfter, "compact-after", mock.DefaultCompactAfter, "compact the --state file into a snapshot after this many journaled changes (negative: never)")
	f.StringVar(&keyID, "access-key-id", "", "an extra access key the mock accepts (acting as the profile's first caller)")
	f.StringVar(&keySecret, "access-key-secret", "", "its secret (visible in the process list: prefer --access-key-secret-file or $"+mockSecretEnv+")")
	f.StringVar(&secretFile, "access-key-secret-file", "", "a file holding the secret of --access-key-id")
	f.BoolVar(&noAuth, "no-auth", false, "serve unsigned requests (as the profile's first caller)")
	f.BoolVar(&admin, "admin", false, "serve the reset and state-dump endpoints under /_acsconform/")
	f.BoolVar(&enforceRate, "enforce-rate-limit", false, "answer the throttling code past each operation's documented rate")
	f.StringArrayVar(&faultSpecs, "fault", nil, "inject faults (see above); repeatable")
	f.BoolVar(&faultsFromHeader, "faults-from-header", false, "honour the X-Acsconform-Fault header on any request (by default only on requests a caller signed)")
	f.DurationVar(&hold, "hold", 0, "how long AssociateMembers holds its contact (default: the profile's hold-time)")
	f.BoolVar(&quiet, "quiet", false, "no access log")
	f.StringArrayVar(&adminHosts, "admin-host", nil, "a host name the admin endpoints answer to besides IP addresses and localhost (repeatable; e.g. a compose service name)")
	f.BoolVar(&adminOnNetwork, "admin-on-network", false, "allow --admin on a non-loopback --listen address (anyone who reaches it can reset the state)")
	f.DurationVar(&lim.read, "read-timeout", 30*time.Second, "the longest a client may take to send a whole request, body included (a slow body is cut off)")
	f.DurationVar(&lim.write, "write-timeout", 2*time.Minute, "the longest an answer may take, latency faults and --hold included")
	f.DurationVar(&lim.idle, "idle-timeout", 60*time.Second, "how long an idle keep-alive connection stays open")
	f.IntVar(&lim.maxConns, "max-connections", 512, "connections served at once; more wait in the kernel's backlog")
	completeFiles(cmd, "profile", "yaml", "yml")
	return cmd
}

// banner tells a newcomer what to do with the running mock: the callers'
// key IDs (never their secrets), a few seed IDs to try, and how to run the
// whole suite against it.
func banner(w io.Writer, p *profile.Profile, addr, profilePath, contract string, served []servedProduct, noAuth, admin, enforceRate bool) {
	for i, sp := range served {
		how := "contract-only: each valid request answers its documented sample"
		switch {
		case sp.stateful:
			how = "stateful"
		case mock.Interpreted(sp.api):
			how = "contract-only, interpreted from the contract (no generated package of this build serves it): each valid request answers its documented sample"
		}
		lead := "  serving:"
		if i > 0 {
			lead = "          "
		}
		fmt.Fprintf(w, "%s %s %s (%s)\n", lead, sp.api.Product, sp.api.Version, how)
	}
	if len(served) > 1 {
		fmt.Fprintln(w, "  one address for all: each request goes to the product its Version (or Host) names; an unknown version answers InvalidVersion")
	}
	var keys []string
	for _, c := range p.Mock.Callers {
		keys = append(keys, c.AccessKeyID)
	}
	if p.Site != "" {
		fmt.Fprintf(w, "  site: %s (the rules the vendor states for that site only hold; the other site's do not)\n", p.Site)
	} else {
		fmt.Fprintln(w, "  site: none stated (only the rules of both sites hold)")
	}
	if noAuth {
		fmt.Fprintln(w, "  auth off: unsigned requests act as the first caller")
	} else if len(keys) > 0 {
		fmt.Fprintf(w, "  callers (access key IDs; their secrets are in the profile's mock section): %s\n", strings.Join(keys, ", "))
	}
	var ids []string
	stateful := false
	for _, sp := range served {
		stateful = stateful || sp.stateful
	}
	if len(p.Mock.Directories) > 0 && stateful {
		d := p.Mock.Directories[0]
		ids = append(ids, "directory "+d.ID)
		if len(d.Folders) > 0 {
			ids = append(ids, "folder "+d.Folders[0].ID)
		}
		if len(d.Members) > 0 {
			ids = append(ids, "member "+d.Members[0])
		}
		if len(d.Contacts) > 0 {
			ids = append(ids, "contact "+d.Contacts[0].ID+" ("+d.Contacts[0].Status+")")
		}
	}
	if len(ids) > 0 {
		fmt.Fprintf(w, "  try: %s\n", strings.Join(ids, ", "))
	}
	suite := "acsconform test --target http://" + addr + " --allow-mutating --allow-exhausting"
	if !strings.HasSuffix(profilePath, "(embedded)") {
		suite += " --profile " + profilePath
	}
	if contract != "" {
		suite += " --contract " + contract
	}
	var missing []string
	if !admin {
		missing = append(missing, "--admin (the suite resets the state between cases)")
	}
	if !enforceRate {
		missing = append(missing, "--enforce-rate-limit (the suite checks Throttling.User past the documented rate)")
	}
	if noAuth {
		missing = append(missing, "auth on (drop --no-auth: the suite checks signatures)")
	}
	if len(missing) == 0 {
		fmt.Fprintf(w, "  the whole suite against it: %s\n", suite)
	} else {
		fmt.Fprintf(w, "  the whole suite passes against it when started with %s; then: %s\n", strings.Join(missing, ", "), suite)
	}
	for _, sp := range served[min(1, len(served)):] {
		if sp.name != "" {
			fmt.Fprintf(w, "  and for %s %s: %s --contract %s\n", sp.api.Product, sp.api.Version, suite, sp.name)
		}
	}
}

// servedProduct is one product a running mock serves, for its banner.
type servedProduct struct {
	api      *spec.API
	stateful bool
	name     string // the --contract name, when one of several
}

// mockSecretEnv holds the secret of --access-key-id when no file names it.
const mockSecretEnv = "ACSCONFORM_MOCK_ACCESS_KEY_SECRET"

// loopback says whether a listen address binds only loopback.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serverLimits bound what one client can hold of the mock: time to send
// a request, time to answer, idle connections, and connections at once
// (the body size and parameter count are bounded by the wire decoder).
type serverLimits struct {
	read, write, idle time.Duration
	maxConns          int
}

// server is the HTTP server of the mock with the limits applied.
func (l serverLimits) server(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: min(10*time.Second, l.read), ReadTimeout: l.read, WriteTimeout: l.write, IdleTimeout: l.idle}
}

func orMemory(s string) string {
	if s == "" {
		return "in memory"
	}
	return s
}
