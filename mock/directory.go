package mock

import (
	"context"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// The resource directory itself: enabled by an account that has none
// (itself the management account, or a new management account created
// for it), read by its management account and its members, destroyed only
// when no member but the management account is left. Member deletion and
// control policies are switched per directory; enabling or disabling
// control policies passes through Enabling or Disabling, which settles
// when the next call reads it (a seeded pending status stays pending).

// memberOf is the directory the caller's account is a member of (not the
// one it manages), or nil.
func (b *Backend) memberOf(c *Caller) *Directory {
	if a := b.state.Accounts[c.AccountID]; a != nil && a.Directory != "" {
		if d := b.state.Directories[a.Directory]; d != nil && d.MasterAccountID != c.AccountID {
			return d
		}
	}
	return nil
}

// enableChecks are the refusals EnableResourceDirectory and
// SendVerificationCodeForEnableRD share.
func (b *Backend) enableChecks(action string, c *Caller, d *Directory) error {
	switch {
	case b.memberOf(c) != nil:
		return rdm.NewError(action, rdm.CodeNotSupportAccountInAnotherResourceDirectory)
	case d != nil:
		return rdm.NewError(action, rdm.CodeEntityAlreadyExistsResourceDirectory)
	}
	if a := b.state.Accounts[c.AccountID]; a != nil && a.Personal {
		return b.documented(action, rdm.CodeInvalidAccountType)
	}
	return nil
}

func (s server) SendVerificationCodeForEnableRD(ctx context.Context, r *rdm.SendVerificationCodeForEnableRDRequest) (*rdm.SendVerificationCodeForEnableRDResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.SendVerificationCodeForEnableRDRequest) (*rdm.SendVerificationCodeForEnableRDResponse, error) {
		const action = "SendVerificationCodeForEnableRD"
		if err := b.enableChecks(action, c, d); err != nil {
			return nil, err
		}
		if !b.countryOK(r.SecureMobilePhone) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		}
		return &rdm.SendVerificationCodeForEnableRDResponse{}, nil
	})
}

func (s server) EnableResourceDirectory(ctx context.Context, r *rdm.EnableResourceDirectoryRequest) (*rdm.EnableResourceDirectoryResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.EnableResourceDirectoryRequest) (*rdm.EnableResourceDirectoryResponse, error) {
		const action = "EnableResourceDirectory"
		if err := b.enableChecks(action, c, d); err != nil {
			return nil, err
		}
		caller := b.state.Accounts[c.AccountID]
		if caller == nil {
			caller = &Account{ID: c.AccountID, LegalEntity: b.limits.LegalEntity, MemberType: cloudAccount, Status: createSuccess, DisplayName: "account-" + c.AccountID, JoinTime: now}
		}
		master := caller.copy()
		var puts []Put
		if r.EnableMode == rdm.EnableModeNewManagementAccount {
			if r.MASecureMobilePhone == "" {
				return nil, rdm.NewError(action, rdm.CodeMissingSecureMobilePhone)
			}
			// A management account name is in use when an account goes by
			// it, or by its prefix (the mock's reading: accounts keep no
			// login names of their own).
			prefix, _, _ := strings.Cut(r.MAName, "@")
			for _, a := range b.state.Accounts {
				if a.DisplayName == r.MAName || a.DisplayName == prefix {
					return nil, rdm.NewError(action, rdm.CodeInvalidParameterManagementAccountNameAlreadyUsed)
				}
			}
			if !b.codeOK(r.VerificationCode) {
				return nil, rdm.NewError(action, rdm.CodeInvalidVerificationCode)
			}
			master = &Account{ID: b.newNumericID(), LegalEntity: caller.LegalEntity, MemberType: resourceAccount, Status: createSuccess,
				DisplayName: r.MAName, SecureMobile: r.MASecureMobilePhone, JoinTime: now}
		}
		dir := &Directory{ID: "rd-" + b.newID(""), MasterAccountID: master.ID, MasterAccountName: master.DisplayName, RootFolderID: "r-" + b.newID("")[:6],
			CreateTime: now, Members: map[string]bool{master.ID: true}, MemberLimit: 1 << 30, ControlPolicy: disabled, MemberDeletion: enabled}
		master.Directory, master.Folder = dir.ID, dir.RootFolderID
		puts = append(puts, putDirectory(dir), putFolder(dir.ID, &Folder{ID: dir.RootFolderID, Name: "root", CreateTime: now}), putAccount(master))
		if master.ID != caller.ID {
			// The account that enabled the directory joins it as a member.
			joined := caller.copy()
			joined.Directory, joined.Folder, joined.MemberType, joined.JoinTime = dir.ID, dir.RootFolderID, cloudAccount, now
			dir.Members[joined.ID] = true
			puts = append(puts, putAccount(joined))
		}
		if r.DryRun == nil || !*r.DryRun {
			if err := b.save(now, puts...); err != nil {
				return nil, err
			}
		}
		return &rdm.EnableResourceDirectoryResponse{ResourceDirectory: rdm.EnableResourceDirectoryResponseResourceDirectory{CreateTime: iso(now),
			MasterAccountId: master.ID, MasterAccountName: master.DisplayName, ResourceDirectoryId: dir.ID, RootFolderId: dir.RootFolderID}}, nil
	})
}

// controlPolicyStatus is the directory's control-policy status now.
func controlPolicyStatus(d *Directory, now time.Time) string {
	switch {
	case d.ControlPolicySettles.IsZero() || now.Before(d.ControlPolicySettles):
		return d.ControlPolicy
	case d.ControlPolicy == "Enabling":
		return enabled
	case d.ControlPolicy == "Disabling":
		return disabled
	}
	return d.ControlPolicy
}

func (s server) GetResourceDirectory(ctx context.Context, r *rdm.GetResourceDirectoryRequest) (*rdm.GetResourceDirectoryResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetResourceDirectoryRequest) (*rdm.GetResourceDirectoryResponse, error) {
		if d == nil {
			d = b.memberOf(c)
		}
		if d == nil {
			return nil, rdm.NewError("GetResourceDirectory", rdm.CodeResourceDirectoryNotInUse)
		}
		return &rdm.GetResourceDirectoryResponse{ResourceDirectory: rdm.GetResourceDirectoryResponseResourceDirectory{ControlPolicyStatus: controlPolicyStatus(d, now),
			CreateTime: iso(d.CreateTime), MasterAccountId: d.MasterAccountID, MasterAccountName: d.MasterAccountName, MemberDeletionStatus: d.MemberDeletion,
			ResourceDirectoryId: d.ID, RootFolderId: d.RootFolderID}}, nil
	})
}

func (s server) DestroyResourceDirectory(ctx context.Context, r *rdm.DestroyResourceDirectoryRequest) (*rdm.DestroyResourceDirectoryResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DestroyResourceDirectoryRequest) (*rdm.DestroyResourceDirectoryResponse, error) {
		for m := range d.Members {
			if m != d.MasterAccountID {
				return nil, rdm.NewError("DestroyResourceDirectory", rdm.CodeDeleteConflictResourceDirectoryAccount)
			}
		}
		puts := []Put{{Kind: "directory", ID: d.ID, Delete: true}}
		if a := b.state.Accounts[d.MasterAccountID]; a != nil {
			left := a.copy()
			left.Directory, left.Folder = "", ""
			puts = append(puts, putAccount(left))
		}
		if err := b.save(now, puts...); err != nil {
			return nil, err
		}
		return &rdm.DestroyResourceDirectoryResponse{}, nil
	})
}

func (s server) SetMemberDeletionPermission(ctx context.Context, r *rdm.SetMemberDeletionPermissionRequest) (*rdm.SetMemberDeletionPermissionResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.SetMemberDeletionPermissionRequest) (*rdm.SetMemberDeletionPermissionResponse, error) {
		dir := d.copy()
		dir.MemberDeletion = string(r.Status)
		if err := b.save(now, putDirectory(dir)); err != nil {
			return nil, err
		}
		return &rdm.SetMemberDeletionPermissionResponse{ManagementAccountId: d.MasterAccountID, MemberDeletionStatus: dir.MemberDeletion, ResourceDirectoryId: d.ID}, nil
	})
}

// switchControlPolicy starts enabling or disabling control policies.
func (b *Backend) switchControlPolicy(d *Directory, now time.Time, pending, settled string) (string, error) {
	cur := controlPolicyStatus(d, now)
	if cur == settled || cur == pending {
		return cur, nil // already there, or on its way
	}
	dir := d.copy()
	dir.ControlPolicy, dir.ControlPolicySettles = pending, now.Add(time.Second)
	if err := b.save(now, putDirectory(dir)); err != nil {
		return "", err
	}
	return pending, nil
}

func (s server) EnableControlPolicy(ctx context.Context, r *rdm.EnableControlPolicyRequest) (*rdm.EnableControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.EnableControlPolicyRequest) (*rdm.EnableControlPolicyResponse, error) {
		st, err := b.switchControlPolicy(d, now, "Enabling", enabled)
		if err != nil {
			return nil, err
		}
		return &rdm.EnableControlPolicyResponse{EnablementStatus: st}, nil
	})
}

func (s server) DisableControlPolicy(ctx context.Context, r *rdm.DisableControlPolicyRequest) (*rdm.DisableControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DisableControlPolicyRequest) (*rdm.DisableControlPolicyResponse, error) {
		st, err := b.switchControlPolicy(d, now, "Disabling", disabled)
		if err != nil {
			return nil, err
		}
		return &rdm.DisableControlPolicyResponse{EnablementStatus: st}, nil
	})
}

func (s server) GetControlPolicyEnablementStatus(ctx context.Context, r *rdm.GetControlPolicyEnablementStatusRequest) (*rdm.GetControlPolicyEnablementStatusResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetControlPolicyEnablementStatusRequest) (*rdm.GetControlPolicyEnablementStatusResponse, error) {
		return &rdm.GetControlPolicyEnablementStatusResponse{EnablementStatus: controlPolicyStatus(d, now)}, nil
	})
}
