package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/acsconform/acsconform/conformance/plan"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// The official SDKs against the emulator: every operation of the product,
// a success and a documented error each, through the v1 SDK's
// CommonRequest (GET and POST form) and darabonba's CallApi (v3, query and
// form); then workflows across every resource family, written from the
// metadata's descriptions, through the same clients.

// answer is what an SDK made of a response.
type answer struct {
	body   map[string]any
	status int
	code   string
	err    error // a failure that is neither a success nor a parsed error
}

// sdkDriver is one SDK in one wire form.
type sdkDriver struct {
	name string
	call func(action, as string, params map[string]string) answer
}

type emulator struct {
	m    *mock.Mock
	p    *profile.Profile
	host string
}

func startEmulator(t testing.TB) *emulator {
	t.Helper()
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := mock.New(mock.Options{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	t.Cleanup(func() { srv.Close(); m.Close() })
	return &emulator{m: m, p: p, host: strings.TrimPrefix(srv.URL, "http://")}
}

// unknownCaller names keys the emulator does not know.
const unknownCaller = "\x00unknown"

// creds resolves a profile input or credential set name to keys.
func (e *emulator) creds(as string) (string, string, error) {
	if as == unknownCaller {
		return "LTAI5tNoSuchCaller", "not-a-secret", nil
	}
	name := as
	if name == "" {
		name = "default"
	}
	if in, ok := e.p.Inputs[name]; ok && in.Credentials != "" {
		name = in.Credentials
	}
	c, err := e.p.Resolve(name, func(string) string { return "" })
	if err != nil {
		return "", "", fmt.Errorf("credentials %s: %v", as, err)
	}
	return c.AccessKeyID, c.AccessKeySecret, nil
}

func (e *emulator) drivers() []sdkDriver {
	v1 := func(method string) sdkDriver {
		return sdkDriver{name: "sdk-v1-" + method, call: func(action, as string, params map[string]string) answer {
			id, secret, err := e.creds(as)
			if err != nil {
				return answer{err: err}
			}
			client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential(id, secret))
			if err != nil {
				return answer{err: err}
			}
			req := requests.NewCommonRequest()
			req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = method, "http", e.host, "2022-04-19", action
			for k, v := range params {
				if method == "POST" {
					req.FormParams[k] = v
				} else {
					req.QueryParams[k] = v
				}
			}
			resp, err := client.ProcessCommonRequest(req)
			var se *sdkerrors.ServerError
			switch {
			case errors.As(err, &se):
				return answer{status: se.HttpStatus(), code: se.ErrorCode()}
			case err != nil:
				return answer{err: err}
			}
			var body map[string]any
			if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
				return answer{err: fmt.Errorf("the SDK's body is not JSON: %v", err)}
			}
			return answer{body: body, status: resp.GetHttpStatus()}
		}}
	}
	v3 := func(bodyType string) sdkDriver {
		return sdkDriver{name: "darabonba-" + bodyType, call: func(action, as string, params map[string]string) answer {
			id, secret, err := e.creds(as)
			if err != nil {
				return answer{err: err}
			}
			client, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret), Endpoint: dara.String(e.host), Protocol: dara.String("HTTP")})
			if err != nil {
				return answer{err: err}
			}
			req := &openapiutil.OpenApiRequest{}
			reqBody := "json"
			if bodyType == "formData" {
				reqBody = "formData"
				m := map[string]any{}
				for k, v := range params {
					m[k] = v
				}
				req.Body = m
			} else {
				q := map[string]*string{}
				for k, v := range params {
					q[k] = dara.String(v)
				}
				req.Query = q
			}
			out, err := client.CallApi(&openapiutil.Params{Action: dara.String(action), Version: dara.String("2022-04-19"), Protocol: dara.String("HTTP"),
				Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
				ReqBodyType: dara.String(reqBody), BodyType: dara.String("json")}, req, &dara.RuntimeOptions{Autoretry: dara.Bool(false)})
			if err != nil {
				if status, code, _, ok := darabonbaError(err); ok {
					return answer{status: status, code: code}
				}
				return answer{err: err}
			}
			body, _ := out["body"].(map[string]any)
			return answer{body: body, status: 200}
		}}
	}
	return []sdkDriver{v1("GET"), v1("POST"), v3("query"), v3("formData")}
}

func flat(v map[string][]string) map[string]string {
	out := map[string]string{}
	for k, vs := range v {
		if len(vs) > 0 {
			out[k] = vs[0]
		}
	}
	return out
}

// TestSDKsDriveEveryOperation: for each operation of the contract, the
// plan's success request and its first state error (a trigger, else a
// rule's rejection), sent by each SDK against a freshly reset emulator:
// the SDK must parse the success body and the documented error.
func TestSDKsDriveEveryOperation(t *testing.T) {
	e := startEmulator(t)
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := plan.Plan(api, e.p, plan.PlanOptions{Embedded: true})
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ ok, bad *plan.Case }
	byOp := map[string]*pair{}
	for _, c := range cases {
		if c.Skip != "" || len(c.Requests) != 1 || c.Action == "" {
			continue
		}
		p := byOp[c.Action]
		if p == nil {
			p = &pair{}
			byOp[c.Action] = p
		}
		switch {
		case c.Kind == plan.KindExample && p.ok == nil:
			p.ok = c
		case c.Kind == plan.KindErrorCode && c.Procedure == "" && (p.bad == nil || p.bad.Kind != plan.KindErrorCode):
			p.bad = c
		case c.Kind == plan.KindRule && len(c.Expect.Codes) > 0 && p.bad == nil:
			p.bad = c
		}
	}
	// An operation that documents no code of its own still answers the
	// gateway's: its success request signed with a key the emulator does
	// not know.
	unknownKey := rdm.StateError("unknown-access-key")
	var missing []string
	for _, op := range api.Operations {
		p := byOp[op.Action]
		if p != nil && p.ok != nil && p.bad == nil && len(op.Errors) == 0 {
			r := p.ok.Requests[0]
			r.As = unknownCaller
			p.bad = &plan.Case{ID: op.Action + "/unknown-access-key", Action: op.Action, Requests: []plan.Request{r},
				Expect: plan.Expect{Codes: []string{unknownKey.Code}}}
		}
		if p == nil || p.ok == nil || p.bad == nil {
			missing = append(missing, op.Action)
		}
	}
	if len(missing) > 0 {
		t.Errorf("operations without a runnable success and error case: %v", missing)
	}
	for _, d := range e.drivers() {
		for _, op := range api.Operations {
			p := byOp[op.Action]
			if p == nil || p.ok == nil || p.bad == nil {
				continue
			}
			t.Run(d.name+"/"+op.Action, func(t *testing.T) {
				for _, c := range []*plan.Case{p.ok, p.bad} {
					if err := e.m.Backend().Reset(); err != nil {
						t.Fatal(err)
					}
					r := c.Requests[0]
					a := d.call(r.Action, r.As, flat(r.Params))
					switch {
					case a.err != nil:
						t.Fatalf("%s: the SDK failed: %v", c.ID, a.err)
					case c.Expect.Success && (a.status != 200 || a.body["RequestId"] == nil):
						t.Fatalf("%s: want a success the SDK parses, got HTTP %d %s %v", c.ID, a.status, a.code, a.body)
					case !c.Expect.Success && !slices.Contains(c.Expect.Codes, a.code):
						t.Fatalf("%s: the SDK parsed HTTP %d %q, want one of %v", c.ID, a.status, a.code, c.Expect.Codes)
					}
				}
			})
		}
	}
}
