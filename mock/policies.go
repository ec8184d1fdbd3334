package mock

import (
	"context"
	"strconv"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Control policies: system policies (seeded by the profile, read-only) and
// custom ones the directory creates, attached to folders and member
// accounts. A target keeps at least one policy: detaching the last one is
// refused. Decision the pages leave open: deleting a custom policy that is
// still attached detaches it everywhere (no code is documented for it).

func (s server) CreateControlPolicy(ctx context.Context, r *rdm.CreateControlPolicyRequest) (*rdm.CreateControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.CreateControlPolicyRequest) (*rdm.CreateControlPolicyResponse, error) {
		p := &Policy{ID: b.newID("cp-"), Name: r.PolicyName, Type: "Custom", Description: r.Description, Document: r.PolicyDocument,
			EffectScope: string(r.EffectScope), CreateDate: now, UpdateDate: now, Attached: map[string]string{}}
		if err := b.save(now, putPolicy(d.ID, p)); err != nil {
			return nil, err
		}
		return &rdm.CreateControlPolicyResponse{ControlPolicy: rdm.CreateControlPolicyResponseControlPolicy(policyFields(p))}, nil
	})
}

// polFields are the fields the policy answers share, in the generated
// types' order.
type polFields struct {
	AttachmentCount string
	CreateDate      string
	Description     string
	EffectScope     string
	PolicyId        string
	PolicyName      string
	PolicyType      string
	UpdateDate      string
}

func policyFields(p *Policy) polFields {
	return polFields{AttachmentCount: strconv.Itoa(len(p.Attached)), CreateDate: iso(p.CreateDate), Description: p.Description, EffectScope: p.EffectScope,
		PolicyId: p.ID, PolicyName: p.Name, PolicyType: p.Type, UpdateDate: iso(p.UpdateDate)}
}

// policy is the directory's policy of that ID. The metadata documents no
// code for an unknown policy; the mock answers the platform's
// InvalidParameter naming PolicyId rather than invent one.
func policy(d *Directory, id string) (*Policy, error) {
	if p := d.Policies[id]; p != nil {
		return p, nil
	}
	return nil, rdm.StateError("malformed-parameter", "PolicyId")
}

func (s server) GetControlPolicy(ctx context.Context, r *rdm.GetControlPolicyRequest) (*rdm.GetControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.GetControlPolicyRequest) (*rdm.GetControlPolicyResponse, error) {
		p, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		f := policyFields(p)
		return &rdm.GetControlPolicyResponse{ControlPolicy: rdm.GetControlPolicyResponseControlPolicy{AttachmentCount: f.AttachmentCount, CreateDate: f.CreateDate,
			Description: f.Description, EffectScope: f.EffectScope, PolicyDocument: p.Document, PolicyId: f.PolicyId, PolicyName: f.PolicyName, PolicyType: f.PolicyType, UpdateDate: f.UpdateDate}}, nil
	})
}

func (s server) UpdateControlPolicy(ctx context.Context, r *rdm.UpdateControlPolicyRequest) (*rdm.UpdateControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.UpdateControlPolicyRequest) (*rdm.UpdateControlPolicyResponse, error) {
		cur, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		p := cur.copy()
		if r.NewPolicyName != "" {
			p.Name = r.NewPolicyName
		}
		if r.NewDescription != "" {
			p.Description = r.NewDescription
		}
		if r.NewPolicyDocument != "" {
			p.Document = r.NewPolicyDocument
		}
		p.UpdateDate = now
		if err := b.save(now, putPolicy(d.ID, p)); err != nil {
			return nil, err
		}
		return &rdm.UpdateControlPolicyResponse{ControlPolicy: rdm.UpdateControlPolicyResponseControlPolicy(policyFields(p))}, nil
	})
}

func (s server) DeleteControlPolicy(ctx context.Context, r *rdm.DeleteControlPolicyRequest) (*rdm.DeleteControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DeleteControlPolicyRequest) (*rdm.DeleteControlPolicyResponse, error) {
		p, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		// The metadata states that an attached custom policy is detached
		// before it is deleted, without a code: the refusal answers the code
		// the contract records for it (the gateway's, our reading).
		if p.Type != "System" && len(p.Attached) > 0 {
			if e := b.api.Operation("DeleteControlPolicy").Error(rdm.CodeInvalidParameter); e != nil && !e.Platform {
				return nil, rdm.StateError("malformed-parameter", "PolicyId")
			}
		}
		if err := b.save(now, Put{Kind: "policy", Dir: d.ID, ID: r.PolicyId, Delete: true}); err != nil {
			return nil, err
		}
		return &rdm.DeleteControlPolicyResponse{}, nil
	})
}

func (s server) ListControlPolicies(ctx context.Context, r *rdm.ListControlPoliciesRequest) (*rdm.ListControlPoliciesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListControlPoliciesRequest) (*rdm.ListControlPoliciesResponse, error) {
		var all []*Policy
		for _, id := range sortedKeys(d.Policies) {
			if p := d.Policies[id]; r.PolicyType == "" || p.Type == string(r.PolicyType) {
				all = append(all, p)
			}
		}
		from, to, pn, ps := b.page(r, len(all), r.PageNumber, r.PageSize)
		out := &rdm.ListControlPoliciesResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(all))}
		for _, p := range all[from:to] {
			out.ControlPolicies.ControlPolicy = append(out.ControlPolicies.ControlPolicy, rdm.ListControlPoliciesResponseControlPoliciesControlPolicy(policyFields(p)))
		}
		return out, nil
	})
}

func (s server) AttachControlPolicy(ctx context.Context, r *rdm.AttachControlPolicyRequest) (*rdm.AttachControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.AttachControlPolicyRequest) (*rdm.AttachControlPolicyResponse, error) {
		cur, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		if _, ok := cur.Attached[r.TargetId]; ok {
			return &rdm.AttachControlPolicyResponse{}, nil // attaching again changes nothing
		}
		p := cur.copy()
		p.Attached[r.TargetId] = iso(now)
		if err := b.save(now, putPolicy(d.ID, p)); err != nil {
			return nil, err
		}
		return &rdm.AttachControlPolicyResponse{}, nil
	})
}

func attachedTo(d *Directory, target string) []*Policy {
	var out []*Policy
	for _, id := range sortedKeys(d.Policies) {
		if _, ok := d.Policies[id].Attached[target]; ok {
			out = append(out, d.Policies[id])
		}
	}
	return out
}

func (s server) DetachControlPolicy(ctx context.Context, r *rdm.DetachControlPolicyRequest) (*rdm.DetachControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.DetachControlPolicyRequest) (*rdm.DetachControlPolicyResponse, error) {
		cur, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		if _, ok := cur.Attached[r.TargetId]; !ok {
			return &rdm.DetachControlPolicyResponse{}, nil // not attached: nothing to do
		}
		if len(attachedTo(d, r.TargetId)) <= 1 {
			return nil, rdm.NewError("DetachControlPolicy", rdm.CodeNotSupportDetachLastControlPolicy)
		}
		p := cur.copy()
		delete(p.Attached, r.TargetId)
		if err := b.save(now, putPolicy(d.ID, p)); err != nil {
			return nil, err
		}
		return &rdm.DetachControlPolicyResponse{}, nil
	})
}

func (s server) ListControlPolicyAttachmentsForTarget(ctx context.Context, r *rdm.ListControlPolicyAttachmentsForTargetRequest) (*rdm.ListControlPolicyAttachmentsForTargetResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListControlPolicyAttachmentsForTargetRequest) (*rdm.ListControlPolicyAttachmentsForTargetResponse, error) {
		out := &rdm.ListControlPolicyAttachmentsForTargetResponse{}
		for _, p := range attachedTo(d, r.TargetId) {
			date := p.Attached[r.TargetId]
			if date == "" {
				date = iso(p.CreateDate)
			}
			out.ControlPolicyAttachments.ControlPolicyAttachment = append(out.ControlPolicyAttachments.ControlPolicyAttachment,
				rdm.ListControlPolicyAttachmentsForTargetResponseControlPolicyAttachmentsControlPolicyAttachment{AttachDate: date, Description: p.Description,
					EffectScope: p.EffectScope, PolicyId: p.ID, PolicyName: p.Name, PolicyType: p.Type})
		}
		return out, nil
	})
}

func (s server) ListTargetAttachmentsForControlPolicy(ctx context.Context, r *rdm.ListTargetAttachmentsForControlPolicyRequest) (*rdm.ListTargetAttachmentsForControlPolicyResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListTargetAttachmentsForControlPolicyRequest) (*rdm.ListTargetAttachmentsForControlPolicyResponse, error) {
		p, err := policy(d, r.PolicyId)
		if err != nil {
			return nil, err
		}
		targets := sortedKeys(p.Attached)
		from, to, pn, ps := b.page(r, len(targets), r.PageNumber, r.PageSize)
		out := &rdm.ListTargetAttachmentsForControlPolicyResponse{PageNumber: pn, PageSize: ps, TotalCount: int64(len(targets))}
		for _, t := range targets[from:to] {
			item := rdm.ListTargetAttachmentsForControlPolicyResponseTargetAttachmentsTargetAttachment{TargetId: t, AttachDate: p.Attached[t]}
			if item.AttachDate == "" {
				item.AttachDate = iso(p.CreateDate)
			}
			switch {
			case d.Folders[t] != nil:
				item.TargetType, item.TargetName = "Folder", d.Folders[t].Name
			case b.state.Accounts[t] != nil:
				item.TargetType, item.TargetName = "Account", b.state.Accounts[t].DisplayName
			}
			out.TargetAttachments.TargetAttachment = append(out.TargetAttachments.TargetAttachment, item)
		}
		return out, nil
	})
}

// defaultPolicy is the write that attaches the system policy
// FullAliyunAccess to a new folder or member, when the directory's control
// policies are enabled: AttachControlPolicy's description says "系统会默认为
// 资源夹和成员绑定系统策略FullAliyunAccess". Nil when policies are not enabled
// or the directory has no such system policy.
func defaultPolicy(d *Directory, target string, now time.Time) *Put {
	if controlPolicyStatus(d, now) != enabled {
		return nil
	}
	for _, id := range sortedKeys(d.Policies) {
		p := d.Policies[id]
		if p.Type == "System" && p.Name == "FullAliyunAccess" {
			return &Put{Kind: "attach", Dir: d.ID, ID: p.ID, Target: target, Stamp: iso(now)}
		}
	}
	return nil
}
