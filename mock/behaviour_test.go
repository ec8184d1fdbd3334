package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/profile"
)

var fixedNow = time.Date(2026, 11, 23, 9, 55, 41, 0, time.UTC)

func client(t *testing.T, tg *target, as string, opts ...rdm.Option) *rdm.Client {
	t.Helper()
	creds, err := tg.prof.Resolve(as, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	c, err := rdm.NewClient(creds, append([]rdm.Option{rdm.WithEndpoint(tg.srv.URL), rdm.WithoutRateLimit(), rdm.WithRetry(acs.RetryPolicy{MaxAttempts: 1})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBindingLifecycle(t *testing.T) {
	zero := time.Duration(0)
	now := fixedNow
	tg := start(t, loadProfile(t), Options{Now: func() time.Time { return now }, HoldTime: &zero})
	c := client(t, tg, "default")
	ctx := context.Background()
	a, err := c.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"1728412355001001", "fd-a1b2c3d4e5"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Members) != 2 || a.Members[0].ContactId != "c-ActiveContact01" || a.Members[1].MemberId != "fd-a1b2c3d4e5" || a.Members[0].ModifyDate != "2026-11-23 09:55:41" {
		t.Fatalf("bindings: %+v", a.Members)
	}
	// Re-binding is idempotent: same answer, first ModifyDate, no new state.
	now = now.Add(time.Hour)
	again, err := c.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"1728412355001001"}})
	if err != nil || again.Members[0].ModifyDate != "2026-11-23 09:55:41" {
		t.Fatalf("re-bind: %+v, %v", again, err)
	}
	if got := len(tg.mock.Backend().Dump().Directories["rd-3G6h0M1vAcme"].Contacts["c-ActiveContact01"].Bound); got != 2 {
		t.Fatalf("%d bindings after a re-bind", got)
	}
	d, err := c.DisassociateMembers(ctx, &rdm.DisassociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"1728412355001001"}})
	if err != nil || d.Members[0].ModifyDate != "2026-11-23 10:55:41" || d.Members[0].MemberId != "1728412355001001" {
		t.Fatalf("unbind: %+v, %v", d, err)
	}
	bound := tg.mock.Backend().Dump().Directories["rd-3G6h0M1vAcme"].Contacts["c-ActiveContact01"].Bound
	if _, still := bound["1728412355001001"]; still || len(bound) != 1 {
		t.Fatalf("bound after unbind: %v", bound)
	}
}

func TestInvitationCreatesPendingHandshake(t *testing.T) {
	tg := start(t, loadProfile(t), Options{Now: func() time.Time { return fixedNow }, NewID: func(p string) string { return p + "abc123xyz0" }})
	c := client(t, tg, "default")
	h, err := c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{
		TargetEntity: "invitee01@example.com", TargetType: rdm.TargetTypeEmail, Note: "歡迎您加入", ParentFolderId: "fd-a1b2c3d4e5",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := rdm.Handshake{HandshakeId: "h-abc123xyz0", Status: rdm.HandshakeStatusPending, TargetEntity: "invitee01@example.com", TargetType: rdm.TargetTypeEmail,
		Note: "歡迎您加入", ResourceDirectoryId: "rd-3G6h0M1vAcme", MasterAccountId: "1728412355001000", MasterAccountName: "Alice",
		CreateTime: "2026-11-23T09:55:41Z", ModifyTime: "2026-11-23T09:55:41Z", ExpireTime: "2026-12-07T09:55:41Z"}
	if h.Handshake != want {
		t.Fatalf("handshake\n got %+v\nwant %+v", h.Handshake, want)
	}
	// The same target again: a pending invitation exists (by email or by ID).
	for _, r := range []*rdm.InviteAccountToResourceDirectoryRequest{
		{TargetEntity: "invitee01@example.com", TargetType: rdm.TargetTypeEmail},
		{TargetEntity: "1728412355003001", TargetType: rdm.TargetTypeAccount},
	} {
		_, err = c.InviteAccountToResourceDirectory(context.Background(), r)
		var ae *acs.APIError
		if !errors.As(err, &ae) || ae.Code != rdm.CodeEntityAlreadyExistsHandshake {
			t.Fatalf("second invitation: %v", err)
		}
	}
}

func TestHandshakeLifecycle(t *testing.T) {
	now := fixedNow
	tg := start(t, loadProfile(t), Options{Admin: true, Now: func() time.Time { return now }, NewID: func(p string) string { return p + "lifecycle1" }})
	c := client(t, tg, "default")
	if _, err := c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003002", TargetType: rdm.TargetTypeAccount}); err != nil {
		t.Fatal(err)
	}
	// Expiry: past ExpireTime a Pending handshake reads Expired, and the
	// target can be invited again.
	now = now.Add(15 * 24 * time.Hour)
	if got := tg.mock.Backend().Dump().Handshakes["h-lifecycle1"].Status; got != "Expired" {
		t.Fatalf("status after 15 days: %s", got)
	}
	if err := tg.mock.Backend().SetHandshakeStatus("h-lifecycle1", "Accepted"); err == nil {
		t.Fatal("accepted an expired handshake")
	}
	now = fixedNow
	resp, err := http.Post(tg.srv.URL+AdminPrefix+"handshakes/h-lifecycle1?status=Accepted", "", nil)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("accept: %v %v", resp, err)
	}
	// Accepted: the target is a member now.
	_, err = c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003002", TargetType: rdm.TargetTypeAccount})
	var ae *acs.APIError
	if !errors.As(err, &ae) || ae.Code != rdm.CodeEntityAlreadyExistsResourceDirAccount {
		t.Fatalf("invite a new member: %v", err)
	}
}

func TestAdminEndpoints(t *testing.T) {
	p := loadProfile(t)
	off := start(t, p, Options{})
	resp, _ := http.Get(off.srv.URL + AdminPrefix + "state")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("admin off: %d", resp.StatusCode)
	}
	resp.Body.Close()
	on := start(t, p, Options{Admin: true})
	c := client(t, on, "default")
	seeded := len(on.mock.Backend().Dump().Handshakes)
	if _, err := c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003003", TargetType: rdm.TargetTypeAccount}); err != nil {
		t.Fatal(err)
	}
	if n := len(on.mock.Backend().Dump().Handshakes); n != seeded+1 {
		t.Fatalf("%d handshakes, want the %d seeded and the new one", n, seeded)
	}
	resp, _ = http.Post(on.srv.URL+AdminPrefix+"reset", "", nil)
	if resp.StatusCode != http.StatusNoContent || len(on.mock.Backend().Dump().Handshakes) != seeded {
		t.Fatalf("reset: %d, %d handshakes", resp.StatusCode, len(on.mock.Backend().Dump().Handshakes))
	}
	resp, _ = http.Get(on.srv.URL + AdminPrefix + "state")
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"rd-3G6h0M1vAcme"`) || strings.Contains(string(body), "mock-main-secret") {
		t.Fatalf("state dump: missing state or leaking a secret: %.200s", body)
	}

	// A mark makes reset return to the marked state (what a provisioning
	// run made stays), until it is cleared.
	if _, err := c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003003", TargetType: rdm.TargetTypeAccount}); err != nil {
		t.Fatal(err)
	}
	admin := func(method, path string) {
		t.Helper()
		req, _ := http.NewRequest(method, on.srv.URL+AdminPrefix+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s %s: %v %v", method, path, err, resp)
		}
		resp.Body.Close()
	}
	admin(http.MethodPost, "mark")
	if _, err := c.InviteAccountToResourceDirectory(context.Background(), &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003004", TargetType: rdm.TargetTypeAccount}); err != nil {
		t.Fatal(err)
	}
	admin(http.MethodPost, "reset")
	if n := len(on.mock.Backend().Dump().Handshakes); n != seeded+1 {
		t.Fatalf("reset after a mark: %d handshakes, want the %d seeded and the marked one", n, seeded)
	}
	admin(http.MethodDelete, "mark")
	admin(http.MethodPost, "reset")
	if n := len(on.mock.Backend().Dump().Handshakes); n != seeded {
		t.Fatalf("reset after the mark is cleared: %d handshakes, want the %d seeded", n, seeded)
	}
}

func TestFaults(t *testing.T) {
	p := loadProfile(t)
	f, err := ParseFault("action=DisassociateMembers,503=1")
	if err != nil {
		t.Fatal(err)
	}
	tg := start(t, p, Options{Faults: []Fault{f}})
	c := client(t, tg, "default")
	ctx := context.Background()
	var ae *acs.APIError
	_, err = c.DisassociateMembers(ctx, &rdm.DisassociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"r-a1b2c3"}})
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 || ae.Code != rdm.CodeServiceUnavailable {
		t.Fatalf("flag fault: %v", err)
	}
	if _, err := c.InviteAccountToResourceDirectory(ctx, &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003004", TargetType: rdm.TargetTypeAccount}); err != nil {
		t.Fatalf("another operation is affected: %v", err)
	}
	// Per request, by header: honoured on a signed request; an unsigned one
	// gets no fault unless the mock takes the header from anyone.
	signed := client(t, tg, "default", rdm.WithHTTPClient(&http.Client{Transport: headerRT{FaultHeader, "503=1"}}))
	_, err = signed.InviteAccountToResourceDirectory(ctx, &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "1728412355003004", TargetType: rdm.TargetTypeAccount})
	if !errors.As(err, &ae) || ae.Code != rdm.CodeServiceUnavailable {
		t.Errorf("the fault header on a signed request: %v", err)
	}
	unsigned, _ := http.NewRequest("GET", tg.srv.URL+"/?Action=AssociateMembers&Version=2022-04-19", nil)
	unsigned.Header.Set(FaultHeader, "500=1")
	if resp, err := http.DefaultClient.Do(unsigned); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if e, err := acs.DecodeError(resp.StatusCode, body); err != nil || e.Code != rdm.CodeIncompleteSignature {
			t.Errorf("the fault header on an unsigned request was honoured: %s", body)
		}
	}
	tg = start(t, p, Options{FaultsFromHeader: true})
	for header, want := range map[string]string{"500=1": rdm.CodeInternalError, "throttle=1": rdm.CodeThrottlingUser} {
		req, _ := http.NewRequest("GET", tg.srv.URL+"/?Action=AssociateMembers&Version=2022-04-19", nil)
		req.Header.Set(FaultHeader, header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e, err := acs.DecodeError(resp.StatusCode, body)
		if err != nil || e.Code != want {
			t.Errorf("header %s: %s", header, body)
		}
	}
	req, _ := http.NewRequest("GET", tg.srv.URL+"/?Action=AssociateMembers", nil)
	req.Header.Set(FaultHeader, "drop=1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("drop=1 answered")
	}
	req.Header.Set(FaultHeader, "latency=150ms")
	start := time.Now()
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	if time.Since(start) < 150*time.Millisecond {
		t.Error("latency not added")
	}
	for _, bad := range []string{"500=2", "latency=soon", "colour=red", "503"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
}

func TestAnswersAreChecked(t *testing.T) {
	p := loadProfile(t)
	bad := withAnswer(t, p, "DisassociateMembers", "Members.maxItems", "EntityNotExists.Contact")
	if _, err := New(Options{Profile: bad}); err == nil || !strings.Contains(err.Error(), "may answer [InvalidParameter.Members.Length QuotaExceeded.Members]") {
		t.Fatalf("an undocumented answer: %v", err)
	}
}

func TestEnforcedRateLimit(t *testing.T) {
	tg := start(t, loadProfile(t), Options{EnforceRateLimit: true})
	c := client(t, tg, "default")
	throttled := 0
	for i := 0; i < 30; i++ {
		_, err := c.DisassociateMembers(context.Background(), &rdm.DisassociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"r-a1b2c3"}})
		var ae *acs.APIError
		if errors.As(err, &ae) && ae.Code == rdm.CodeThrottlingUser {
			throttled++
		} else if err != nil {
			t.Fatal(err)
		}
	}
	// 30 back-to-back calls against 20/s with a burst of 20.
	if throttled == 0 {
		t.Fatal("no call was throttled")
	}
}

// TestParallelLoad drives every operation from many goroutines; run under
// -race it proves the backend's locking.
func TestParallelLoad(t *testing.T) {
	zero := time.Duration(0)
	tg := start(t, loadProfile(t), Options{HoldTime: &zero, Admin: true})
	c := client(t, tg, "default")
	ctx := context.Background()
	var wg sync.WaitGroup
	objects := []string{"r-a1b2c3", "fd-a1b2c3d4e5", "fd-f6g7h8i9j0", "1728412355001001"}
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				obj := objects[(w+i)%len(objects)]
				var err error
				switch i % 4 {
				case 0:
					_, err = c.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{obj}})
				case 1:
					_, err = c.DisassociateMembers(ctx, &rdm.DisassociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{obj}})
				case 2:
					_, err = c.InviteAccountToResourceDirectory(ctx, &rdm.InviteAccountToResourceDirectoryRequest{TargetEntity: "nobody@example.com", TargetType: rdm.TargetTypeEmail})
				case 3:
					_ = tg.mock.Backend().Dump()
				}
				var ae *acs.APIError
				if err != nil && !errors.As(err, &ae) {
					t.Error(err)
				}
			}
		}(w)
	}
	wg.Wait()
}

// TestUnsignedRequestGetsAHint: a bare, unsigned request keeps the
// documented code and message, and its Recommend field and a header say
// how to get through (sign with a mock caller, or --no-auth).
func TestUnsignedRequestGetsAHint(t *testing.T) {
	tg := start(t, loadProfile(t), Options{})
	for _, xml := range []bool{false, true} {
		u := tg.srv.URL + "/?Action=AssociateMembers&Version=2022-04-19"
		if xml {
			u += "&Format=XML"
		}
		resp, err := http.Post(u, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		e, err := acs.DecodeError(resp.StatusCode, body)
		if err != nil {
			t.Fatalf("not an error body: %v\n%s", err, body)
		}
		want := rdm.NewError("", rdm.CodeIncompleteSignature)
		// The documented message (prefix-matched: the gateway appends to it too), then the hint.
		if e.Code != want.Code || !strings.HasPrefix(e.Message, want.Message) || resp.StatusCode != want.HTTPStatus {
			t.Errorf("xml=%v: %d %s %q, want the documented %d %s %q", xml, resp.StatusCode, e.Code, e.Message, want.HTTPStatus, want.Code, want.Message)
		}
		if !strings.HasSuffix(e.Message, "(acsconform mock: "+UnsignedHint+")") || !strings.Contains(e.Message, "--no-auth") || resp.Header.Get("X-Acsconform-Hint") != UnsignedHint ||
			!strings.HasPrefix(e.Recommend, "https://api.aliyun.com/troubleshoot?q=IncompleteSignature&") {
			t.Errorf("xml=%v: no hint, or the gateway's Recommend replaced: Message %q, Recommend %q, header %q", xml, e.Message, e.Recommend, resp.Header.Get("X-Acsconform-Hint"))
		}
		if resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
			t.Errorf("Content-Length %s for a %d-byte body", resp.Header.Get("Content-Length"), len(body))
		}
	}
}

// TestInvalidUTF8IsRefusedBeforeState: a value that is not UTF-8 (in a
// note, an e-mail target) gets the gateway's InvalidParameter and changes
// nothing, so no raw bytes reach the state or its journal.
func TestInvalidUTF8IsRefusedBeforeState(t *testing.T) {
	tg := start(t, loadProfile(t), Options{})
	c := client(t, tg, "default", rdm.WithoutValidation())
	before := len(tg.mock.Backend().Dump().Handshakes)
	for _, r := range []*rdm.InviteAccountToResourceDirectoryRequest{
		{TargetEntity: "invitee01@example.com", TargetType: rdm.TargetTypeEmail, Note: "caf\xe9"},
		{TargetEntity: "invitee\xff01@example.com", TargetType: rdm.TargetTypeEmail},
	} {
		_, err := c.InviteAccountToResourceDirectory(context.Background(), r)
		var ae *acs.APIError
		if !errors.As(err, &ae) || ae.Code != rdm.CodeInvalidParameter || ae.HTTPStatus != 400 {
			t.Errorf("%q: %v, want InvalidParameter", r.TargetEntity+" / "+r.Note, err)
		}
	}
	if after := len(tg.mock.Backend().Dump().Handshakes); after != before {
		t.Errorf("handshakes %d → %d: a refused request changed state", before, after)
	}
}

// TestAdminRefusesWhatABrowserCouldSend: the admin endpoints answer
// requests to an IP address, localhost or a listed name, and refuse a DNS
// name (rebinding) and cross-origin requests.
func TestAdminRefusesWhatABrowserCouldSend(t *testing.T) {
	tg := start(t, loadProfile(t), Options{Admin: true, AdminHosts: []string{"mock.internal"}})
	for _, tc := range []struct {
		host, origin, site string
		want               int
	}{
		{"", "", "", http.StatusOK},
		{"localhost:8080", "", "", http.StatusOK},
		{"[::1]:8080", "", "", http.StatusOK},
		{"mock.internal:8080", "", "", http.StatusOK},
		{"attacker.example", "", "", http.StatusForbidden},
		{"", "http://attacker.example", "", http.StatusForbidden},
		{"", "", "cross-site", http.StatusForbidden},
	} {
		req, _ := http.NewRequest(http.MethodGet, tg.srv.URL+AdminPrefix+"state", nil)
		if tc.host != "" {
			req.Host = tc.host
		}
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", tc.site)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("Host %q Origin %q Sec-Fetch-Site %q: %d, want %d", tc.host, tc.origin, tc.site, resp.StatusCode, tc.want)
		}
	}
}

// headerRT adds one header to every request.
type headerRT struct{ name, value string }

func (h headerRT) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(h.name, h.value)
	return http.DefaultTransport.RoundTrip(r)
}

// TestUnsignedRequestsCannotSpendACallersRate: requests that name a
// caller's key without its signature are refused by the handler and spend
// nothing of that caller's rate.
func TestUnsignedRequestsCannotSpendACallersRate(t *testing.T) {
	tg := start(t, loadProfile(t), Options{EnforceRateLimit: true})
	for i := 0; i < 60; i++ {
		u := tg.srv.URL + "/?Action=DisassociateMembers&Version=2022-04-19&AccessKeyId=LTAI5tMockMainCaller&Signature=forged&SignatureNonce=" + strconv.Itoa(i) + "&Timestamp=2026-01-01T00:00:00Z&ContactId=c-ActiveContact01&Members.1=r-a1b2c3"
		resp, err := http.Post(u, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if e, err := acs.DecodeError(resp.StatusCode, body); err == nil && e.Code == rdm.CodeThrottlingUser {
			t.Fatalf("a forged request was throttled (it reached the caller's bucket): %s", body)
		}
	}
	c := client(t, tg, "default")
	if _, err := c.DisassociateMembers(context.Background(), &rdm.DisassociateMembersRequest{ContactId: "c-ActiveContact01", Members: []string{"r-a1b2c3"}}); err != nil {
		t.Fatalf("the caller's own request after 60 forged ones: %v", err)
	}
}

// TestGatewayForms: every answer — from the handler, an injected fault or
// the rate limiter — repeats its RequestId in x-acs-request-id, and error
// bodies take the contract's gateway layout: JSON keys in order with the
// Recommend URL, XML with the single-quoted declaration and Recommend in
// CDATA; a wrong method and another path get their documented codes.
func TestGatewayForms(t *testing.T) {
	p := loadProfile(t)
	zero := time.Duration(0)
	tg := start(t, p, Options{NoAuth: true, HoldTime: &zero, EnforceRateLimit: true,
		Faults: []Fault{{Action: "InviteAccountToResourceDirectory", Share503: 1}}})
	get := func(method, path string) (*http.Response, string) {
		req, _ := http.NewRequest(method, tg.srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	rid := regexp.MustCompile(`RequestId["<>:]+([0-9A-F-]{36})`)
	for _, tc := range []struct {
		name, method, path string
		status             int
		body               *regexp.Regexp
	}{
		{"success", "GET", "/?Action=DisassociateMembers&Version=2022-04-19&ContactId=c-ActiveContact01&Members.1=r-a1b2c3", 200, regexp.MustCompile(`^\{"RequestId":"[0-9A-F-]{36}",`)},
		{"json error", "GET", "/?Action=Nope&Version=2022-04-19", 404,
			regexp.MustCompile(`^\{"RequestId":"([0-9A-F-]{36})","Message":"Specified api is not found, please check your url and method\.","Recommend":"https://api\.aliyun\.com/troubleshoot\?q=InvalidAction\.NotFound&product=ResourceDirectoryMaster&requestId=[0-9A-F-]{36}","HostId":"resourcedirectory\.aliyuncs\.com","Code":"InvalidAction\.NotFound"\}$`)},
		{"xml error", "GET", "/?Action=Nope&Version=2022-04-19&Format=XML", 404,
			regexp.MustCompile(`^<\?xml version='1\.0' encoding='UTF-8'\?><Error><RequestId>[0-9A-F-]{36}</RequestId><HostId>resourcedirectory\.aliyuncs\.com</HostId><Code>InvalidAction\.NotFound</Code><Message>Specified api is not found, please check your url and method\.</Message><Recommend><!\[CDATA\[https://api\.aliyun\.com/troubleshoot\?q=InvalidAction\.NotFound&product=ResourceDirectoryMaster&requestId=[0-9A-F-]{36}\]\]></Recommend></Error>$`)},
		{"injected fault", "GET", "/?Action=InviteAccountToResourceDirectory&Version=2022-04-19", 503, regexp.MustCompile(`"Code":"ServiceUnavailable"`)},
		{"wrong method", "PUT", "/?Action=DisassociateMembers&Version=2022-04-19", 403, regexp.MustCompile(`"Code":"UnsupportedHTTPMethod"`)},
		{"another path", "GET", "/v1/anything?Action=DisassociateMembers&Version=2022-04-19", 404, regexp.MustCompile(`"Code":"InvalidAction\.NotFound"`)},
	} {
		resp, body := get(tc.method, tc.path)
		if resp.StatusCode != tc.status || !tc.body.MatchString(body) {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
			continue
		}
		m := rid.FindStringSubmatch(body)
		if m == nil || resp.Header.Get("x-acs-request-id") != m[1] {
			t.Errorf("%s: x-acs-request-id %q, body RequestId %v", tc.name, resp.Header.Get("x-acs-request-id"), m)
		}
	}
	// The limiter answers in front of the handler, the same way.
	for i := 0; i < 100; i++ {
		resp, body := get("GET", "/?Action=DisassociateMembers&Version=2022-04-19&ContactId=c-ActiveContact01&Members.1=r-a1b2c3")
		if resp.StatusCode == 200 {
			continue
		}
		m := rid.FindStringSubmatch(body)
		if !strings.Contains(body, `"Code":"Throttling.User"`) || !strings.Contains(body, `"HostId":"resourcedirectory.aliyuncs.com"`) || m == nil || resp.Header.Get("x-acs-request-id") != m[1] {
			t.Fatalf("throttled: %s (x-acs-request-id %q)", body, resp.Header.Get("x-acs-request-id"))
		}
		return
	}
	t.Fatal("100 requests at once were never throttled")
}

// TestInboundLimits: past the parameter count or one value's length the
// mock answers InvalidParameter naming the parameter; within them it
// serves; both limits are options.
func TestInboundLimits(t *testing.T) {
	p := loadProfile(t)
	zero := time.Duration(0)
	tg := start(t, p, Options{NoAuth: true, HoldTime: &zero, Limits: acs.InboundLimits{MaxParams: 10, MaxValueBytes: 100}})
	send := func(extra url.Values) (int, string) {
		q := url.Values{"Action": {"DisassociateMembers"}, "Version": {"2022-04-19"}, "ContactId": {"c-ActiveContact01"}, "Members.1": {"r-a1b2c3"}}
		for k, v := range extra {
			q[k] = v
		}
		resp, err := http.Post(tg.srv.URL+"/?"+q.Encode(), "", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := send(url.Values{"Zz": {strings.Repeat("x", 100)}}); status != 200 {
		t.Fatalf("within the limits: %d %s", status, body)
	}
	if status, body := send(url.Values{"Zz": {strings.Repeat("x", 101)}}); status != 400 || !strings.Contains(body, `The specified parameter \"Zz\" is not valid.`) {
		t.Fatalf("a value past the limit: %d %s", status, body)
	}
	many := url.Values{}
	for i := 0; i < 7; i++ {
		many.Set(fmt.Sprintf("Zz%d", i), "x")
	}
	if status, body := send(many); status != 400 || !strings.Contains(body, `"Code":"InvalidParameter"`) {
		t.Fatalf("11 parameters past a limit of 10: %d %s", status, body)
	}
}

// TestResetPathIsTheProfiles: the suite resets a mock at a --target by
// POSTing profile.MockResetPath without knowing the mock; the mock must
// answer it (and only with --admin).
func TestResetPathIsTheProfiles(t *testing.T) {
	for admin, want := range map[bool]int{true: http.StatusNoContent, false: http.StatusNotFound} {
		tg := start(t, loadProfile(t), Options{Admin: admin})
		resp, err := http.Post(tg.srv.URL+profile.MockResetPath, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("admin %v: POST %s answered %d, want %d", admin, profile.MockResetPath, resp.StatusCode, want)
		}
	}
}
