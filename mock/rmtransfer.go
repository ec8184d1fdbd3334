package mock

import (
	"slices"
	"time"

	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/profile"
)

// Associated resource transfer (ResourceManager 2020-03-31): an account's
// setting, once it exists, is Enable or Disable and holds a rule per kind
// of associated resource the service offers (the profile lists them: no
// page does). While the setting is enabled, a resource an enabled rule
// names as associated moves only with its master, so MoveResources
// refuses to move it alone. An account that never enabled the transfer has
// no setting: listing it is EntityNotExists.AssociatedTransferSetting, and
// disabling or updating it is what the metadata calls a repeat disable and
// an update before the transfer is open. Transfer tasks are not modelled.

// TransferSetting is an account's associated transfer setting.
type TransferSetting struct {
	Account  string         `json:"account"`
	Status   string         `json:"status"`
	Existing bool           `json:"existing,omitempty"`
	Rules    []TransferRule `json:"rules"`
}

// TransferRule is one rule of a setting.
type TransferRule struct {
	MasterService     string `json:"masterService"`
	MasterType        string `json:"masterType"`
	AssociatedService string `json:"associatedService"`
	AssociatedType    string `json:"associatedType"`
	Status            string `json:"status"`
}

const (
	transferEnable  = "Enable"
	transferDisable = "Disable"
)

func (r TransferRule) same(o TransferRule) bool {
	return r.MasterService == o.MasterService && r.MasterType == o.MasterType && r.AssociatedService == o.AssociatedService && r.AssociatedType == o.AssociatedType
}

// offeredRules are the rules a new setting starts with.
func offeredRules(seed *profile.MockSeed) []TransferRule {
	var out []TransferRule
	for _, r := range seed.AssociatedTransferRules {
		status := r.Status
		if status == "" {
			status = transferDisable
		}
		out = append(out, TransferRule{MasterService: r.MasterService, MasterType: r.MasterType, AssociatedService: r.AssociatedService, AssociatedType: r.AssociatedType, Status: status})
	}
	return out
}

func seedTransfer(s *State, seed *profile.MockSeed) {
	s.TransferSettings = map[string]*TransferSetting{}
	for _, t := range seed.AssociatedTransfer {
		status := t.Status
		if status == "" {
			status = transferDisable
		}
		s.TransferSettings[t.Account] = &TransferSetting{Account: t.Account, Status: status, Rules: offeredRules(seed)}
	}
}

func putTransfer(t *TransferSetting) Put {
	return Put{Kind: "transfer", ID: t.Account, Transfer: t}
}

func (t *TransferSetting) copy() *TransferSetting {
	v := *t
	v.Rules = slices.Clone(t.Rules)
	return &v
}

func (m rmModel) enableTransfer(c *Caller, now time.Time, action string, enable bool) error {
	cur := m.b.state.TransferSettings[c.AccountID]
	switch {
	case enable && cur != nil && cur.Status == transferEnable:
		return m.fail(action, rm.CodeUnsupportedOperationRepeatEnableAssociatedTransferSetting)
	case !enable && (cur == nil || cur.Status != transferEnable):
		return m.fail(action, rm.CodeUnsupportedOperationRepeatDisableAssociatedTransferSetting)
	}
	v := &TransferSetting{Account: c.AccountID, Rules: offeredRules(m.b.seed)}
	if cur != nil {
		v = cur.copy()
	}
	v.Status = transferDisable
	if enable {
		v.Status = transferEnable
	}
	return m.b.save(now, putTransfer(v))
}

func (m rmModel) listTransfer(c *Caller, action string, out any) error {
	t := m.b.state.TransferSettings[c.AccountID]
	if t == nil {
		return m.fail(action, rm.CodeEntityNotExistsAssociatedTransferSetting)
	}
	var rules []any
	for _, r := range t.Rules {
		rules = append(rules, map[string]any{"AssociatedResourceType": r.AssociatedType, "AssociatedService": r.AssociatedService,
			"MasterResourceType": r.MasterType, "MasterService": r.MasterService, "Status": r.Status})
	}
	return fill(out, map[string]any{"AssociatedTransferSetting": map[string]any{"AccountId": t.Account, "Status": t.Status,
		"EnableExistingResourcesTransfer": boolText(t.Existing), "RuleSettings": append([]any{}, rules...)}})
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (m rmModel) updateTransfer(c *Caller, now time.Time, r *rm.UpdateAssociatedTransferSettingRequest) error {
	t := m.b.state.TransferSettings[c.AccountID]
	if t == nil || t.Status != transferEnable {
		return m.fail(r.Action(), rm.CodeUnsupportedOperationUpdateAssociatedTransferRuleSetting)
	}
	v := t.copy()
	for _, rs := range r.RuleSettings {
		want := TransferRule{MasterService: rs.MasterService, MasterType: rs.MasterResourceType, AssociatedService: rs.AssociatedService, AssociatedType: rs.AssociatedResourceType}
		i := slices.IndexFunc(v.Rules, want.same)
		if i < 0 {
			return m.fail(r.Action(), rm.CodeEntityNotExistsAssociatedTransferRule)
		}
		if rs.Status != "" {
			v.Rules[i].Status = rs.Status
		}
	}
	if r.EnableExistingResourcesTransfer != "" {
		v.Existing = r.EnableExistingResourcesTransfer == rm.EnableExistingResourcesTransferTrue
	}
	return m.b.save(now, putTransfer(v))
}

// movesWithMaster reports whether res moves only with its master: the
// account's transfer is enabled and an enabled rule names its kind as
// associated.
func (m rmModel) movesWithMaster(res *Resource) bool {
	t := m.b.state.TransferSettings[res.Account]
	if t == nil || t.Status != transferEnable {
		return false
	}
	return slices.ContainsFunc(t.Rules, func(r TransferRule) bool {
		return r.Status == transferEnable && r.AssociatedService == res.Service && r.AssociatedType == res.Type
	})
}
