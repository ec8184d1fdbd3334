package mock

import (
	"context"
	"slices"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Trusted services and delegated administrators. Which services support
// delegated administration, and how many administrators one may have, are
// the profile's (no page lists them); every service of that list counts as
// enabled for every directory. The management account is never a delegated
// administrator; a member may be one of several services.

func (b *Backend) serviceKnown(svc string) bool {
	return len(b.limits.TrustedServices) == 0 || slices.Contains(b.limits.TrustedServices, svc)
}

func (s server) RegisterDelegatedAdministrator(ctx context.Context, r *rdm.RegisterDelegatedAdministratorRequest) (*rdm.RegisterDelegatedAdministratorResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.RegisterDelegatedAdministratorRequest) (*rdm.RegisterDelegatedAdministratorResponse, error) {
		const action = "RegisterDelegatedAdministrator"
		admins := d.Delegations[r.ServicePrincipal]
		switch {
		case !b.serviceKnown(r.ServicePrincipal):
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterServicePrincipal)
		case r.AccountId == d.MasterAccountID:
			return nil, rdm.NewError(action, rdm.CodeCannotRegisterMasterAsDelegatedAdministrator)
		case !d.Members[r.AccountId]:
			return nil, rdm.StateError("malformed-parameter", "AccountId")
		case slices.Contains(admins, r.AccountId):
			return nil, rdm.NewError(action, rdm.CodeAccountAlreadyRegistered)
		case b.limits.DelegatedAdministrators > 0 && len(admins) >= b.limits.DelegatedAdministrators:
			return nil, rdm.NewError(action, rdm.CodeDelegatedAccountNumberExceeded)
		}
		dir := d.copy()
		dir.Delegations[r.ServicePrincipal] = append(dir.Delegations[r.ServicePrincipal], r.AccountId)
		if err := b.save(now, putDirectory(dir)); err != nil {
			return nil, err
		}
		return &rdm.RegisterDelegatedAdministratorResponse{}, nil
	})
}

func (s server) DeregisterDelegatedAdministrator(ctx context.Context, r *rdm.DeregisterDelegatedAdministratorRequest) (*rdm.DeregisterDelegatedAdministratorResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeregisterDelegatedAdministratorRequest) (*rdm.DeregisterDelegatedAdministratorResponse, error) {
		const action = "DeregisterDelegatedAdministrator"
		if !b.serviceKnown(r.ServicePrincipal) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterServicePrincipal)
		}
		i := slices.Index(d.Delegations[r.ServicePrincipal], r.AccountId)
		if i < 0 {
			return nil, rdm.NewError(action, rdm.CodeAccountNotRegistered)
		}
		dir := d.copy()
		dir.Delegations[r.ServicePrincipal] = slices.Delete(dir.Delegations[r.ServicePrincipal], i, i+1)
		if len(dir.Delegations[r.ServicePrincipal]) == 0 {
			delete(dir.Delegations, r.ServicePrincipal)
		}
		if err := b.save(now, putDirectory(dir)); err != nil {
			return nil, err
		}
		return &rdm.DeregisterDelegatedAdministratorResponse{}, nil
	})
}

func (s server) ListDelegatedAdministrators(ctx context.Context, r *rdm.ListDelegatedAdministratorsRequest) (*rdm.ListDelegatedAdministratorsResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListDelegatedAdministratorsRequest) (*rdm.ListDelegatedAdministratorsResponse, error) {
		var all []rdm.ListDelegatedAdministratorsResponseAccountsAccount
		for _, svc := range sortedKeys(d.Delegations) {
			if r.ServicePrincipal != "" && svc != r.ServicePrincipal {
				continue
			}
			for _, id := range d.Delegations[svc] {
				item := rdm.ListDelegatedAdministratorsResponseAccountsAccount{AccountId: id, ServicePrincipal: svc, DelegationEnabledTime: iso(d.CreateTime)}
				if a := b.state.Accounts[id]; a != nil {
					item.DisplayName, item.JoinMethod = a.DisplayName, joinMethod(a)
				}
				all = append(all, item)
			}
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		return &rdm.ListDelegatedAdministratorsResponse{Accounts: rdm.ListDelegatedAdministratorsResponseAccounts{Account: all[from:to]},
			PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}, nil
	})
}

func (s server) ListDelegatedServicesForAccount(ctx context.Context, r *rdm.ListDelegatedServicesForAccountRequest) (*rdm.ListDelegatedServicesForAccountResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListDelegatedServicesForAccountRequest) (*rdm.ListDelegatedServicesForAccountResponse, error) {
		out := &rdm.ListDelegatedServicesForAccountResponse{}
		for _, svc := range delegatedServices(d, r.AccountId) {
			out.DelegatedServices.DelegatedService = append(out.DelegatedServices.DelegatedService,
				rdm.ListDelegatedServicesForAccountResponseDelegatedServicesDelegatedService{ServicePrincipal: svc, Status: "ENABLED", DelegationEnabledTime: iso(d.CreateTime)})
		}
		return out, nil
	})
}

func (s server) ListTrustedServiceStatus(ctx context.Context, r *rdm.ListTrustedServiceStatusRequest) (*rdm.ListTrustedServiceStatusResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListTrustedServiceStatusRequest) (*rdm.ListTrustedServiceStatusResponse, error) {
		var all []string
		for _, svc := range b.limits.TrustedServices {
			if r.AdminAccountId == "" || slices.Contains(d.Delegations[svc], r.AdminAccountId) {
				all = append(all, svc)
			}
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListTrustedServiceStatusResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}
		for _, svc := range all[from:to] {
			out.EnabledServicePrincipals.EnabledServicePrincipal = append(out.EnabledServicePrincipals.EnabledServicePrincipal,
				rdm.ListTrustedServiceStatusResponseEnabledServicePrincipalsEnabledServicePrincipal{ServicePrincipal: svc, EnableTime: iso(d.CreateTime)})
		}
		return out, nil
	})
}
