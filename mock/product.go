package mock

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	sts "github.com/acsconform/acsconform/gen/sts"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// The mock is an engine with products plugged in. The engine is the same
// for every product: signature checks (the generated verifier, keys from
// the profile's callers), request limits, injected faults, rate limits,
// the unsigned-request hint and the admin endpoints. A product brings its
// generated package: the handler that decodes and validates its
// operations, the way its gateway lays out an error (its Recommend names
// the product), and the state behind the handler. Resource Directory has
// modelled state (Backend); a product without one is served contract-only:
// every parameter rule through its generated validators, and each valid
// request answered with the operation's documented sample.

// product is what one generated package gives the engine.
type product struct {
	// version is the API version the package was generated for.
	version string
	// encodeError lays out an error body as the product's gateway does.
	encodeError func(e *acs.APIError, xml bool) []byte
	// stateError is the platform error the contract documents for a
	// trigger state (rate-exceeded, internal-failure, …).
	stateError func(state string, args ...string) *acs.APIError
	// newRequestID and requestIDHeader are the product's RequestId form
	// and the header that repeats it.
	newRequestID    func() string
	requestIDHeader string
	// contractOnly serves every operation from its documented sample (nil
	// for a product whose state the mock models).
	contractOnly func(o engineOptions) http.Handler
	// overDirectory serves the product over the directory's state through
	// f (forward.go); nil for the directory itself and for a product
	// served contract-only.
	overDirectory func(o engineOptions, f *forwarder) http.Handler
}

// engineOptions are the generated handler's options the engine sets,
// whatever the product.
type engineOptions struct {
	Verifier *acs.Verifier
	Limits   acs.InboundLimits
	Site     string // the vendor site whose own rules apply too
	Observe  func(requestID, action, accessKeyID string, signature int, method string, status int, code string, elapsed time.Duration)
}

// products are the generated packages the mock serves, by product code.
var products = map[string]product{
	rdm.Product: {version: rdm.Version, encodeError: rdm.EncodeError, stateError: rdm.StateError, newRequestID: rdm.NewRequestID, requestIDHeader: rdm.RequestIDHeader},
	rm.Product: {version: rm.Version, encodeError: rm.EncodeError, stateError: rm.StateError, newRequestID: rm.NewRequestID, requestIDHeader: rm.RequestIDHeader,
		overDirectory: func(o engineOptions, f *forwarder) http.Handler {
			h := rm.HandlerOptions{Verifier: o.Verifier, Limits: o.Limits, Site: o.Site}
			if o.Observe != nil {
				h.Observe = func(i rm.RequestInfo, status int, code string, elapsed time.Duration) {
					o.Observe(i.RequestID, i.Action, i.AccessKeyID, i.SignatureVersion, i.Method, status, code, elapsed)
				}
			}
			f.newError, f.sample = rm.NewError, rm.SampleAnswer
			f.own = rmModel{b: f.b, api: f.api, dir: f.direct}.serve
			// InitResourceDirectory enables a directory for the caller's own
			// account: 2022-04-19's EnableResourceDirectory in that mode.
			f.aliases = map[string]alias{"InitResourceDirectory": {action: "EnableResourceDirectory", params: map[string]string{"EnableMode": "CurrentAccount"}}}
			return rm.NewHandler(rm.ServerFunc(func(ctx context.Context, req rm.Request, out any) error {
				info, _ := rm.RequestInfoFrom(ctx)
				key := info.AccessKeyID
				if key == "" {
					key, _ = ctx.Value(claimedKey{}).(string)
				}
				return f.serve(ctx, key, req.Action(), req.Params(), req, out)
			}), h)
		}},
	sts.Product: {version: sts.Version, encodeError: sts.EncodeError, stateError: sts.StateError, newRequestID: sts.NewRequestID, requestIDHeader: sts.RequestIDHeader,
		overDirectory: func(o engineOptions, f *forwarder) http.Handler {
			h := sts.HandlerOptions{Verifier: o.Verifier, Limits: o.Limits, Site: o.Site}
			if o.Observe != nil {
				h.Observe = func(i sts.RequestInfo, status int, code string, elapsed time.Duration) {
					o.Observe(i.RequestID, i.Action, i.AccessKeyID, i.SignatureVersion, i.Method, status, code, elapsed)
				}
			}
			f.newError, f.sample = sts.NewError, sts.SampleAnswer
			f.own = callerIdentity(f.b)
			return sts.NewHandler(sts.ServerFunc(func(ctx context.Context, req sts.Request, out any) error {
				info, _ := sts.RequestInfoFrom(ctx)
				key := info.AccessKeyID
				if key == "" {
					key, _ = ctx.Value(claimedKey{}).(string)
				}
				return f.serve(ctx, key, req.Action(), req.Params(), req, out)
			}), h)
		}},
}

// callerKeys answers the verifier's key and token lookups from the
// profile's mock callers, for a product without modelled state (the
// modelled one keeps its callers' keys in its state).
type callerKeys []profile.Caller

func (k callerKeys) Secret(id string) (string, bool) {
	for _, c := range k {
		if c.AccessKeyID == id {
			return c.AccessKeySecret, true
		}
	}
	return "", false
}

// Token is the security token a temporary key must carry and when it
// expires.
func (k callerKeys) Token(id string) (string, time.Time) {
	for _, c := range k {
		if c.AccessKeyID == id {
			return c.SecurityToken, c.SecurityTokenExpires
		}
	}
	return "", time.Time{}
}

// logRequests is the engine's access log: one structured line per
// request, with the access key ID and never its secret.
func logRequests(log *slog.Logger) func(requestID, action, accessKeyID string, signature int, method string, status int, code string, elapsed time.Duration) {
	return func(requestID, action, accessKeyID string, signature int, method string, status int, code string, elapsed time.Duration) {
		log.Info("request", "request_id", requestID, "action", action, "access_key_id", accessKeyID,
			"signature", signature, "method", method, "status", status, "code", code, "ms", float64(elapsed.Microseconds())/1000)
	}
}

// productFor is how the mock serves a contract: the generated package of
// its product and version when this build has one, else the contract
// interpreted at run time (interp.go).
func productFor(api *spec.API) (product, error) {
	if pr, ok := products[api.Product]; ok && pr.version == api.Version {
		return pr, nil
	}
	return interpretProduct(api)
}

// Interpreted reports whether the mock serves api by interpreting it (no
// generated package of this build serves that product and version).
func Interpreted(api *spec.API) bool {
	pr, ok := products[api.Product]
	return !ok || pr.version != api.Version
}

// Serving says how the mock serves a product: "state" (its own modelled
// state), "shared state" (over the directory's state, its own families
// beside), "contract-only" (its documented samples), or "" for a product
// no generated package of this build serves.
func Serving(product string) string {
	pr, ok := products[product]
	switch {
	case !ok:
		return ""
	case pr.overDirectory != nil:
		return "shared state"
	case pr.contractOnly != nil:
		return "contract-only"
	}
	return "state"
}
