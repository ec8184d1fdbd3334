package mock

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/profile"
)

// State is everything the mock knows. It is plain data: the backend changes
// it only by applying events, so the journal can replay it exactly.
type State struct {
	Directories map[string]*Directory `json:"directories"`
	Accounts    map[string]*Account   `json:"accounts"`
	// Callers by access key ID.
	Callers map[string]*Caller `json:"callers"`
	// Handshakes by ID.
	Handshakes map[string]*Handshake `json:"handshakes"`
	// ResourceGroups by ID and Resources by service/region/type/ID:
	// ResourceManager 2020-03-31's own families (rmstate.go).
	ResourceGroups map[string]*ResourceGroup `json:"resourceGroups,omitempty"`
	Resources      map[string]*Resource      `json:"resources,omitempty"`
	// RAM policies, their attachments, roles and service-linked role
	// deletions (rmram.go), by key.
	RAMPolicies   map[string]*RAMPolicy        `json:"ramPolicies,omitempty"`
	Attachments   map[string]*PolicyAttachment `json:"attachments,omitempty"`
	Roles         map[string]*Role             `json:"roles,omitempty"`
	DeletionTasks map[string]*DeletionTask     `json:"deletionTasks,omitempty"`
	// TransferSettings by account (rmtransfer.go).
	TransferSettings map[string]*TransferSetting `json:"transferSettings,omitempty"`
}

// Directory is one resource directory.
type Directory struct {
	ID                string    `json:"id"`
	MasterAccountID   string    `json:"masterAccountId"`
	MasterAccountName string    `json:"masterAccountName"`
	RootFolderID      string    `json:"rootFolderId"`
	CreateTime        time.Time `json:"createTime"`
	// Folders by ID, the root folder included (its Parent is "").
	Folders map[string]*Folder `json:"folders"`
	// Members is the set of member account IDs (the management account is
	// one too, as in ListAccounts).
	Members     map[string]bool     `json:"members"`
	MemberLimit int                 `json:"memberLimit"`
	Contacts    map[string]*Contact `json:"contacts"`
	// FolderLimit and ContactLimit: 0 is unlimited.
	FolderLimit   int    `json:"folderLimit,omitempty"`
	ContactLimit  int    `json:"contactLimit,omitempty"`
	ControlPolicy string `json:"controlPolicy"`
	// ControlPolicySettles is when a pending Enabling or Disabling settles
	// (zero: a seeded pending status, which stays pending).
	ControlPolicySettles time.Time `json:"controlPolicySettles,omitempty"`
	MemberDeletion       string    `json:"memberDeletion"`
	// Policies by ID: the control policies and their attachments.
	Policies map[string]*Policy `json:"policies"`
	// Delegations maps a service principal to its delegated administrators.
	Delegations map[string][]string `json:"delegations"`

	// children indexes Folders by parent, each list sorted by ID: built
	// when a listing first needs it, kept up to date by the folder writes
	// (puts), dropped with any copy (rebuilt from Folders).
	children map[string][]*Folder
	// names counts the folders of each name under each parent
	// (parent + "/" + name), with children.
	names map[string]int
}

// childrenOf lists the folders whose parent is parent, sorted by ID; the
// caller holds the backend's lock and must not change the list.
func (d *Directory) childrenOf(parent string) []*Folder {
	d.index()
	return d.children[parent]
}

// index builds children and names from Folders when they are not built.
func (d *Directory) index() {
	if d.children == nil {
		d.children, d.names = map[string][]*Folder{}, map[string]int{}
		for _, f := range d.Folders {
			d.children[f.Parent] = append(d.children[f.Parent], f)
			d.names[f.Parent+"/"+f.Name]++
		}
		for _, l := range d.children {
			slices.SortFunc(l, func(x, y *Folder) int { return strings.Compare(x.ID, y.ID) })
		}
	}
}

// namedUnder counts the folders called name under parent.
func (d *Directory) namedUnder(parent, name string) int {
	d.index()
	return d.names[parent+"/"+name]
}

// indexFolder keeps children in step with a folder write: old is the
// folder as it was (nil when new), f as it is (nil when deleted).
func (d *Directory) indexFolder(old, f *Folder) {
	if d.children == nil {
		return
	}
	if old != nil {
		if d.names[old.Parent+"/"+old.Name]--; d.names[old.Parent+"/"+old.Name] <= 0 {
			delete(d.names, old.Parent+"/"+old.Name)
		}
		l := d.children[old.Parent]
		if i, ok := slices.BinarySearchFunc(l, old.ID, func(x *Folder, id string) int { return strings.Compare(x.ID, id) }); ok {
			d.children[old.Parent] = slices.Delete(l, i, i+1)
		}
	}
	if f != nil {
		d.names[f.Parent+"/"+f.Name]++
		l := d.children[f.Parent]
		i, _ := slices.BinarySearchFunc(l, f.ID, func(x *Folder, id string) int { return strings.Compare(x.ID, id) })
		d.children[f.Parent] = slices.Insert(l, i, f)
	}
}

// Contains reports whether id is the directory, a folder or a member.
func (d *Directory) Contains(id string) bool {
	return id == d.ID || d.Folders[id] != nil || d.Members[id]
}

// Folder is a folder of a directory.
type Folder struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Parent     string            `json:"parent,omitempty"`
	CreateTime time.Time         `json:"createTime"`
	Tags       map[string]string `json:"tags,omitempty"`
}

// Policy is a control policy and the targets it is attached to.
type Policy struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Type        string            `json:"type"`
	Description string            `json:"description,omitempty"`
	Document    string            `json:"document,omitempty"`
	EffectScope string            `json:"effectScope,omitempty"`
	CreateDate  time.Time         `json:"createDate"`
	UpdateDate  time.Time         `json:"updateDate"`
	Attached    map[string]string `json:"attached"` // target ID → attach date (layout of the contract)
}

// Contact is a message contact and the objects it is bound to.
type Contact struct {
	ID           string            `json:"id"`
	Status       string            `json:"status"`
	Name         string            `json:"name,omitempty"`
	Email        string            `json:"email,omitempty"`
	Phone        string            `json:"phone,omitempty"`
	Title        string            `json:"title,omitempty"`
	MessageTypes []string          `json:"messageTypes,omitempty"`
	Pending      string            `json:"pending,omitempty"` // an address waiting for verification
	CreateDate   time.Time         `json:"createDate"`
	MemberLimit  int               `json:"memberLimit"`
	Bound        map[string]string `json:"bound"` // object ID → ModifyDate
}

// Account is an account the mock knows.
type Account struct {
	ID          string `json:"id"`
	Email       string `json:"email,omitempty"`
	Personal    bool   `json:"personal,omitempty"`
	LegalEntity string `json:"legalEntity"`
	Directory   string `json:"directory,omitempty"`
	// Conditions are the profile's facts about the account (see
	// profile.Account); no operation changes them.
	Conditions   []string          `json:"conditions,omitempty"`
	MemberType   string            `json:"memberType,omitempty"`
	DisplayName  string            `json:"displayName,omitempty"`
	Status       string            `json:"status,omitempty"`
	Folder       string            `json:"folder,omitempty"`
	JoinTime     time.Time         `json:"joinTime"`
	Payer        string            `json:"payer,omitempty"`
	EmailChange  string            `json:"emailChange,omitempty"`
	SecureMobile string            `json:"secureMobile,omitempty"`
	Deletion     string            `json:"deletion,omitempty"` // "", checked, deleting
	Tags         map[string]string `json:"tags,omitempty"`
	// Record is the ID of the account's creation (CreateCloudAccount) or
	// promotion (PromoteResourceAccount) record.
	Record string `json:"record,omitempty"`
}

// Caller is an access key and what it has used up.
type Caller struct {
	AccessKeyID    string   `json:"accessKeyId"`
	Secret         string   `json:"-"`
	AccountID      string   `json:"accountId"`
	Conditions     []string `json:"conditions,omitempty"`
	InvalidTargets int      `json:"invalidTargets"`
	InvitesDay     string   `json:"invitesDay"`
	Invites        int      `json:"invites"`
	seedInvites    int
}

// Handshake is an invitation.
type Handshake struct {
	ID                 string    `json:"id"`
	DirectoryID        string    `json:"directoryId"`
	MasterAccountID    string    `json:"masterAccountId"`
	MasterAccountName  string    `json:"masterAccountName"`
	TargetEntity       string    `json:"targetEntity"`
	TargetType         string    `json:"targetType"`
	TargetAccountID    string    `json:"targetAccountId,omitempty"`
	Note               string    `json:"note,omitempty"`
	Status             string    `json:"status"`
	CreateTime         time.Time `json:"createTime"`
	ModifyTime         time.Time `json:"modifyTime"`
	ExpireTime         time.Time `json:"expireTime"`
	ParentFolderID     string    `json:"parentFolderId,omitempty"`
	InvitedBy          string    `json:"invitedBy"`
	CountsAsInvalidTgt bool      `json:"countsAsInvalidTarget,omitempty"`
}

// Member types and statuses the mock uses, from the contract's enums where
// it has them.
const (
	resourceAccount = "ResourceAccount"
	cloudAccount    = "CloudAccount"
	createSuccess   = "CreateSuccess"
	// SetMemberDeletionPermission's Status values (and the settled
	// control-policy statuses). Spelled out rather than taken from the
	// generated enum: its Go name depends on which other operations have a
	// Status parameter (a new one renames it).
	enabled  = "Enabled"
	disabled = "Disabled"
)

// seedEpoch is the creation time of everything the profile seeds.
var seedEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Seed builds the initial state from a profile's mock section.
func Seed(seed *profile.MockSeed) (*State, error) {
	if seed == nil {
		return nil, fmt.Errorf("mock: the profile has no mock section to seed from")
	}
	s := &State{Directories: map[string]*Directory{}, Accounts: map[string]*Account{}, Callers: map[string]*Caller{}, Handshakes: map[string]*Handshake{}}
	for _, a := range seed.Accounts {
		if _, dup := s.Accounts[a.ID]; dup {
			return nil, fmt.Errorf("mock: account %s is seeded twice", a.ID)
		}
		acc := &Account{ID: a.ID, Email: a.Email, Personal: a.Type == "personal", LegalEntity: a.LegalEntity, Directory: a.Directory,
			Conditions: a.Conditions, MemberType: a.MemberType, DisplayName: a.DisplayName, Status: a.Status, Folder: a.Folder,
			EmailChange: a.EmailChange, SecureMobile: a.SecureMobile, Deletion: a.Deletion, JoinTime: seedEpoch, Record: a.Record, Payer: a.Payer}
		if len(a.Tags) > 0 {
			acc.Tags = maps.Clone(a.Tags)
		}
		if acc.MemberType == "" {
			acc.MemberType = resourceAccount
		}
		if acc.Status == "" {
			acc.Status = createSuccess
		}
		if acc.DisplayName == "" {
			acc.DisplayName = "account-" + a.ID
		}
		s.Accounts[a.ID] = acc
	}
	for _, d := range seed.Directories {
		dir := &Directory{ID: d.ID, MasterAccountID: d.MasterAccountID, MasterAccountName: d.MasterAccountName, RootFolderID: d.RootFolderID,
			CreateTime: seedEpoch, Folders: map[string]*Folder{}, Members: set(d.Members), MemberLimit: d.MemberLimit, Contacts: map[string]*Contact{},
			FolderLimit: d.FolderLimit, ContactLimit: d.ContactLimit, ControlPolicy: d.ControlPolicy, MemberDeletion: d.MemberDeletion,
			Policies: map[string]*Policy{}, Delegations: map[string][]string{}}
		if dir.MemberLimit == 0 {
			dir.MemberLimit = 1 << 30
		}
		if dir.ControlPolicy == "" {
			dir.ControlPolicy = disabled
		}
		if dir.MemberDeletion == "" {
			dir.MemberDeletion = enabled
		}
		dir.Folders[d.RootFolderID] = &Folder{ID: d.RootFolderID, Name: "root", CreateTime: seedEpoch}
		for _, f := range d.Folders {
			parent := f.Parent
			if parent == "" {
				parent = d.RootFolderID
			}
			name := f.Name
			if name == "" {
				name = f.ID
			}
			dir.Folders[f.ID] = &Folder{ID: f.ID, Name: name, Parent: parent, CreateTime: seedEpoch}
		}
		for _, f := range d.Folders {
			if dir.Folders[dir.Folders[f.ID].Parent] == nil {
				return nil, fmt.Errorf("mock: folder %s of directory %s: parent %s is not a folder of the directory", f.ID, d.ID, f.Parent)
			}
		}
		dir.Members[d.MasterAccountID] = true
		for m := range dir.Members {
			a := s.Accounts[m]
			if a == nil {
				a = &Account{ID: m, LegalEntity: seed.Limits.LegalEntity, MemberType: resourceAccount, Status: createSuccess, DisplayName: "account-" + m, JoinTime: seedEpoch}
				s.Accounts[m] = a
			}
			a.Directory = d.ID
			if a.Folder == "" || dir.Folders[a.Folder] == nil {
				a.Folder = d.RootFolderID
			}
		}
		for _, c := range d.Contacts {
			limit := c.MemberLimit
			if limit == 0 {
				limit = seed.Limits.ContactMembers
			}
			bound := map[string]string{}
			for _, b := range c.Bound {
				bound[b] = ""
			}
			name := c.Name
			if name == "" {
				name = c.ID
			}
			dir.Contacts[c.ID] = &Contact{ID: c.ID, Status: c.Status, Name: name, Email: c.Email, Phone: c.Phone, Pending: c.Pending,
				Title: "TechnicalDirector", MessageTypes: []string{"AccountExpenses"}, CreateDate: seedEpoch, MemberLimit: limit, Bound: bound}
		}
		for _, p := range d.Policies {
			typ := p.Type
			if typ == "" {
				typ = "Custom"
			}
			pol := &Policy{ID: p.ID, Name: p.Name, Type: typ, Document: p.Document, EffectScope: "RAM", CreateDate: seedEpoch, UpdateDate: seedEpoch, Attached: map[string]string{}}
			for _, t := range p.Attached {
				pol.Attached[t] = ""
			}
			dir.Policies[p.ID] = pol
		}
		for _, g := range d.Delegations {
			dir.Delegations[g.Service] = append(dir.Delegations[g.Service], g.Account)
		}
		s.Directories[d.ID] = dir
		for _, target := range d.PendingHandshakes {
			id := profile.PendingHandshakeID(target)
			s.Handshakes[id] = &Handshake{ID: id, DirectoryID: d.ID, TargetEntity: target, TargetType: string(rdm.TargetTypeAccount), TargetAccountID: target, Status: string(rdm.HandshakeStatusPending),
				MasterAccountID: d.MasterAccountID, MasterAccountName: d.MasterAccountName, CreateTime: seedEpoch, ModifyTime: seedEpoch, ExpireTime: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
		}
	}
	for _, h := range seed.Handshakes {
		if _, dup := s.Handshakes[h.ID]; dup {
			return nil, fmt.Errorf("mock: handshake %s is seeded twice", h.ID)
		}
		status := h.Status
		if status == "" {
			status = string(rdm.HandshakeStatusPending)
		}
		hs := &Handshake{ID: h.ID, DirectoryID: h.Directory, TargetEntity: h.Target, TargetType: string(rdm.TargetTypeAccount), TargetAccountID: h.Target, Status: status,
			CreateTime: seedEpoch, ModifyTime: seedEpoch, ExpireTime: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
		if d := s.Directories[h.Directory]; d != nil {
			hs.MasterAccountID, hs.MasterAccountName = d.MasterAccountID, d.MasterAccountName
		}
		s.Handshakes[h.ID] = hs
	}
	for _, c := range seed.Callers {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, fmt.Errorf("mock: a caller needs an access-key-id and an access-key-secret")
		}
		s.Callers[c.AccessKeyID] = &Caller{AccessKeyID: c.AccessKeyID, Secret: c.AccessKeySecret, AccountID: c.AccountID, Conditions: c.Conditions,
			InvalidTargets: c.InvalidTargetsInvited, seedInvites: c.InvitationsToday}
	}
	if err := seedResourceManager(s, seed); err != nil {
		return nil, err
	}
	if err := seedRAM(s, seed); err != nil {
		return nil, err
	}
	seedTransfer(s, seed)
	return s, nil
}

func set(list []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range list {
		m[x] = true
	}
	return m
}

// directoryOf returns the directory a caller manages, or nil.
func (s *State) directoryOf(c *Caller) *Directory {
	for _, d := range s.Directories {
		if d.MasterAccountID == c.AccountID {
			return d
		}
	}
	return nil
}

// accountFor resolves an invitation target.
func (s *State) accountFor(targetType, entity string) *Account {
	if targetType == string(rdm.TargetTypeAccount) {
		return s.Accounts[entity]
	}
	for _, a := range s.Accounts {
		if a.Email != "" && a.Email == entity {
			return a
		}
	}
	return nil
}

// copyState is a deep copy (through JSON, the form the journal keeps);
// callers keep their secrets and seeded counts.
func copyState(s *State) (*State, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	out := &State{}
	if err := json.Unmarshal(data, out); err != nil {
		return nil, err
	}
	for id, c := range s.Callers {
		if oc := out.Callers[id]; oc != nil {
			oc.Secret, oc.seedInvites = c.Secret, c.seedInvites
		}
	}
	return out, nil
}
