package mock

import (
	"fmt"
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
}

// Directory is one resource directory.
type Directory struct {
	ID                string              `json:"id"`
	MasterAccountID   string              `json:"masterAccountId"`
	MasterAccountName string              `json:"masterAccountName"`
	RootFolderID      string              `json:"rootFolderId"`
	Folders           map[string]bool     `json:"folders"`
	Members           map[string]bool     `json:"members"`
	MemberLimit       int                 `json:"memberLimit"`
	Contacts          map[string]*Contact `json:"contacts"`
}

// Contains reports whether id is the directory, its root, a folder or a member.
func (d *Directory) Contains(id string) bool {
	return id == d.ID || id == d.RootFolderID || d.Folders[id] || d.Members[id]
}

// Contact is a message contact and the objects it is bound to.
type Contact struct {
	ID          string            `json:"id"`
	Status      string            `json:"status"`
	MemberLimit int               `json:"memberLimit"`
	Bound       map[string]string `json:"bound"` // object ID → ModifyDate
}

// Account is an account the mock knows.
type Account struct {
	ID          string `json:"id"`
	Email       string `json:"email,omitempty"`
	Personal    bool   `json:"personal,omitempty"`
	LegalEntity string `json:"legalEntity"`
	Directory   string `json:"directory,omitempty"`
}

// Caller is an access key and what it has used up.
type Caller struct {
	AccessKeyID    string `json:"accessKeyId"`
	Secret         string `json:"-"`
	AccountID      string `json:"accountId"`
	InvalidTargets int    `json:"invalidTargets"`
	InvitesDay     string `json:"invitesDay"`
	Invites        int    `json:"invites"`
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
		s.Accounts[a.ID] = &Account{ID: a.ID, Email: a.Email, Personal: a.Type == "personal", LegalEntity: a.LegalEntity, Directory: a.Directory}
	}
	for _, d := range seed.Directories {
		dir := &Directory{ID: d.ID, MasterAccountID: d.MasterAccountID, MasterAccountName: d.MasterAccountName, RootFolderID: d.RootFolderID,
			Folders: set(d.Folders), Members: set(d.Members), MemberLimit: d.MemberLimit, Contacts: map[string]*Contact{}}
		if dir.MemberLimit == 0 {
			dir.MemberLimit = 1 << 30
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
			dir.Contacts[c.ID] = &Contact{ID: c.ID, Status: c.Status, MemberLimit: limit, Bound: bound}
		}
		s.Directories[d.ID] = dir
		for _, target := range d.PendingHandshakes {
			id := "h-seed" + target
			s.Handshakes[id] = &Handshake{ID: id, DirectoryID: d.ID, TargetEntity: target, TargetType: string(rdm.TargetTypeAccount), TargetAccountID: target, Status: string(rdm.HandshakeStatusPending),
				MasterAccountID: d.MasterAccountID, MasterAccountName: d.MasterAccountName, ExpireTime: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}
		}
	}
	for _, c := range seed.Callers {
		if c.AccessKeyID == "" || c.AccessKeySecret == "" {
			return nil, fmt.Errorf("mock: a caller needs an access-key-id and an access-key-secret")
		}
		s.Callers[c.AccessKeyID] = &Caller{AccessKeyID: c.AccessKeyID, Secret: c.AccessKeySecret, AccountID: c.AccountID, InvalidTargets: c.InvalidTargetsInvited, seedInvites: c.InvitationsToday}
	}
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
