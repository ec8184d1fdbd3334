package interop

import (
	"fmt"
	"strings"
	"testing"
)

// Workflows written from the metadata's descriptions of each family, run
// through every SDK driver against a freshly reset emulator: what one call
// creates, the next reads, lists, changes and removes.

type flow struct {
	t *testing.T
	d sdkDriver
}

// ok calls and requires a success; it returns the body.
func (f flow) ok(action string, params map[string]string, as ...string) map[string]any {
	f.t.Helper()
	a := f.d.call(action, strings.Join(as, ""), params)
	if a.err != nil || a.status != 200 || a.body == nil {
		f.t.Fatalf("%s %v: want a success, got HTTP %d %s (%v)", action, params, a.status, a.code, a.err)
	}
	return a.body
}

// fails calls and requires the documented code.
func (f flow) fails(action string, params map[string]string, code string, as ...string) {
	f.t.Helper()
	a := f.d.call(action, strings.Join(as, ""), params)
	if a.err != nil || a.code != code {
		f.t.Fatalf("%s %v: want %s, got HTTP %d %q (%v)", action, params, code, a.status, a.code, a.err)
	}
}

// at reads a field by a dotted path ("Folder.FolderId", "Accounts.Account").
func at(body map[string]any, path string) any {
	var v any = body
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func str(body map[string]any, path string) string { s, _ := at(body, path).(string); return s }

// ids collects field from each item of the list at path.
func ids(body map[string]any, path, field string) []string {
	var out []string
	list, _ := at(body, path).([]any)
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			out = append(out, fmt.Sprint(m[field]))
		}
	}
	return out
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestSDKWorkflows(t *testing.T) {
	e := startEmulator(t)
	workflows := []struct {
		name string
		run  func(f flow)
	}{
		{"folders", func(f flow) {
			root := str(f.ok("GetResourceDirectory", nil), "ResourceDirectory.RootFolderId")
			parent := str(f.ok("CreateFolder", map[string]string{"FolderName": "Platform"}), "Folder.FolderId")
			child := str(f.ok("CreateFolder", map[string]string{"FolderName": "Payments", "ParentFolderId": parent}), "Folder.FolderId")
			f.fails("CreateFolder", map[string]string{"FolderName": "Payments", "ParentFolderId": parent}, "InvalidParameter.Folder.Name.AlreadyUsed")
			if got := str(f.ok("GetFolder", map[string]string{"FolderId": child}), "Folder.ParentFolderId"); got != parent {
				f.t.Fatalf("GetFolder parent = %q, want %q", got, parent)
			}
			if l := ids(f.ok("ListFoldersForParent", map[string]string{"ParentFolderId": parent}), "Folders.Folder", "FolderId"); len(l) != 1 || l[0] != child {
				f.t.Fatalf("ListFoldersForParent = %v", l)
			}
			if anc := ids(f.ok("ListAncestors", map[string]string{"ChildId": child}), "Folders.Folder", "FolderId"); len(anc) != 2 || anc[0] != root || anc[1] != parent {
				f.t.Fatalf("ListAncestors = %v, want [%s %s]", anc, root, parent)
			}
			f.ok("UpdateFolder", map[string]string{"FolderId": child, "NewFolderName": "Billing"})
			if got := str(f.ok("GetFolder", map[string]string{"FolderId": child}), "Folder.FolderName"); got != "Billing" {
				f.t.Fatalf("renamed folder reads %q", got)
			}
			f.fails("DeleteFolder", map[string]string{"FolderId": parent}, "DeleteConflict.Folder.SubFolder")
			f.ok("DeleteFolder", map[string]string{"FolderId": child})
			f.fails("GetFolder", map[string]string{"FolderId": child}, "EntityNotExists.Folder")
			f.ok("DeleteFolder", map[string]string{"FolderId": parent})
		}},
		{"resource accounts", func(f flow) {
			folder := str(f.ok("CreateFolder", map[string]string{"FolderName": "Sandbox"}), "Folder.FolderId")
			acct := str(f.ok("CreateResourceAccount", map[string]string{"DisplayName": "sandbox-01", "ParentFolderId": folder}), "Account.AccountId")
			if got := str(f.ok("GetAccount", map[string]string{"AccountId": acct}), "Account.FolderId"); got != folder {
				f.t.Fatalf("the new account is in %q, want %q", got, folder)
			}
			f.fails("DeleteFolder", map[string]string{"FolderId": folder}, "DeleteConflict.Folder.Account")
			if l := ids(f.ok("ListAccountsForParent", map[string]string{"ParentFolderId": folder}), "Accounts.Account", "AccountId"); len(l) != 1 || l[0] != acct {
				f.t.Fatalf("ListAccountsForParent = %v", l)
			}
			f.ok("MoveAccount", map[string]string{"AccountId": acct, "DestinationFolderId": "fd-f6g7h8i9j0"})
			f.ok("DeleteFolder", map[string]string{"FolderId": folder})
			f.ok("UpdateAccount", map[string]string{"AccountId": acct, "NewDisplayName": "sandbox-02"})
			if got := str(f.ok("GetAccount", map[string]string{"AccountId": acct}), "Account.DisplayName"); got != "sandbox-02" {
				f.t.Fatalf("display name reads %q", got)
			}
			f.fails("CreateResourceAccount", map[string]string{"DisplayName": "sandbox-02"}, "InvalidParameter.Account.DisplayName.AlreadyUsed")
			f.ok("TagResources", map[string]string{"ResourceType": "Account", "ResourceId.1": acct, "Tag.1.Key": "env", "Tag.1.Value": "test"})
			if l := ids(f.ok("ListTagResources", map[string]string{"ResourceType": "Account", "ResourceId.1": acct}), "TagResources", "TagKey"); len(l) != 1 || l[0] != "env" {
				f.t.Fatalf("ListTagResources = %v", l)
			}
			if l := ids(f.ok("ListTagValues", map[string]string{"ResourceType": "Account", "TagKey": "env"}), "Tags", "Value"); !has(l, "test") {
				f.t.Fatalf("ListTagValues = %v", l)
			}
			f.ok("UntagResources", map[string]string{"ResourceType": "Account", "ResourceId.1": acct, "TagKey.1": "env"})
			if l := ids(f.ok("ListTagKeys", map[string]string{"ResourceType": "Account"}), "Tags", "Key"); has(l, "env") {
				f.t.Fatalf("ListTagKeys still has env: %v", l)
			}
			f.fails("GetAccountDeletionCheckResult", map[string]string{"AccountId": acct}, "EntityNotExists.CheckAccount")
			f.ok("CheckAccountDelete", map[string]string{"AccountId": acct})
			f.ok("GetAccountDeletionCheckResult", map[string]string{"AccountId": acct})
			f.ok("DeleteAccount", map[string]string{"AccountId": acct})
			if got := str(f.ok("GetAccountDeletionStatus", map[string]string{"AccountId": acct}), "RdAccountDeletionStatus.Status"); got != "Deleting" {
				f.t.Fatalf("deletion status %q", got)
			}
			f.fails("DeleteAccount", map[string]string{"AccountId": acct}, "ExistProcessingDeleteFlow.DeleteAccount")
		}},
		{"invitations", func(f flow) {
			const invitee, account = "inviteeCredentials", "1728412355002001"
			seeded := "h-seed" + account
			if l := ids(f.ok("ListHandshakesForAccount", map[string]string{"PageSize": "50"}, invitee), "Handshakes.Handshake", "HandshakeId"); !has(l, seeded) {
				f.t.Fatalf("the invitee's invitations = %v", l)
			}
			f.fails("InviteAccountToResourceDirectory", map[string]string{"TargetEntity": account, "TargetType": "Account"}, "EntityAlreadyExists.Handshake")
			if got := str(f.ok("AcceptHandshake", map[string]string{"HandshakeId": seeded}, invitee), "Handshake.Status"); got != "Accepted" {
				f.t.Fatalf("accepted invitation reads %q", got)
			}
			f.fails("AcceptHandshake", map[string]string{"HandshakeId": seeded}, "HandshakeStatusMismatch", invitee)
			if got := str(f.ok("GetAccount", map[string]string{"AccountId": account}), "Account.Type"); got != "CloudAccount" {
				f.t.Fatalf("the new member's type is %q", got)
			}
			f.fails("InviteAccountToResourceDirectory", map[string]string{"TargetEntity": account, "TargetType": "Account"}, "EntityAlreadyExists.ResourceDir.Account")
			f.ok("RemoveCloudAccount", map[string]string{"AccountId": account})
			f.fails("GetAccount", map[string]string{"AccountId": account}, "EntityNotExists.Account")
			h := str(f.ok("InviteAccountToResourceDirectory", map[string]string{"TargetEntity": "1728412355003010", "TargetType": "Account", "Note": "welcome"}), "Handshake.HandshakeId")
			if l := ids(f.ok("ListHandshakesForResourceDirectory", map[string]string{"PageSize": "50"}), "Handshakes.Handshake", "HandshakeId"); !has(l, h) {
				f.t.Fatalf("the directory's invitations = %v", l)
			}
			f.ok("CancelHandshake", map[string]string{"HandshakeId": h})
			if got := str(f.ok("GetHandshake", map[string]string{"HandshakeId": h}), "Handshake.Status"); got != "Cancelled" {
				f.t.Fatalf("cancelled invitation reads %q", got)
			}
			f.fails("CancelHandshake", map[string]string{"HandshakeId": h}, "HandshakeStatusMismatch")
			f.ok("DeclineHandshake", map[string]string{"HandshakeId": "h-ForDecline001"}, invitee)
			f.fails("AcceptHandshake", map[string]string{"HandshakeId": "h-ForDecline001"}, "HandshakeStatusMismatch", invitee)
		}},
		{"contacts", func(f flow) {
			c := str(f.ok("AddMessageContact", map[string]string{"Name": "SecTeam", "EmailAddress": "sec@example.com", "PhoneNumber": "86-13900001111", "Title": "TechnicalDirector", "MessageTypes.1": "AccountExpenses"}), "Contact.ContactId")
			if got := str(f.ok("GetMessageContact", map[string]string{"ContactId": c}), "Contact.Status"); got != "Pending" {
				f.t.Fatalf("a new contact is %q", got)
			}
			if l := ids(f.ok("ListMessageContactVerifications", map[string]string{"ContactId": c}), "ContactVerifications", "Target"); len(l) != 1 || l[0] != "sec@example.com" {
				f.t.Fatalf("verifications = %v", l)
			}
			f.ok("SendEmailVerificationForMessageContact", map[string]string{"ContactId": c, "EmailAddress": "sec@example.com"})
			f.fails("AddMessageContact", map[string]string{"Name": "SecTeam", "EmailAddress": "x@example.com", "PhoneNumber": "86-13900001112", "Title": "TechnicalDirector", "MessageTypes.1": "AccountExpenses"}, "InvalidParameter.Name.AlreadyUsed")
			f.ok("CancelMessageContactUpdate", map[string]string{"ContactId": "c-UpdatingContac1"})
			f.fails("CancelMessageContactUpdate", map[string]string{"ContactId": "c-UpdatingContac1"}, "ContactStatusMismatchAction")
			f.ok("UpdateMessageContact", map[string]string{"ContactId": c, "Name": "SecOps"})
			if l := ids(f.ok("ListMessageContacts", map[string]string{"ContactId": c}), "Contacts", "Name"); len(l) != 1 || l[0] != "SecOps" {
				f.t.Fatalf("ListMessageContacts = %v", l)
			}
			f.ok("DeleteMessageContact", map[string]string{"ContactId": c})
			if got := str(f.ok("GetMessageContactDeletionStatus", map[string]string{"ContactId": c}), "ContactDeletionStatus.Status"); got != "Deleting" {
				f.t.Fatalf("deletion status %q", got)
			}
		}},
		{"control policies", func(f flow) {
			p := str(f.ok("CreateControlPolicy", map[string]string{"PolicyName": "NoTrailDelete", "EffectScope": "RAM",
				"PolicyDocument": `{"Version":"1","Statement":[{"Effect":"Deny","Action":["actiontrail:Delete*"],"Resource":"*"}]}`}), "ControlPolicy.PolicyId")
			f.ok("AttachControlPolicy", map[string]string{"PolicyId": p, "TargetId": "fd-f6g7h8i9j0"})
			if l := ids(f.ok("ListControlPolicyAttachmentsForTarget", map[string]string{"TargetId": "fd-f6g7h8i9j0"}), "ControlPolicyAttachments.ControlPolicyAttachment", "PolicyId"); !has(l, p) {
				f.t.Fatalf("attachments of the target = %v", l)
			}
			if l := ids(f.ok("ListTargetAttachmentsForControlPolicy", map[string]string{"PolicyId": p}), "TargetAttachments.TargetAttachment", "TargetId"); len(l) != 1 || l[0] != "fd-f6g7h8i9j0" {
				f.t.Fatalf("targets of the policy = %v", l)
			}
			f.ok("UpdateControlPolicy", map[string]string{"PolicyId": p, "NewPolicyName": "NoTrailDeletion"})
			if got := str(f.ok("GetControlPolicy", map[string]string{"PolicyId": p}), "ControlPolicy.PolicyName"); got != "NoTrailDeletion" {
				f.t.Fatalf("policy name %q", got)
			}
			f.ok("DetachControlPolicy", map[string]string{"PolicyId": p, "TargetId": "fd-f6g7h8i9j0"})
			f.fails("DetachControlPolicy", map[string]string{"PolicyId": "cp-FullAccess001", "TargetId": "fd-f6g7h8i9j0"}, "NotSupport.DetachLastControlPolicy")
			f.ok("DeleteControlPolicy", map[string]string{"PolicyId": p})
			if l := ids(f.ok("ListControlPolicies", map[string]string{"PageSize": "100"}), "ControlPolicies.ControlPolicy", "PolicyId"); has(l, p) {
				f.t.Fatalf("a deleted policy is listed: %v", l)
			}
		}},
		{"delegated administrators", func(f flow) {
			args := map[string]string{"AccountId": "1728412355001001", "ServicePrincipal": "config.aliyuncs.com"}
			f.ok("RegisterDelegatedAdministrator", args)
			f.fails("RegisterDelegatedAdministrator", args, "AccountAlreadyRegistered")
			if l := ids(f.ok("ListDelegatedAdministrators", map[string]string{"ServicePrincipal": "config.aliyuncs.com"}), "Accounts.Account", "AccountId"); !has(l, "1728412355001001") {
				f.t.Fatalf("delegated administrators = %v", l)
			}
			if l := ids(f.ok("ListDelegatedServicesForAccount", map[string]string{"AccountId": "1728412355001001"}), "DelegatedServices.DelegatedService", "ServicePrincipal"); !has(l, "config.aliyuncs.com") {
				f.t.Fatalf("delegated services = %v", l)
			}
			f.ok("DeregisterDelegatedAdministrator", args)
			f.fails("DeregisterDelegatedAdministrator", args, "AccountNotRegistered")
		}},
		{"directory", func(f flow) {
			const newcomer = "enabling-account" // a credential set of an account with no directory
			f.fails("GetResourceDirectory", nil, "ResourceDirectoryNotInUse", newcomer)
			rd := f.ok("EnableResourceDirectory", map[string]string{"EnableMode": "CurrentAccount"}, newcomer)
			id := str(rd, "ResourceDirectory.ResourceDirectoryId")
			if got := str(f.ok("GetResourceDirectory", nil, newcomer), "ResourceDirectory.ResourceDirectoryId"); got != id {
				f.t.Fatalf("the new directory reads %q, want %q", got, id)
			}
			f.fails("EnableResourceDirectory", map[string]string{"EnableMode": "CurrentAccount"}, "EntityAlreadyExists.ResourceDirectory", newcomer)
			f.ok("SetMemberDeletionPermission", map[string]string{"Status": "Disabled"}, newcomer)
			if got := str(f.ok("GetResourceDirectory", nil, newcomer), "ResourceDirectory.MemberDeletionStatus"); got != "Disabled" {
				f.t.Fatalf("member deletion %q", got)
			}
			if got := str(f.ok("EnableControlPolicy", nil, newcomer), "EnablementStatus"); got != "Enabling" {
				f.t.Fatalf("enabling control policies answers %q", got)
			}
			f.ok("DestroyResourceDirectory", nil, newcomer)
			f.fails("GetResourceDirectory", nil, "ResourceDirectoryNotInUse", newcomer)
		}},
	}
	for _, d := range e.drivers() {
		for _, w := range workflows {
			t.Run(d.name+"/"+w.name, func(t *testing.T) {
				if err := e.m.Backend().Reset(); err != nil {
					t.Fatal(err)
				}
				w.run(flow{t: t, d: d})
			})
		}
	}
}
