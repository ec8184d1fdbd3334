package interop

import (
	"fmt"
	"testing"

	rpc "github.com/alibabacloud-go/tea-rpc/client"
	util "github.com/alibabacloud-go/tea-utils/service"
	"github.com/alibabacloud-go/tea/tea"
)

// TestTerraformCallPattern replays what Terraform's alicloud provider
// (v1.289.0) sends for a folder, a resource account, an invitation and a
// control policy — apply, read, destroy — through tea-rpc v1.2.0, the
// client it sends every ResourceManager 2020-03-31 call with: v1
// (HMAC-SHA1) signatures, POST with the parameters in a form body, over
// HTTP to one `acsconform mock` address; the provider's tag reads go to
// ResourceDirectoryMaster 2022-04-19 at the same address.
func TestTerraformCallPattern(t *testing.T) {
	addr := mockCLI(t)
	p := embeddedProfile(t)
	creds, err := p.Resolve("default", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	conn, err := rpc.NewClient(&rpc.Config{AccessKeyId: tea.String(creds.AccessKeyID), AccessKeySecret: tea.String(creds.AccessKeySecret),
		Endpoint: tea.String(addr), Protocol: tea.String("HTTP"), RegionId: tea.String("cn-hangzhou")})
	if err != nil {
		t.Fatal(err)
	}
	call := func(version, action string, request map[string]any) (map[string]any, error) {
		runtime := &util.RuntimeOptions{}
		runtime.SetAutoretry(false)
		return conn.DoRequest(tea.String(action), nil, tea.String("POST"), tea.String(version), tea.String("AK"), nil, request, runtime)
	}
	rm := func(action string, request map[string]any) map[string]any {
		t.Helper()
		out, err := call("2020-03-31", action, request)
		if err != nil {
			t.Fatalf("%s %v: %v", action, request, err)
		}
		return out
	}
	field := func(m map[string]any, path ...string) string {
		var v any = m
		for _, k := range path {
			next, _ := v.(map[string]any)
			v = next[k]
		}
		return fmt.Sprint(v)
	}
	gone := func(action string, request map[string]any, code string) {
		t.Helper()
		_, err := call("2020-03-31", action, request)
		se, ok := err.(*tea.SDKError)
		if !ok || code != "" && tea.StringValue(se.Code) != code {
			t.Fatalf("%s %v after the destroy: %v, want a refusal %s", action, request, err, code)
		}
	}

	// The provider looks its account up first (STS, same address).
	who, err := call("2015-04-01", "GetCallerIdentity", map[string]any{})
	if err != nil || field(who, "AccountId") != "1728412355001000" || field(who, "IdentityType") != "Account" {
		t.Fatalf("STS GetCallerIdentity: %v %v, want the caller's account", err, who)
	}

	// alicloud_resource_manager_folder
	root := field(rm("GetResourceDirectory", map[string]any{}), "ResourceDirectory", "RootFolderId")
	folder := field(rm("CreateFolder", map[string]any{"FolderName": "tf-folder", "ParentFolderId": root}), "Folder", "FolderId")
	if got := field(rm("GetFolder", map[string]any{"FolderId": folder}), "Folder", "FolderName"); got != "tf-folder" {
		t.Fatalf("GetFolder reads %q, want the name applied", got)
	}
	tags, err := call("2022-04-19", "ListTagResources", map[string]any{"ResourceType": "Folder", "ResourceId.1": folder})
	if err != nil {
		t.Fatalf("ListTagResources ResourceType=Folder (the provider's read): %v", err)
	}
	if _, ok := tags["TagResources"]; !ok {
		t.Fatalf("ListTagResources answered no TagResources: %v", tags)
	}
	rm("UpdateFolder", map[string]any{"FolderId": folder, "NewFolderName": "tf-folder-2"})

	// alicloud_resource_manager_account, in that folder
	acct := field(rm("CreateResourceAccount", map[string]any{"DisplayName": "tf-account", "ParentFolderId": folder, "AccountNamePrefix": "tfaccount"}), "Account", "AccountId")
	if got := field(rm("GetAccount", map[string]any{"AccountId": acct}), "Account", "FolderId"); got != folder {
		t.Fatalf("GetAccount reads folder %q, want %s", got, folder)
	}
	rm("GetPayerForAccount", map[string]any{"AccountId": acct})
	rm("UpdateAccount", map[string]any{"AccountId": acct, "NewDisplayName": "tf-account-2"})
	rm("MoveAccount", map[string]any{"AccountId": acct, "DestinationFolderId": root})
	check := field(rm("CheckAccountDelete", map[string]any{"AccountId": acct}), "RequestId")
	if check == "" {
		t.Fatal("CheckAccountDelete answered no RequestId")
	}
	rm("GetAccountDeletionCheckResult", map[string]any{"AccountId": acct})
	rm("DeleteAccount", map[string]any{"AccountId": acct})
	rm("GetAccountDeletionStatus", map[string]any{"AccountId": acct})

	// alicloud_resource_manager_handshake
	hs := field(rm("InviteAccountToResourceDirectory", map[string]any{"TargetEntity": "1728412355003027", "TargetType": "Account", "Note": "tf"}), "Handshake", "HandshakeId")
	if got := field(rm("GetHandshake", map[string]any{"HandshakeId": hs}), "Handshake", "Status"); got != "Pending" {
		t.Fatalf("GetHandshake reads %q, want Pending", got)
	}
	rm("CancelHandshake", map[string]any{"HandshakeId": hs})

	// alicloud_resource_manager_control_policy and _attachment
	doc := `{"Version":"1","Statement":[{"Effect":"Deny","Action":["ram:DeleteRole"],"Resource":"*"}]}`
	cp := field(rm("CreateControlPolicy", map[string]any{"PolicyName": "tf-policy", "EffectScope": "RAM", "PolicyDocument": doc}), "ControlPolicy", "PolicyId")
	if got := field(rm("GetControlPolicy", map[string]any{"PolicyId": cp}), "ControlPolicy", "PolicyName"); got != "tf-policy" {
		t.Fatalf("GetControlPolicy reads %q", got)
	}
	rm("UpdateControlPolicy", map[string]any{"PolicyId": cp, "NewPolicyName": "tf-policy-2"})
	rm("AttachControlPolicy", map[string]any{"PolicyId": cp, "TargetId": folder})
	rm("ListControlPolicyAttachmentsForTarget", map[string]any{"TargetId": folder})
	rm("DetachControlPolicy", map[string]any{"PolicyId": cp, "TargetId": folder})
	rm("DeleteControlPolicy", map[string]any{"PolicyId": cp})
	// GetControlPolicy documents no code of its own for a policy that is
	// gone: any refusal will do.
	gone("GetControlPolicy", map[string]any{"PolicyId": cp}, "")

	// destroy the folder last, as the provider's dependency order does
	rm("DeleteFolder", map[string]any{"FolderId": folder})
	gone("GetFolder", map[string]any{"FolderId": folder}, "EntityNotExists.Folder")
}
