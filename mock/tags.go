package mock

import (
	"context"
	"strings"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// Tags on member accounts (the one ResourceType the metadata names) and on
// folders (ResourceType=Folder, which a client is observed to send and the
// service to accept: the contract records both). The limits on keys,
// values and counts are the contract's rules, checked before a request
// gets here. Lists page with NextToken and MaxResults.

// tagged is one taggable resource: its ID, type, tags, and the write that
// gives it other tags.
type tagged struct {
	id, kind string
	tags     map[string]string
	write    func(tags map[string]string) Put
}

// taggedResource finds what a ResourceId of the given type names in the
// caller's directory.
func (b *Backend) taggedResource(d *Directory, kind, id string) (tagged, bool) {
	if kind == string(rdm.ResourceTypeFolder) {
		f := d.Folders[id]
		if f == nil || f.Parent == "" {
			return tagged{}, false // the root folder is the directory's, not a folder to tag
		}
		return tagged{id: id, kind: kind, tags: f.Tags, write: func(tags map[string]string) Put {
			v := *f
			v.Tags = tags
			return putFolder(d.ID, &v)
		}}, true
	}
	a := b.state.Accounts[id]
	if a == nil || !d.Members[id] {
		return tagged{}, false
	}
	return tagged{id: id, kind: string(rdm.ResourceTypeAccount), tags: a.Tags, write: func(tags map[string]string) Put {
		v := a.copy()
		v.Tags = tags
		return putAccount(v)
	}}, true
}

// taggedOf lists the directory's resources of a type that carry tags, in ID
// order: accounts when the type is Account or not given, folders for Folder.
func (b *Backend) taggedOf(d *Directory, kind string) []tagged {
	var out []tagged
	if kind == string(rdm.ResourceTypeFolder) {
		for _, id := range sortedKeys(d.Folders) {
			if f := d.Folders[id]; len(f.Tags) > 0 {
				out = append(out, tagged{id: id, kind: kind, tags: f.Tags})
			}
		}
		return out
	}
	for _, a := range b.taggedMembers(d) {
		out = append(out, tagged{id: a.ID, kind: string(rdm.ResourceTypeAccount), tags: a.Tags})
	}
	return out
}

func (s server) TagResources(ctx context.Context, r *rdm.TagResourcesRequest) (*rdm.TagResourcesResponse, error) {
	return dop(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r *rdm.TagResourcesRequest) (*rdm.TagResourcesResponse, error) {
		var puts []Put
		for _, id := range r.ResourceId {
			t, ok := b.taggedResource(d, string(r.ResourceType), id)
			if !ok {
				return nil, rdm.StateError("malformed-parameter", "ResourceId")
			}
			tags := clone(t.tags)
			if tags == nil {
				tags = map[string]string{}
			}
			for _, tag := range r.Tag {
				tags[tag.Key] = tag.Value
			}
			puts = append(puts, t.write(tags))
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
			t, ok := b.taggedResource(d, string(r.ResourceType), id)
			if !ok {
				return nil, rdm.StateError("malformed-parameter", "ResourceId")
			}
			tags := clone(t.tags)
			if r.All != nil && *r.All {
				tags = nil
			}
			for _, k := range r.TagKey {
				delete(tags, k)
			}
			puts = append(puts, t.write(tags))
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
		for _, a := range b.taggedOf(d, string(r.ResourceType)) {
			if len(r.ResourceId) > 0 && !containsString(r.ResourceId, a.id) {
				continue
			}
			for _, k := range sortedKeys(a.tags) {
				match := len(r.Tag) == 0
				for _, t := range r.Tag {
					if t.Key == k && (t.Value == "" || t.Value == a.tags[k]) {
						match = true
					}
				}
				if match {
					all = append(all, rdm.ListTagResourcesResponseTagResources{ResourceId: a.id, ResourceType: a.kind, TagKey: k, TagValue: a.tags[k]})
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
		for _, a := range b.taggedOf(d, string(r.ResourceType)) {
			for k := range a.tags {
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
		for _, a := range b.taggedOf(d, string(r.ResourceType)) {
			if v, ok := a.tags[r.TagKey]; ok && strings.Contains(v, r.ValueFilter) {
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
