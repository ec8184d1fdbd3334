package mock

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/acsconform/acsconform/profile"
)

// ResourceManager 2020-03-31 also manages RAM entities scoped to an
// account: custom policies with their versions, the system policies every
// account sees, their attachments to principals over a resource group or
// the whole account, and roles, service-linked roles among them, whose
// deletion is a task with a status.

// RAMPolicy is a RAM policy: a system one (Account "") or a custom policy
// of an account.
type RAMPolicy struct {
	Account        string                    `json:"account,omitempty"`
	Name           string                    `json:"name"`
	Type           string                    `json:"type"` // System or Custom
	Description    string                    `json:"description,omitempty"`
	DefaultVersion string                    `json:"defaultVersion"`
	Versions       map[string]*PolicyVersion `json:"versions"`
	NextVersion    int                       `json:"nextVersion"`
	CreateTime     time.Time                 `json:"createTime"`
	UpdateTime     time.Time                 `json:"updateTime"`
}

// PolicyVersion is one version of a policy's document.
type PolicyVersion struct {
	ID         string    `json:"id"`
	Document   string    `json:"document"`
	CreateTime time.Time `json:"createTime"`
}

// PolicyAttachment grants a policy to a principal over a resource group
// (Scope a group ID) or the whole account (Scope the account ID).
type PolicyAttachment struct {
	Account       string    `json:"account"`
	Scope         string    `json:"scope"`
	PolicyType    string    `json:"policyType"`
	PolicyName    string    `json:"policyName"`
	PrincipalType string    `json:"principalType"`
	PrincipalName string    `json:"principalName"`
	AttachTime    time.Time `json:"attachTime"`
}

// Role is a RAM role of an account.
type Role struct {
	Account     string    `json:"account"`
	Name        string    `json:"name"`
	ID          string    `json:"id"`
	Description string    `json:"description,omitempty"`
	Document    string    `json:"document"`
	MaxSession  int64     `json:"maxSession"`
	Service     string    `json:"service,omitempty"` // a service-linked role's service
	CreateTime  time.Time `json:"createTime"`
	UpdateTime  time.Time `json:"updateTime"`
}

// DeletionTask is the deletion of a service-linked role.
type DeletionTask struct {
	ID         string    `json:"id"`
	Account    string    `json:"account"`
	Role       string    `json:"role"`
	Status     string    `json:"status"`
	CreateTime time.Time `json:"createTime"`
}

// RAM policy types, principal types and task statuses the metadata names.
const (
	policySystem      = "System"
	policyCustom      = "Custom"
	principalUser     = "IMSUser"
	principalGroup    = "IMSGroup"
	principalRole     = "ServiceRole"
	deletionSucceeded = "SUCCEEDED"
)

func policyKey(account, typ, name string) string {
	if typ == policySystem {
		account = ""
	}
	return account + "/" + typ + "/" + strings.ToLower(name)
}

func (a *PolicyAttachment) key() string {
	return strings.Join([]string{a.Account, a.Scope, a.PolicyType, strings.ToLower(a.PolicyName), a.PrincipalType, a.PrincipalName}, "/")
}

func roleKey(account, name string) string { return account + "/" + strings.ToLower(name) }

// roleArn and rolePrincipal are a role's names as RAM shows them.
func roleArn(r *Role) string { return "acs:ram::" + r.Account + ":role/" + strings.ToLower(r.Name) }
func rolePrincipal(r *Role) string {
	return r.Name + "@role." + r.Account + ".onaliyunservice.com"
}

// trustDocument is the trust policy of a role seeded without one: the
// account itself may assume it.
func trustDocument(account string) string {
	return `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"RAM":["acs:ram::` + account + `:root"]}}],"Version":"1"}`
}

// seedRAM adds the profile's system policies and roles.
func seedRAM(s *State, seed *profile.MockSeed) error {
	s.RAMPolicies, s.Attachments, s.Roles, s.DeletionTasks = map[string]*RAMPolicy{}, map[string]*PolicyAttachment{}, map[string]*Role{}, map[string]*DeletionTask{}
	for _, p := range seed.SystemPolicies {
		if p.Name == "" {
			return fmt.Errorf("mock: a system policy needs a name")
		}
		doc := p.Document
		if doc == "" {
			doc = `{"Statement":[{"Action":"*","Effect":"Allow","Resource":"*"}],"Version":"1"}`
		}
		s.RAMPolicies[policyKey("", policySystem, p.Name)] = &RAMPolicy{Name: p.Name, Type: policySystem, Description: p.Description, DefaultVersion: "v1",
			Versions: map[string]*PolicyVersion{"v1": {ID: "v1", Document: doc, CreateTime: seedEpoch}}, NextVersion: 2, CreateTime: seedEpoch, UpdateTime: seedEpoch}
	}
	for i, r := range seed.Roles {
		if r.Account == "" || r.Name == "" {
			return fmt.Errorf("mock: a role needs its account and name")
		}
		doc := r.Document
		if doc == "" {
			doc = trustDocument(r.Account)
		}
		s.Roles[roleKey(r.Account, r.Name)] = &Role{Account: r.Account, Name: r.Name, ID: fmt.Sprintf("3%015d", i+1), Description: r.Description, Document: doc,
			MaxSession: 3600, Service: r.Service, CreateTime: seedEpoch, UpdateTime: seedEpoch}
	}
	for _, p := range seed.CustomPolicies {
		if p.Account == "" || p.Name == "" {
			return fmt.Errorf("mock: a custom policy needs its account and name")
		}
		n := max(p.Versions, 1)
		pol := &RAMPolicy{Account: p.Account, Name: p.Name, Type: policyCustom, Description: p.Description, DefaultVersion: p.Default,
			Versions: map[string]*PolicyVersion{}, NextVersion: n + 1, CreateTime: seedEpoch, UpdateTime: seedEpoch}
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("v%d", i)
			pol.Versions[id] = &PolicyVersion{ID: id, Document: `{"Statement":[{"Action":"oss:GetObject","Effect":"Allow","Resource":"*"}],"Version":"1"}`, CreateTime: seedEpoch}
		}
		if pol.DefaultVersion == "" {
			pol.DefaultVersion = "v1"
		}
		if pol.Versions[pol.DefaultVersion] == nil {
			return fmt.Errorf("mock: custom policy %s: default version %s is not one of its %d", p.Name, p.Default, n)
		}
		s.RAMPolicies[policyKey(p.Account, policyCustom, p.Name)] = pol
	}
	for _, a := range seed.PolicyAttachments {
		att := &PolicyAttachment{Account: a.Account, Scope: a.Scope, PolicyType: a.PolicyType, PolicyName: a.PolicyName, PrincipalType: a.PrincipalType,
			PrincipalName: a.PrincipalName, AttachTime: seedEpoch}
		if att.PolicyType == "" {
			att.PolicyType = policyCustom
		}
		if s.RAMPolicies[policyKey(att.Account, att.PolicyType, att.PolicyName)] == nil {
			return fmt.Errorf("mock: policy attachment: %s policy %s of account %s is not seeded", att.PolicyType, att.PolicyName, att.Account)
		}
		s.Attachments[att.key()] = att
	}
	for _, t := range seed.DeletionTasks {
		status := t.Status
		if status == "" {
			status = deletionSucceeded
		}
		s.DeletionTasks[t.ID] = &DeletionTask{ID: t.ID, Account: t.Account, Role: t.Role, Status: status, CreateTime: seedEpoch}
	}
	return nil
}

func (p *RAMPolicy) copy() *RAMPolicy {
	v := *p
	v.Versions = maps.Clone(p.Versions)
	return &v
}

func putRAMPolicy(p *RAMPolicy) Put {
	return Put{Kind: "rampolicy", ID: policyKey(p.Account, p.Type, p.Name), RAMPolicy: p}
}
func putAttachment(a *PolicyAttachment) Put {
	return Put{Kind: "attachment", ID: a.key(), Attachment: a}
}
func putRole(r *Role) Put         { return Put{Kind: "role", ID: roleKey(r.Account, r.Name), Role: r} }
func putTask(t *DeletionTask) Put { return Put{Kind: "deletiontask", ID: t.ID, DeletionTask: t} }

// putRAM applies a write to the RAM entities; ok is false for another kind.
func (s *State) putRAM(p Put) (ok bool, err error) {
	switch p.Kind {
	case "rampolicy":
		return true, putInto(&s.RAMPolicies, p.ID, p.Delete, p.RAMPolicy)
	case "attachment":
		return true, putInto(&s.Attachments, p.ID, p.Delete, p.Attachment)
	case "role":
		return true, putInto(&s.Roles, p.ID, p.Delete, p.Role)
	case "deletiontask":
		return true, putInto(&s.DeletionTasks, p.ID, p.Delete, p.DeletionTask)
	case "transfer":
		return true, putInto(&s.TransferSettings, p.ID, p.Delete, p.Transfer)
	}
	return false, nil
}

// putInto writes (a copy of) v at id, or deletes id.
func putInto[V any](m *map[string]*V, id string, del bool, v *V) error {
	if *m == nil {
		*m = map[string]*V{}
	}
	switch {
	case del:
		delete(*m, id)
	case v != nil:
		c := *v
		(*m)[id] = &c
	default:
		return fmt.Errorf("put %s: no value", id)
	}
	return nil
}
