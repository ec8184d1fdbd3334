package mock

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	rm "github.com/acsconform/acsconform/gen/resourcemanager"
	"github.com/acsconform/acsconform/spec"
	"github.com/acsconform/acsconform/spec/metaimport"
)

// hostRT sends every request with another Host header, as a client
// pointed at a product's endpoint through the mock's address does.
type hostRT struct{ host string }

func (h hostRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Host = h.host
	return http.DefaultTransport.RoundTrip(r)
}

// TestOneAddressForEveryProduct: one listener serves both products; each
// request goes to the product its Version names (v3 header, v1 query, v1
// form body), its Host names, or whose action it calls with an unknown
// version, which answers InvalidVersion; a reset reaches every product.
func TestOneAddressForEveryProduct(t *testing.T) {
	p := loadProfile(t)
	var apis []*spec.API
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			t.Fatal(err)
		}
		apis = append(apis, api)
	}
	m, err := NewMulti(Options{Profile: p, Admin: true}, apis)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	ctx := context.Background()
	for _, v1 := range []bool{false, true} {
		opts := []rdm.Option{rdm.WithEndpoint(srv.URL), rdm.WithoutRateLimit()}
		rmOpts := []rm.Option{rm.WithEndpoint(srv.URL), rm.WithoutRateLimit()}
		if v1 {
			opts = append(opts, rdm.WithSignatureV1(), rdm.WithFormBody())
			rmOpts = append(rmOpts, rm.WithSignatureV1())
		}
		dir, _ := rdm.NewClient(creds, opts...)
		got, err := dir.GetFolder(ctx, &rdm.GetFolderRequest{FolderId: "fd-a1b2c3d4e5"})
		if err != nil || got.Folder.FolderName != "Applications" {
			t.Fatalf("v1 %v: ResourceDirectoryMaster GetFolder from state: %v %+v", v1, err, got)
		}
		man, _ := rm.NewClient(creds, rmOpts...)
		if _, err := man.GetFolder(ctx, &rm.GetFolderRequest{FolderId: "fd-a1b2c3d4e5"}); err != nil {
			t.Fatalf("v1 %v: ResourceManager GetFolder: %v", v1, err)
		}
	}
	// Host names a product: its gateway answers a version it does not serve.
	// (v1: the host is not signed, so the transport may name another.)
	dir, _ := rdm.NewClient(creds, rdm.WithEndpoint(srv.URL), rdm.WithoutRateLimit(), rdm.WithRetry(acs.RetryPolicy{MaxAttempts: 1}), rdm.WithSignatureV1(),
		rdm.WithHTTPClient(&http.Client{Transport: hostRT{"resourcemanager.aliyuncs.com"}}))
	var ae *acs.APIError
	if _, err := dir.GetFolder(ctx, &rdm.GetFolderRequest{FolderId: "fd-a1b2c3d4e5"}); !errors.As(err, &ae) || ae.Code != rm.CodeInvalidVersion {
		t.Errorf("2022-04-19 at resourcemanager.aliyuncs.com: %v, want InvalidVersion", err)
	}
	// An unknown version of an action only ResourceManager has.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?Action=ListResourceGroups&Version=2010-03-31", nil)
	req.Header.Set("x-acs-action", "ListResourceGroups")
	req.Header.Set("x-acs-version", "2010-03-31")
	acs.SignV3(req, nil, creds, time.Now(), acs.NewNonce())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 4096)
	n, _ := resp.Body.Read(body)
	resp.Body.Close()
	if e, err := acs.DecodeError(resp.StatusCode, body[:n]); err != nil || e.Code != rm.CodeInvalidVersion {
		t.Errorf("an unknown version of ListResourceGroups: %s, want InvalidVersion", body[:n])
	}
	// Admin: a reset answers for all.
	resp, err = http.Post(srv.URL+AdminPrefix+"reset", "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("reset: %v %v", err, resp)
	}
	resp.Body.Close()
}

// TestFolderTags: folders take tags as accounts do (ResourceType=Folder,
// observed from Terraform's provider): tagged, listed by type, untagged;
// an account ID given as a folder is refused.
func TestFolderTags(t *testing.T) {
	p := loadProfile(t)
	tg := start(t, p, Options{})
	c := client(t, tg, "default")
	ctx := context.Background()
	folder := rdm.ResourceTypeFolder
	if _, err := c.TagResources(ctx, &rdm.TagResourcesRequest{ResourceType: folder, ResourceId: []string{"fd-a1b2c3d4e5"}, Tag: []rdm.TagResourcesTag{{Key: "env", Value: "prod"}}}); err != nil {
		t.Fatal(err)
	}
	list := func(kind rdm.ResourceType) []rdm.ListTagResourcesResponseTagResources {
		out, err := c.ListTagResources(ctx, &rdm.ListTagResourcesRequest{ResourceType: kind, ResourceId: []string{"fd-a1b2c3d4e5"}})
		if err != nil {
			t.Fatal(err)
		}
		return out.TagResources
	}
	if got := list(folder); len(got) != 1 || got[0].ResourceType != "Folder" || got[0].TagKey != "env" || got[0].TagValue != "prod" {
		t.Errorf("folder tags: %+v", got)
	}
	if got := list(rdm.ResourceTypeAccount); len(got) != 0 {
		t.Errorf("the folder's tags listed as an account's: %+v", got)
	}
	keys, err := c.ListTagKeys(ctx, &rdm.ListTagKeysRequest{ResourceType: folder})
	if err != nil || len(keys.Tags) != 1 || keys.Tags[0].Key != "env" {
		t.Errorf("folder tag keys: %v %+v", err, keys)
	}
	if _, err := c.UntagResources(ctx, &rdm.UntagResourcesRequest{ResourceType: folder, ResourceId: []string{"fd-a1b2c3d4e5"}, TagKey: []string{"env"}}); err != nil {
		t.Fatal(err)
	}
	if got := list(folder); len(got) != 0 {
		t.Errorf("untagged folder still lists %+v", got)
	}
	var ae *acs.APIError
	if _, err := c.TagResources(ctx, &rdm.TagResourcesRequest{ResourceType: folder, ResourceId: []string{"1728412355001001"}, Tag: []rdm.TagResourcesTag{{Key: "k", Value: "v"}}}); !errors.As(err, &ae) || ae.Code != rdm.CodeInvalidParameter {
		t.Errorf("an account tagged as a folder: %v", err)
	}
}

// TestFillMatchesJSON: filling an answer by reflection gives what a JSON
// round trip gave (fields the type lacks dropped), tags included.
func TestFillMatchesJSON(t *testing.T) {
	src := map[string]any{"PageNumber": int64(2), "PageSize": int64(10), "TotalCount": 31, "Unknown": "dropped",
		"Accounts": map[string]any{"Account": []map[string]any{
			{"AccountId": "1", "DisplayName": "A", "Renamed": "x", "Tags": map[string]any{"Tag": []map[string]string{{"Key": "k", "Value": "v"}}}},
			{"AccountId": "2", "Status": "CreateSuccess"},
		}}}
	var viaFill, viaJSON rdm.ListAccountsResponse
	if err := fill(&viaFill, src); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(src)
	if err := json.Unmarshal(data, &viaJSON); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(viaFill)
	b, _ := json.Marshal(viaJSON)
	if string(a) != string(b) {
		t.Errorf("fill:\n%s\nJSON:\n%s", a, b)
	}
	if err := fill(&viaFill, map[string]any{"PageNumber": "not a number"}); err == nil {
		t.Error("a value that does not fit its field was taken")
	}
}

// TestCrossVersionWorkflow: one state behind both versions, as Terraform
// meets it. A folder and a resource account are made through
// ResourceManager 2020-03-31, tagged through ResourceDirectoryMaster
// 2022-04-19 (ResourceType Folder and Account), the account moved into the
// folder through one version and read back through both, and both deleted
// through 2020-03-31 and gone in 2022-04-19.
func TestCrossVersionWorkflow(t *testing.T) {
	p := loadProfile(t)
	var apis []*spec.API
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			t.Fatal(err)
		}
		apis = append(apis, api)
	}
	m, err := NewMulti(Options{Profile: p}, apis)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	ctx := context.Background()
	dir, _ := rdm.NewClient(creds, rdm.WithEndpoint(srv.URL), rdm.WithoutRateLimit(), rdm.WithRetry(acs.RetryPolicy{MaxAttempts: 1}))
	man, _ := rm.NewClient(creds, rm.WithEndpoint(srv.URL), rm.WithoutRateLimit(), rm.WithRetry(acs.RetryPolicy{MaxAttempts: 1}), rm.WithSignatureV1())

	rd, err := man.GetResourceDirectory(ctx, &rm.GetResourceDirectoryRequest{})
	if err != nil || rd.ResourceDirectory.RootFolderId == "" {
		t.Fatalf("2020-03-31 GetResourceDirectory: %v %+v", err, rd)
	}
	root := rd.ResourceDirectory.RootFolderId
	folder, err := man.CreateFolder(ctx, &rm.CreateFolderRequest{FolderName: "CrossVersion", ParentFolderId: root})
	if err != nil || folder.Folder.FolderName != "CrossVersion" || folder.Folder.FolderId == "" {
		t.Fatalf("2020-03-31 CreateFolder: %v %+v: want the folder asked for, from state", err, folder)
	}
	fid := folder.Folder.FolderId
	if got, err := dir.GetFolder(ctx, &rdm.GetFolderRequest{FolderId: fid}); err != nil || got.Folder.FolderName != "CrossVersion" || got.Folder.ParentFolderId != root {
		t.Fatalf("2022-04-19 GetFolder of the folder 2020-03-31 made: %v %+v", err, got)
	}
	if _, err := dir.UpdateFolder(ctx, &rdm.UpdateFolderRequest{FolderId: fid, NewFolderName: "Renamed"}); err != nil {
		t.Fatalf("2022-04-19 UpdateFolder: %v", err)
	}
	if got, err := man.GetFolder(ctx, &rm.GetFolderRequest{FolderId: fid}); err != nil || got.Folder.FolderName != "Renamed" {
		t.Fatalf("2020-03-31 GetFolder after the 2022-04-19 rename: %v %+v", err, got)
	}
	acct, err := man.CreateResourceAccount(ctx, &rm.CreateResourceAccountRequest{DisplayName: "cross-version", AccountNamePrefix: "crossversion", ParentFolderId: root})
	if err != nil || acct.Account.AccountId == "" || acct.Account.DisplayName != "cross-version" {
		t.Fatalf("2020-03-31 CreateResourceAccount: %v %+v", err, acct)
	}
	aid := acct.Account.AccountId
	for _, tag := range []struct {
		typ rdm.ResourceType
		id  string
	}{{rdm.ResourceTypeFolder, fid}, {rdm.ResourceTypeAccount, aid}} {
		if _, err := dir.TagResources(ctx, &rdm.TagResourcesRequest{ResourceType: tag.typ, ResourceId: []string{tag.id}, Tag: []rdm.TagResourcesTag{{Key: "team", Value: "x"}}}); err != nil {
			t.Fatalf("2022-04-19 TagResources %s %s: %v", tag.typ, tag.id, err)
		}
		got, err := dir.ListTagResources(ctx, &rdm.ListTagResourcesRequest{ResourceType: rdm.ResourceType(tag.typ), ResourceId: []string{tag.id}})
		if err != nil || len(got.TagResources) != 1 || got.TagResources[0].TagKey != "team" {
			t.Fatalf("2022-04-19 ListTagResources %s: %v %+v", tag.typ, err, got)
		}
	}
	if _, err := man.MoveAccount(ctx, &rm.MoveAccountRequest{AccountId: aid, DestinationFolderId: fid}); err != nil {
		t.Fatalf("2020-03-31 MoveAccount: %v", err)
	}
	if got, err := dir.GetAccount(ctx, &rdm.GetAccountRequest{AccountId: aid}); err != nil || got.Account.FolderId != fid {
		t.Fatalf("2022-04-19 GetAccount after the 2020-03-31 move: %v %+v", err, got)
	}
	if got, err := man.GetAccount(ctx, &rm.GetAccountRequest{AccountId: aid}); err != nil || got.Account.FolderId != fid || got.Account.DisplayName != "cross-version" {
		t.Fatalf("2020-03-31 GetAccount: %v %+v", err, got)
	}
	var ae *acs.APIError
	if _, err := man.DeleteFolder(ctx, &rm.DeleteFolderRequest{FolderId: fid}); !errors.As(err, &ae) || ae.HTTPStatus < 400 {
		t.Fatalf("2020-03-31 DeleteFolder of a folder holding an account: %v, want a refusal", err)
	}
	if _, err := dir.MoveAccount(ctx, &rdm.MoveAccountRequest{AccountId: aid, DestinationFolderId: root}); err != nil {
		t.Fatalf("2022-04-19 MoveAccount back: %v", err)
	}
	if _, err := man.DeleteFolder(ctx, &rm.DeleteFolderRequest{FolderId: fid}); err != nil {
		t.Fatalf("2020-03-31 DeleteFolder: %v", err)
	}
	if _, err := dir.GetFolder(ctx, &rdm.GetFolderRequest{FolderId: fid}); !errors.As(err, &ae) || ae.Code != rdm.CodeEntityNotExistsFolder {
		t.Fatalf("2022-04-19 GetFolder of the deleted folder: %v, want %s", err, rdm.CodeEntityNotExistsFolder)
	}
	if _, err := man.DeleteAccount(ctx, &rm.DeleteAccountRequest{AccountId: aid}); err != nil {
		t.Fatalf("2020-03-31 DeleteAccount: %v", err)
	}
	st, err := dir.GetAccountDeletionStatus(ctx, &rdm.GetAccountDeletionStatusRequest{AccountId: aid})
	if err != nil || st.RdAccountDeletionStatus.Status == "" {
		t.Fatalf("2022-04-19 GetAccountDeletionStatus of the account 2020-03-31 deletes: %v %+v", err, st)
	}
}

// TestCallerIdentity: STS GetCallerIdentity at the one address names the
// caller that signed: a long-term key is its account's own, a key with a
// security token a role session of that account.
func TestCallerIdentity(t *testing.T) {
	p := loadProfile(t)
	var apis []*spec.API
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			t.Fatal(err)
		}
		apis = append(apis, api)
	}
	m, err := NewMulti(Options{Profile: p}, apis)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	for _, c := range []struct{ creds, identity, account string }{
		{"default", "Account", "1728412355001000"},
		{"sts", "AssumedRoleUser", ""},
	} {
		creds, err := p.Resolve(c.creds, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		tr := &acs.Transport{Endpoint: srv.URL, Credentials: creds, Retry: acs.RetryPolicy{MaxAttempts: 1}}
		var got struct{ AccountId, IdentityType, Arn string }
		if err := tr.Do(context.Background(), acs.Call{Action: "GetCallerIdentity", Version: "2015-04-01"}, &got); err != nil {
			t.Fatalf("%s: GetCallerIdentity: %v", c.creds, err)
		}
		if got.IdentityType != c.identity || got.AccountId == "" || (c.account != "" && got.AccountId != c.account) || got.Arn == "" {
			t.Errorf("%s: GetCallerIdentity answered %+v, want identity %s", c.creds, got, c.identity)
		}
	}
}

// TestProductsSharingAVersion: two products of one API version on one
// address (an imported contract beside the built-in Sts 2015-04-01) are
// told apart by the action; each answers its own operations, and the
// interpreted product serves from its contract.
func TestProductsSharingAVersion(t *testing.T) {
	dir := t.TempDir()
	gateway, err := spec.EmbeddedLayer("gateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "docs", "examples", "metadata", "agency-2022-12-16.api-docs.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := metaimport.Parse("agency.json", data)
	if err != nil {
		t.Fatal(err)
	}
	doc.Info.Version = "2015-04-01"
	res, err := metaimport.Import(doc, metaimport.Options{File: "agency.json"})
	if err != nil {
		t.Fatal(err)
	}
	curated := `openapi: 3.0.3
info: {title: Agency, version: "2015-04-01"}
paths: {}
x-acs-imports:
  - {file: gateway.yaml, note: the gateway}
  - {file: agency.imported.yaml, note: the metadata}
x-acs-api:
  product: Agency
  version: "2015-04-01"
  endpoint: agency.aliyuncs.com
  style: RPC
  path: /
  methods: [POST, GET]
  parameter-locations: [query, form]
  formats: [JSON, XML]
  signatures: [v1, v3]
  clock-skew: 15m
  provenance: {kind: platform, reason: a test}
`
	for name, b := range map[string][]byte{"gateway.yaml": gateway, "agency.imported.yaml": res.Document, "agency.yaml": []byte(curated)} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	agency, err := spec.LoadFile(filepath.Join(dir, "agency.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stsAPI, err := spec.LoadProduct("sts")
	if err != nil {
		t.Fatal(err)
	}
	p := loadProfile(t)
	m, err := NewMulti(Options{Profile: p}, []*spec.API{stsAPI, agency})
	if err != nil {
		t.Fatalf("two products of one version: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	srv := httptest.NewServer(m)
	t.Cleanup(srv.Close)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	call := func(action string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", nil)
		req.Header.Set("x-acs-action", action)
		req.Header.Set("x-acs-version", "2015-04-01")
		acs.SignV3(req, nil, creds, time.Now(), acs.NewNonce())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, body
	}
	if status, body := call("GetCallerIdentity"); status != http.StatusOK || !strings.Contains(string(body), "AccountId") {
		t.Errorf("Sts GetCallerIdentity: %d %s", status, body)
	}
	// Agency's ListCountries has no required parameter: its sample.
	if status, body := call("ListCountries"); status != http.StatusOK {
		t.Errorf("Agency ListCountries went to the wrong product: %d %s", status, body)
	}
}
