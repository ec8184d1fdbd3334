package interop

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// sdkCase is one call and what the SDK must report.
type sdkCase struct {
	name   string
	action string
	params map[string]string
	status int    // 200 for success
	code   string // expected Code, "" for success
	check  func(t *testing.T, body map[string]any)
}

func mockCases() []sdkCase {
	okMembers := func(t *testing.T, body map[string]any) {
		ms, _ := body["Members"].([]any)
		if len(ms) != 1 || ms[0].(map[string]any)["MemberId"] != "1728412355001001" {
			t.Errorf("Members = %v", body["Members"])
		}
	}
	return []sdkCase{
		{"associate", "AssociateMembers", map[string]string{"ContactId": "c-ActiveContact01", "Members.1": "1728412355001001"}, 200, "", okMembers},
		{"associate unknown contact", "AssociateMembers", map[string]string{"ContactId": "c-NoSuchContact00", "Members.1": "1728412355001001"}, 404, "EntityNotExists.Contact", nil},
		{"associate duplicate", "AssociateMembers", map[string]string{"ContactId": "c-ActiveContact01", "Members.1": "r-a1b2c3", "Members.2": "r-a1b2c3"}, 400, "InvalidParameter.Members.Duplicate", nil},
		{"associate locked contact", "AssociateMembers", map[string]string{"ContactId": "c-LockedContact01", "Members.1": "1728412355001001"}, 400, "ContactStatusMismatchAction", nil},
		{"associate no contact", "AssociateMembers", map[string]string{"Members.1": "1728412355001001"}, 400, "MissingParameter.ContactId", nil},
		{"disassociate", "DisassociateMembers", map[string]string{"ContactId": "c-ActiveContact01", "Members.1": "1728412355001001"}, 200, "", okMembers},
		{"disassociate six", "DisassociateMembers", map[string]string{"ContactId": "c-ActiveContact01", "Members.1": "r-a1b2c3", "Members.2": "fd-a1b2c3d4e5", "Members.3": "fd-f6g7h8i9j0",
			"Members.4": "1728412355001001", "Members.5": "1728412355001002", "Members.6": "rd-3G6h0M1vAcme"}, 400, "InvalidParameter.Members.Length", nil},
		{"disassociate outside", "DisassociateMembers", map[string]string{"ContactId": "c-ActiveContact01", "Members.1": "fd-zzzzzzzzzz"}, 400, "InvalidMember", nil},
		{"disassociate unknown contact", "DisassociateMembers", map[string]string{"ContactId": "c-NoSuchContact00", "Members.1": "fd-zzzzzzzzzz"}, 404, "EntityNotExists.Contact", nil},
		{"invite", "InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "invitee05@example.com", "TargetType": "Email", "Note": "歡迎您加入", "Tag.1.Key": "k1", "Tag.1.Value": "v1"}, 200, "", func(t *testing.T, body map[string]any) {
			h, _ := body["Handshake"].(map[string]any)
			if h["Status"] != "Pending" || h["TargetEntity"] != "invitee05@example.com" || h["Note"] != "歡迎您加入" || !strings.HasPrefix(h["HandshakeId"].(string), "h-") {
				t.Errorf("Handshake = %v", h)
			}
		}},
		{"invite bad type", "InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "a@b.c", "TargetType": "email"}, 400, "InvalidParameter.TargetType", nil},
		{"invite unknown folder", "InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "1728412355003006", "TargetType": "Account", "ParentFolderId": "fd-0000000000"}, 404, "EntityNotExists.Folder", nil},
		{"invite personal", "InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "1728412355004001", "TargetType": "Account"}, 409, "Invalid.AccountType", nil},
		{"invite other legal entity", "InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "1728412355005001", "TargetType": "Account"}, 409, "LegalEntityMismatch", nil},
	}
}

func startMock(t *testing.T) (string, string, string) {
	t.Helper()
	e := startEmulator(t)
	id, secret, err := e.creds("")
	if err != nil {
		t.Fatal(err)
	}
	return e.host, id, secret
}

// TestAlibabaCloudSDKAgainstMock drives the mock with alibaba-cloud-sdk-go's
// CommonRequest (v1 signatures), GET and POST: the SDK parses each answer.
func TestAlibabaCloudSDKAgainstMock(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		host, id, secret := startMock(t)
		client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential(id, secret))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range mockCases() {
			t.Run(method+"/"+c.name, func(t *testing.T) {
				req := requests.NewCommonRequest()
				req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = method, "http", host, "2022-04-19", c.action
				for k, v := range c.params {
					if method == "POST" {
						req.FormParams[k] = v
					} else {
						req.QueryParams[k] = v
					}
				}
				resp, err := client.ProcessCommonRequest(req)
				if c.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					var body map[string]any
					if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil || body["RequestId"] == "" {
						t.Fatalf("%v: %s", err, resp.GetHttpContentString())
					}
					c.check(t, body)
					return
				}
				var se *sdkerrors.ServerError
				if !errors.As(err, &se) {
					t.Fatalf("want the SDK's ServerError, got %T %v", err, err)
				}
				if se.HttpStatus() != c.status || se.ErrorCode() != c.code || se.RequestId() == "" {
					t.Fatalf("SDK parsed %d %s (RequestId %q), want %d %s", se.HttpStatus(), se.ErrorCode(), se.RequestId(), c.status, c.code)
				}
			})
		}
	}
}

// darabonbaError reads status, code and RequestId as darabonba parsed them.
func darabonbaError(err error) (int, string, string, bool) {
	var ce *openapi.ClientError
	var se *openapi.ServerError
	var te *tea.SDKError
	switch {
	case errors.As(err, &ce):
		return dara.IntValue(ce.StatusCode), dara.StringValue(ce.Code), dara.StringValue(ce.RequestId), true
	case errors.As(err, &se):
		return dara.IntValue(se.StatusCode), dara.StringValue(se.Code), dara.StringValue(se.RequestId), true
	case errors.As(err, &te):
		var data map[string]any
		_ = json.Unmarshal([]byte(tea.StringValue(te.Data)), &data)
		rid, _ := data["RequestId"].(string)
		return tea.IntValue(te.StatusCode), tea.StringValue(te.Code), rid, true
	}
	return 0, "", "", false
}

// TestDarabonbaAgainstMock drives the mock with darabonba-openapi's CallApi
// (v3 signatures, RPC style), query and form bodies.
func TestDarabonbaAgainstMock(t *testing.T) {
	for _, bodyType := range []string{"query", "formData"} {
		host, id, secret := startMock(t)
		client, err := openapi.NewClient(&openapiutil.Config{AccessKeyId: dara.String(id), AccessKeySecret: dara.String(secret), Endpoint: dara.String(host), Protocol: dara.String("HTTP")})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range mockCases() {
			t.Run(bodyType+"/"+c.name, func(t *testing.T) {
				req := &openapiutil.OpenApiRequest{}
				reqBody := "json"
				if bodyType == "formData" {
					reqBody = "formData"
					m := map[string]any{}
					for k, v := range c.params {
						m[k] = v
					}
					req.Body = m
				} else {
					q := map[string]*string{}
					for k, v := range c.params {
						q[k] = dara.String(v)
					}
					req.Query = q
				}
				out, err := client.CallApi(&openapiutil.Params{Action: dara.String(c.action), Version: dara.String("2022-04-19"), Protocol: dara.String("HTTP"),
					Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
					ReqBodyType: dara.String(reqBody), BodyType: dara.String("json")}, req, &dara.RuntimeOptions{Autoretry: dara.Bool(false)})
				if c.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					body, _ := out["body"].(map[string]any)
					if fmt.Sprint(out["statusCode"]) != "200" || body["RequestId"] == "" {
						t.Fatalf("%v", out)
					}
					c.check(t, body)
					return
				}
				status, code, rid, ok := darabonbaError(err)
				if !ok || status != c.status || code != c.code || rid == "" {
					t.Fatalf("darabonba parsed %d %s (RequestId %q) from %T %v; want %d %s", status, code, rid, err, err, c.status, c.code)
				}
			})
		}
	}
}

// TestAlibabaCloudSDKRecognisesAWrongSecret: signed with a wrong secret,
// GET and POST, the v1 SDK compares the mock's echoed string to sign with
// its own, finds them equal and tells the user the secret is wrong (its
// Recommend), rather than suspecting a signing bug.
func TestAlibabaCloudSDKRecognisesAWrongSecret(t *testing.T) {
	for _, method := range []string{"GET", "POST"} {
		host, id, secret := startMock(t)
		client, err := sdk.NewClientWithOptions("cn-hangzhou", sdk.NewConfig(), credentials.NewAccessKeyCredential(id, secret+"-wrong"))
		if err != nil {
			t.Fatal(err)
		}
		req := requests.NewCommonRequest()
		req.Method, req.Scheme, req.Domain, req.Version, req.ApiName = method, "http", host, "2022-04-19", "DisassociateMembers"
		params := req.QueryParams
		if method == "POST" {
			params = req.FormParams
		}
		params["ContactId"], params["Members.1"] = "c-ActiveContact01", "r-a1b2c3"
		_, err = client.ProcessCommonRequest(req)
		var se *sdkerrors.ServerError
		if !errors.As(err, &se) {
			t.Fatalf("%s: want the SDK's ServerError, got %T %v", method, err, err)
		}
		if se.ErrorCode() != "SignatureDoesNotMatch" || se.Recommend() != "InvalidAccessKeySecret: Please check you AccessKeySecret" {
			t.Fatalf("%s: the SDK did not recognise a wrong secret: code %s, Recommend %q, message %q", method, se.ErrorCode(), se.Recommend(), se.Message())
		}
		if strings.Contains(se.Error(), secret) {
			t.Fatalf("%s: the secret is in the error", method)
		}
	}
}
