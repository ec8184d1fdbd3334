package mock

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/acsconform/acsconform/acs"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/spec"
)

// TestResourceGroups: ResourceManager 2020-03-31's resource groups answer
// from state: a group made is read, listed page by page, renamed, tagged
// and found by its tag; a group of another account is NoPermission; a
// group holding resources cannot be deleted until they move out; an
// empty one can; and what was written survives a restart on the same
// state file.
func TestResourceGroups(t *testing.T) {
	api, err := spec.LoadProduct("resourcemanager")
	if err != nil {
		t.Fatal(err)
	}
	p := loadProfile(t)
	file := filepath.Join(t.TempDir(), "state")
	m, err := New(Options{Profile: p, Contract: api, StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(m)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	stranger, _ := p.Resolve("no-directory", func(string) string { return "" })
	ctx := context.Background()
	client := func(c acs.Credentials, endpoint string) *rm.Client {
		cl, err := rm.NewClient(c, rm.WithEndpoint(endpoint), rm.WithoutRateLimit(), rm.WithRetry(acs.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		return cl
	}
	c := client(creds, srv.URL)

	made, err := c.CreateResourceGroup(ctx, &rm.CreateResourceGroupRequest{Name: "team-a", DisplayName: "Team A", Tag: []rm.CreateResourceGroupTag{{Key: "env", Value: "dev"}}})
	if err != nil || made.ResourceGroup.Id == "" || made.ResourceGroup.Name != "team-a" || made.ResourceGroup.Status != groupCreating {
		t.Fatalf("CreateResourceGroup: %v %+v", err, made)
	}
	id := made.ResourceGroup.Id
	yes := true
	got, err := c.GetResourceGroup(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: id, IncludeTags: &yes})
	if err != nil || got.ResourceGroup.DisplayName != "Team A" || got.ResourceGroup.Status != groupOK || len(got.ResourceGroup.Tags.Tag) != 1 {
		t.Fatalf("GetResourceGroup: %v %+v", err, got)
	}
	var ae *acs.APIError
	if _, err := client(stranger, srv.URL).GetResourceGroup(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: id}); !errors.As(err, &ae) || ae.Code != rm.CodeNoPermission {
		t.Fatalf("another account's GetResourceGroup: %v, want NoPermission", err)
	}
	if _, err := c.UpdateResourceGroup(ctx, &rm.UpdateResourceGroupRequest{ResourceGroupId: id, NewDisplayName: "Team B"}); err != nil {
		t.Fatalf("UpdateResourceGroup: %v", err)
	}
	one := int64(1)
	seen := map[string]bool{}
	total := int64(0)
	for page := int64(1); ; page++ {
		l, err := c.ListResourceGroups(ctx, &rm.ListResourceGroupsRequest{PageNumber: &page, PageSize: &one})
		if err != nil {
			t.Fatalf("ListResourceGroups page %d: %v", page, err)
		}
		total = l.TotalCount
		if len(l.ResourceGroups.ResourceGroup) == 0 {
			break
		}
		for _, g := range l.ResourceGroups.ResourceGroup {
			if seen[g.Id] {
				t.Fatalf("page %d repeats %s", page, g.Id)
			}
			seen[g.Id] = true
		}
	}
	if int64(len(seen)) != total || !seen[id] {
		t.Fatalf("pages listed %d groups of %d (the new one listed: %v)", len(seen), total, seen[id])
	}
	tagged, err := c.ListTagResources(ctx, &rm.ListTagResourcesRequest{ResourceType: rm.ResourceTypeValueResourceGroup, Tag: []rm.ListTagResourcesTag{{Key: "env"}}})
	if err != nil || len(tagged.TagResources) != 1 || tagged.TagResources[0].ResourceId != id {
		t.Fatalf("ListTagResources by tag: %v %+v", err, tagged)
	}

	// A group holding resources: not deletable until they move out.
	if _, err := c.DeleteResourceGroup(ctx, &rm.DeleteResourceGroupRequest{ResourceGroupId: "rg-acfmBusyGroup1"}); !errors.As(err, &ae) || ae.Code != rm.CodeDeleteConflictResourceGroupResource {
		t.Fatalf("DeleteResourceGroup of a busy group: %v", err)
	}
	moved, err := c.MoveResources(ctx, &rm.MoveResourcesRequest{ResourceGroupId: id, Resources: []rm.Resources{
		{ResourceId: "i-acfmBusy000001", RegionId: "cn-hangzhou", Service: "ecs", ResourceType: "instance"},
		{ResourceId: "d-acfmBusy000001", RegionId: "cn-shanghai", Service: "ecs", ResourceType: "disk"},
		{ResourceId: "i-notmine", RegionId: "cn-hangzhou", Service: "ecs", ResourceType: "instance"}}})
	if err != nil || len(moved.Responses) != 3 || moved.Responses[0].Status != "SUCCESS" || moved.Responses[2].Status != "FAIL" {
		t.Fatalf("MoveResources: %v %+v", err, moved)
	}
	if _, err := c.DeleteResourceGroup(ctx, &rm.DeleteResourceGroupRequest{ResourceGroupId: "rg-acfmBusyGroup1"}); err != nil {
		t.Fatalf("DeleteResourceGroup once emptied: %v", err)
	}
	if _, err := c.GetResourceGroup(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: "rg-acfmBusyGroup1"}); !errors.As(err, &ae) || ae.Code != rm.CodeEntityNotExistsResourceGroup {
		t.Fatalf("GetResourceGroup of the deleted group: %v", err)
	}

	// Restart on the same state file.
	srv.Close()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	m2, err := New(Options{Profile: p, Contract: api, StateFile: file})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	srv2 := httptest.NewServer(m2)
	defer srv2.Close()
	c2 := client(creds, srv2.URL)
	if got, err := c2.GetResourceGroup(ctx, &rm.GetResourceGroupRequest{ResourceGroupId: id}); err != nil || got.ResourceGroup.DisplayName != "Team B" {
		t.Fatalf("after a restart: %v %+v", err, got)
	}
	res, err := c2.ListResources(ctx, &rm.ListResourcesRequest{ResourceGroupId: id})
	if err != nil || res.TotalCount != 2 {
		t.Fatalf("ListResources after a restart: %v %+v", err, res)
	}
}
