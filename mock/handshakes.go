package mock

import (
	"context"
	"slices"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Handshakes (invitations): Pending → Accepted | Declined (by the invited
// account), Cancelled (by the directory), Expired (by time). The invited
// account sees the invitations sent to it; the directory sees the ones it
// sent. Accepting makes the invited account a cloud-account member, in the
// folder the invitation named (the root otherwise).

// hsFields are the fields every handshake answer shares, in the generated
// types' order, so one value converts to each of them.
type hsFields struct {
	CreateTime          string
	ExpireTime          string
	HandshakeId         string
	MasterAccountId     string
	MasterAccountName   string
	ModifyTime          string
	Note                string
	ResourceDirectoryId string
	Status              string
	TargetEntity        string
	TargetType          string
}

func (b *Backend) hs(h *Handshake, now time.Time) hsFields {
	w := b.wire(h, now)
	return hsFields{CreateTime: w.CreateTime, ExpireTime: w.ExpireTime, HandshakeId: w.HandshakeId, MasterAccountId: w.MasterAccountId,
		MasterAccountName: w.MasterAccountName, ModifyTime: w.ModifyTime, Note: w.Note, ResourceDirectoryId: w.ResourceDirectoryId,
		Status: string(w.Status), TargetEntity: w.TargetEntity, TargetType: string(w.TargetType)}
}

// answer moves a handshake the caller received from Pending to status.
func (b *Backend) answer(action string, c *Caller, id, status string, now time.Time) (*Handshake, error) {
	cur := b.state.Handshakes[id]
	if cur == nil || cur.TargetAccountID != c.AccountID {
		return nil, rdm.NewError(action, rdm.CodeEntityNotExistsHandshake)
	}
	d := b.state.Directories[cur.DirectoryID]
	if d == nil && (status == accepted || b.documented(action, rdm.CodeSpecifiedResourceDirectoryNotExists) != nil) {
		// Nothing to join: the invitation's directory is gone.
		return nil, b.productError(rdm.CodeSpecifiedResourceDirectoryNotExists)
	}
	if b.status(cur, now) != pending {
		return nil, rdm.NewError(action, rdm.CodeHandshakeStatusMismatch)
	}
	h := *cur
	h.Status, h.ModifyTime = status, now
	puts := []Put{putHandshake(&h)}
	if status == accepted {
		if b.memberOf(c) != nil || b.state.directoryOf(c) != nil {
			return nil, rdm.NewError(action, rdm.CodeNotSupportAccountInAnotherResourceDirectory)
		}
		a := b.state.Accounts[c.AccountID]
		if a != nil && a.Personal {
			return nil, rdm.NewError(action, rdm.CodeInvalidAccountType)
		}
		if a == nil {
			a = &Account{ID: c.AccountID, LegalEntity: b.legalEntity(d), DisplayName: "account-" + c.AccountID}
		}
		joined := a.copy()
		joined.Directory, joined.MemberType, joined.Status, joined.JoinTime = d.ID, cloudAccount, createSuccess, now
		joined.Folder = cur.ParentFolderID
		if joined.Folder == "" || d.Folders[joined.Folder] == nil {
			joined.Folder = d.RootFolderID
		}
		dir := d.copy()
		dir.Members[joined.ID] = true
		puts = append(puts, putAccount(joined), putDirectory(dir))
	}
	if err := b.save(now, puts...); err != nil {
		return nil, err
	}
	return &h, nil
}

func (s server) AcceptHandshake(ctx context.Context, r *rdm.AcceptHandshakeRequest) (*rdm.AcceptHandshakeResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.AcceptHandshakeRequest) (*rdm.AcceptHandshakeResponse, error) {
		h, err := b.answer("AcceptHandshake", c, r.HandshakeId, accepted, now)
		if err != nil {
			return nil, err
		}
		return &rdm.AcceptHandshakeResponse{Handshake: rdm.AcceptHandshakeResponseHandshake(b.hs(h, now))}, nil
	})
}

func (s server) DeclineHandshake(ctx context.Context, r *rdm.DeclineHandshakeRequest) (*rdm.DeclineHandshakeResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeclineHandshakeRequest) (*rdm.DeclineHandshakeResponse, error) {
		h, err := b.answer("DeclineHandshake", c, r.HandshakeId, string(rdm.HandshakeStatusDeclined), now)
		if err != nil {
			return nil, err
		}
		return &rdm.DeclineHandshakeResponse{Handshake: rdm.DeclineHandshakeResponseHandshake(b.hs(h, now))}, nil
	})
}

func (s server) CancelHandshake(ctx context.Context, r *rdm.CancelHandshakeRequest) (*rdm.CancelHandshakeResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CancelHandshakeRequest) (*rdm.CancelHandshakeResponse, error) {
		const action = "CancelHandshake"
		cur := b.state.Handshakes[r.HandshakeId]
		if d == nil || cur == nil || cur.DirectoryID != d.ID {
			return nil, rdm.NewError(action, rdm.CodeEntityNotExistsHandshake)
		}
		if b.status(cur, now) != pending {
			return nil, rdm.NewError(action, rdm.CodeHandshakeStatusMismatch)
		}
		h := *cur
		h.Status, h.ModifyTime = string(rdm.HandshakeStatusCancelled), now
		if err := b.save(now, putHandshake(&h)); err != nil {
			return nil, err
		}
		return &rdm.CancelHandshakeResponse{Handshake: rdm.CancelHandshakeResponseHandshake(b.hs(&h, now))}, nil
	})
}

func (s server) GetHandshake(ctx context.Context, r *rdm.GetHandshakeRequest) (*rdm.GetHandshakeResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetHandshakeRequest) (*rdm.GetHandshakeResponse, error) {
		h := b.state.Handshakes[r.HandshakeId]
		if h == nil || (d == nil && h.TargetAccountID != c.AccountID) {
			// Neither sent by the caller's directory nor sent to the caller.
			return nil, rdm.NewError("GetHandshake", rdm.CodeEntityNotExistsHandshake)
		}
		st := b.status(h, now)
		// The invited account reads only an invitation it can still answer
		// or has answered; one the directory cancelled is invalid to it.
		if h.TargetAccountID == c.AccountID && st == string(rdm.HandshakeStatusCancelled) {
			return nil, rdm.NewError("GetHandshake", rdm.CodeHandshakeStatusMismatch)
		}
		f := b.hs(h, now)
		out := rdm.GetHandshakeResponseHandshake{CreateTime: f.CreateTime, ExpireTime: f.ExpireTime, HandshakeId: f.HandshakeId, MasterAccountId: f.MasterAccountId,
			MasterAccountName: f.MasterAccountName, ModifyTime: f.ModifyTime, Note: f.Note, ResourceDirectoryId: f.ResourceDirectoryId, Status: f.Status,
			TargetEntity: f.TargetEntity, TargetType: f.TargetType, MasterAccountRealName: b.legalEntityOf(h.MasterAccountID)}
		if a := b.state.Accounts[h.TargetAccountID]; a != nil {
			out.InvitedAccountRealName = a.LegalEntity
		}
		return &rdm.GetHandshakeResponse{Handshake: out}, nil
	})
}

func (b *Backend) legalEntityOf(account string) string {
	if a := b.state.Accounts[account]; a != nil {
		return a.LegalEntity
	}
	return ""
}

// handshakesWhere lists the handshakes keep selects, in ID order.
func (b *Backend) handshakesWhere(keep func(*Handshake) bool) []*Handshake {
	// Filter first, then order what is kept by ID: no sorted copy of every
	// handshake's ID per request.
	var out []*Handshake
	for _, h := range b.state.Handshakes {
		if keep(h) {
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b *Handshake) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (s server) ListHandshakesForAccount(ctx context.Context, r *rdm.ListHandshakesForAccountRequest) (*rdm.ListHandshakesForAccountResponse, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListHandshakesForAccountRequest) (*rdm.ListHandshakesForAccountResponse, error) {
		all := b.handshakesWhere(func(h *Handshake) bool { return h.TargetAccountID == c.AccountID })
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListHandshakesForAccountResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}
		for _, h := range all[from:to] {
			out.Handshakes.Handshake = append(out.Handshakes.Handshake, rdm.ListHandshakesForAccountResponseHandshakesHandshake(b.hs(h, now)))
		}
		return out, nil
	})
}

func (s server) ListHandshakesForResourceDirectory(ctx context.Context, r *rdm.ListHandshakesForResourceDirectoryRequest) (*rdm.ListHandshakesForResourceDirectoryResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListHandshakesForResourceDirectoryRequest) (*rdm.ListHandshakesForResourceDirectoryResponse, error) {
		all := b.handshakesWhere(func(h *Handshake) bool { return h.DirectoryID == d.ID })
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListHandshakesForResourceDirectoryResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}
		for _, h := range all[from:to] {
			out.Handshakes.Handshake = append(out.Handshakes.Handshake, rdm.ListHandshakesForResourceDirectoryResponseHandshakesHandshake(b.hs(h, now)))
		}
		return out, nil
	})
}
