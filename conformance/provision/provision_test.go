package provision_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/provision"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// The secrets of the small world below: no record, note or error may
// carry them.
const (
	mainSecret    = "SENTINEL-main-secret-7f3a"
	inviteeSecret = "SENTINEL-invitee-secret-9c1d"
)

// world is a directory with one member and an account it may invite, and
// no invitation yet: every recipe of the contract can run on it.
const world = `
name: small-world
signature: v3
site: intl
credentials:
  default: {access-key-id: LTAI5tMain}
  invitee: {access-key-id: LTAI5tInvitee}
inputs:
  inviteeCredentials: {credentials: invitee}
  pendingHandshakeTarget: "1728412355002001"
  activeContactId: c-ActiveContact01
  FolderId: fd-a1b2c3d4e5
mock:
  callers:
    - {access-key-id: LTAI5tMain, access-key-secret: ` + mainSecret + `, account-id: "1728412355001000"}
    - {access-key-id: LTAI5tInvitee, access-key-secret: ` + inviteeSecret + `, account-id: "1728412355002001"}
  directories:
    - id: rd-3G6h0M1vAcme
      master-account-id: "1728412355001000"
      master-account-name: Alice
      root-folder-id: r-a1b2c3
      members: ["1728412355001001"]
      member-limit: 100
      control-policy: Enabled
      folders:
        - {id: fd-a1b2c3d4e5, name: Applications}
      policies:
        - {id: cp-FullAccess001, name: FullAliyunAccess, type: System, attached: [r-a1b2c3, fd-a1b2c3d4e5]}
      contacts:
        - {id: c-ActiveContact01, status: Active, name: AliceOps, email: alice.contact@example.com}
  accounts:
    - {id: "1728412355001000", email: alice@example.com, legal-entity: Acme Ltd., directory: rd-3G6h0M1vAcme}
    - {id: "1728412355001001", legal-entity: Acme Ltd., directory: rd-3G6h0M1vAcme, display-name: Dev Account}
    - {id: "1728412355002001", email: pending@example.com, legal-entity: Acme Ltd.}
  limits:
    verification-code: "123456"
    country-codes: ["86"]
`

// smallWorld is the embedded contract and the small world's profile.
func smallWorld(t *testing.T) (*spec.API, *profile.Profile) {
	t.Helper()
	api, err := spec.LoadNamed("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := profile.Parse("small-world.yaml", []byte(world))
	if err != nil {
		t.Fatal(err)
	}
	return api, p
}

// start serves the small world behind a recorder of the actions it is
// sent; check, when set, runs before each request reaches the mock.
func start(t *testing.T, check func(action string)) (*spec.API, *profile.Profile, *run.Env, *mock.Mock, *[]string) {
	t.Helper()
	api, p := smallWorld(t)
	m, err := mock.New(mock.Options{Profile: p, Contract: api, Admin: true})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var actions []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := r.Header.Get("x-acs-action")
		if action == "" {
			action = r.URL.Query().Get("Action")
		}
		if check != nil {
			check(action)
		}
		mu.Lock()
		actions = append(actions, action)
		mu.Unlock()
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { srv.Close(); m.Close() })
	env, err := run.NewEnv(api, p, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return api, p, env, m, &actions
}

// TestWantedOrder: the inputs to make are those asked for and not given,
// with what their recipes name first; an input whose recipe needs one the
// profile lacks is named with it, and not made.
func TestWantedOrder(t *testing.T) {
	api, p := smallWorld(t)
	asked := map[string]bool{"usedContactName": true, "GetAccountDeletionStatus.AccountId": true, "declinedHandshakeId": true, "activeContactId": true}
	order, lacking := provision.Wanted(api, p, asked)
	want := []string{"deletingAccountId", "GetAccountDeletionStatus.AccountId", "declinedHandshakeId", "lockedContactId", "usedContactName"}
	if !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if len(lacking) != 0 {
		t.Errorf("lacking %v", lacking)
	}
	// activeContactId is given; an input nobody asked for is not made.
	if slices.Contains(order, "activeContactId") || slices.Contains(order, "DeleteFolder.FolderId") {
		t.Errorf("order %v makes what is given or not asked for", order)
	}
	delete(p.Inputs, "pendingHandshakeTarget")
	order, lacking = provision.Wanted(api, p, asked)
	if slices.Contains(order, "declinedHandshakeId") || !slices.Equal(lacking["declinedHandshakeId"], []string{"pendingHandshakeTarget"}) {
		t.Errorf("without pendingHandshakeTarget: order %v, lacking %v", order, lacking)
	}
}

// TestMakeAndCleanup: every recipe of the contract runs on a world that
// lacks its entities; the made entities have the declared status; the
// record lists each one before its creation is sent and holds no secret;
// the cleanup removes them and deletes the record.
func TestMakeAndCleanup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "record.json")
	var rec *provision.Record
	creating := map[string]bool{}
	for _, in := range []string{"AddMessageContact", "CreateFolder", "CreateControlPolicy", "CreateResourceAccount", "InviteAccountToResourceDirectory"} {
		creating[in] = true
	}
	var before []string // the record's content when each creation was sent
	api, p, env, m, actions := start(t, func(action string) {
		if creating[action] && rec != nil {
			b, _ := os.ReadFile(path)
			before = append(before, string(b))
		}
	})
	var all []string
	for name, d := range api.Inputs {
		if d.Provision != nil && !p.Has(name) {
			all = append(all, name)
		}
	}
	asked := map[string]bool{}
	for _, name := range all {
		asked[name] = true
	}
	order, lacking := provision.Wanted(api, p, asked)
	if len(lacking) != 0 || len(order) != len(all) {
		t.Fatalf("order %v, lacking %v, want all of %v", order, lacking, all)
	}
	var err error
	if rec, err = provision.NewRecord(path, env.Endpoint, api.Product+" "+api.Version, p.File, false); err != nil {
		t.Fatal(err)
	}
	maker := &provision.Maker{API: api, Profile: p, Env: env, Record: rec}
	values, failed := maker.Make(context.Background(), order)
	if len(failed) != 0 {
		t.Fatalf("failed: %v", failed)
	}
	// Each creation was in the record before it was sent.
	made := 0
	for _, e := range rec.Entities {
		if e.State == provision.StateMade {
			made++
		}
	}
	if len(before) != len(rec.Entities) || made != len(rec.Entities) {
		t.Fatalf("%d creations sent, %d entities recorded, %d made", len(before), len(rec.Entities), made)
	}
	for i, b := range before {
		if !strings.Contains(b, `"input": "`+rec.Entities[i].Input+`"`) || !strings.Contains(b, `"state": "making"`) {
			t.Errorf("creation %d (%s) was sent before the record listed it:\n%s", i, rec.Entities[i].Input, b)
		}
	}
	// The made entities are what their declarations say.
	st := m.Backend().Dump()
	hs := func(id string) string {
		if h := st.Handshakes[id]; h != nil {
			return h.Status
		}
		return "absent"
	}
	d := st.Directories["rd-3G6h0M1vAcme"]
	switch {
	case hs(values["declinedHandshakeId"]) != "Declined" || hs(values["cancelledHandshakeId"]) != "Cancelled":
		t.Errorf("handshakes: declined one %s, cancelled one %s", hs(values["declinedHandshakeId"]), hs(values["cancelledHandshakeId"]))
	case d.Contacts[values["lockedContactId"]] == nil || d.Contacts[values["lockedContactId"]].Status != "Pending":
		t.Errorf("lockedContactId %s is not a pending contact", values["lockedContactId"])
	case d.Contacts[values["lockedContactId"]].Name != values["usedContactName"]:
		t.Errorf("usedContactName %q is not lockedContactId's name", values["usedContactName"])
	case values["GetAccountDeletionStatus.AccountId"] != values["deletingAccountId"] || st.Accounts[values["deletingAccountId"]].Deletion != "deleting":
		t.Errorf("deletingAccountId %s is not being deleted", values["deletingAccountId"])
	case d.Folders[values["DeleteFolder.FolderId"]] == nil || d.Policies[values["DeleteControlPolicy.PolicyId"]] == nil:
		t.Errorf("the folder or the policy was not made")
	case d.Folders[values["ChildId"]] == nil || d.Folders[values["ChildId"]].Parent != "fd-a1b2c3d4e5" || values["AttachControlPolicy.TargetId"] != values["ChildId"]:
		t.Errorf("ChildId %s is not a folder inside FolderId", values["ChildId"])
	case d.Policies[values["PolicyId"]] == nil || len(d.Policies[values["PolicyId"]].Attached) != 1 || d.Policies[values["PolicyId"]].Attached["fd-a1b2c3d4e5"] == "":
		t.Errorf("PolicyId %s is not attached to FolderId alone", values["PolicyId"])
	case d.Contacts[values["deletingContactId"]] == nil || d.Contacts[values["deletingContactId"]].Status != "Deleting":
		t.Errorf("deletingContactId %s is not being deleted", values["deletingContactId"])
	case st.Accounts[values["ChangeAccountEmail.AccountId"]].DisplayName != values["usedAccountDisplayName"]:
		t.Errorf("usedAccountDisplayName %q is not ChangeAccountEmail.AccountId's name", values["usedAccountDisplayName"])
	}
	// Secrets appear nowhere.
	raw, _ := os.ReadFile(path)
	for _, secret := range []string{mainSecret, inviteeSecret} {
		if bytes.Contains(raw, []byte(secret)) {
			t.Errorf("the record holds a secret")
		}
	}
	// The cleanup removes everything that has a cleanup, the last made first.
	var wantOrder []string
	for _, e := range slices.Backward(rec.Entities) {
		for _, c := range e.Cleanup {
			wantOrder = append(wantOrder, c.Action)
		}
	}
	*actions = nil
	if err := provision.Cleanup(context.Background(), env, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the record is left after a complete cleanup")
	}
	st = m.Backend().Dump()
	d = st.Directories["rd-3G6h0M1vAcme"]
	if d.Folders[values["DeleteFolder.FolderId"]] != nil || d.Policies[values["DeleteControlPolicy.PolicyId"]] != nil {
		t.Errorf("the folder or the policy is left")
	}
	if c := d.Contacts[values["lockedContactId"]]; c != nil && c.Status != "Deleting" {
		t.Errorf("lockedContactId is left %s", c.Status)
	}
	if a := st.Accounts[values["DeleteAccount.AccountId"]]; a == nil || a.Deletion != "deleting" {
		t.Errorf("DeleteAccount.AccountId is not being deleted")
	}
	if !slices.Equal(*actions, wantOrder) {
		t.Errorf("cleanup sent %v, want the recipes' cleanups, the last made first: %v", *actions, wantOrder)
	}
}

// TestCleanupAfterKill: entities a run made before it was killed are in
// its record; the cleanup removes them, counting one a case deleted as
// removed (its gone code), and keeps the record naming what it could not
// remove, and an entity whose creation got no answer.
func TestCleanupAfterKill(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "record.json")
	api, p, env, _, _ := start(t, nil)
	rec, err := provision.NewRecord(path, env.Endpoint, api.Product+" "+api.Version, p.File, false)
	if err != nil {
		t.Fatal(err)
	}
	maker := &provision.Maker{API: api, Profile: p, Env: env, Record: rec}
	values, failed := maker.Make(context.Background(), []string{"DeleteFolder.FolderId", "UpdateFolder.FolderId"})
	if len(failed) != 0 {
		t.Fatal(failed)
	}
	// A case deleted one folder; the run was then killed.
	if a := env.Send(context.Background(), plan.Request{Action: "DeleteFolder", Params: url.Values{"FolderId": {values["DeleteFolder.FolderId"]}}}, false); a.Status != 200 {
		t.Fatalf("DeleteFolder: %s", run.Describe(a))
	}
	// An earlier record that still lists entities blocks a new run.
	if _, err := provision.NewRecord(path, env.Endpoint, "x", "y", false); err == nil || !strings.Contains(err.Error(), "acsconform cleanup --record") {
		t.Errorf("a new run over a pending record: %v", err)
	}
	left, err := provision.LoadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	left.Entities = append(left.Entities, &provision.Entity{Input: "lockedContactId", Action: "AddMessageContact", State: provision.StateMaking, Request: map[string][]string{"Name": {"AcsLost"}}})
	if err := provision.Cleanup(context.Background(), env, left); err == nil || !strings.Contains(err.Error(), "AcsLost") {
		t.Fatalf("cleanup with an unanswered creation: %v", err)
	}
	kept, err := provision.LoadRecord(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(kept.Pending()) != 1 || kept.Pending()[0].Input != "lockedContactId" {
		t.Errorf("the record keeps %d pending entities, want only the unanswered creation", len(kept.Pending()))
	}
}
