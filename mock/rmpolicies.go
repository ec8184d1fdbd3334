package mock

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/profile"
)

// RAM policies, attachments and roles of ResourceManager 2020-03-31
// (rmram.go holds the state). Names are unique per account regardless of
// case, as RAM's are. A policy document or trust policy is well formed when
// it is a JSON object with a Version and a Statement list; the metadata
// states the code (MalformedPolicyDocument) without the grammar, so the
// check is our reading. A principal is not looked up (the mock models no
// RAM users or groups): any name may be granted a policy. Attaching twice
// is idempotent and detaching what is not attached changes nothing — no
// code is documented for either. A service-linked role is deleted at once;
// its deletion task then reads SUCCEEDED.

// wellFormedDocument reports whether doc reads as a policy document.
func wellFormedDocument(doc string) bool {
	var d struct {
		Version   string
		Statement []json.RawMessage
	}
	return json.Unmarshal([]byte(doc), &d) == nil && d.Version != "" && len(d.Statement) > 0
}

// policy finds a policy the caller's account sees.
func (m rmModel) policy(c *Caller, typ, name string) *RAMPolicy {
	return m.b.state.RAMPolicies[policyKey(c.AccountID, typ, name)]
}

// customPolicy finds the caller's custom policy or answers EntityNotExist.Policy.
func (m rmModel) customPolicy(c *Caller, action, name string) (*RAMPolicy, error) {
	p := m.policy(c, policyCustom, name)
	if p == nil {
		return nil, m.fail(action, rm.CodeEntityNotExistPolicy)
	}
	return p, nil
}

func policyView(p *RAMPolicy, attachments int, document bool) map[string]any {
	v := map[string]any{"CreateDate": iso(p.CreateTime), "DefaultVersion": p.DefaultVersion, "Description": p.Description, "PolicyName": p.Name,
		"PolicyType": p.Type, "UpdateDate": iso(p.UpdateTime), "AttachmentCount": attachments}
	if document {
		v["PolicyDocument"] = p.Versions[p.DefaultVersion].Document
	}
	return v
}

func versionView(p *RAMPolicy, v *PolicyVersion, document bool) map[string]any {
	out := map[string]any{"CreateDate": iso(v.CreateTime), "IsDefaultVersion": v.ID == p.DefaultVersion, "VersionId": v.ID}
	if document {
		out["PolicyDocument"] = v.Document
	}
	return out
}

// attachmentsOf counts the attachments of a policy.
func (m rmModel) attachmentsOf(c *Caller, typ, name string) []*PolicyAttachment {
	var out []*PolicyAttachment
	for _, a := range m.b.state.Attachments {
		if a.Account == c.AccountID && a.PolicyType == typ && strings.EqualFold(a.PolicyName, name) {
			out = append(out, a)
		}
	}
	return out
}

func (m rmModel) createPolicy(c *Caller, now time.Time, r *rm.CreatePolicyRequest, out any) error {
	switch {
	case !wellFormedDocument(r.PolicyDocument):
		return m.fail(r.Action(), rm.CodeMalformedPolicyDocument)
	case m.policy(c, policyCustom, r.PolicyName) != nil || m.policy(c, policySystem, r.PolicyName) != nil:
		return m.fail(r.Action(), rm.CodeEntityAlreadyExistsPolicy)
	}
	if limit := m.b.seed.Limits.Policies; limit > 0 {
		n := 0
		for _, p := range m.b.state.RAMPolicies {
			if p.Account == c.AccountID {
				n++
			}
		}
		if n >= limit {
			return m.fail(r.Action(), rm.CodeLimitExceededPolicy)
		}
	}
	p := &RAMPolicy{Account: c.AccountID, Name: r.PolicyName, Type: policyCustom, Description: r.Description, DefaultVersion: "v1",
		Versions: map[string]*PolicyVersion{"v1": {ID: "v1", Document: r.PolicyDocument, CreateTime: now}}, NextVersion: 2, CreateTime: now, UpdateTime: now}
	if err := m.b.save(now, putRAMPolicy(p)); err != nil {
		return err
	}
	return fill(out, map[string]any{"Policy": policyView(p, 0, false)})
}

func (m rmModel) getPolicy(c *Caller, r *rm.GetPolicyRequest, out any) error {
	p := m.policy(c, string(r.PolicyType), r.PolicyName)
	if p == nil {
		return m.fail(r.Action(), rm.CodeEntityNotExistPolicy)
	}
	return fill(out, map[string]any{"Policy": policyView(p, len(m.attachmentsOf(c, p.Type, p.Name)), true)})
}

func (m rmModel) listPolicies(c *Caller, r *rm.ListPoliciesRequest, out any) error {
	var list []*RAMPolicy
	for _, p := range m.b.state.RAMPolicies {
		if (p.Account == "" || p.Account == c.AccountID) && (r.PolicyType == "" || r.PolicyType == p.Type) {
			list = append(list, p)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Type != list[j].Type {
			return list[i].Type > list[j].Type // System first
		}
		return list[i].Name < list[j].Name
	})
	var all []any
	for _, p := range list {
		all = append(all, policyView(p, len(m.attachmentsOf(c, p.Type, p.Name)), false))
	}
	number, size := pageOf(m.api, r.Action(), r.PageNumber, r.PageSize)
	from, to := pageBounds(len(all), number, size)
	return fill(out, map[string]any{"PageNumber": number, "PageSize": size, "TotalCount": len(all), "Policies": map[string]any{"Policy": append([]any{}, all[from:to]...)}})
}

func (m rmModel) deletePolicy(c *Caller, now time.Time, r *rm.DeletePolicyRequest, out any) error {
	p, err := m.customPolicy(c, r.Action(), r.PolicyName)
	if err != nil {
		return err
	}
	for _, a := range m.attachmentsOf(c, p.Type, p.Name) {
		switch a.PrincipalType {
		case principalUser:
			return m.fail(r.Action(), rm.CodeDeleteConflictPolicyUser)
		case principalGroup:
			return m.fail(r.Action(), rm.CodeDeleteConflictPolicyGroup)
		}
	}
	if len(p.Versions) > 1 {
		return m.fail(r.Action(), rm.CodeDeleteConflictPolicyVersion)
	}
	puts := []Put{{Kind: "rampolicy", ID: policyKey(p.Account, p.Type, p.Name), Delete: true}}
	for _, a := range m.attachmentsOf(c, p.Type, p.Name) {
		puts = append(puts, Put{Kind: "attachment", ID: a.key(), Delete: true})
	}
	return m.b.save(now, puts...)
}

func (m rmModel) createPolicyVersion(c *Caller, now time.Time, r *rm.CreatePolicyVersionRequest, out any) error {
	p, err := m.customPolicy(c, r.Action(), r.PolicyName)
	if err != nil {
		return err
	}
	// CreatePolicyVersion documents no code for a malformed document (its
	// lengths are checked by the rules): the version is kept as given.
	if limit := m.b.seed.Limits.PolicyVersions; limit > 0 && len(p.Versions) >= limit {
		return m.fail(r.Action(), rm.CodeLimitExceededPolicyVersion)
	}
	v := p.copy()
	ver := &PolicyVersion{ID: "v" + strconv.Itoa(v.NextVersion), Document: r.PolicyDocument, CreateTime: now}
	v.Versions[ver.ID] = ver
	v.NextVersion++
	v.UpdateTime = now
	if r.SetAsDefault != nil && *r.SetAsDefault {
		v.DefaultVersion = ver.ID
	}
	if err := m.b.save(now, putRAMPolicy(v)); err != nil {
		return err
	}
	return fill(out, map[string]any{"PolicyVersion": versionView(v, ver, false)})
}

// version finds one version of a policy.
func (m rmModel) version(c *Caller, action, typ, name, id string) (*RAMPolicy, *PolicyVersion, error) {
	p := m.policy(c, typ, name)
	if p == nil {
		return nil, nil, m.fail(action, rm.CodeEntityNotExistPolicy)
	}
	v := p.Versions[id]
	if v == nil {
		return nil, nil, m.fail(action, rm.CodeEntityNotExistPolicyVersion)
	}
	return p, v, nil
}

func (m rmModel) getPolicyVersion(c *Caller, r *rm.GetPolicyVersionRequest, out any) error {
	p, v, err := m.version(c, r.Action(), string(r.PolicyType), r.PolicyName, r.VersionId)
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"PolicyVersion": versionView(p, v, true)})
}

func (m rmModel) listPolicyVersions(c *Caller, r *rm.ListPolicyVersionsRequest, out any) error {
	p := m.policy(c, string(r.PolicyType), r.PolicyName)
	if p == nil {
		return m.fail(r.Action(), rm.CodeEntityNotExistPolicy)
	}
	ids := slices.SortedFunc(maps.Keys(p.Versions), func(a, b string) int {
		x, _ := strconv.Atoi(strings.TrimPrefix(a, "v"))
		y, _ := strconv.Atoi(strings.TrimPrefix(b, "v"))
		return x - y
	})
	var all []any
	for _, id := range ids {
		all = append(all, versionView(p, p.Versions[id], true))
	}
	return fill(out, map[string]any{"PolicyVersions": map[string]any{"PolicyVersion": append([]any{}, all...)}})
}

func (m rmModel) deletePolicyVersion(c *Caller, now time.Time, r *rm.DeletePolicyVersionRequest, out any) error {
	p, v, err := m.version(c, r.Action(), policyCustom, r.PolicyName, r.VersionId)
	if err != nil {
		return err
	}
	if v.ID == p.DefaultVersion {
		return m.fail(r.Action(), rm.CodeDeleteConflictPolicyVersionDefault)
	}
	cp := p.copy()
	delete(cp.Versions, v.ID)
	cp.UpdateTime = now
	return m.b.save(now, putRAMPolicy(cp))
}

func (m rmModel) setDefaultPolicyVersion(c *Caller, now time.Time, r *rm.SetDefaultPolicyVersionRequest, out any) error {
	p, v, err := m.version(c, r.Action(), policyCustom, r.PolicyName, r.VersionId)
	if err != nil {
		return err
	}
	cp := p.copy()
	cp.DefaultVersion, cp.UpdateTime = v.ID, now
	return m.b.save(now, putRAMPolicy(cp))
}

// scope checks an attachment's scope: one of the caller's resource groups
// in status OK, or the caller's account.
func (m rmModel) scope(c *Caller, action, id string) error {
	if id == c.AccountID {
		return nil
	}
	g := m.b.state.ResourceGroups[id]
	switch {
	case g == nil || g.Account != c.AccountID:
		return m.fail(action, rm.CodeEntityNotExistsResourceGroup)
	case g.Status != groupOK:
		return m.fail(action, rm.CodeInvalidResourceGroupStatus)
	}
	return nil
}

func (m rmModel) attachPolicy(c *Caller, now time.Time, action, scope, typ, name, principalType, principal string, attach bool) error {
	if err := m.scope(c, action, scope); err != nil {
		return err
	}
	p := m.policy(c, typ, name)
	if p == nil {
		return m.fail(action, rm.CodeEntityNotExistPolicy)
	}
	a := &PolicyAttachment{Account: c.AccountID, Scope: scope, PolicyType: p.Type, PolicyName: p.Name, PrincipalType: principalType, PrincipalName: principal, AttachTime: now}
	cur := m.b.state.Attachments[a.key()]
	switch {
	case attach && cur == nil:
		return m.b.save(now, putAttachment(a))
	case !attach && cur != nil:
		return m.b.save(now, Put{Kind: "attachment", ID: a.key(), Delete: true})
	}
	return nil
}

func (m rmModel) listPolicyAttachments(c *Caller, r *rm.ListPolicyAttachmentsRequest, out any) error {
	if r.ResourceGroupId != "" && r.ResourceGroupId != c.AccountID {
		if g := m.b.state.ResourceGroups[r.ResourceGroupId]; g == nil || g.Account != c.AccountID {
			return m.fail(r.Action(), rm.CodeEntityNotExistsResourceGroup)
		}
	}
	if r.PolicyName != "" && r.PolicyType != "" && m.policy(c, r.PolicyType, r.PolicyName) == nil {
		return m.fail(r.Action(), rm.CodeEntityNotExistPolicy)
	}
	var list []*PolicyAttachment
	for _, a := range m.b.state.Attachments {
		switch {
		case a.Account != c.AccountID,
			r.ResourceGroupId != "" && a.Scope != r.ResourceGroupId,
			r.PolicyType != "" && a.PolicyType != r.PolicyType,
			r.PolicyName != "" && !strings.EqualFold(a.PolicyName, r.PolicyName),
			r.PrincipalType != "" && a.PrincipalType != r.PrincipalType,
			r.PrincipalName != "" && a.PrincipalName != r.PrincipalName:
			continue
		}
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].key() < list[j].key() })
	var all []any
	for _, a := range list {
		desc := ""
		if p := m.policy(c, a.PolicyType, a.PolicyName); p != nil {
			desc = p.Description
		}
		all = append(all, map[string]any{"AttachDate": iso(a.AttachTime), "Description": desc, "PolicyName": a.PolicyName, "PolicyType": a.PolicyType,
			"PrincipalName": a.PrincipalName, "PrincipalType": a.PrincipalType, "ResourceGroupId": a.Scope})
	}
	number, size := pageOf(m.api, r.Action(), r.PageNumber, r.PageSize)
	from, to := pageBounds(len(all), number, size)
	return fill(out, map[string]any{"PageNumber": number, "PageSize": size, "TotalCount": len(all),
		"PolicyAttachments": map[string]any{"PolicyAttachment": append([]any{}, all[from:to]...)}})
}

func roleView(r *Role, latest *DeletionTask) map[string]any {
	v := map[string]any{"Arn": roleArn(r), "AssumeRolePolicyDocument": r.Document, "CreateDate": iso(r.CreateTime), "Description": r.Description,
		"MaxSessionDuration": r.MaxSession, "RoleId": r.ID, "RoleName": r.Name, "RolePrincipalName": rolePrincipal(r), "UpdateDate": iso(r.UpdateTime),
		"IsServiceLinkedRole": r.Service != ""}
	if latest != nil {
		v["LatestDeletionTask"] = map[string]any{"CreateDate": iso(latest.CreateTime), "DeletionTaskId": latest.ID}
	}
	return v
}

// role finds the caller's role or answers EntityNotExist.Role.
func (m rmModel) role(c *Caller, action, name string) (*Role, error) {
	r := m.b.state.Roles[roleKey(c.AccountID, name)]
	if r == nil {
		return nil, m.fail(action, rm.CodeEntityNotExistRole)
	}
	return r, nil
}

func (m rmModel) roleCount(c *Caller) int {
	n := 0
	for _, r := range m.b.state.Roles {
		if r.Account == c.AccountID {
			n++
		}
	}
	return n
}

// newRole makes a role of the caller's account after the checks every
// creation shares (the name free, the limit not reached).
func (m rmModel) newRole(c *Caller, now time.Time, action, name, description, document string, session int64, service string) (*Role, error) {
	if m.b.state.Roles[roleKey(c.AccountID, name)] != nil {
		return nil, m.fail(action, rm.CodeEntityAlreadyExistsRole)
	}
	if limit := m.b.seed.Limits.Roles; limit > 0 && m.roleCount(c) >= limit {
		return nil, m.fail(action, rm.CodeLimitExceededRole)
	}
	if session == 0 {
		session = 3600
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(m.b.newID("role-") + c.AccountID + name))
	id := fmt.Sprintf("3%015d", h.Sum64()%1_000_000_000_000_000)
	r := &Role{Account: c.AccountID, Name: name, ID: id, Description: description, Document: document,
		MaxSession: session, Service: service, CreateTime: now, UpdateTime: now}
	return r, m.b.save(now, putRole(r))
}

func (m rmModel) createRole(c *Caller, now time.Time, r *rm.CreateRoleRequest, out any) error {
	if !wellFormedDocument(r.AssumeRolePolicyDocument) {
		return m.fail(r.Action(), rm.CodeMalformedPolicyDocument)
	}
	var session int64
	if r.MaxSessionDuration != nil {
		session = *r.MaxSessionDuration
	}
	role, err := m.newRole(c, now, r.Action(), r.RoleName, r.Description, r.AssumeRolePolicyDocument, session, "")
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"Role": roleView(role, nil)})
}

func (m rmModel) getRole(c *Caller, r *rm.GetRoleRequest, out any) error {
	role, err := m.role(c, r.Action(), r.RoleName)
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"Role": roleView(role, nil)})
}

func (m rmModel) updateRole(c *Caller, now time.Time, r *rm.UpdateRoleRequest, out any) error {
	role, err := m.role(c, r.Action(), r.RoleName)
	if err != nil {
		return err
	}
	v := *role
	if r.NewAssumeRolePolicyDocument != "" {
		if !wellFormedDocument(r.NewAssumeRolePolicyDocument) {
			return m.fail(r.Action(), rm.CodeMalformedPolicyDocument)
		}
		v.Document = r.NewAssumeRolePolicyDocument
	}
	if r.NewMaxSessionDuration != nil {
		v.MaxSession = *r.NewMaxSessionDuration
	}
	if r.NewDescription != "" {
		v.Description = r.NewDescription
	}
	v.UpdateTime = now
	if err := m.b.save(now, putRole(&v)); err != nil {
		return err
	}
	return fill(out, map[string]any{"Role": roleView(&v, nil)})
}

// roleAttachments are the policies granted to the role.
func (m rmModel) roleAttachments(c *Caller, role *Role) []*PolicyAttachment {
	var out []*PolicyAttachment
	for _, a := range m.b.state.Attachments {
		if a.Account == c.AccountID && a.PrincipalType == principalRole && (a.PrincipalName == rolePrincipal(role) || strings.EqualFold(a.PrincipalName, role.Name)) {
			out = append(out, a)
		}
	}
	return out
}

func (m rmModel) deleteRole(c *Caller, now time.Time, r *rm.DeleteRoleRequest, out any) error {
	role, err := m.role(c, r.Action(), r.RoleName)
	if err != nil {
		return err
	}
	if len(m.roleAttachments(c, role)) > 0 {
		return m.fail(r.Action(), rm.CodeDeleteConflictRolePolicy)
	}
	return m.b.save(now, Put{Kind: "role", ID: roleKey(role.Account, role.Name), Delete: true})
}

func (m rmModel) listRoles(c *Caller, r *rm.ListRolesRequest, out any) error {
	var list []*Role
	for _, role := range m.b.state.Roles {
		if role.Account == c.AccountID {
			list = append(list, role)
		}
	}
	sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].Name) < strings.ToLower(list[j].Name) })
	var all []any
	for _, role := range list {
		all = append(all, roleView(role, nil))
	}
	number, size := pageOf(m.api, r.Action(), r.PageNumber, r.PageSize)
	from, to := pageBounds(len(all), number, size)
	return fill(out, map[string]any{"PageNumber": number, "PageSize": size, "TotalCount": len(all), "Roles": map[string]any{"Role": append([]any{}, all[from:to]...)}})
}

func (m rmModel) createServiceLinkedRole(c *Caller, now time.Time, r *rm.CreateServiceLinkedRoleRequest, out any) error {
	i := slices.IndexFunc(m.b.seed.ServiceLinkedServices, func(s profile.ServiceLinkedRoleSeed) bool { return s.Service == r.ServiceName })
	if i < 0 {
		return m.fail(r.Action(), rm.CodeEntityNotExistService)
	}
	svc := m.b.seed.ServiceLinkedServices[i]
	switch {
	case r.CustomSuffix != "" && !svc.Suffix:
		return m.fail(r.Action(), rm.CodeInvalidParameterCustomSuffixNotAllowed)
	case r.Description != "" && !svc.Description:
		return m.fail(r.Action(), rm.CodeInvalidParameterDescriptionNotAllowed)
	}
	name := svc.Role
	if r.CustomSuffix != "" {
		name += "_" + r.CustomSuffix
	}
	doc := `{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["` + svc.Service + `"]}}],"Version":"1"}`
	role, err := m.newRole(c, now, r.Action(), name, r.Description, doc, 3600, svc.Service)
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"Role": roleView(role, nil)})
}

func (m rmModel) deleteServiceLinkedRole(c *Caller, now time.Time, r *rm.DeleteServiceLinkedRoleRequest, out any) error {
	role, err := m.role(c, r.Action(), r.RoleName)
	if err != nil {
		return err
	}
	if role.Service == "" {
		return m.fail(r.Action(), rm.CodeEntityNotExistServiceLinkedRole)
	}
	t := &DeletionTask{ID: "task/acs-service-role/" + role.Service + "/" + role.Name + "/" + m.b.newID(""), Account: c.AccountID, Role: role.Name,
		Status: deletionSucceeded, CreateTime: now}
	if err := m.b.save(now, Put{Kind: "role", ID: roleKey(role.Account, role.Name), Delete: true}, putTask(t)); err != nil {
		return err
	}
	return fill(out, map[string]any{"DeletionTaskId": t.ID})
}

func (m rmModel) getDeletionStatus(c *Caller, r *rm.GetServiceLinkedRoleDeletionStatusRequest, out any) error {
	t := m.b.state.DeletionTasks[r.DeletionTaskId]
	if t == nil || t.Account != c.AccountID {
		return m.fail(r.Action(), rm.CodeEntityNotExistServiceLinkedRoleDeletionTask)
	}
	return fill(out, map[string]any{"Status": t.Status})
}
