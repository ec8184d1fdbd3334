package mock

import (
	"fmt"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Put is one entity an operation wrote (or removed, with Delete): the
// journal's unit for every operation beyond the first three, so replaying
// a state file needs no operation logic, only these writes.
type Put struct {
	Kind   string `json:"kind"` // directory, folder, account, contact, handshake, policy, attach
	Dir    string `json:"dir,omitempty"`
	ID     string `json:"id"`
	Delete bool   `json:"delete,omitempty"`
	// Target and Stamp: an attach adds one target to policy ID's
	// attachments, at Stamp (a policy with many attachments is not copied
	// whole for one more).
	Target    string     `json:"target,omitempty"`
	Stamp     string     `json:"stamp,omitempty"`
	Directory *Directory `json:"directory,omitempty"`
	Folder    *Folder    `json:"folder,omitempty"`
	Account   *Account   `json:"account,omitempty"`
	Contact   *Contact   `json:"contact,omitempty"`
	Handshake *Handshake `json:"handshake,omitempty"`
	Policy    *Policy    `json:"policy,omitempty"`
	// ResourceManager 2020-03-31's own entities (rmstate.go).
	ResourceGroup *ResourceGroup    `json:"resourceGroup,omitempty"`
	Resource      *Resource         `json:"resource,omitempty"`
	RAMPolicy     *RAMPolicy        `json:"ramPolicy,omitempty"`
	Attachment    *PolicyAttachment `json:"attachment,omitempty"`
	Role          *Role             `json:"role,omitempty"`
	DeletionTask  *DeletionTask     `json:"deletionTask,omitempty"`
	Transfer      *TransferSetting  `json:"transfer,omitempty"`
}

// put applies one write to the state.
func (s *State) put(p Put) error {
	if ok, err := s.putRM(p); ok {
		return err
	}
	if ok, err := s.putRAM(p); ok {
		return err
	}
	if p.Kind == "directory" {
		if p.Delete {
			delete(s.Directories, p.ID)
			return nil
		}
		if p.Directory == nil {
			return fmt.Errorf("put directory %s: no value", p.ID)
		}
		v := *p.Directory
		if cur := s.Directories[p.ID]; cur != nil {
			// A directory write changes its own fields and members; its
			// folders, contacts and policies are written one by one.
			v.Folders, v.Contacts, v.Policies, v.children, v.names = cur.Folders, cur.Contacts, cur.Policies, cur.children, cur.names
		}
		if v.Folders == nil {
			v.Folders = map[string]*Folder{}
		}
		if v.Contacts == nil {
			v.Contacts = map[string]*Contact{}
		}
		if v.Policies == nil {
			v.Policies = map[string]*Policy{}
		}
		if v.Members == nil {
			v.Members = map[string]bool{}
		}
		if v.Delegations == nil {
			v.Delegations = map[string][]string{}
		}
		s.Directories[p.ID] = &v
		return nil
	}
	if p.Kind == "account" || p.Kind == "handshake" {
		switch {
		case p.Kind == "account" && p.Delete:
			delete(s.Accounts, p.ID)
		case p.Kind == "account" && p.Account != nil:
			v := *p.Account
			s.Accounts[p.ID] = &v
		case p.Kind == "handshake" && p.Delete:
			delete(s.Handshakes, p.ID)
		case p.Kind == "handshake" && p.Handshake != nil:
			v := *p.Handshake
			s.Handshakes[p.ID] = &v
		default:
			return fmt.Errorf("put %s %s: no value", p.Kind, p.ID)
		}
		return nil
	}
	d := s.Directories[p.Dir]
	if d == nil {
		return fmt.Errorf("put %s %s: no directory %s", p.Kind, p.ID, p.Dir)
	}
	switch {
	case p.Kind == "folder" && p.Delete:
		d.indexFolder(d.Folders[p.ID], nil)
		delete(d.Folders, p.ID)
	case p.Kind == "folder" && p.Folder != nil:
		v := *p.Folder
		d.indexFolder(d.Folders[p.ID], &v)
		d.Folders[p.ID] = &v
	case p.Kind == "contact" && p.Delete:
		delete(d.Contacts, p.ID)
	case p.Kind == "contact" && p.Contact != nil:
		v := *p.Contact
		d.Contacts[p.ID] = &v
	case p.Kind == "attach":
		pol := d.Policies[p.ID]
		if pol == nil || p.Target == "" {
			return fmt.Errorf("attach %s to %q: no such policy in directory %s", p.ID, p.Target, p.Dir)
		}
		if pol.Attached == nil {
			pol.Attached = map[string]string{}
		}
		pol.Attached[p.Target] = p.Stamp
	case p.Kind == "policy" && p.Delete:
		delete(d.Policies, p.ID)
	case p.Kind == "policy" && p.Policy != nil:
		v := *p.Policy
		d.Policies[p.ID] = &v
	default:
		return fmt.Errorf("put %s %s: unknown kind or no value", p.Kind, p.ID)
	}
	return nil
}

// save journals and applies writes; the caller holds b.mu.
func (b *Backend) save(now time.Time, puts ...Put) error {
	if err := b.commit(Event{Op: "put", At: now, Puts: puts}); err != nil {
		b.logf("mock: saving a change failed: %v", err)
		return rdm.StateError("internal-failure")
	}
	return nil
}

// Copies of entities for a write: the state is changed only by applying
// the write, never through a pointer an operation holds.

func (d *Directory) copy() *Directory {
	v := *d
	v.Members = clone(d.Members)
	v.Delegations = map[string][]string{}
	for k, l := range d.Delegations {
		v.Delegations[k] = append([]string(nil), l...)
	}
	v.Folders, v.Contacts, v.Policies = nil, nil, nil
	return &v
}

func (a *Account) copy() *Account {
	v := *a
	v.Tags = clone(a.Tags)
	v.Conditions = append([]string(nil), a.Conditions...)
	return &v
}

func (c *Contact) copy() *Contact {
	v := *c
	v.Bound = clone(c.Bound)
	v.MessageTypes = append([]string(nil), c.MessageTypes...)
	return &v
}

func (p *Policy) copy() *Policy {
	v := *p
	v.Attached = clone(p.Attached)
	return &v
}

func putDirectory(d *Directory) Put { return Put{Kind: "directory", ID: d.ID, Directory: d} }
func putFolder(dir string, f *Folder) Put {
	return Put{Kind: "folder", Dir: dir, ID: f.ID, Folder: f}
}
func putAccount(a *Account) Put { return Put{Kind: "account", ID: a.ID, Account: a} }
func putContact(dir string, c *Contact) Put {
	return Put{Kind: "contact", Dir: dir, ID: c.ID, Contact: c}
}
func putHandshake(h *Handshake) Put { return Put{Kind: "handshake", ID: h.ID, Handshake: h} }
func putPolicy(dir string, p *Policy) Put {
	return Put{Kind: "policy", Dir: dir, ID: p.ID, Policy: p}
}

func clone[V any](m map[string]V) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
