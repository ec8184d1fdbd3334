package mock

import (
	"context"
	"slices"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Member accounts: resource accounts the directory creates and cloud
// accounts it invites (handshakes.go). A resource account is deleted in
// two steps (CheckAccountDelete, then DeleteAccount, whose deletion then
// stays in progress: the service takes days); a cloud account is removed.
// Display names are unique in the directory. A billing account must be a
// member of the same directory. What the pages leave to the account (its
// financial standing, real-name verification, site) is the profile's, as
// conditions admit.go applies.

func joinMethod(a *Account) string {
	if a.MemberType == cloudAccount {
		return "invited"
	}
	return "created"
}

func accountName(a *Account) string {
	if a.Email != "" {
		return a.Email
	}
	return a.ID + "@resource.onaliyun.com"
}

func (b *Backend) displayNameUsed(d *Directory, name, except string) bool {
	for m := range d.Members {
		if a := b.state.Accounts[m]; a != nil && m != except && a.DisplayName == name {
			return true
		}
	}
	return false
}

// member returns the member account id of the caller's directory (admit
// has checked it exists).
func (b *Backend) member(id string) *Account { return b.state.Accounts[id] }

func (s server) CreateResourceAccount(ctx context.Context, r *rdm.CreateResourceAccountRequest) (*rdm.CreateResourceAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CreateResourceAccountRequest) (*rdm.CreateResourceAccountResponse, error) {
		const action = "CreateResourceAccount"
		if len(d.Members) >= d.MemberLimit {
			return nil, rdm.NewError(action, rdm.CodeLimitExceededAccount)
		}
		if r.PayerAccountId != "" && !d.Members[r.PayerAccountId] {
			return nil, rdm.NewError(action, rdm.CodeNotSupportPayerAccountInAnotherResourceDirectory)
		}
		if b.displayNameUsed(d, r.DisplayName, "") {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterAccountDisplayNameAlreadyUsed)
		}
		folder := r.ParentFolderId
		if folder == "" {
			folder = d.RootFolderID
		}
		id := b.newNumericID()
		prefix := r.AccountNamePrefix
		if prefix == "" {
			prefix = id
		}
		a := &Account{ID: id, Email: prefix + "@" + strings.ToLower(d.ID) + ".onaliyun.com", LegalEntity: b.legalEntity(d), Directory: d.ID,
			MemberType: resourceAccount, DisplayName: r.DisplayName, Status: createSuccess, Folder: folder, JoinTime: now, Payer: r.PayerAccountId}
		for _, t := range r.Tag {
			if a.Tags == nil {
				a.Tags = map[string]string{}
			}
			a.Tags[t.Key] = t.Value
		}
		if r.DryRun == nil || !*r.DryRun {
			dir := d.copy()
			dir.Members[id] = true
			puts := []Put{putAccount(a), putDirectory(dir)}
			if p := defaultPolicy(d, id, now); p != nil {
				puts = append(puts, *p)
			}
			if err := b.save(now, puts...); err != nil {
				return nil, err
			}
		}
		return &rdm.CreateResourceAccountResponse{Account: rdm.CreateResourceAccountResponseAccount{AccountId: a.ID, AccountName: accountName(a), DisplayName: a.DisplayName,
			FolderId: a.Folder, JoinMethod: joinMethod(a), JoinTime: iso(now), ModifyTime: iso(now), ResourceDirectoryId: d.ID, Status: a.Status, Type: a.MemberType}}, nil
	})
}

// newNumericID is a fresh 16-digit account ID.
func (b *Backend) newNumericID() string {
	for {
		raw := b.newID("")
		id := make([]byte, 16)
		for i := range id {
			id[i] = '0' + raw[i%len(raw)]%10
		}
		id[0] = '1'
		if b.state.Accounts[string(id)] == nil {
			return string(id)
		}
	}
}

func (s server) GetAccount(ctx context.Context, r *rdm.GetAccountRequest) (*rdm.GetAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetAccountRequest) (*rdm.GetAccountResponse, error) {
		a := b.member(r.AccountId)
		out := rdm.GetAccountResponseAccount{AccountId: a.ID, AccountName: accountName(a), DisplayName: a.DisplayName, FolderId: a.Folder,
			HasSecureMobilePhone: a.SecureMobile != "", JoinMethod: joinMethod(a), JoinTime: iso(a.JoinTime), ModifyTime: iso(a.JoinTime),
			ResourceDirectoryId: d.ID, ResourceDirectoryPath: folderPath(d, a.Folder) + "/" + a.ID, Status: a.Status, Type: a.MemberType, Location: "CN"}
		if a.EmailChange != "" {
			out.EmailStatus = "WAIT_MODIFY"
		}
		if r.IncludeTags != nil && *r.IncludeTags {
			for _, k := range sortedKeys(a.Tags) {
				out.Tags = append(out.Tags, rdm.GetAccountResponseAccountTags{Key: k, Value: a.Tags[k]})
			}
		}
		return &rdm.GetAccountResponse{Account: out}, nil
	})
}

func (s server) UpdateAccount(ctx context.Context, r *rdm.UpdateAccountRequest) (*rdm.UpdateAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.UpdateAccountRequest) (*rdm.UpdateAccountResponse, error) {
		const action = "UpdateAccount"
		cur := b.member(r.AccountId)
		if r.NewDisplayName == "" && r.NewAccountType == "" {
			return nil, rdm.NewError(action, rdm.CodeMissingDisplayNameOrAccountType)
		}
		if r.NewDisplayName != "" && b.displayNameUsed(d, r.NewDisplayName, cur.ID) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterAccountDisplayNameAlreadyUsed)
		}
		if r.NewAccountType != "" && cur.LegalEntity != b.legalEntity(d) {
			return nil, rdm.NewError(action, rdm.CodeLegalEntityDifferent)
		}
		a := cur.copy()
		if r.NewDisplayName != "" {
			a.DisplayName = r.NewDisplayName
		}
		if r.NewAccountType != "" {
			a.MemberType = string(r.NewAccountType)
		}
		if r.DryRun == nil || !*r.DryRun {
			if err := b.save(now, putAccount(a)); err != nil {
				return nil, err
			}
		}
		return &rdm.UpdateAccountResponse{Account: rdm.UpdateAccountResponseAccount{AccountId: a.ID, AccountName: accountName(a), DisplayName: a.DisplayName, FolderId: a.Folder,
			JoinMethod: joinMethod(a), JoinTime: iso(a.JoinTime), ModifyTime: iso(now), ResourceDirectoryId: d.ID, Status: a.Status, Type: a.MemberType}}, nil
	})
}

// usable is the check of the operations that act on a member account: its
// status must be a settled one (not a failed creation, not one on its way
// out).
func (b *Backend) usable(action string, a *Account) error {
	if a.Status != createSuccess {
		return b.documented(action, rdm.CodeAccountTypeOrStatusMismatch)
	}
	return nil
}

func (s server) MoveAccount(ctx context.Context, r *rdm.MoveAccountRequest) (*rdm.MoveAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.MoveAccountRequest) (*rdm.MoveAccountResponse, error) {
		cur := b.member(r.AccountId)
		if err := b.usable("MoveAccount", cur); err != nil {
			return nil, err
		}
		a := cur.copy()
		a.Folder = r.DestinationFolderId
		if err := b.save(now, putAccount(a)); err != nil {
			return nil, err
		}
		return &rdm.MoveAccountResponse{}, nil
	})
}

// delegatedServices lists the services the account is a delegated
// administrator of.
func delegatedServices(d *Directory, account string) []string {
	var out []string
	for _, svc := range sortedKeys(d.Delegations) {
		if slices.Contains(d.Delegations[svc], account) {
			out = append(out, svc)
		}
	}
	return out
}

// leave removes a member from the directory (and its contacts' bindings).
func (b *Backend) leave(d *Directory, a *Account, now time.Time) error {
	dir := d.copy()
	delete(dir.Members, a.ID)
	left := a.copy()
	left.Directory, left.Folder = "", ""
	puts := []Put{putDirectory(dir), putAccount(left)}
	for _, id := range sortedKeys(d.Contacts) {
		if _, bound := d.Contacts[id].Bound[a.ID]; bound {
			ct := d.Contacts[id].copy()
			delete(ct.Bound, a.ID)
			puts = append(puts, putContact(d.ID, ct))
		}
	}
	return b.save(now, puts...)
}

func (s server) RemoveCloudAccount(ctx context.Context, r *rdm.RemoveCloudAccountRequest) (*rdm.RemoveCloudAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.RemoveCloudAccountRequest) (*rdm.RemoveCloudAccountResponse, error) {
		const action = "RemoveCloudAccount"
		a := b.member(r.AccountId)
		if a.MemberType != cloudAccount || a.ID == d.MasterAccountID {
			return nil, rdm.NewError(action, rdm.CodeAccountTypeOrStatusMismatch)
		}
		if svcs := delegatedServices(d, a.ID); len(svcs) > 0 {
			return nil, rdm.NewError(action, rdm.CodeDenyTrustedService, svcs[0])
		}
		if err := b.leave(d, a, now); err != nil {
			return nil, err
		}
		return &rdm.RemoveCloudAccountResponse{}, nil
	})
}

// listedAccounts are the directory's members under a folder ("" for all)
// that match a keyword and tags, in ID order.
func (b *Backend) listedAccounts(d *Directory, folder, keyword string, tags map[string]string) []*Account {
	// Filter first, then sort what matched: a folder's listing costs one
	// pass over the members, not a sort of all of them.
	var out []*Account
	for id := range d.Members {
		a := b.state.Accounts[id]
		if a == nil || (folder != "" && a.Folder != folder) {
			continue
		}
		if keyword != "" && !strings.Contains(a.DisplayName, keyword) && !strings.Contains(a.ID, keyword) {
			continue
		}
		match := true
		for k, v := range tags {
			if got, ok := a.Tags[k]; !ok || (v != "" && got != v) {
				match = false
			}
		}
		if match {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(x, y *Account) int { return strings.Compare(x.ID, y.ID) })
	return out
}

func deletionStatus(a *Account) string {
	switch a.Deletion {
	case "checked":
		return "Checking"
	case "deleting":
		return "Deleting"
	}
	return ""
}

func (s server) ListAccounts(ctx context.Context, r *rdm.ListAccountsRequest) (*rdm.ListAccountsResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListAccountsRequest) (*rdm.ListAccountsResponse, error) {
		tags := map[string]string{}
		for _, t := range r.Tag {
			tags[t.Key] = t.Value
		}
		all := b.listedAccounts(d, "", r.QueryKeyword, tags)
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		items := make([]obj, 0, to-from)
		for _, a := range all[from:to] {
			joined := iso(a.JoinTime)
			item := obj{text("AccountId", a.ID), text("AccountName", accountName(a)), text("DisplayName", a.DisplayName), text("FolderId", a.Folder),
				text("JoinMethod", joinMethod(a)), text("JoinTime", joined), text("ModifyTime", joined), text("ResourceDirectoryId", d.ID),
				text("ResourceDirectoryPath", folderPath(d, a.Folder)+"/"+a.ID), text("Status", a.Status), text("Type", a.MemberType), text("DeletionStatus", deletionStatus(a))}
			if r.IncludeTags != nil && *r.IncludeTags {
				var list []map[string]string
				for _, k := range sortedKeys(a.Tags) {
					list = append(list, map[string]string{"Key": k, "Value": a.Tags[k]})
				}
				item = append(item, kv{k: "Tags", v: map[string]any{"Tag": list}})
			}
			items = append(items, item)
		}
		// The answer is filled through its JSON form: the model offers
		// every field it knows and the contract's type keeps the ones it
		// has, so a contract that drops or renames a field of this list
		// still builds against the mock.
		out := &rdm.ListAccountsResponse{}
		err := fill(out, map[string]any{"PageNumber": pn, "PageSize": ps, "TotalCount": len(all), "Accounts": map[string]any{"Account": items}})
		return out, err
	})
}

func (s server) ListAccountsForParent(ctx context.Context, r *rdm.ListAccountsForParentRequest) (*rdm.ListAccountsForParentResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListAccountsForParentRequest) (*rdm.ListAccountsForParentResponse, error) {
		tags := map[string]string{}
		for _, t := range r.Tag {
			tags[t.Key] = t.Value
		}
		parent := r.ParentFolderId
		if parent == "" {
			parent = d.RootFolderID
		}
		all := b.listedAccounts(d, parent, r.QueryKeyword, tags)
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListAccountsForParentResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}
		for _, a := range all[from:to] {
			item := rdm.ListAccountsForParentResponseAccountsAccount{AccountId: a.ID, AccountName: accountName(a), DisplayName: a.DisplayName, FolderId: a.Folder,
				JoinMethod: joinMethod(a), JoinTime: iso(a.JoinTime), ModifyTime: iso(a.JoinTime), ResourceDirectoryId: d.ID, Status: a.Status, Type: a.MemberType,
				DeletionStatus: deletionStatus(a)}
			if r.IncludeTags != nil && *r.IncludeTags {
				for _, k := range sortedKeys(a.Tags) {
					item.Tags.Tag = append(item.Tags.Tag, rdm.ListAccountsForParentResponseAccountsAccountTagsTag{Key: k, Value: a.Tags[k]})
				}
			}
			out.Accounts.Account = append(out.Accounts.Account, item)
		}
		return out, nil
	})
}

func (s server) GetPayerForAccount(ctx context.Context, r *rdm.GetPayerForAccountRequest) (*rdm.GetPayerForAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetPayerForAccountRequest) (*rdm.GetPayerForAccountResponse, error) {
		a := b.member(r.AccountId)
		payer := a.Payer
		if payer == "" {
			payer = a.ID // an account pays for itself unless a payer was set
		}
		name := payer
		if p := b.state.Accounts[payer]; p != nil {
			name = p.DisplayName
		}
		return &rdm.GetPayerForAccountResponse{PayerAccountId: payer, PayerAccountName: name}, nil
	})
}

func (s server) PrecheckForConsolidatedBillingAccount(ctx context.Context, r *rdm.PrecheckForConsolidatedBillingAccountRequest) (*rdm.PrecheckForConsolidatedBillingAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.PrecheckForConsolidatedBillingAccountRequest) (*rdm.PrecheckForConsolidatedBillingAccountResponse, error) {
		// The checks the service makes are financial ones the pages leave to
		// the account: the profile's conditions answer them (admit.go); a
		// member passing them can consolidate billing.
		return &rdm.PrecheckForConsolidatedBillingAccountResponse{Result: true}, nil
	})
}

func (s server) ChangeAccountEmail(ctx context.Context, r *rdm.ChangeAccountEmailRequest) (*rdm.ChangeAccountEmailResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ChangeAccountEmailRequest) (*rdm.ChangeAccountEmailResponse, error) {
		const action = "ChangeAccountEmail"
		cur := b.member(r.AccountId)
		if cur.MemberType == cloudAccount {
			return nil, rdm.NewError(action, rdm.CodeNotSupportInvitedAccount)
		}
		if cur.EmailChange != "" {
			return nil, rdm.NewError(action, rdm.CodeNotSupportedOperationAccountEmailModify)
		}
		a := cur.copy()
		a.EmailChange = r.Email
		if err := b.save(now, putAccount(a)); err != nil {
			return nil, err
		}
		return &rdm.ChangeAccountEmailResponse{}, nil
	})
}

func (s server) CancelChangeAccountEmail(ctx context.Context, r *rdm.CancelChangeAccountEmailRequest) (*rdm.CancelChangeAccountEmailResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CancelChangeAccountEmailRequest) (*rdm.CancelChangeAccountEmailResponse, error) {
		cur := b.member(r.AccountId)
		if cur.EmailChange == "" {
			return nil, rdm.NewError("CancelChangeAccountEmail", rdm.CodeEntityNotExistsEmailModifyRecord)
		}
		a := cur.copy()
		a.EmailChange = ""
		if err := b.save(now, putAccount(a)); err != nil {
			return nil, err
		}
		return &rdm.CancelChangeAccountEmailResponse{}, nil
	})
}

func (s server) RetryChangeAccountEmail(ctx context.Context, r *rdm.RetryChangeAccountEmailRequest) (*rdm.RetryChangeAccountEmailResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.RetryChangeAccountEmailRequest) (*rdm.RetryChangeAccountEmailResponse, error) {
		if b.member(r.AccountId).EmailChange == "" {
			return nil, rdm.NewError("RetryChangeAccountEmail", rdm.CodeEntityNotExistsEmailModifyRecord)
		}
		// Retrying sends the confirmation e-mail again; nothing changes.
		return &rdm.RetryChangeAccountEmailResponse{}, nil
	})
}

func (s server) SendVerificationCodeForBindSecureMobilePhone(ctx context.Context, r *rdm.SendVerificationCodeForBindSecureMobilePhoneRequest) (*rdm.SendVerificationCodeForBindSecureMobilePhoneResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.SendVerificationCodeForBindSecureMobilePhoneRequest) (*rdm.SendVerificationCodeForBindSecureMobilePhoneResponse, error) {
		const action = "SendVerificationCodeForBindSecureMobilePhone"
		a := b.state.Accounts[r.AccountId]
		if a == nil || !d.Members[a.ID] || a.MemberType == cloudAccount {
			return nil, rdm.NewError(action, rdm.CodeNotSupportAccountInAnotherResourceDirectory)
		}
		if !b.countryOK(r.SecureMobilePhone) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		}
		// No page states how long a code stays valid; the mock says 15
		// minutes and does not expire the profile's fixed code.
		return &rdm.SendVerificationCodeForBindSecureMobilePhoneResponse{ExpirationDate: iso(now.Add(15 * time.Minute))}, nil
	})
}

func (s server) BindSecureMobilePhone(ctx context.Context, r *rdm.BindSecureMobilePhoneRequest) (*rdm.BindSecureMobilePhoneResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.BindSecureMobilePhoneRequest) (*rdm.BindSecureMobilePhoneResponse, error) {
		const action = "BindSecureMobilePhone"
		cur := b.state.Accounts[r.AccountId]
		if cur == nil || !d.Members[cur.ID] || cur.MemberType == cloudAccount {
			return nil, rdm.NewError(action, rdm.CodeNotSupportAccountInAnotherResourceDirectory)
		}
		if !b.codeOK(r.VerificationCode) {
			return nil, rdm.NewError(action, rdm.CodeInvalidVerificationCode)
		}
		if cur.SecureMobile != "" {
			return nil, rdm.NewError(action, rdm.CodeAccountSecureMobileAlreadyExists)
		}
		a := cur.copy()
		a.SecureMobile = r.SecureMobilePhone
		if err := b.save(now, putAccount(a)); err != nil {
			return nil, err
		}
		return &rdm.BindSecureMobilePhoneResponse{}, nil
	})
}

// deletable runs the checks CheckAccountDelete and DeleteAccount share, in
// the order their pages list the codes.
func (b *Backend) deletable(action string, d *Directory, a *Account) error {
	switch {
	case a.Status != createSuccess || a.ID == d.MasterAccountID:
		return b.documented(action, rdm.CodeAccountTypeOrStatusMismatch)
	case d.ControlPolicy == "Enabling" || d.ControlPolicy == "Disabling":
		return b.documented(action, rdm.CodeInvalidControlPolicyEnablementStatus)
	case d.MemberDeletion != enabled:
		return b.documented(action, rdm.CodeNoLicenseResourceDirectory)
	case a.MemberType == cloudAccount:
		return b.documented(action, rdm.CodeMemberTypeErrorDeleteAccount)
	}
	return nil
}

func (s server) CheckAccountDelete(ctx context.Context, r *rdm.CheckAccountDeleteRequest) (*rdm.CheckAccountDeleteResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CheckAccountDeleteRequest) (*rdm.CheckAccountDeleteResponse, error) {
		const action = "CheckAccountDelete"
		cur := b.member(r.AccountId)
		if err := b.deletable(action, d, cur); err != nil {
			return nil, err
		}
		if len(delegatedServices(d, cur.ID)) > 0 {
			return nil, rdm.NewError(action, rdm.CodeRemoveConfilctAccountAsDelegatedAdministator)
		}
		if cur.LegalEntity != b.legalEntity(d) {
			return nil, rdm.NewError(action, rdm.CodeLegalEntityDifferent)
		}
		if cur.Deletion == "" {
			a := cur.copy()
			a.Deletion = "checked"
			if err := b.save(now, putAccount(a)); err != nil {
				return nil, err
			}
		}
		return &rdm.CheckAccountDeleteResponse{}, nil
	})
}

func (s server) GetAccountDeletionCheckResult(ctx context.Context, r *rdm.GetAccountDeletionCheckResultRequest) (*rdm.GetAccountDeletionCheckResultResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetAccountDeletionCheckResultRequest) (*rdm.GetAccountDeletionCheckResultResponse, error) {
		const action = "GetAccountDeletionCheckResult"
		a := b.member(r.AccountId)
		if err := b.usable(action, a); err != nil {
			return nil, err
		}
		if a.Deletion == "" {
			return nil, rdm.NewError(action, rdm.CodeEntityNotExistsCheckAccount)
		}
		return &rdm.GetAccountDeletionCheckResultResponse{AccountDeletionCheckResultInfo: rdm.GetAccountDeletionCheckResultResponseAccountDeletionCheckResultInfo{
			Status: "PreCheckComplete", AllowDelete: "true"}}, nil
	})
}

func (s server) DeleteAccount(ctx context.Context, r *rdm.DeleteAccountRequest) (*rdm.DeleteAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeleteAccountRequest) (*rdm.DeleteAccountResponse, error) {
		const action = "DeleteAccount"
		cur := b.member(r.AccountId)
		if cur.Deletion == "deleting" {
			return nil, rdm.NewError(action, rdm.CodeExistProcessingDeleteFlowDeleteAccount)
		}
		if err := b.deletable(action, d, cur); err != nil {
			return nil, err
		}
		a := cur.copy()
		a.Deletion = "deleting"
		if err := b.save(now, putAccount(a)); err != nil {
			return nil, err
		}
		return &rdm.DeleteAccountResponse{DeletionType: "NON_SILENT"}, nil
	})
}

func (s server) GetAccountDeletionStatus(ctx context.Context, r *rdm.GetAccountDeletionStatusRequest) (*rdm.GetAccountDeletionStatusResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetAccountDeletionStatusRequest) (*rdm.GetAccountDeletionStatusResponse, error) {
		a := b.member(r.AccountId)
		if a.Deletion != "deleting" {
			return nil, rdm.NewError("GetAccountDeletionStatus", rdm.CodeEntityNotExistsCheckAccount)
		}
		return &rdm.GetAccountDeletionStatusResponse{RdAccountDeletionStatus: rdm.GetAccountDeletionStatusResponseRdAccountDeletionStatus{
			AccountId: a.ID, Status: "Deleting", DeletionType: "NON_SILENT", CreateTime: iso(a.JoinTime)}}, nil
	})
}
