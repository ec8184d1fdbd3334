package mock

import (
	"context"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// server adapts the backend to the generated Server interface: it finds the
// caller from the verified access key and maps requests to backend calls.
// The operations the backend does not model yet answer their documented
// sample (the embedded Samples), after the generated handler has checked
// every rule of the contract.
type server struct {
	rdm.Samples
	b *Backend
}

var _ rdm.Server = server{}

func (s server) caller(ctx context.Context) (*Caller, error) {
	info, _ := rdm.RequestInfoFrom(ctx)
	c := s.b.Caller(info.AccessKeyID)
	if c == nil {
		return nil, rdm.StateError("unknown-access-key")
	}
	return c, nil
}

func (s server) AssociateMembers(ctx context.Context, r *rdm.AssociateMembersRequest) (*rdm.AssociateMembersResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	members, err := s.b.Associate(ctx, c, r.ContactId, r.Members)
	if err != nil {
		return nil, err
	}
	return &rdm.AssociateMembersResponse{Members: members}, nil
}

func (s server) DisassociateMembers(ctx context.Context, r *rdm.DisassociateMembersRequest) (*rdm.DisassociateMembersResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	members, err := s.b.Disassociate(c, r.ContactId, r.Members)
	if err != nil {
		return nil, err
	}
	return &rdm.DisassociateMembersResponse{Members: members}, nil
}

func (s server) InviteAccountToResourceDirectory(ctx context.Context, r *rdm.InviteAccountToResourceDirectoryRequest) (*rdm.InviteAccountToResourceDirectoryResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	h, err := s.b.Invite(c, r)
	if err != nil {
		return nil, err
	}
	return &rdm.InviteAccountToResourceDirectoryResponse{Handshake: *h}, nil
}
