package mock

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	rm "github.com/acsconform/acsconform/gen/resourcemanager"
)

// Account records (ResourceManager 2020-03-31): CreateCloudAccount makes a
// member of the caller's directory that waits, CreateVerifying, for its
// owner to confirm the e-mail; PromoteResourceAccount turns a resource
// account into a cloud account the same way (PromoteVerifying). Each has a
// record ID, by which the directory cancels it or sends the e-mail again.
// A creation runs 2022-04-19's CreateResourceAccount first, so the
// directory's own refusals (its folder, limits, payer, the conditions the
// profile states) answer it as they answer that operation; the e-mail is
// then the new account's. Cancelling a creation removes the account;
// cancelling a promotion leaves it a resource account. A record whose
// account no longer waits (confirmed, or cancelled and seeded so) is
// AccountTypeOrStatusMismatch. No page states how often an e-mail may be
// sent again, so LimitExceeded.Frequency is not answered.

const (
	createVerifying  = "CreateVerifying"
	promoteVerifying = "PromoteVerifying"
	recordCancel     = "cancel"
	recordResend     = "resend"
)

// emailUsed reports whether an account has (or is changing to) email.
func (b *Backend) emailUsed(email string) bool {
	for _, a := range b.state.Accounts {
		if strings.EqualFold(a.Email, email) || strings.EqualFold(a.EmailChange, email) {
			return true
		}
	}
	return false
}

// recordView is the account as a record's answers show it.
func recordView(d *Directory, a *Account) map[string]any {
	typ := a.MemberType
	if typ == "" {
		typ = resourceAccount
	}
	return map[string]any{"AccountId": a.ID, "AccountName": a.Email, "DisplayName": a.DisplayName, "FolderId": a.Folder, "JoinMethod": joinMethod(a),
		"JoinTime": iso(a.JoinTime), "ModifyTime": iso(a.JoinTime), "RecordId": a.Record, "ResourceDirectoryId": d.ID, "Status": a.Status, "Type": typ}
}

func (m rmModel) createCloudAccount(ctx context.Context, key string, r *rm.CreateCloudAccountRequest, out any) error {
	c := m.b.Caller(key)
	if c == nil {
		return rm.StateError("unknown-access-key")
	}
	m.b.mu.Lock()
	used := m.b.emailUsed(r.Email)
	m.b.mu.Unlock()
	if used {
		return m.fail(r.Action(), rm.CodeInvalidParameterEmailAlreadyUsed)
	}
	fwd := url.Values{"DisplayName": {r.DisplayName}}
	if r.ParentFolderId != "" {
		fwd.Set("ParentFolderId", r.ParentFolderId)
	}
	if r.PayerAccountId != "" {
		fwd.Set("PayerAccountId", r.PayerAccountId)
	}
	var made struct{ Account struct{ AccountId string } }
	if err := m.dir(ctx, c.AccessKeyID, r.Action(), "CreateResourceAccount", fwd, &made); err != nil {
		var refused *refusedByRules
		if errors.As(err, &refused) {
			// The directory's rules refuse the account (its display name,
			// its folder's form): the product's answer for the code.
			if m.documents(r.Action(), refused.answer.Code) {
				return rm.NewError(r.Action(), refused.answer.Code)
			}
			return refused.answer
		}
		return err
	}
	return m.do(key, r.Action(), func(c *Caller, now time.Time) error {
		a := m.b.state.Accounts[made.Account.AccountId]
		d := m.b.state.directoryOf(c)
		if a == nil || d == nil {
			return rm.StateError("internal-failure")
		}
		v := a.copy()
		v.MemberType, v.Status, v.Email, v.Record = cloudAccount, createVerifying, r.Email, m.b.newID("")
		if err := m.b.save(now, putAccount(v)); err != nil {
			return err
		}
		return fill(out, map[string]any{"Account": recordView(d, v)})
	})
}

func (m rmModel) promote(c *Caller, now time.Time, r *rm.PromoteResourceAccountRequest, out any) error {
	d := m.b.state.directoryOf(c)
	if d == nil {
		return m.fail(r.Action(), rm.CodeEntityNotExistsResourceDirectory)
	}
	a := m.b.state.Accounts[r.AccountId]
	switch {
	case a == nil || !d.Members[a.ID]:
		return m.fail(r.Action(), rm.CodeEntityNotExistsAccount)
	case a.ID == d.MasterAccountID || (a.MemberType != "" && a.MemberType != resourceAccount) || a.Status != createSuccess:
		return m.fail(r.Action(), rm.CodeAccountTypeOrStatusMismatch)
	case m.b.emailUsed(r.Email):
		return m.fail(r.Action(), rm.CodeInvalidParameterEmailAlreadyUsed)
	}
	v := a.copy()
	v.Status, v.EmailChange, v.Record = promoteVerifying, r.Email, m.b.newID("")
	if err := m.b.save(now, putAccount(v)); err != nil {
		return err
	}
	view := recordView(d, v)
	view["AccountName"] = r.Email
	return fill(out, map[string]any{"Account": view})
}

// record cancels a record waiting in status, or sends its e-mail again.
func (m rmModel) record(c *Caller, now time.Time, action, id, status, what string, out any) error {
	d := m.b.state.directoryOf(c)
	if d == nil {
		return m.fail(action, rm.CodeEntityNotExistsResourceDirectory)
	}
	var a *Account
	for mid := range d.Members {
		if x := m.b.state.Accounts[mid]; x != nil && x.Record != "" && x.Record == id {
			a = x
		}
	}
	switch {
	case a == nil:
		return m.fail(action, rm.CodeEntityNotExistsAccountRecord)
	case a.Status != status:
		return m.fail(action, rm.CodeAccountTypeOrStatusMismatch)
	}
	if what == recordResend {
		return fill(out, map[string]any{"Account": recordView(d, a)})
	}
	if status == createVerifying {
		if err := m.b.leave(d, a, now); err != nil {
			return err
		}
		return m.b.save(now, Put{Kind: "account", ID: a.ID, Delete: true})
	}
	v := a.copy()
	v.Status, v.EmailChange = createSuccess, ""
	return m.b.save(now, putAccount(v))
}

// deletePrecheck answers, before 2022-04-19's DeleteAccount runs, the
// states 2020-03-31's DeleteAccount documents codes for and 2022-04-19's
// does not: a deletion already under way, a pending control-policy
// switch, a delegated administrator, another legal entity, a payer of its
// own. The checks are CheckAccountDelete's (the same service), in the
// order the metadata lists the codes; nil lets the forwarded call decide.
func (m rmModel) deletePrecheck(key string, r *rm.DeleteAccountRequest) error {
	c := m.b.Caller(key)
	if c == nil {
		return nil
	}
	m.b.mu.Lock()
	defer m.b.mu.Unlock()
	d := m.b.state.directoryOf(c)
	if d == nil {
		return nil
	}
	a := m.b.state.Accounts[r.AccountId]
	if a == nil || !d.Members[a.ID] || a.ID == d.MasterAccountID {
		return nil
	}
	action := r.Action()
	for _, check := range []struct {
		code string
		hit  bool
	}{
		{rm.CodeInvalidControlPolicyEnablementStatus, d.ControlPolicy == "Enabling" || d.ControlPolicy == "Disabling"},
		{rm.CodeRemoveConfilctAccountAsDelegatedAdministator, len(delegatedServices(d, a.ID)) > 0},
		{rm.CodeLegalEntityDifferent, a.LegalEntity != m.b.legalEntity(d)},
		{rm.CodeNotSupportHasPayerAccount, a.Payer != "" && a.Payer != d.MasterAccountID},
		{rm.CodeNotSupportedOperationDeletingAccount, a.Deletion == "deleting"},
	} {
		if check.hit && m.documents(action, check.code) {
			return rm.NewError(action, check.code)
		}
	}
	return nil
}
