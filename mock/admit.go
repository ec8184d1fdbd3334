package mock

import (
	"context"
	"net/url"
	"slices"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/spec"
)

// The checks every operation shares run once, in the generated handler's
// Admit hook, after the request's rules pass and before the operation's
// own logic: the caller's resource directory, the entities the request
// names by ID, and the facts the profile states about the accounts
// involved. Each check answers a code only where the contract documents
// that code for the operation, so an operation answers exactly the codes
// its page lists, and the order is the service's: no directory before no
// such folder, an unknown entity before anything about it.

// entityParams are the parameters that name an entity of the caller's
// directory, with the code each documents for an ID naming none.
var entityParams = []struct {
	param, code string
	kind        entityKind
}{
	{"ParentFolderId", rdm.CodeEntityNotExistsFolder, kindFolder},
	{"FolderId", rdm.CodeEntityNotExistsFolder, kindFolder},
	{"DestinationFolderId", rdm.CodeEntityNotExistsFolder, kindFolder},
	{"ChildId", rdm.CodeEntityNotExistsFolder, kindChild},
	{"AccountId", rdm.CodeEntityNotExistsAccount, kindAccount},
	{"BillingAccountId", rdm.CodeEntityNotExistsAccount, kindAccount},
	{"HandshakeId", rdm.CodeEntityNotExistsHandshake, kindHandshake},
	{"ContactId", rdm.CodeEntityNotExistsContact, kindContact},
	{"TargetId", rdm.CodeEntityNotExistsTarget, kindTarget},
	{"Member", rdm.CodeEntityNotExistsMember, kindObject},
}

type entityKind int

const (
	kindFolder    entityKind = iota // a folder or the root folder
	kindChild                       // a folder or a member account (ListAncestors)
	kindAccount                     // a member account (the management account too)
	kindHandshake                   // an invitation of the directory or to the caller
	kindContact                     // a message contact of the directory
	kindTarget                      // a folder or member a policy attaches to
	kindObject                      // the directory, a folder or a member
)

// memberCodes are the codes an operation documents for a caller that is a
// member account of a directory, not its management account.
var memberCodes = []string{rdm.CodeMemberAccountOperationNotAllowed, rdm.CodeMemberAccountAccessDenied}

// admit runs the shared checks for a request of the caller; received are
// the request's parameters as received (nil: re-encode the request).
func (b *Backend) admit(c *Caller, r rdm.Request, received url.Values) error {
	op := b.api.Operation(r.Action())
	if op == nil {
		return nil
	}
	params := url.Values{}
	if received == nil {
		params = r.Params()
	} else {
		// Only the operation's own parameters name entities: an unknown
		// one the decoding ignored is not looked up.
		for k, vs := range received {
			if op.ParamOf(k) != nil {
				params[k] = vs
			}
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.state
	d := s.directoryOf(c)
	member := d == nil && b.memberOf(c) != nil
	if member {
		for _, code := range memberCodes {
			if op.Error(code) != nil {
				return rdm.NewError(op.Action, code)
			}
		}
	}
	switch {
	case d == nil && op.Error(rdm.CodeEntityNotExistsResourceDirectory) != nil:
		// The caller manages no directory.
		return rdm.NewError(op.Action, rdm.CodeEntityNotExistsResourceDirectory)
	case d == nil && !member && op.Error(rdm.CodeResourceDirectoryNotInUse) != nil:
		// The caller neither manages a directory nor belongs to one.
		return rdm.NewError(op.Action, rdm.CodeResourceDirectoryNotInUse)
	}
	if d != nil {
		for _, e := range entityParams {
			id := params.Get(e.param)
			if id == "" || op.Error(e.code) == nil || b.exists(c, d, e.kind, id) {
				continue
			}
			return rdm.NewError(op.Action, e.code)
		}
	}
	return b.conditionError(op, c, params)
}

// exists says whether id names an entity of the kind the caller may see.
func (b *Backend) exists(c *Caller, d *Directory, kind entityKind, id string) bool {
	s := b.state
	switch kind {
	case kindFolder:
		return d.Folders[id] != nil
	case kindChild, kindTarget:
		return d.Folders[id] != nil || d.Members[id]
	case kindAccount:
		return d.Members[id]
	case kindHandshake:
		h := s.Handshakes[id]
		return h != nil && (h.DirectoryID == d.ID || h.TargetAccountID == c.AccountID)
	case kindContact:
		return d.Contacts[id] != nil
	case kindObject:
		return d.Contains(id)
	}
	return false
}

// conditionError answers the first documented code (in the contract's
// order) whose trigger state is a condition the profile states for an
// account the request names, or for the caller's own account.
func (b *Backend) conditionError(op *spec.Operation, c *Caller, params map[string][]string) error {
	conds := append([]string(nil), c.Conditions...)
	if a := b.state.Accounts[c.AccountID]; a != nil {
		conds = append(conds, a.Conditions...)
	}
	for name, vs := range params {
		for _, v := range vs {
			if a := b.state.Accounts[v]; a != nil && a.ID != c.AccountID {
				conds = append(conds, a.Conditions...)
			}
			// An invitation names its invited account.
			if h := b.state.Handshakes[v]; h != nil && name == "HandshakeId" {
				if a := b.state.Accounts[h.TargetAccountID]; a != nil && a.ID != c.AccountID {
					conds = append(conds, a.Conditions...)
				}
			}
		}
	}
	if len(conds) == 0 {
		return nil
	}
	for _, e := range op.Errors {
		for _, t := range e.Triggers {
			if t.State != "" && slices.Contains(conds, t.State) {
				return rdm.NewError(op.Action, e.Code)
			}
		}
	}
	return nil
}

// admitHook is the handler's Admit option: the shared checks for the
// verified caller.
func (s server) admitHook(ctx context.Context, r rdm.Request) error {
	c, err := s.caller(ctx)
	if err != nil {
		return err
	}
	info, _ := rdm.RequestInfoFrom(ctx)
	return s.b.admit(c, r, info.Params)
}
