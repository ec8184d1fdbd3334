package mock

import (
	"context"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Tags on member accounts (the one ResourceType the metadata names). The
// limits on keys, values and counts are the contract's rules, checked
// before a request gets here. Lists page with NextToken and MaxResults.

func (s server) TagResources(ctx context.Context, r *rdm.TagResourcesRequest) (*rdm.TagResourcesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.TagResourcesRequest) (*rdm.TagResourcesResponse, error) {
		var puts []Put
		for _, id := range r.ResourceId {
			cur := b.state.Accounts[id]
			if cur == nil || !d.Members[id] {
				return nil, rdm.StateError("malformed-parameter", "ResourceId")
			}
			a := cur.copy()
			if a.Tags == nil {
				a.Tags = map[string]string{}
			}
			for _, t := range r.Tag {
				a.Tags[t.Key] = t.Value
			}
			puts = append(puts, putAccount(a))
		}
		if err := b.save(now, puts...); err != nil {
			return nil, err
		}
		return &rdm.TagResourcesResponse{}, nil
	})
}

func (s server) UntagResources(ctx context.Context, r *rdm.UntagResourcesRequest) (*rdm.UntagResourcesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.UntagResourcesRequest) (*rdm.UntagResourcesResponse, error) {
		var puts []Put
		for _, id := range r.ResourceId {
			cur := b.state.Accounts[id]
			if cur == nil || !d.Members[id] {
				return nil, rdm.StateError("malformed-parameter", "ResourceId")
			}
			a := cur.copy()
			if r.All != nil && *r.All {
				a.Tags = nil
			}
			for _, k := range r.TagKey {
				delete(a.Tags, k)
			}
			puts = append(puts, putAccount(a))
		}
		if err := b.save(now, puts...); err != nil {
			return nil, err
		}
		return &rdm.UntagResourcesResponse{}, nil
	})
}

// taggedMembers are the directory's members with tags, in ID order.
func (b *Backend) taggedMembers(d *Directory) []*Account {
	var out []*Account
	for _, id := range sortedKeys(d.Members) {
		if a := b.state.Accounts[id]; a != nil && len(a.Tags) > 0 {
			out = append(out, a)
		}
	}
	return out
}

func (s server) ListTagResources(ctx context.Context, r *rdm.ListTagResourcesRequest) (*rdm.ListTagResourcesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListTagResourcesRequest) (*rdm.ListTagResourcesResponse, error) {
		var all []rdm.ListTagResourcesResponseTagResources
		for _, a := range b.taggedMembers(d) {
			if len(r.ResourceId) > 0 && !containsString(r.ResourceId, a.ID) {
				continue
			}
			for _, k := range sortedKeys(a.Tags) {
				match := len(r.Tag) == 0
				for _, t := range r.Tag {
					if t.Key == k && (t.Value == "" || t.Value == a.Tags[k]) {
						match = true
					}
				}
				if match {
					all = append(all, rdm.ListTagResourcesResponseTagResources{ResourceId: a.ID, ResourceType: "Account", TagKey: k, TagValue: a.Tags[k]})
				}
			}
		}
		from, to, next, err := b.tokenPage(r, len(all), r.NextToken, r.MaxResults)
		if err != nil {
			return nil, err
		}
		return &rdm.ListTagResourcesResponse{TagResources: append([]rdm.ListTagResourcesResponseTagResources{}, all[from:to]...), NextToken: next}, nil
	})
}

func (s server) ListTagKeys(ctx context.Context, r *rdm.ListTagKeysRequest) (*rdm.ListTagKeysResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListTagKeysRequest) (*rdm.ListTagKeysResponse, error) {
		keys := map[string]bool{}
		for _, a := range b.taggedMembers(d) {
			for k := range a.Tags {
				if strings.Contains(k, r.KeyFilter) {
					keys[k] = true
				}
			}
		}
		all := sortedKeys(keys)
		from, to, next, err := b.tokenPage(r, len(all), r.NextToken, r.MaxResults)
		if err != nil {
			return nil, err
		}
		out := &rdm.ListTagKeysResponse{NextToken: next, Tags: []rdm.ListTagKeysResponseTags{}}
		for _, k := range all[from:to] {
			out.Tags = append(out.Tags, rdm.ListTagKeysResponseTags{Key: k})
		}
		return out, nil
	})
}

func (s server) ListTagValues(ctx context.Context, r *rdm.ListTagValuesRequest) (*rdm.ListTagValuesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.ListTagValuesRequest) (*rdm.ListTagValuesResponse, error) {
		values := map[string]bool{}
		for _, a := range b.taggedMembers(d) {
			if v, ok := a.Tags[r.TagKey]; ok && strings.Contains(v, r.ValueFilter) {
				values[v] = true
			}
		}
		all := sortedKeys(values)
		from, to, next, err := b.tokenPage(r, len(all), r.NextToken, r.MaxResults)
		if err != nil {
			return nil, err
		}
		out := &rdm.ListTagValuesResponse{NextToken: next, Tags: []rdm.ListTagValuesResponseTags{}}
		for _, v := range all[from:to] {
			out.Tags = append(out.Tags, rdm.ListTagValuesResponseTags{Value: v})
		}
		return out, nil
	})
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
