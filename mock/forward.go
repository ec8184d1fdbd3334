package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/spec"
)

// A product can be served over the directory's state: ResourceManager
// 2020-03-31 names the same folders, accounts, invitations, control
// policies and delegated administrators as ResourceDirectoryMaster
// 2022-04-19, and a client may make a folder through one version and
// rename it through the other. Such a product's generated handler checks
// its own signatures and its own contract's rules; each operation the
// directory's contract also has is then forwarded, with the caller's
// identity, to the directory's generated handler over the shared Backend,
// and its answer decoded into the product's response type. An error the
// product's contract documents for the operation is answered with the
// product's own status and message; any other keeps the directory's. An
// operation the directory does not have is answered by the product's
// own model, or its documented sample where there is none yet.

// forwarder forwards the operations the directory has.
type forwarder struct {
	api  *spec.API    // the forwarding product's contract
	dir  *spec.API    // the directory's contract
	next http.Handler // the directory's handler: unsigned, over the shared state
	b    *Backend     // the shared state, for the product's own model
	// newError is the forwarding product's documented error for a code.
	newError func(action, code string, args ...string) *acs.APIError
	// sample answers an operation the directory does not have.
	sample func(action string, out any) error
	// aliases forward an operation of the product under another name of
	// the directory's, with parameters it implies (InitResourceDirectory is
	// EnableResourceDirectory of the caller's own account).
	aliases map[string]alias
	// own answers the operations the product models itself (nil: none),
	// given the product's decoded request; handled reports whether it took
	// the request.
	own func(ctx context.Context, caller string, req any, out any) (handled bool, err error)
}

// serve is the product's ServerFunc. caller is the access key the
// product's handler verified (or the one an unchecked request claims).
func (f *forwarder) serve(ctx context.Context, caller, action string, params url.Values, req, out any) error {
	if f.own != nil {
		if handled, err := f.own(ctx, caller, req, out); handled {
			return err
		}
	}
	target, implied := action, map[string]string(nil)
	if a, ok := f.aliases[action]; ok {
		target, implied = a.action, a.params
	}
	if f.api.Operation(action) == nil || f.dir.Operation(target) == nil {
		return f.answerSample(action, params, out)
	}
	fwd := url.Values{}
	for k, vs := range params {
		fwd[k] = vs
	}
	for k, v := range implied {
		fwd.Set(k, v)
	}
	// A parameter left out takes the product's own default, which may
	// differ from the directory's (or the directory may require it).
	if op := f.api.Operation(action); op != nil {
		for _, p := range op.Params {
			if p.Schema != nil && p.Schema.Default != nil && !fwd.Has(p.Name) {
				fwd.Set(p.Name, fmt.Sprint(p.Schema.Default))
			}
		}
	}
	err := f.direct(ctx, caller, action, target, fwd, out)
	var refused *refusedByRules
	if errors.As(err, &refused) {
		if f.ownValue(action, refused, params) {
			// The directory's rules refuse a value only this version has
			// (ResourceType=ResourceGroup): the request is not about the
			// directory's state.
			return f.answerSample(action, params, out)
		}
		// The same service refuses it: with the directory's code, or an
		// alternative its rule names, that this version documents.
		codes := []string{refused.answer.Code}
		if dop := f.dir.Operation(refused.target); dop != nil {
			for _, r := range dop.Rules {
				if r.ID == refused.rule {
					codes = append(codes, r.Candidates...)
				}
			}
		}
		if op := f.api.Operation(action); op != nil {
			for _, c := range codes {
				if e := op.Error(c); e != nil && !e.Platform {
					if own := f.newError(action, c); own != nil && own.Code == c {
						return own
					}
				}
			}
		}
		return refused.answer
	}
	return err
}

// errNotForwardable: the directory's rules refuse the forwarded request.
var errNotForwardable = errors.New("mock: the directory's rules refuse the request")

// refusedByRules is the directory's refusal of a forwarded request by its
// rules: errNotForwardable, with the directory's own answer.
type refusedByRules struct {
	answer *acs.APIError
	rule   string // the directory's rule ID, "" when unknown
	target string // the directory's operation
}

func (r *refusedByRules) Error() string        { return errNotForwardable.Error() + ": " + r.answer.Code }
func (r *refusedByRules) Is(target error) bool { return target == errNotForwardable }

// direct sends fwd to the directory's handler as its operation target, as
// caller, and decodes the answer into out; an error the product documents
// for its operation action takes the product's status and message.
func (f *forwarder) direct(ctx context.Context, caller, action, target string, fwd url.Values, out any) error {
	fwd.Set("Action", target)
	fwd.Set("Version", rdm.Version)
	r, err := http.NewRequestWithContext(context.WithValue(ctx, claimedKey{}, caller), http.MethodPost, "/", strings.NewReader(fwd.Encode()))
	if err != nil {
		return err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := &recorder{header: http.Header{}}
	f.next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status == 0 || rec.status == http.StatusOK {
		if err := json.Unmarshal(body, out); err != nil {
			var te *json.UnmarshalTypeError
			if !errors.As(err, &te) {
				return fmt.Errorf("%s: the directory's answer does not decode: %w", action, err)
			}
			// A field typed differently in the two versions is left out;
			// the rest of the answer stands.
		}
		return nil
	}
	e, err := acs.DecodeError(rec.status, body)
	if err != nil {
		return fmt.Errorf("%s: the directory's error does not decode: %w", action, err)
	}
	if e.Code == notForwardable {
		code, rest, _ := strings.Cut(e.Message, "\n")
		rule, msg, _ := strings.Cut(rest, "\n")
		return &refusedByRules{answer: &acs.APIError{HTTPStatus: rec.status, Code: code, Message: msg}, rule: rule, target: target}
	}
	if op := f.api.Operation(action); op != nil && op.Error(e.Code) != nil {
		if own := f.newError(action, e.Code); own != nil && own.Code == e.Code {
			e.HTTPStatus = own.HTTPStatus
			if !strings.Contains(own.Message, "{") { // a template the directory's message already fills
				e.Message = own.Message
			}
		}
	}
	e.RequestID, e.HostID, e.Recommend = "", "", ""
	return e
}

// alias is an operation the directory serves under another name.
type alias struct {
	action string
	params map[string]string
}

// ownValue reports whether the directory's rule refused a value of this
// version's own: an enum rule on a parameter whose value this version's
// enum (or its parameter without one) takes.
func (f *forwarder) ownValue(action string, refused *refusedByRules, params url.Values) bool {
	dop, op := f.dir.Operation(refused.target), f.api.Operation(action)
	if dop == nil || op == nil {
		return false
	}
	for _, r := range dop.Rules {
		if r.ID != refused.rule || r.Kind != spec.RuleEnum {
			continue
		}
		p := op.Param(r.ParamName())
		if p == nil || p.Schema == nil {
			return false
		}
		v := params.Get(p.Name)
		if v == "" && p.Schema.Default != nil {
			v = fmt.Sprint(p.Schema.Default)
		}
		return len(p.Schema.Enum) == 0 || slices.Contains(p.Schema.Enum, any(v))
	}
	return false
}

// answerSample answers an operation neither the directory nor the
// product's own model serves with its documented sample, cut to the page
// asked for (samplePages explains why).
func (f *forwarder) answerSample(action string, params url.Values, out any) error {
	if err := f.sample(action, out); err != nil {
		return err
	}
	op := f.api.Operation(action)
	if op == nil || op.Paging() == nil {
		return nil
	}
	body, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if paged, ok := page(body, op.Paging(), params); ok {
		v := reflect.ValueOf(out).Elem()
		v.Set(reflect.Zero(v.Type()))
		return json.Unmarshal(paged, out)
	}
	return nil
}

// notForwardable is the code the directory's handler answers, inside the
// mock only, for a forwarded request its own rules refuse.
const notForwardable = "acsconform.NotForwardable"

// forwardedRules wraps the directory's Validate hook for forwarded
// requests: a refusal by the directory's rules becomes notForwardable.
func forwardedRules(validate func(rdm.Request) error, site string) func(rdm.Request) error {
	return func(r rdm.Request) error {
		rule, ae := r.CheckSite(site)
		var err error = ae
		if ae == nil {
			err = nil
		}
		if validate != nil {
			err = validate(r)
		}
		if err != nil {
			// The refusal's code, rule and message ride in the message,
			// for direct to give back (refusedByRules).
			var got *acs.APIError
			if !errors.As(err, &got) {
				got = &acs.APIError{HTTPStatus: http.StatusBadRequest, Code: "InvalidParameter", Message: err.Error()}
			}
			return &acs.APIError{HTTPStatus: got.HTTPStatus, Code: notForwardable, Message: got.Code + "\n" + rule + "\n" + got.Message}
		}
		return nil
	}
}
