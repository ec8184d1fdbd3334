package mock

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/acsconform/acsconform/profile"
)

// bigSeed is the profile's seed plus a tree of folders (fanout under the
// root, the rest one level down) and accounts spread over them.
func bigSeed(p *profile.Profile, folders, accounts int) *profile.Profile {
	seed := *p.Mock
	dirs := append([]profile.Directory(nil), seed.Directories...)
	d := dirs[0]
	d.Folders = append([]profile.Folder(nil), d.Folders...)
	d.Members = append([]string(nil), d.Members...)
	top := 100
	for i := 0; i < folders; i++ {
		f := profile.Folder{ID: fmt.Sprintf("fd-big%07d", i), Name: fmt.Sprintf("folder-%d", i)}
		if i >= top {
			f.Parent = fmt.Sprintf("fd-big%07d", i%top)
		}
		d.Folders = append(d.Folders, f)
	}
	d.MemberLimit = 0
	accts := append([]profile.Account(nil), seed.Accounts...)
	for i := 0; i < accounts; i++ {
		id := fmt.Sprintf("29%014d", i)
		accts = append(accts, profile.Account{ID: id, LegalEntity: "Acme Ltd.", Directory: d.ID, DisplayName: "member-" + id, Folder: fmt.Sprintf("fd-big%07d", i%folders)})
		d.Members = append(d.Members, id)
	}
	dirs[0] = d
	seed.Directories, seed.Accounts = dirs, accts
	out := *p
	out.Mock = &seed
	return &out
}

// BenchmarkLargeDirectory: list operations on a directory of 10,000
// accounts in 1,000 folders, beside the same calls on the seeded profile's
// small directory in the same run (the ratio is the cost of size). The
// handler runs in-process without signature checks: this measures the
// model, not the network.
func BenchmarkLargeDirectory(b *testing.B) {
	p := loadProfile(b)
	api := contract(b)
	calls := []struct{ name, query string }{
		{"ListAccounts", "Action=ListAccounts&PageSize=100"},
		{"ListAccountsForParent", "Action=ListAccountsForParent&ParentFolderId=fd-big0000150&PageSize=100"},
		{"ListFoldersForParent", "Action=ListFoldersForParent&PageSize=100"},
		{"ListAncestors", "Action=ListAncestors&ChildId=fd-big0000150"},
		{"GetAccount", "Action=GetAccount&AccountId=2900000000000150"},
	}
	for _, size := range []struct {
		name              string
		folders, accounts int
	}{{"small", 200, 200}, {"large", 1000, 10000}} {
		m, err := New(Options{Profile: bigSeed(p, size.folders, size.accounts), Contract: api, NoAuth: true})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range calls {
			b.Run(size.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					req := httptest.NewRequest(http.MethodGet, "/?Version=2022-04-19&"+c.query, nil)
					w := httptest.NewRecorder()
					m.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("%s: HTTP %d %s", c.name, w.Code, w.Body.String())
					}
				}
			})
		}
		m.Close()
	}
}

// BenchmarkMemoryPerThousandEntities: the heap a seeded state takes per
// thousand accounts and per thousand folders (each measured alone, from the
// same baseline, in the same run).
func BenchmarkMemoryPerThousandEntities(b *testing.B) {
	p := loadProfile(b)
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	for _, kind := range []struct {
		name              string
		folders, accounts int
	}{{"accounts", 1, 10000}, {"folders", 10000, 0}} {
		b.Run(kind.name, func(b *testing.B) {
			var per float64
			for i := 0; i < b.N; i++ {
				seed := bigSeed(p, kind.folders, kind.accounts)
				base, err := Seed(p.Mock)
				if err != nil {
					b.Fatal(err)
				}
				before := heap()
				s, err := Seed(seed.Mock)
				if err != nil {
					b.Fatal(err)
				}
				after := heap()
				n := max(kind.folders, kind.accounts)
				per = float64(after-before) / float64(n) * 1000
				runtime.KeepAlive(s)
				runtime.KeepAlive(base)
			}
			b.ReportMetric(per, "bytes/1000")
		})
	}
}
