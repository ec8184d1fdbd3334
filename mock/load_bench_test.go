package mock

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
)

// BenchmarkLoad measures signed requests per second and p50/p99 latency on
// loopback with 1, 16 and 256 concurrent clients, against the mock (v3
// signature checking on) and against a bare handler that only answers 200
// — the ceiling — in the same run, with the same client and signing. The
// mock runs one operation (DisassociateMembers) and a mix over every
// family, reads and writes (mixedLoad).
func BenchmarkLoad(b *testing.B) {
	p := loadProfile(b)
	creds, _ := p.Resolve("default", func(string) string { return "" })
	zero := time.Duration(0)
	m, err := New(Options{Profile: p, HoldTime: &zero})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	one := func(int64) (string, string) {
		return "DisassociateMembers", "ContactId=c-ActiveContact01&Members.1=r-a1b2c3"
	}
	// Every product on one handler, built only when its benchmarks run (its
	// parsed contracts would otherwise weigh on the others' heap).
	var multi *Multi
	defer func() {
		if multi != nil {
			multi.Close()
		}
	}()
	multiHandler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { multi.ServeHTTP(w, r) })
	for _, tgt := range []struct {
		name string
		h    http.Handler
		req  func(i int64) (action, query string)
	}{{"bare", bare, one}, {"mock", m, one}, {"mock-mixed", m, mixedLoad}, {"multi-mixed", multiHandler, multiLoad}} {
		for _, clients := range []int{1, 16, 256} {
			b.Run(fmt.Sprintf("%s/clients=%d", tgt.name, clients), func(b *testing.B) {
				if tgt.name == "multi-mixed" && multi == nil {
					multi = loadMulti(b)
				}
				srv := httptest.NewServer(tgt.h)
				defer srv.Close()
				hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
				lat := make([]time.Duration, b.N)
				var next atomic.Int64
				var failed atomic.Int64
				var wg sync.WaitGroup
				b.ResetTimer()
				start := time.Now()
				for c := 0; c < clients; c++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for {
							i := next.Add(1) - 1
							if i >= int64(b.N) {
								return
							}
							action, query := tgt.req(i)
							version := "2022-04-19"
							if v, rest, ok := strings.Cut(action, " "); ok {
								version, action = v, rest // "2020-03-31 CreateResourceGroup"
							}
							req, _ := http.NewRequest(http.MethodPost, srv.URL+"/?"+query, nil)
							req.Header.Set("x-acs-action", action)
							req.Header.Set("x-acs-version", version)
							acs.SignV3(req, nil, creds, time.Now(), acs.NewNonce())
							t0 := time.Now()
							resp, err := hc.Do(req)
							if err != nil {
								failed.Add(1)
								continue
							}
							_, _ = io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							if resp.StatusCode != http.StatusOK {
								failed.Add(1)
							}
							lat[i] = time.Since(t0)
						}
					}()
				}
				wg.Wait()
				elapsed := time.Since(start)
				b.StopTimer()
				if n := failed.Load(); n > 0 {
					b.Fatalf("%d of %d requests failed", n, b.N)
				}
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
				b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
				hc.CloseIdleConnections()
			})
		}
	}
}

var loadSeq atomic.Int64

// mixedLoad is the i-th request of a mix over every resource family: one
// write in three (folders created and renamed, tags, bindings, policies
// attached and detached), the rest reads and lists.
func mixedLoad(i int64) (action, query string) {
	n := loadSeq.Add(1) // names unique across runs on the same mock
	mix := []struct{ action, query string }{
		{"GetFolder", "FolderId=fd-a1b2c3d4e5"},
		{"CreateFolder", fmt.Sprintf("FolderName=load-%d", n)},
		{"ListAccounts", "PageSize=10"},
		{"GetAccount", "AccountId=1728412355001001"},
		{"UpdateFolder", fmt.Sprintf("FolderId=fd-Rename0001&NewFolderName=rename-%d", n)},
		{"ListFoldersForParent", "PageSize=20"},
		{"ListHandshakesForResourceDirectory", "PageSize=10"},
		{"TagResources", fmt.Sprintf("ResourceType=Account&ResourceId.1=1728412355001001&Tag.1.Key=k%d&Tag.1.Value=v", i%20)},
		{"GetMessageContact", "ContactId=c-ActiveContact01"},
		{"ListControlPolicyAttachmentsForTarget", "TargetId=fd-a1b2c3d4e5"},
		{"AttachControlPolicy", "PolicyId=cp-Custom000001&TargetId=fd-k1l2m3n4o5"},
		{"ListTagResources", "ResourceType=Account&ResourceId.1=1728412355001001"},
	}
	c := mix[i%int64(len(mix))]
	return c.action, c.query
}

// loadMulti serves every built-in product on one handler, as `acsconform
// mock` does, for the mixed load over both directory versions.
func loadMulti(b *testing.B) *Multi {
	p := loadProfile(b)
	zero := time.Duration(0)
	var apis []*spec.API
	for _, name := range spec.Products {
		api, err := spec.LoadProduct(name)
		if err != nil {
			b.Fatal(err)
		}
		apis = append(apis, api)
	}
	m, err := NewMulti(Options{Profile: p, HoldTime: &zero}, apis)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// multiLoad alternates mixedLoad's 2022-04-19 requests with 2020-03-31's:
// the operations it forwards to the same state (folders, accounts) and its
// own families (resource groups, policies, roles) and Sts.
func multiLoad(i int64) (action, query string) {
	if i%2 == 0 {
		return mixedLoad(i / 2)
	}
	n := loadSeq.Add(1)
	mix := []struct{ action, query string }{
		{"2020-03-31 GetFolder", "FolderId=fd-a1b2c3d4e5"},
		{"2020-03-31 UpdateResourceGroup", fmt.Sprintf("ResourceGroupId=rg-acfmProjects01&NewDisplayName=load%d", n)},
		{"2020-03-31 ListResourceGroups", "PageSize=10"},
		{"2020-03-31 GetAccount", "AccountId=1728412355001001"},
		{"2020-03-31 GetPolicy", "PolicyName=AdministratorAccess&PolicyType=System"},
		{"2020-03-31 ListRoles", "PageSize=10"},
		{"2015-04-01 GetCallerIdentity", ""},
	}
	c := mix[(i/2)%int64(len(mix))]
	return c.action, c.query
}
