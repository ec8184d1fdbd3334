package mock

import (
	"fmt"
	"maps"
	"sort"
	"time"

	"github.com/acsconform/acsconform/profile"
)

// ResourceManager 2020-03-31 has families of its own beside the directory
// it shares with 2022-04-19: resource groups of an account and the cloud
// resources they hold. They live in the same State (and the same journal)
// as the directory, keyed by the account that owns them.

// ResourceGroup is one resource group of an account.
type ResourceGroup struct {
	ID          string            `json:"id"`
	Account     string            `json:"account"`
	Name        string            `json:"name"`
	DisplayName string            `json:"displayName"`
	Status      string            `json:"status"`
	Default     bool              `json:"default,omitempty"`
	CreateTime  time.Time         `json:"createTime"`
	Tags        map[string]string `json:"tags,omitempty"`
}

// Resource is a cloud resource of another product in a resource group.
type Resource struct {
	ID         string    `json:"id"`
	Service    string    `json:"service"`
	Region     string    `json:"region"`
	Type       string    `json:"type"`
	Group      string    `json:"group"`
	Account    string    `json:"account"`
	CreateTime time.Time `json:"createTime"`
}

// key identifies a resource: the same ID may name resources of two
// services or regions.
func (r *Resource) key() string { return resourceKey(r.Service, r.Region, r.Type, r.ID) }

func resourceKey(service, region, typ, id string) string {
	return service + "/" + region + "/" + typ + "/" + id
}

// Resource-group statuses the metadata names.
const (
	groupOK            = "OK"
	groupCreating      = "Creating"
	groupPendingDelete = "PendingDelete"
)

// defaultGroupID is the ID of an account's default resource group.
func defaultGroupID(account string) string { return "rg-acfmdef" + account }

// seedResourceManager adds the profile's resource groups and resources, and
// a default resource group for every caller's account.
func seedResourceManager(s *State, seed *profile.MockSeed) error {
	s.ResourceGroups, s.Resources = map[string]*ResourceGroup{}, map[string]*Resource{}
	for _, c := range seed.Callers {
		if c.AccountID == "" || s.ResourceGroups[defaultGroupID(c.AccountID)] != nil {
			continue
		}
		id := defaultGroupID(c.AccountID)
		s.ResourceGroups[id] = &ResourceGroup{ID: id, Account: c.AccountID, Name: "default-resource-group", DisplayName: "Default Resource Group",
			Status: groupOK, Default: true, CreateTime: seedEpoch}
	}
	for _, g := range seed.ResourceGroups {
		if g.ID == "" || g.Account == "" {
			return fmt.Errorf("mock: resource group %q: give its id and account", g.ID)
		}
		if s.ResourceGroups[g.ID] != nil {
			return fmt.Errorf("mock: resource group %s is seeded twice", g.ID)
		}
		rg := &ResourceGroup{ID: g.ID, Account: g.Account, Name: g.Name, DisplayName: g.DisplayName, Status: g.Status, CreateTime: seedEpoch}
		if rg.Name == "" {
			rg.Name = g.ID
		}
		if rg.DisplayName == "" {
			rg.DisplayName = rg.Name
		}
		if rg.Status == "" {
			rg.Status = groupOK
		}
		if len(g.Tags) > 0 {
			rg.Tags = maps.Clone(g.Tags)
		}
		s.ResourceGroups[g.ID] = rg
	}
	for _, r := range seed.Resources {
		group, account := r.Group, r.Account
		if group == "" {
			group = defaultGroupID(account)
		}
		rg := s.ResourceGroups[group]
		if rg == nil {
			return fmt.Errorf("mock: resource %s: resource group %q is not seeded (give group, or account for its default group)", r.ID, group)
		}
		res := &Resource{ID: r.ID, Service: r.Service, Region: r.Region, Type: r.Type, Group: group, Account: rg.Account, CreateTime: seedEpoch}
		if res.ID == "" || res.Service == "" || res.Region == "" || res.Type == "" {
			return fmt.Errorf("mock: resource %q: give its id, service, region and type", r.ID)
		}
		if s.Resources[res.key()] != nil {
			return fmt.Errorf("mock: resource %s is seeded twice", res.key())
		}
		s.Resources[res.key()] = res
	}
	return nil
}

// groupsOf lists an account's resource groups, oldest first (then by ID).
func (s *State) groupsOf(account string) []*ResourceGroup {
	var out []*ResourceGroup
	for _, g := range s.ResourceGroups {
		if g.Account == account {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreateTime.Equal(out[j].CreateTime) {
			return out[i].CreateTime.Before(out[j].CreateTime)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// resourcesOf lists an account's resources by key.
func (s *State) resourcesOf(account string) []*Resource {
	var out []*Resource
	for _, r := range s.Resources {
		if r.Account == account {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}

func (g *ResourceGroup) copy() *ResourceGroup {
	v := *g
	v.Tags = clone(g.Tags)
	return &v
}

func putGroup(g *ResourceGroup) Put { return Put{Kind: "resourcegroup", ID: g.ID, ResourceGroup: g} }
func putResource(r *Resource) Put   { return Put{Kind: "resource", ID: r.key(), Resource: r} }

// putRM applies a write to ResourceManager's own state; ok is false for a
// kind that is not one of them.
func (s *State) putRM(p Put) (ok bool, err error) {
	switch p.Kind {
	case "resourcegroup":
		if s.ResourceGroups == nil {
			s.ResourceGroups = map[string]*ResourceGroup{}
		}
		switch {
		case p.Delete:
			delete(s.ResourceGroups, p.ID)
		case p.ResourceGroup != nil:
			v := *p.ResourceGroup
			s.ResourceGroups[p.ID] = &v
		default:
			return true, fmt.Errorf("put resourcegroup %s: no value", p.ID)
		}
	case "resource":
		if s.Resources == nil {
			s.Resources = map[string]*Resource{}
		}
		switch {
		case p.Delete:
			delete(s.Resources, p.ID)
		case p.Resource != nil:
			v := *p.Resource
			s.Resources[p.ID] = &v
		default:
			return true, fmt.Errorf("put resource %s: no value", p.ID)
		}
	default:
		return false, nil
	}
	return true, nil
}
