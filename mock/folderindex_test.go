package mock

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// TestFolderIndex: the children index stays what a scan of the folders
// gives, through creations, renames, deletions and a directory write, in
// any order.
func TestFolderIndex(t *testing.T) {
	s := &State{Directories: map[string]*Directory{}, Accounts: map[string]*Account{}, Handshakes: map[string]*Handshake{}}
	if err := s.put(Put{Kind: "directory", ID: "rd-x", Directory: &Directory{ID: "rd-x", RootFolderID: "r-x"}}); err != nil {
		t.Fatal(err)
	}
	scan := func(d *Directory, parent string) []string {
		var out []string
		for _, f := range d.Folders {
			if f.Parent == parent {
				out = append(out, f.ID)
			}
		}
		slices.Sort(out)
		return out
	}
	ids := func(l []*Folder) []string {
		var out []string
		for _, f := range l {
			out = append(out, f.ID)
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	parents := []string{"r-x", "fd-p1", "fd-p2"}
	for i := 0; i < 2000; i++ {
		d := s.Directories["rd-x"]
		if i == 5 {
			_ = d.childrenOf("r-x") // the index exists from here on
		}
		id := fmt.Sprintf("fd-%03d", rng.IntN(300))
		var p Put
		switch rng.IntN(4) {
		case 0:
			p = Put{Kind: "folder", Dir: "rd-x", ID: id, Delete: true}
		case 1:
			// A directory write keeps the folders and their index.
			p = Put{Kind: "directory", ID: "rd-x", Directory: d.copy()}
		default:
			p = Put{Kind: "folder", Dir: "rd-x", ID: id, Folder: &Folder{ID: id, Name: fmt.Sprintf("n%d", rng.IntN(40)), Parent: parents[rng.IntN(3)], CreateTime: time.Unix(int64(i), 0)}}
		}
		if err := s.put(p); err != nil {
			t.Fatal(err)
		}
		d = s.Directories["rd-x"]
		for _, parent := range parents {
			if got, want := ids(d.childrenOf(parent)), scan(d, parent); !slices.Equal(got, want) {
				t.Fatalf("step %d, parent %s: index %v, scan %v", i, parent, strings.Join(got, ","), strings.Join(want, ","))
			}
			for _, f := range d.Folders {
				named := 0
				for _, g := range d.Folders {
					if g.Parent == parent && g.Name == f.Name {
						named++
					}
				}
				if got := d.namedUnder(parent, f.Name); got != named {
					t.Fatalf("step %d: %d folders named %s under %s, the index counts %d", i, named, f.Name, parent, got)
				}
			}
		}
	}
}

// TestClaimedCredential reads the key ID a v3 Authorization header names.
func TestClaimedCredential(t *testing.T) {
	for in, want := range map[string]string{
		"ACS3-HMAC-SHA256 Credential=LTAI5tMock,SignedHeaders=host,Signature=ab": "LTAI5tMock",
		"ACS3-HMAC-SHA256 Credential=LTAI5tMock/20261207,SignedHeaders=host":     "LTAI5tMock",
		"ACS3-HMAC-SHA256 Credential=LTAI5tMock SignedHeaders=host":              "LTAI5tMock",
		"ACS3-HMAC-SHA256 Credential=,SignedHeaders=host":                        "",
		"Bearer x": "",
		"":         "",
	} {
		if got := claimedCredential(in); got != want {
			t.Errorf("claimedCredential(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestNewEntitiesGetFullAliyunAccess: with control policies enabled, a new
// folder and a new resource account are attached the system policy
// FullAliyunAccess, as AttachControlPolicy's description says; with them
// disabled, nothing is attached.
func TestNewEntitiesGetFullAliyunAccess(t *testing.T) {
	p := loadProfile(t)
	tg := start(t, p, Options{})
	c := client(t, tg, "default")
	ctx := context.Background()
	f, err := c.CreateFolder(ctx, &rdm.CreateFolderRequest{FolderName: "Fresh"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.CreateResourceAccount(ctx, &rdm.CreateResourceAccountRequest{DisplayName: "Fresh Account"})
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{f.Folder.FolderId, a.Account.AccountId} {
		l, err := c.ListControlPolicyAttachmentsForTarget(ctx, &rdm.ListControlPolicyAttachmentsForTargetRequest{TargetId: target})
		if err != nil || len(l.ControlPolicyAttachments.ControlPolicyAttachment) != 1 || l.ControlPolicyAttachments.ControlPolicyAttachment[0].PolicyName != "FullAliyunAccess" {
			t.Errorf("%s: %v %+v", target, err, l)
		}
	}
	d := &Directory{ID: "rd-x", ControlPolicy: disabled, Policies: map[string]*Policy{"cp-f": {ID: "cp-f", Name: "FullAliyunAccess", Type: "System", Attached: map[string]string{}}}}
	if put := defaultPolicy(d, "fd-x", time.Now()); put != nil {
		t.Errorf("control policies disabled: %+v attached", put)
	}
	d.ControlPolicy = enabled
	if put := defaultPolicy(d, "fd-x", time.Now()); put == nil || put.Kind != "attach" || put.Target != "fd-x" || put.ID != "cp-f" {
		t.Errorf("control policies enabled: %+v", put)
	}
}
