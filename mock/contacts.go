package mock

import (
	"context"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Message contacts: added unverified (Pending, their address waiting for
// verification), then Active; an update of the address waits for
// verification too and can be cancelled; deletion leaves the contact
// Deleting. Names are unique in the directory; the number of contacts is
// bounded by the profile's limit (no page states it); phone numbers carry
// a country code the profile's site must support. Verification codes are
// not modelled beyond "something waits to be verified".

const (
	contactActive   = "Active"
	contactPending  = "Pending"
	contactDeleting = "Deleting"
)

func contactNameUsed(d *Directory, name, except string) bool {
	for _, c := range d.Contacts {
		if c.Name == name && c.ID != except {
			return true
		}
	}
	return false
}

func messageTypes[T ~string](ts []T) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

func (s server) AddMessageContact(ctx context.Context, r *rdm.AddMessageContactRequest) (*rdm.AddMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.AddMessageContactRequest) (*rdm.AddMessageContactResponse, error) {
		const action = "AddMessageContact"
		switch {
		case !b.countryOK(r.PhoneNumber):
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		case d.ContactLimit > 0 && len(d.Contacts) >= d.ContactLimit:
			return nil, rdm.NewError(action, rdm.CodeLimitExceededContacts)
		case contactNameUsed(d, r.Name, ""):
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterNameAlreadyUsed)
		}
		ct := &Contact{ID: b.newID("c-"), Status: contactPending, Name: r.Name, Email: r.EmailAddress, Phone: r.PhoneNumber, Title: string(r.Title),
			MessageTypes: messageTypes(r.MessageTypes), Pending: r.EmailAddress, CreateDate: now, MemberLimit: b.limits.ContactMembers, Bound: map[string]string{}}
		if err := b.save(now, putContact(d.ID, ct)); err != nil {
			return nil, err
		}
		return &rdm.AddMessageContactResponse{Contact: rdm.AddMessageContactResponseContact{ContactId: ct.ID, CreateDate: iso(now)}}, nil
	})
}

func (s server) UpdateMessageContact(ctx context.Context, r *rdm.UpdateMessageContactRequest) (*rdm.UpdateMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.UpdateMessageContactRequest) (*rdm.UpdateMessageContactResponse, error) {
		const action = "UpdateMessageContact"
		cur := d.Contacts[r.ContactId]
		if cur == nil {
			return nil, rdm.NewError(action, rdm.CodeEntityNotExistsContact)
		}
		switch {
		case !b.countryOK(r.PhoneNumber):
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		case cur.Status == contactDeleting:
			return nil, rdm.NewError(action, rdm.CodeContactStatusMismatchAction)
		case r.Name != "" && contactNameUsed(d, r.Name, cur.ID):
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterNameAlreadyUsed)
		}
		ct := cur.copy()
		if r.Name != "" {
			ct.Name = r.Name
		}
		if r.Title != "" {
			ct.Title = string(r.Title)
		}
		if len(r.MessageTypes) > 0 {
			ct.MessageTypes = messageTypes(r.MessageTypes)
		}
		// A new address takes effect once verified.
		if r.EmailAddress != "" && r.EmailAddress != cur.Email {
			ct.Pending = r.EmailAddress
		}
		if r.PhoneNumber != "" && r.PhoneNumber != cur.Phone {
			ct.Pending = r.PhoneNumber
		}
		if err := b.save(now, putContact(d.ID, ct)); err != nil {
			return nil, err
		}
		return &rdm.UpdateMessageContactResponse{}, nil
	})
}

func (s server) CancelMessageContactUpdate(ctx context.Context, r *rdm.CancelMessageContactUpdateRequest) (*rdm.CancelMessageContactUpdateResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CancelMessageContactUpdateRequest) (*rdm.CancelMessageContactUpdateResponse, error) {
		const action = "CancelMessageContactUpdate"
		cur := d.Contacts[r.ContactId]
		if cur == nil {
			return nil, rdm.NewError(action, rdm.CodeEntityNotExistsContact)
		}
		if !b.countryOK(r.PhoneNumber) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		}
		if cur.Pending == "" || cur.Status != contactActive {
			return nil, rdm.NewError(action, rdm.CodeContactStatusMismatchAction)
		}
		ct := cur.copy()
		ct.Pending = ""
		if err := b.save(now, putContact(d.ID, ct)); err != nil {
			return nil, err
		}
		return &rdm.CancelMessageContactUpdateResponse{}, nil
	})
}

func (s server) DeleteMessageContact(ctx context.Context, r *rdm.DeleteMessageContactRequest) (*rdm.DeleteMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeleteMessageContactRequest) (*rdm.DeleteMessageContactResponse, error) {
		ct := d.Contacts[r.ContactId].copy()
		ct.Status = contactDeleting
		if err := b.save(now, putContact(d.ID, ct)); err != nil {
			return nil, err
		}
		return &rdm.DeleteMessageContactResponse{Status: contactDeleting}, nil
	})
}

func boundTo(ct *Contact) []string { return sortedKeys(ct.Bound) }

func (s server) GetMessageContact(ctx context.Context, r *rdm.GetMessageContactRequest) (*rdm.GetMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetMessageContactRequest) (*rdm.GetMessageContactResponse, error) {
		ct := d.Contacts[r.ContactId]
		return &rdm.GetMessageContactResponse{Contact: rdm.GetMessageContactResponseContact{ContactId: ct.ID, CreateDate: iso(ct.CreateDate), EmailAddress: ct.Email,
			Members: boundTo(ct), MessageTypes: ct.MessageTypes, Name: ct.Name, PhoneNumber: ct.Phone, Status: ct.Status, Title: ct.Title}}, nil
	})
}

func (s server) GetMessageContactDeletionStatus(ctx context.Context, r *rdm.GetMessageContactDeletionStatusRequest) (*rdm.GetMessageContactDeletionStatusResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetMessageContactDeletionStatusRequest) (*rdm.GetMessageContactDeletionStatusResponse, error) {
		ct := d.Contacts[r.ContactId]
		if ct == nil {
			return nil, rdm.NewError("GetMessageContactDeletionStatus", rdm.CodeEntityNotExistsContact)
		}
		return &rdm.GetMessageContactDeletionStatusResponse{ContactDeletionStatus: rdm.GetMessageContactDeletionStatusResponseContactDeletionStatus{ContactId: ct.ID, Status: ct.Status}}, nil
	})
}

func (s server) ListMessageContacts(ctx context.Context, r *rdm.ListMessageContactsRequest) (*rdm.ListMessageContactsResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListMessageContactsRequest) (*rdm.ListMessageContactsResponse, error) {
		var all []*Contact
		for _, id := range sortedKeys(d.Contacts) {
			ct := d.Contacts[id]
			if r.ContactId != "" && ct.ID != r.ContactId {
				continue
			}
			if _, bound := ct.Bound[r.Member]; r.Member != "" && !bound {
				continue
			}
			all = append(all, ct)
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListMessageContactsResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all)), Contacts: []rdm.ListMessageContactsResponseContacts{}}
		for _, ct := range all[from:to] {
			item := rdm.ListMessageContactsResponseContacts{ContactId: ct.ID, CreateDate: iso(ct.CreateDate), EmailAddress: ct.Email, Members: boundTo(ct),
				MessageTypes: ct.MessageTypes, Name: ct.Name, PhoneNumber: ct.Phone, Status: ct.Status, Title: ct.Title}
			if r.Member != "" {
				item.AssociatedDate = ct.Bound[r.Member]
			}
			out.Contacts = append(out.Contacts, item)
		}
		return out, nil
	})
}

func (s server) ListMessageContactVerifications(ctx context.Context, r *rdm.ListMessageContactVerificationsRequest) (*rdm.ListMessageContactVerificationsResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListMessageContactVerificationsRequest) (*rdm.ListMessageContactVerificationsResponse, error) {
		var all []rdm.ListMessageContactVerificationsResponseContactVerifications
		for _, id := range sortedKeys(d.Contacts) {
			ct := d.Contacts[id]
			if (r.ContactId == "" || ct.ID == r.ContactId) && ct.Pending != "" {
				all = append(all, rdm.ListMessageContactVerificationsResponseContactVerifications{ContactId: ct.ID, Target: ct.Pending})
			}
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		return &rdm.ListMessageContactVerificationsResponse{ContactVerifications: append([]rdm.ListMessageContactVerificationsResponseContactVerifications{}, all[from:to]...),
			PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}, nil
	})
}

// verifying is the contact whose pending address a verification is sent for.
func (b *Backend) verifying(action string, d *Directory, id string) (*Contact, error) {
	ct := d.Contacts[id]
	if ct == nil {
		return nil, rdm.NewError(action, rdm.CodeEntityNotExistsContact)
	}
	if ct.Pending == "" {
		return nil, rdm.NewError(action, rdm.CodeEntityNotExistsContactVerification)
	}
	return ct, nil
}

func (s server) SendEmailVerificationForMessageContact(ctx context.Context, r *rdm.SendEmailVerificationForMessageContactRequest) (*rdm.SendEmailVerificationForMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.SendEmailVerificationForMessageContactRequest) (*rdm.SendEmailVerificationForMessageContactResponse, error) {
		if _, err := b.verifying("SendEmailVerificationForMessageContact", d, r.ContactId); err != nil {
			return nil, err
		}
		return &rdm.SendEmailVerificationForMessageContactResponse{}, nil
	})
}

func (s server) SendPhoneVerificationForMessageContact(ctx context.Context, r *rdm.SendPhoneVerificationForMessageContactRequest) (*rdm.SendPhoneVerificationForMessageContactResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.SendPhoneVerificationForMessageContactRequest) (*rdm.SendPhoneVerificationForMessageContactResponse, error) {
		const action = "SendPhoneVerificationForMessageContact"
		if !b.countryOK(r.PhoneNumber) {
			return nil, rdm.NewError(action, rdm.CodeInvalidParameterMobileCountryCode)
		}
		if _, err := b.verifying(action, d, r.ContactId); err != nil {
			return nil, err
		}
		return &rdm.SendPhoneVerificationForMessageContactResponse{}, nil
	})
}
