package resourcedirectorymaster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/acs"
)

var creds = acs.Credentials{AccessKeyID: "LTAIroundtrip", AccessKeySecret: "roundtrip-secret"}

// echoServer answers each operation from its request, so a round trip
// proves every field crossed the wire both ways.
type echoServer struct{ Unimplemented }

func (echoServer) AssociateMembers(ctx context.Context, r *AssociateMembersRequest) (*AssociateMembersResponse, error) {
	out := &AssociateMembersResponse{}
	for _, m := range r.Members {
		out.Members = append(out.Members, ContactBinding{ContactId: r.ContactId, MemberId: m, ModifyDate: "2023-03-27 17:19:21"})
	}
	return out, nil
}

func (echoServer) DisassociateMembers(ctx context.Context, r *DisassociateMembersRequest) (*DisassociateMembersResponse, error) {
	if r.ContactId == "c-unknown" {
		return nil, NewError("DisassociateMembers", CodeEntityNotExistsContact)
	}
	out := &DisassociateMembersResponse{}
	for _, m := range r.Members {
		out.Members = append(out.Members, ContactBinding{ContactId: r.ContactId, MemberId: m, ModifyDate: "2023-03-27 17:19:21"})
	}
	return out, nil
}

func (echoServer) InviteAccountToResourceDirectory(ctx context.Context, r *InviteAccountToResourceDirectoryRequest) (*InviteAccountToResourceDirectoryResponse, error) {
	info, _ := RequestInfoFrom(ctx)
	note := r.Note
	for _, tag := range r.Tag {
		note += "|" + tag.Key + "=" + tag.Value
	}
	return &InviteAccountToResourceDirectoryResponse{Handshake: Handshake{
		HandshakeId: "h-" + info.AccessKeyID, Status: HandshakeStatusPending, TargetEntity: r.TargetEntity, TargetType: r.TargetType,
		Note: note, ResourceDirectoryId: "rd-" + r.ParentFolderId, MasterAccountId: "1728412355001234", MasterAccountName: "Alice",
		CreateTime: "2018-08-10T09:55:41Z", ModifyTime: "2018-08-10T09:55:41Z", ExpireTime: "2018-08-24T09:55:41Z",
	}}, nil
}

func startServer(t *testing.T) *httptest.Server {
	t.Helper()
	v := NewVerifier(func(id string) (string, bool) { return creds.AccessKeySecret, id == creds.AccessKeyID }, nil)
	srv := httptest.NewServer(NewHandler(echoServer{}, HandlerOptions{Verifier: v}))
	t.Cleanup(srv.Close)
	return srv
}

type variant struct {
	name string
	opts []Option
}

func variants() []variant {
	var out []variant
	for _, sig := range []string{"v3", "v1"} {
		for _, wire := range []string{"POST", "POST+form", "GET"} {
			for _, format := range []string{"JSON", "XML"} {
				var opts []Option
				if sig == "v1" {
					opts = append(opts, WithSignatureV1())
				}
				switch wire {
				case "GET":
					opts = append(opts, WithMethod("GET"))
				case "POST+form":
					opts = append(opts, WithFormBody())
				}
				if format == "XML" {
					opts = append(opts, WithXML())
				}
				out = append(out, variant{sig + "/" + wire + "/" + format, opts})
			}
		}
	}
	return out
}

// TestRoundTrip calls every operation through the generated client and
// handler over each wire variant: signature v1 or v3, GET, POST query or
// POST form, JSON or XML answers.
func TestRoundTrip(t *testing.T) {
	srv := startServer(t)
	for _, v := range variants() {
		t.Run(v.name, func(t *testing.T) {
			c, err := NewClient(creds, append([]Option{WithEndpoint(srv.URL), WithoutRateLimit()}, v.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			a, err := c.AssociateMembers(ctx, &AssociateMembersRequest{ContactId: "c-qL4HqKONzOM7abcd", Members: []string{"fd-ZDNPiT0000", "1728412355001234"}})
			if err != nil || len(a.Members) != 2 || a.Members[1].MemberId != "1728412355001234" || a.Members[0].ContactId != "c-qL4HqKONzOM7abcd" || a.RequestId == "" {
				t.Fatalf("AssociateMembers: %+v, %v", a, err)
			}
			d, err := c.DisassociateMembers(ctx, &DisassociateMembersRequest{ContactId: "c-x", Members: []string{"r-b10000"}})
			if err != nil || len(d.Members) != 1 || d.Members[0].MemberId != "r-b10000" {
				t.Fatalf("DisassociateMembers: %+v, %v", d, err)
			}
			note := "歡迎您加入 & a*b~c+d=e"
			h, err := c.InviteAccountToResourceDirectory(ctx, &InviteAccountToResourceDirectoryRequest{
				TargetEntity: "someone@example.com", TargetType: TargetTypeEmail, Note: note, ParentFolderId: "fd-0123456789",
				Tag: []Tag{{Key: "k1", Value: "v 1"}, {Key: "k2", Value: "v2"}},
			})
			if err != nil {
				t.Fatal(err)
			}
			hs := h.Handshake
			if hs.TargetType != TargetTypeEmail || hs.Note != note+"|k1=v 1|k2=v2" || hs.ResourceDirectoryId != "rd-fd-0123456789" || hs.HandshakeId != "h-"+creds.AccessKeyID || hs.Status != HandshakeStatusPending {
				t.Fatalf("InviteAccountToResourceDirectory: %+v", hs)
			}
		})
	}
}

// TestRoundTripErrors: server-side validation, business errors, auth and
// routing failures reach the client as *acs.APIError with the documented
// status, code and message, in JSON and XML.
func TestRoundTripErrors(t *testing.T) {
	srv := startServer(t)
	for _, xml := range []bool{false, true} {
		opts := []Option{WithEndpoint(srv.URL), WithoutValidation(), WithoutRateLimit(), WithRetry(acs.RetryPolicy{MaxAttempts: 1})}
		if xml {
			opts = append(opts, WithXML())
		}
		c, _ := NewClient(creds, opts...)
		bad, _ := NewClient(acs.Credentials{AccessKeyID: creds.AccessKeyID, AccessKeySecret: "wrong"}, opts...)
		unknown, _ := NewClient(acs.Credentials{AccessKeyID: "LTAIunknown", AccessKeySecret: "x"}, opts...)
		ctx := context.Background()
		cases := []struct {
			name string
			call func() error
			code string
		}{
			{"rule", func() error {
				_, err := c.AssociateMembers(ctx, &AssociateMembersRequest{ContactId: "c-a", Members: []string{"fd-0123456789", "fd-0123456789"}})
				return err
			}, CodeInvalidParameterMembersDuplicate},
			{"business", func() error {
				_, err := c.DisassociateMembers(ctx, &DisassociateMembersRequest{ContactId: "c-unknown", Members: []string{"fd-0123456789"}})
				return err
			}, CodeEntityNotExistsContact},
			{"signature", func() error {
				_, err := bad.AssociateMembers(ctx, &AssociateMembersRequest{ContactId: "c-a"})
				return err
			}, CodeSignatureDoesNotMatch},
			{"access key", func() error {
				_, err := unknown.AssociateMembers(ctx, &AssociateMembersRequest{ContactId: "c-a"})
				return err
			}, CodeInvalidAccessKeyIdNotFound},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/xml=%v", c.name, xml), func(t *testing.T) {
				var ae *acs.APIError
				err := c.call()
				if !errors.As(err, &ae) || ae.Code != c.code || ae.RequestID == "" || ae.HostID != "resourcedirectory.aliyuncs.com" {
					t.Fatalf("got %v (%+v), want %s", err, ae, c.code)
				}
				want := NewError("AssociateMembers", c.code)
				if want == nil {
					want = NewError("DisassociateMembers", c.code)
				}
				// Prefix: a signature mismatch echoes the server's string to sign after it.
				if ae.HTTPStatus != want.HTTPStatus || !strings.HasPrefix(ae.Message, want.Message) {
					t.Fatalf("got %d %q, want %d %q", ae.HTTPStatus, ae.Message, want.HTTPStatus, want.Message)
				}
			})
		}
	}
}

// TestHandlerRouting covers what no client sends: missing or unknown
// Action, wrong Version, malformed list indexes, unsigned requests.
func TestHandlerRouting(t *testing.T) {
	srv := startServer(t)
	noAuth := httptest.NewServer(NewHandler(echoServer{}, HandlerOptions{}))
	defer noAuth.Close()
	cases := []struct {
		name, url, method string
		header            map[string]string
		status            int
		code, message     string
	}{
		{"no action", noAuth.URL + "/?Version=2022-04-19", "GET", nil, 400, CodeMissingParameter, `The input parameter "Action" that is mandatory for processing this request is not supplied.`},
		{"no version", noAuth.URL + "/?Action=AssociateMembers", "GET", nil, 400, CodeMissingParameter, `The input parameter "Version" that is mandatory for processing this request is not supplied.`},
		{"unknown action", noAuth.URL + "/?Action=CreateFolders&Version=2022-04-19", "GET", nil, 404, CodeInvalidActionNotFound, ""},
		{"wrong version", noAuth.URL + "/?Action=AssociateMembers&Version=2020-03-31", "GET", nil, 400, CodeInvalidVersion, ""},
		{"v3 headers route", noAuth.URL + "/?ContactId=c-a&Members.1=fd-0123456789", "POST", map[string]string{"x-acs-action": "AssociateMembers", "x-acs-version": "2022-04-19"}, 200, "", ""},
		{"malformed index", noAuth.URL + "/?Action=AssociateMembers&Version=2022-04-19&ContactId=c-a&Members.0=fd-0123456789", "GET", nil, 400, CodeInvalidParameter, `The specified parameter "Members.0" is not valid.`},
		{"gap", noAuth.URL + "/?Action=AssociateMembers&Version=2022-04-19&ContactId=c-a&Members.2=fd-0123456789", "GET", nil, 400, CodeInvalidParameter, ""},
		{"unsigned", srv.URL + "/?Action=AssociateMembers&Version=2022-04-19&ContactId=c-a", "GET", nil, 400, CodeIncompleteSignature, ""},
		{"method", noAuth.URL + "/?Action=AssociateMembers&Version=2022-04-19", "DELETE", nil, 403, CodeUnsupportedHTTPMethod, "This http method not supported."},
		{"path", noAuth.URL + "/v2/?Action=AssociateMembers&Version=2022-04-19", "GET", nil, 404, CodeInvalidActionNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, c.url, nil)
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, body)
			}
			if c.code == "" {
				return
			}
			e, err := acs.DecodeError(resp.StatusCode, body)
			if err != nil || e.Code != c.code || (c.message != "" && e.Message != c.message) || e.RequestID == "" {
				t.Fatalf("%s: %+v, %v", body, e, err)
			}
		})
	}
}

// TestXMLBody pins the XML shape of a success body.
func TestXMLBody(t *testing.T) {
	srv := httptest.NewServer(NewHandler(echoServer{}, HandlerOptions{NewRequestID: func() string { return "R" }}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/?Action=AssociateMembers&Version=2022-04-19&Format=XML&ContactId=c-a&Members.1=fd-0123456789&Members.2=r-b10000")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<AssociateMembersResponse><RequestId>R</RequestId><Members><ContactId>c-a</ContactId><MemberId>fd-0123456789</MemberId><ModifyDate>2023-03-27 17:19:21</ModifyDate></Members><Members><ContactId>c-a</ContactId><MemberId>r-b10000</MemberId><ModifyDate>2023-03-27 17:19:21</ModifyDate></Members></AssociateMembersResponse>`
	if string(body) != want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/xml") {
		t.Fatalf("%s\n%s", resp.Header.Get("Content-Type"), body)
	}
}

// TestEmailTargetRefusesControlCharacters: an e-mail target holding NUL or
// another control character is refused before it reaches any state.
func TestEmailTargetRefusesControlCharacters(t *testing.T) {
	for _, target := range []string{"a\x00b@example.com", "ab@exa\x1fmple.com", "ab@example.co\x7fm"} {
		err := (&InviteAccountToResourceDirectoryRequest{TargetType: TargetTypeEmail, TargetEntity: target}).Validate()
		var ae *acs.APIError
		if !errors.As(err, &ae) || ae.Code != CodeInvalidParameterTargetEntity {
			t.Errorf("%q: %v", target, err)
		}
	}
	if err := (&InviteAccountToResourceDirectoryRequest{TargetType: TargetTypeEmail, TargetEntity: "someone@example.com"}).Validate(); err != nil {
		t.Errorf("a plain address: %v", err)
	}
}

// TestRefusalsAreShared: Validate answers the same read-only error for a
// rule each time (no allocation), while the client hands each caller its
// own copy, so a caller changing it changes nothing for the next.
func TestRefusalsAreShared(t *testing.T) {
	req := &AssociateMembersRequest{Members: []string{"fd-a1b2c3d4e5"}}
	first, second := req.Validate(), req.Validate()
	if first == nil || first != second {
		t.Fatalf("Validate: %v, %v (want one shared error)", first, second)
	}
	c, err := NewClient(acs.Credentials{AccessKeyID: "id", AccessKeySecret: "secret"}, WithEndpoint("http://127.0.0.1:1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err1 := c.AssociateMembers(context.Background(), req)
	var own *acs.APIError
	if !errors.As(err1, &own) || own.Code != CodeMissingParameterContactId {
		t.Fatalf("client: %v", err1)
	}
	own.Message = "changed by the caller"
	if _, err2 := c.AssociateMembers(context.Background(), req); strings.Contains(err2.Error(), "changed by the caller") || strings.Contains(req.Validate().Error(), "changed") {
		t.Fatalf("a caller's change to its error reached the next refusal: %v", err2)
	}
}
