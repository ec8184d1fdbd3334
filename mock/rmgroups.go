package mock

import (
	"context"
	"encoding/base64"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/spec"
)

// rmModel answers ResourceManager 2020-03-31's own operations from the
// shared state (the operations it shares with 2022-04-19 are forwarded,
// forward.go). Resource groups belong to the caller's account: a group of
// another account is not the caller's to read (NoPermission where the
// operation documents it), nor to change (EntityNotExists.ResourceGroup).
// New groups settle at once: the creation answers Creating, as the
// metadata's sample does, and the group reads OK afterwards. Tags of
// ResourceType=ResourceGroup are kept on the groups; every other resource
// type is the directory's (forwarded).
type rmModel struct {
	b   *Backend
	api *spec.API // ResourceManager's contract
	// dir sends a request to the directory's handler as the caller (the
	// forwarder's direct): an operation built on a directory operation
	// runs it first, then adds its own.
	dir func(ctx context.Context, caller, action, target string, fwd url.Values, out any) error
}

// serve takes the requests of the families rmModel models.
func (m rmModel) serve(ctx context.Context, key string, req, out any) (bool, error) {
	switch r := req.(type) {
	case *rm.DeleteAccountRequest:
		if err := m.deletePrecheck(key, r); err != nil {
			return true, err
		}
		return false, nil
	case *rm.CreateCloudAccountRequest:
		return true, m.createCloudAccount(ctx, key, r, out)
	case *rm.PromoteResourceAccountRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.promote(c, now, r, out) })
	case *rm.CancelCreateCloudAccountRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.record(c, now, r.Action(), r.RecordId, createVerifying, recordCancel, out)
		})
	case *rm.ResendCreateCloudAccountEmailRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.record(c, now, r.Action(), r.RecordId, createVerifying, recordResend, out)
		})
	case *rm.CancelPromoteResourceAccountRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.record(c, now, r.Action(), r.RecordId, promoteVerifying, recordCancel, out)
		})
	case *rm.ResendPromoteResourceAccountEmailRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.record(c, now, r.Action(), r.RecordId, promoteVerifying, recordResend, out)
		})
	case *rm.CreateResourceGroupRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.createGroup(c, now, r, out) })
	case *rm.GetResourceGroupRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.getGroup(c, r, out) })
	case *rm.ListResourceGroupsRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listGroups(c, r, out) })
	case *rm.UpdateResourceGroupRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.updateGroup(c, now, r, out) })
	case *rm.DeleteResourceGroupRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.deleteGroup(c, now, r, out) })
	case *rm.ListResourcesRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listResources(c, r, out) })
	case *rm.MoveResourcesRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.moveResources(c, now, r, out) })
	case *rm.CreatePolicyRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.createPolicy(c, now, r, out) })
	case *rm.GetPolicyRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.getPolicy(c, r, out) })
	case *rm.ListPoliciesRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listPolicies(c, r, out) })
	case *rm.DeletePolicyRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.deletePolicy(c, now, r, out) })
	case *rm.CreatePolicyVersionRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.createPolicyVersion(c, now, r, out) })
	case *rm.GetPolicyVersionRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.getPolicyVersion(c, r, out) })
	case *rm.ListPolicyVersionsRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listPolicyVersions(c, r, out) })
	case *rm.DeletePolicyVersionRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.deletePolicyVersion(c, now, r, out) })
	case *rm.SetDefaultPolicyVersionRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.setDefaultPolicyVersion(c, now, r, out) })
	case *rm.AttachPolicyRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.attachPolicy(c, now, r.Action(), r.ResourceGroupId, string(r.PolicyType), r.PolicyName, string(r.PrincipalType), r.PrincipalName, true)
		})
	case *rm.DetachPolicyRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.attachPolicy(c, now, r.Action(), r.ResourceGroupId, string(r.PolicyType), r.PolicyName, string(r.PrincipalType), r.PrincipalName, false)
		})
	case *rm.ListPolicyAttachmentsRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listPolicyAttachments(c, r, out) })
	case *rm.CreateRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.createRole(c, now, r, out) })
	case *rm.GetRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.getRole(c, r, out) })
	case *rm.UpdateRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.updateRole(c, now, r, out) })
	case *rm.DeleteRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.deleteRole(c, now, r, out) })
	case *rm.ListRolesRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listRoles(c, r, out) })
	case *rm.CreateServiceLinkedRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.createServiceLinkedRole(c, now, r, out) })
	case *rm.DeleteServiceLinkedRoleRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.deleteServiceLinkedRole(c, now, r, out) })
	case *rm.GetServiceLinkedRoleDeletionStatusRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.getDeletionStatus(c, r, out) })
	case *rm.EnableAssociatedTransferRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.enableTransfer(c, now, r.Action(), true) })
	case *rm.DisableAssociatedTransferRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.enableTransfer(c, now, r.Action(), false) })
	case *rm.ListAssociatedTransferSettingRequest:
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listTransfer(c, r.Action(), out) })
	case *rm.UpdateAssociatedTransferSettingRequest:
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error { return m.updateTransfer(c, now, r) })
	case *rm.TagResourcesRequest:
		if !groupTyped(string(r.ResourceType)) {
			return false, nil
		}
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.tagGroups(c, now, r.Action(), r.ResourceId, tagPairs(r.Tag), nil, false)
		})
	case *rm.UntagResourcesRequest:
		if !groupTyped(string(r.ResourceType)) {
			return false, nil
		}
		all := r.All != nil && *r.All
		return true, m.do(key, r.Action(), func(c *Caller, now time.Time) error {
			return m.tagGroups(c, now, r.Action(), r.ResourceId, nil, r.TagKey, all)
		})
	case *rm.ListTagResourcesRequest:
		if !groupTyped(string(r.ResourceType)) {
			return false, nil
		}
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error { return m.listGroupTags(c, r, out) })
	case *rm.ListTagKeysRequest:
		if string(r.ResourceType) != resourceGroupType {
			return false, nil
		}
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error {
			return m.listTagNames(c, r.Action(), "", r.KeyFilter, r.NextToken, r.MaxResults, out)
		})
	case *rm.ListTagValuesRequest:
		if string(r.ResourceType) != resourceGroupType {
			return false, nil
		}
		return true, m.do(key, r.Action(), func(c *Caller, _ time.Time) error {
			return m.listTagNames(c, r.Action(), r.TagKey, r.ValueFilter, r.NextToken, r.MaxResults, out)
		})
	}
	return false, nil
}

// groupTyped: a tag operation's ResourceType names resource groups
// (ResourceGroup, also the metadata's default when it is left out).
func groupTyped(t string) bool { return t == "" || t == resourceGroupType }

// resourceGroupType is the ResourceType of resource groups in the tag
// operations.
const resourceGroupType = "ResourceGroup"

// do runs f as the caller key names, under the state's lock.
func (m rmModel) do(key, action string, f func(c *Caller, now time.Time) error) error {
	c := m.b.Caller(key)
	if c == nil {
		return rm.StateError("unknown-access-key")
	}
	m.b.mu.Lock()
	defer m.b.mu.Unlock()
	return f(c, m.b.now())
}

// fail is the answer for code: the operation's documented one, else the
// product's wording of it from the first operation that documents it.
func (m rmModel) fail(action, code string) error {
	if op := m.api.Operation(action); op != nil && op.Error(code) != nil {
		return rm.NewError(action, code)
	}
	for _, op := range m.api.Operations {
		if op.Error(code) != nil {
			return rm.NewError(op.Action, code)
		}
	}
	return rm.StateError("internal-failure")
}

// documents reports whether the operation documents code.
func (m rmModel) documents(action, code string) bool {
	op := m.api.Operation(action)
	return op != nil && op.Error(code) != nil
}

// ownGroup finds the caller's group id: a group of another account is
// NoPermission where the operation documents it, else not found.
func (m rmModel) ownGroup(c *Caller, action, id string) (*ResourceGroup, error) {
	g := m.b.state.ResourceGroups[id]
	switch {
	case g == nil:
		return nil, m.fail(action, rm.CodeEntityNotExistsResourceGroup)
	case g.Account != c.AccountID && m.documents(action, rm.CodeNoPermission):
		return nil, rm.NewError(action, rm.CodeNoPermission)
	case g.Account != c.AccountID:
		return nil, m.fail(action, rm.CodeEntityNotExistsResourceGroup)
	}
	return g, nil
}

func (m rmModel) createGroup(c *Caller, now time.Time, r *rm.CreateResourceGroupRequest, out any) error {
	if limit := m.b.seed.Limits.ResourceGroups; limit > 0 && len(m.b.state.groupsOf(c.AccountID)) >= limit {
		return m.fail(r.Action(), rm.CodeLimitExceededResourceGroup)
	}
	g := &ResourceGroup{ID: m.b.newID("rg-"), Account: c.AccountID, Name: r.Name, DisplayName: r.DisplayName, Status: groupOK, CreateTime: now}
	for _, t := range r.Tag {
		if g.Tags == nil {
			g.Tags = map[string]string{}
		}
		g.Tags[t.Key] = t.Value
	}
	if err := m.b.save(now, putGroup(g)); err != nil {
		return err
	}
	view := groupView(g, false)
	view["Status"] = groupCreating // settles at once; the answer says it was being created
	return fill(out, map[string]any{"ResourceGroup": view})
}

func (m rmModel) getGroup(c *Caller, r *rm.GetResourceGroupRequest, out any) error {
	g, err := m.ownGroup(c, r.Action(), r.ResourceGroupId)
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"ResourceGroup": groupView(g, r.IncludeTags != nil && *r.IncludeTags)})
}

func (m rmModel) listGroups(c *Caller, r *rm.ListResourceGroupsRequest, out any) error {
	var all []any
	for _, g := range m.b.state.groupsOf(c.AccountID) {
		switch {
		case r.Status != "" && string(r.Status) != g.Status,
			r.ResourceGroupId != "" && r.ResourceGroupId != g.ID,
			len(r.ResourceGroupIds) > 0 && !slices.Contains(r.ResourceGroupIds, g.ID),
			r.Name != "" && r.Name != g.Name,
			r.DisplayName != "" && !strings.Contains(g.DisplayName, r.DisplayName):
			continue
		}
		if !hasTags(g.Tags, r.Tag) {
			continue
		}
		all = append(all, groupView(g, r.IncludeTags != nil && *r.IncludeTags))
	}
	number, size := pageOf(m.api, r.Action(), r.PageNumber, r.PageSize)
	from, to := pageBounds(len(all), number, size)
	return fill(out, map[string]any{"PageNumber": number, "PageSize": size, "TotalCount": len(all),
		"ResourceGroups": map[string]any{"ResourceGroup": append([]any{}, all[from:to]...)}})
}

func (m rmModel) updateGroup(c *Caller, now time.Time, r *rm.UpdateResourceGroupRequest, out any) error {
	g, err := m.ownGroup(c, r.Action(), r.ResourceGroupId)
	if err != nil {
		return err
	}
	v := g.copy()
	v.DisplayName = r.NewDisplayName
	if err := m.b.save(now, putGroup(v)); err != nil {
		return err
	}
	return fill(out, map[string]any{"ResourceGroup": groupView(v, false)})
}

func (m rmModel) deleteGroup(c *Caller, now time.Time, r *rm.DeleteResourceGroupRequest, out any) error {
	g, err := m.ownGroup(c, r.Action(), r.ResourceGroupId)
	if err != nil {
		return err
	}
	for _, res := range m.b.state.Resources {
		if res.Group == g.ID {
			return m.fail(r.Action(), rm.CodeDeleteConflictResourceGroupResource)
		}
	}
	if err := m.b.save(now, Put{Kind: "resourcegroup", ID: g.ID, Delete: true}); err != nil {
		return err
	}
	view := groupView(g, false)
	view["Status"] = groupPendingDelete // the metadata's sample: the deletion is under way
	return fill(out, map[string]any{"ResourceGroup": view})
}

// groupView is a group as the answers show it.
func groupView(g *ResourceGroup, tags bool) map[string]any {
	v := map[string]any{"AccountId": g.Account, "CreateDate": iso(g.CreateTime), "DisplayName": g.DisplayName, "Id": g.ID,
		"Name": g.Name, "Status": g.Status}
	if tags {
		var list []any
		for _, k := range slices.Sorted(maps.Keys(g.Tags)) {
			list = append(list, map[string]any{"TagKey": k, "TagValue": g.Tags[k]})
		}
		v["Tags"] = map[string]any{"Tag": append([]any{}, list...)}
	}
	return v
}

func (m rmModel) listResources(c *Caller, r *rm.ListResourcesRequest, out any) error {
	var all []any
	for _, res := range m.b.state.resourcesOf(c.AccountID) {
		switch {
		case r.ResourceGroupId != "" && r.ResourceGroupId != res.Group,
			r.Service != "" && r.Service != res.Service,
			r.Region != "" && r.Region != res.Region,
			r.ResourceType != "" && r.ResourceType != res.Type,
			r.ResourceId != "" && !slices.Contains(strings.Split(r.ResourceId, ","), res.ID):
			continue
		}
		if len(r.ResourceTypes) > 0 && !slices.ContainsFunc(r.ResourceTypes, func(t rm.ResourceTypes) bool {
			return t.Service == res.Service && (t.ResourceType == "" || t.ResourceType == res.Type)
		}) {
			continue
		}
		all = append(all, map[string]any{"CreateDate": iso(res.CreateTime), "RegionId": res.Region, "ResourceGroupId": res.Group,
			"ResourceId": res.ID, "ResourceType": res.Type, "Service": res.Service})
	}
	number, size := pageOf(m.api, r.Action(), r.PageNumber, r.PageSize)
	from, to := pageBounds(len(all), number, size)
	return fill(out, map[string]any{"PageNumber": number, "PageSize": size, "TotalCount": len(all),
		"Resources": map[string]any{"Resource": append([]any{}, all[from:to]...)}})
}

// moveResources moves each resource the caller's account holds into the
// group; one it does not hold fails alone (NoPermission, as the
// metadata's sample shows a failed move), the others move.
func (m rmModel) moveResources(c *Caller, now time.Time, r *rm.MoveResourcesRequest, out any) error {
	g, err := m.ownGroup(c, r.Action(), r.ResourceGroupId)
	if err != nil {
		return err
	}
	regions := map[string]bool{}
	for _, res := range m.b.state.Resources {
		regions[res.Region] = true
	}
	var puts []Put
	var responses []any
	for _, item := range r.Resources {
		if !regions[item.RegionId] && m.documents(r.Action(), rm.CodeSERVICEREGIONNOENDPOINT) {
			return rm.NewError(r.Action(), rm.CodeSERVICEREGIONNOENDPOINT)
		}
		resp := map[string]any{"RegionId": item.RegionId, "ResourceId": item.ResourceId, "ResourceType": item.ResourceType, "Service": item.Service}
		res := m.b.state.Resources[resourceKey(item.Service, item.RegionId, item.ResourceType, item.ResourceId)]
		if res != nil && res.Account == c.AccountID && m.movesWithMaster(res) && m.documents(r.Action(), rm.CodeNotAllowMoveExistsAssociatedTransferRule) {
			return rm.NewError(r.Action(), rm.CodeNotAllowMoveExistsAssociatedTransferRule)
		}
		if res == nil || res.Account != c.AccountID {
			resp["Status"], resp["ErrorCode"], resp["ErrorMsg"] = "FAIL", rm.CodeNoPermission, "You are not authorized to move the resource."
		} else {
			v := *res
			v.Group = g.ID
			puts = append(puts, putResource(&v))
			resp["Status"] = "SUCCESS"
		}
		responses = append(responses, resp)
	}
	if len(puts) > 0 {
		if err := m.b.save(now, puts...); err != nil {
			return err
		}
	}
	return fill(out, map[string]any{"Responses": append([]any{}, responses...)})
}

// tagPairs reads Tag.N.Key/Value pairs.
func tagPairs(tags []rm.TagResourcesTag) map[string]string {
	out := map[string]string{}
	for _, t := range tags {
		out[t.Key] = t.Value
	}
	return out
}

// tagGroups adds tags to the caller's groups ids, or removes keys (all of
// them with all).
func (m rmModel) tagGroups(c *Caller, now time.Time, action string, ids []string, add map[string]string, remove []string, all bool) error {
	var puts []Put
	for _, id := range ids {
		g, err := m.ownGroup(c, action, id)
		if err != nil {
			return err
		}
		v := g.copy()
		if v.Tags == nil {
			v.Tags = map[string]string{}
		}
		maps.Copy(v.Tags, add)
		for _, k := range remove {
			delete(v.Tags, k)
		}
		if all {
			v.Tags = nil
		}
		puts = append(puts, putGroup(v))
	}
	return m.b.save(now, puts...)
}

func (m rmModel) listGroupTags(c *Caller, r *rm.ListTagResourcesRequest, out any) error {
	var all []any
	for _, g := range m.b.state.groupsOf(c.AccountID) {
		if len(r.ResourceId) > 0 && !slices.Contains(r.ResourceId, g.ID) {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(g.Tags)) {
			if len(r.Tag) > 0 && !slices.ContainsFunc(r.Tag, func(t rm.ListTagResourcesTag) bool {
				return t.Key == k && (t.Value == "" || t.Value == g.Tags[k])
			}) {
				continue
			}
			all = append(all, map[string]any{"ResourceId": g.ID, "ResourceType": resourceGroupType, "TagKey": k, "TagValue": g.Tags[k]})
		}
	}
	from, to, next, err := m.tokenPage(r.Action(), len(all), r.NextToken, r.MaxResults)
	if err != nil {
		return err
	}
	return fill(out, map[string]any{"NextToken": next, "TagResources": append([]any{}, all[from:to]...)})
}

// listTagNames lists the tag keys of the caller's groups (key == ""), or
// the values of key, that contain filter.
func (m rmModel) listTagNames(c *Caller, action, key, filter, token string, maxResults *int64, out any) error {
	seen := map[string]bool{}
	for _, g := range m.b.state.groupsOf(c.AccountID) {
		for k, v := range g.Tags {
			name := k
			if key != "" {
				if k != key {
					continue
				}
				name = v
			}
			if strings.Contains(name, filter) {
				seen[name] = true
			}
		}
	}
	names := slices.Sorted(maps.Keys(seen))
	from, to, next, err := m.tokenPage(action, len(names), token, maxResults)
	if err != nil {
		return err
	}
	var items []any
	field, list := "Key", "Tags"
	if key != "" {
		field, list = "Value", "Values"
	}
	for _, n := range names[from:to] {
		items = append(items, map[string]any{field: n})
	}
	if key != "" {
		// ListTagValues answers the values themselves.
		items = items[:0]
		for _, n := range names[from:to] {
			items = append(items, n)
		}
	}
	return fill(out, map[string]any{"NextToken": next, list: append([]any{}, items...)})
}

// tokenPage cuts n items at a NextToken (an opaque offset) into pages of
// MaxResults (the contract's default when not given).
func (m rmModel) tokenPage(action string, n int, token string, maxResults *int64) (from, to int, next string, err error) {
	limit := int64(max(paramDefault(m.api, action, "MaxResults"), 1))
	if maxResults != nil && *maxResults > 0 {
		limit = *maxResults
	}
	if token != "" {
		raw, derr := base64.RawURLEncoding.DecodeString(token)
		i, perr := strconv.Atoi(strings.TrimPrefix(string(raw), "rm-"))
		if derr != nil || perr != nil || !strings.HasPrefix(string(raw), "rm-") || i < 0 || i > n {
			return 0, 0, "", rm.StateError("malformed-parameter", "NextToken")
		}
		from = i
	}
	to = int(min(int64(n), int64(from)+limit))
	if to < n {
		next = base64.RawURLEncoding.EncodeToString([]byte("rm-" + strconv.Itoa(to)))
	}
	return from, to, next, nil
}

// hasTags reports whether tags carry every key (and value, when given).
func hasTags(tags map[string]string, want []rm.ListResourceGroupsTag) bool {
	for _, w := range want {
		v, ok := tags[w.Key]
		if !ok || w.Value != "" && v != w.Value {
			return false
		}
	}
	return true
}

// pageOf reads PageNumber and PageSize with the contract's defaults.
func pageOf(api *spec.API, action string, number, size *int64) (int, int) {
	n, s := 1, int(max(paramDefault(api, action, "PageSize"), 10))
	if number != nil && *number > 0 {
		n = int(*number)
	}
	if size != nil && *size > 0 {
		s = int(*size)
	}
	return n, s
}

// pageBounds is the slice of n items page number of size holds.
func pageBounds(n, number, size int) (int, int) {
	from := min((number-1)*size, n)
	return from, min(from+size, n)
}

// paramDefault is the integer default the contract states for a
// parameter (0 when none).
func paramDefault(api *spec.API, action, name string) int64 {
	if op := api.Operation(action); op != nil {
		if p := op.Param(name); p != nil && p.Schema != nil {
			switch v := p.Schema.Default.(type) {
			case float64:
				return int64(v)
			case int:
				return int64(v)
			case int64:
				return v
			}
		}
	}
	return 0
}
