package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/internal/testbin"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// buildCLI is the acsconform binary the suite runs in as a user does.
var buildCLI = testbin.Path

// rewrite is a response-rewriting middleware.
type rewrite func(r *http.Request, status int, body []byte) (int, []byte)

func (f rewrite) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		status, body := f(r, rec.Code, rec.Body.Bytes())
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		// The body may change length: let the server count it.
		w.Header().Del("Content-Length")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// variant is a mock that deviates from the docs in one way.
type variant struct {
	name    string
	opts    func(*mock.Options)
	rewrite rewrite
	// alter changes each request before the mock reads it (with auth
	// off: the signature no longer holds).
	alter func(*http.Request)
	// want: the case that must fail and words its message must contain.
	wantCase, wantWords string
	// inferred: the deviation is from our reading of the docs only — the
	// default run passes and lists it; --strict fails it.
	inferred bool
	// profile edits the profile the suite runs with (the mock's own is
	// opts' business).
	profile func(string) string
	// faithful: the variant behaves otherwise than the embedded mock but
	// as the docs allow; the run of focus (an operation) must pass.
	faithful bool
	focus    string
	// readings: the faithful variant may deviate from our reading of the
	// docs (listed, not failing), never from the docs.
	readings bool
}

// seededContacts are the contact IDs of the embedded mock's seed.
func seededContacts() map[string]bool {
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		panic(err)
	}
	out := map[string]bool{}
	for _, d := range p.Mock.Directories {
		for _, c := range d.Contacts {
			out[c.ID] = true
		}
	}
	return out
}

// memberForm refuses any member ID but sixteen digits, the form the
// pages show and do not state.
var memberForm = regexp.MustCompile(`^[0-9]{16}$`)

// onSite plays the mock on a site.
func onSite(site string) func(*mock.Options) {
	return func(o *mock.Options) {
		p := *o.Profile
		p.Site = site
		o.Profile = &p
	}
}

// statesSite makes the suite's profile state a site.
func statesSite(site string) func(string) string {
	return func(s string) string { return strings.Replace(s, "\nsite: intl\n", "\nsite: "+site+"\n", 1) }
}

// faithfulVariants behave otherwise than the embedded mock, as the docs
// allow: the suite must not cry wolf on any of them.
func faithfulVariants() []variant {
	return []variant{
		{name: "the China site's limits", faithful: true, focus: "CreateResourceAccount", opts: onSite("china"), profile: statesSite("china")},
		// A form the docs leave open read strictly: members must be 16
		// digits. Cases whose members have another form are refused; that
		// deviates from our reading (the form is inferred), not the docs.
		{name: "a stricter member-ID form", faithful: true, readings: true, focus: "AssociateMembers", opts: func(o *mock.Options) {
			o.Validate = func(r rdm.Request) error {
				if in, ok := r.(*rdm.AssociateMembersRequest); ok && in.ContactId != "" {
					for _, m := range in.Members {
						if !memberForm.MatchString(m) {
							return rdm.NewError(r.Action(), rdm.CodeInvalidParameterMembers)
						}
					}
				}
				return r.ValidateSite(spec.SiteIntl)
			}
		}},
		// The description's condition enforced: TagKey is needed unless
		// All is true. Acceptance requests leave TagKey out only with All.
		{name: "TagKey required unless All is true", faithful: true, focus: "UntagResources", opts: func(o *mock.Options) {
			o.Validate = func(r rdm.Request) error {
				if in, ok := r.(*rdm.UntagResourcesRequest); ok && len(in.TagKey) == 0 && (in.All == nil || !*in.All) {
					return rdm.NewError(r.Action(), rdm.CodeInvalidParameter)
				}
				return r.ValidateSite(spec.SiteIntl)
			}
		}},
		// State before rules: a contact that does not exist is answered
		// before any parameter rule. Rule cases ride on the profile's real
		// contact, so they still meet their rule.
		{name: "the contact checked before the rules", faithful: true, readings: true, focus: "AssociateMembers", rewrite: func() rewrite {
			known := seededContacts()
			return func(r *http.Request, status int, body []byte) (int, []byte) {
				_ = r.ParseForm()
				if r.Header.Get("x-acs-action") != "AssociateMembers" || status == 200 || known[r.Form.Get("ContactId")] || r.Form.Get("ContactId") == "" {
					return status, body
				}
				var e map[string]any
				if json.Unmarshal(body, &e) != nil {
					return status, body
				}
				id, _ := e["RequestId"].(string)
				out, _ := json.Marshal(map[string]any{"RequestId": id, "HostId": e["HostId"], "Code": "EntityNotExists.Contact", "Message": "This Contact does not exist.",
					"Recommend": "https://api.aliyun.com/troubleshoot?q=EntityNotExists.Contact&product=ResourceDirectoryMaster&requestId=" + id})
				return 404, out
			}
		}()},
	}
}

func variants() []variant {
	codeSwap := func(from, to string) rewrite {
		return func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, bytes.ReplaceAll(body, []byte(`"Code":"`+from+`"`), []byte(`"Code":"`+to+`"`))
		}
	}
	return []variant{
		{name: "wrong status", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if bytes.Contains(body, []byte(`"EntityNotExists.Contact"`)) {
				return 400, body
			}
			return status, body
		}, wantCase: "AssociateMembers/error:EntityNotExists.Contact/contact-unknown", wantWords: "wrong HTTP status for EntityNotExists.Contact: 400, documented 404"},
		{name: "wrong code", rewrite: codeSwap("InvalidMember", "InvalidParameter.Member"),
			wantCase: "AssociateMembers/error:InvalidMember/member-outside-directory", wantWords: "wrong code: InvalidParameter.Member, documented InvalidMember"},
		{name: "wrong message", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, bytes.ReplaceAll(body, []byte("You must specify TargetType."), []byte("TargetType is required."))
		}, wantCase: "InviteAccountToResourceDirectory/TargetType.required/absent", wantWords: `wrong message for MissingParameter.TargetType: "TargetType is required."`},
		{name: "a sixth member accepted", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			_ = r.ParseForm()
			if r.Header.Get("x-acs-action") == "AssociateMembers" && r.Form.Get("Members.6") != "" {
				return 200, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","Members":[]}`)
			}
			return status, body
		}, wantCase: "AssociateMembers/Members.maxItems/reject-6", wantWords: "accepted (HTTP 200) a request the docs say is answered with LimitExceeded.ContactMembers or InvalidParameter.Members"},
		{name: "duplicates accepted", opts: func(o *mock.Options) {
			o.Validate = skipRule("Members.uniqueItems")
		}, wantCase: "DisassociateMembers/Members.uniqueItems/reject-duplicate", wantWords: "accepted (HTTP 200) a request the docs say is answered with InvalidParameter.Members.Duplicate"},
		{name: "Note limit counted in bytes", opts: func(o *mock.Options) {
			o.Validate = func(r rdm.Request) error {
				if in, ok := r.(*rdm.InviteAccountToResourceDirectoryRequest); ok && len(in.Note) > 1024 {
					return rdm.NewError(r.Action(), rdm.CodeInvalidParameterNoteLength)
				}
				return r.ValidateSite(spec.SiteIntl)
			}
		}, wantCase: "InviteAccountToResourceDirectory/Note.maxLength/accept-1024-cjk", wantWords: "refused a request inside the documented limit with InvalidParameter.Note.Length"},
		{name: "no Recommend", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, regexp.MustCompile(`"Recommend":"[^"]*",?`).ReplaceAll(body, nil)
		}, wantCase: "platform/InvalidAction.NotFound/unknown-action", wantWords: `Recommend is ""`},
		{name: "error keys in another order", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			var m map[string]any // re-encoded: keys sorted
			if status == 200 || json.Unmarshal(body, &m) != nil {
				return status, body
			}
			out, _ := json.Marshal(m)
			return status, out
		}, inferred: true, wantCase: "platform/InvalidVersion/wrong-version", wantWords: "the error body's keys come in the order Code, HostId, Message, Recommend, RequestId"},
		{name: "missing RequestId", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if status == 200 {
				return status, regexp.MustCompile(`"RequestId":"[^"]*",?`).ReplaceAll(body, nil)
			}
			return status, body
		}, wantCase: "AssociateMembers/example:p000/success", wantWords: `property "RequestId" is missing`},
		{name: "empty success body", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if status == 200 && (r.Header.Get("x-acs-action") == "GetFolder" || r.URL.Query().Get("Action") == "GetFolder") {
				return status, []byte(`{"RequestId":"6C1B1A4B-0000-4000-8000-000000000000"}`)
			}
			return status, body
		}, wantCase: "GetFolder/example:m000/success", wantWords: "Folder is what GetFolder is named after"},
		{name: "renamed response field", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, bytes.ReplaceAll(body, []byte(`"MemberId"`), []byte(`"MemberID"`))
		}, wantCase: "AssociateMembers/example:p000/success", wantWords: `property "MemberId" is missing`},
		{name: "wrong date layout", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, regexp.MustCompile(`"ModifyDate":"(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)"`).ReplaceAll(body, []byte(`"ModifyDate":"${1}T${2}Z"`))
		}, wantCase: "DisassociateMembers/example:p002/success", wantWords: `"/Members/0/ModifyDate": string doesn't match the regular expression`},
		{name: "bad signature accepted", opts: func(o *mock.Options) { o.NoAuth = true },
			wantCase: "platform/SignatureDoesNotMatch/bad-signature", wantWords: "wrong code: InvalidMember, documented SignatureDoesNotMatch"},
		{name: "contact status check skipped", opts: func(o *mock.Options) {
			seed := *o.Profile.Mock
			seed.Limits.BindableStatuses = []string{"Active", "Pending"}
			p := *o.Profile
			p.Mock = &seed
			o.Profile = &p
		}, wantCase: "AssociateMembers/error:ContactStatusMismatchAction/contact-status-forbids", wantWords: "accepted (HTTP 200)"},
		{name: "wrong Handshake status", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, bytes.ReplaceAll(body, []byte(`"Status":"Pending"`), []byte(`"Status":"Accepted"`))
		}, wantCase: "InviteAccountToResourceDirectory/example:p003/success", wantWords: `Handshake.Status = "Accepted", expected "Pending"`, inferred: true},
		{name: "XML differs from JSON", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			return status, bytes.ReplaceAll(body, []byte("<Code>InvalidMember</Code>"), []byte("<Code>InvalidMembers</Code>"))
		}, wantCase: "AssociateMembers/wire:XML/error:InvalidMember/member-outside-directory", wantWords: "wrong code: InvalidMembers, documented InvalidMember"},
		{name: "concurrent calls not detected", opts: func(o *mock.Options) {
			zero := time.Duration(0)
			o.HoldTime = &zero
		}, wantCase: "AssociateMembers/error:ConcurrentCallNotSupported/concurrent-contact-call", wantWords: "none answered ConcurrentCallNotSupported", inferred: true},
		{name: "an enum value too many", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if r.Header.Get("x-acs-action") == "InviteAccountToResourceDirectory" && r.URL.Query().Get("TargetType") == "Phone" {
				return 200, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","Handshake":{}}`)
			}
			return status, body
		}, wantCase: "InviteAccountToResourceDirectory/TargetType.enum/reject-Phone", wantWords: "accepted (HTTP 200) a request the docs say is answered with InvalidParameter.TargetType"},
		{name: "v1 signs a space as +", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			_ = r.ParseForm()
			if r.Form.Get("SignatureVersion") == "" {
				return status, body
			}
			for _, vs := range r.Form {
				for _, v := range vs {
					if strings.Contains(v, " ") {
						return 400, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","HostId":"resourcedirectory.aliyuncs.com","Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}`)
					}
				}
			}
			return status, body
		}, wantCase: "AssociateMembers/signature:v1-GET/reserved-characters", wantWords: "was refused with SignatureDoesNotMatch: the target canonicalises reserved characters"},
		{name: "the China site's limits against an international profile", opts: onSite("china"),
			wantCase: "CreateResourceAccount/AccountNamePrefix.maxLength@intl/reject-38-ascii", wantWords: "accepted (HTTP 200) a request the docs say is answered with InvalidParameter.Account.AccountNamePrefix.Length"},
		{name: "any account accepts an invitation", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if r.Header.Get("x-acs-action") == "AcceptHandshake" && strings.Contains(r.Header.Get("Authorization"), "Credential=LTAI5tMockNoDirectory,") && bytes.Contains(body, []byte(`"EntityNotExists.Handshake"`)) {
				return 200, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","Handshake":{"Status":"Accepted"}}`)
			}
			return status, body
		}, wantCase: "AcceptHandshake/error:EntityNotExists.Handshake/handshake-of-another-account", wantWords: "accepted (HTTP 200) a request the docs say is refused (with EntityNotExists.Handshake, by our reading)"},
		{name: "lists ignore PageSize", opts: func(o *mock.Options) { o.NoAuth = true }, alter: func(r *http.Request) {
			q := r.URL.Query()
			if q.Has("PageSize") {
				q.Del("PageSize")
				q.Del("PageNumber")
				r.URL.RawQuery = q.Encode()
			}
		}, wantCase: "ListAccounts/relation:paging/pagesize-1", wantWords: "page 1 holds"},
		{name: "NextToken ignored", opts: func(o *mock.Options) { o.NoAuth = true }, alter: func(r *http.Request) {
			q := r.URL.Query()
			if q.Has("NextToken") {
				q.Del("NextToken")
				r.URL.RawQuery = q.Encode()
			}
		}, wantCase: "ListTagResources/relation:paging/maxresults-1", wantWords: "page 2 repeats an item of page 1"},
		{name: "a rename not kept", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if r.Header.Get("x-acs-action") == "GetFolder" && status == 200 {
				return status, regexp.MustCompile(`"FolderName":"[^"]*"`).ReplaceAll(body, []byte(`"FolderName":"Staging"`))
			}
			return status, body
		}, wantCase: "UpdateFolder/relation:after/folder-renamed", wantWords: `after UpdateFolder, GetFolder answers Folder.FolderName = "Staging"`},
		{name: "no validation at all", opts: func(o *mock.Options) {
			o.Validate = func(rdm.Request) error { return nil }
		}, wantCase: "ListAccounts/PageSize.maximum/reject-101", wantWords: "accepted (HTTP 200) a request the docs say is refused (with InvalidParameter, by our reading)"},
		{name: "unknown action answered 400", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
			if bytes.Contains(body, []byte(`"InvalidAction.NotFound"`)) {
				return 400, body
			}
			return status, body
		}, wantCase: "platform/InvalidAction.NotFound/unknown-action", wantWords: "wrong HTTP status for InvalidAction.NotFound: 400, documented 404"},
	}
}

func skipRule(rule string) func(rdm.Request) error {
	return func(r rdm.Request) error {
		if broken, err := r.CheckSite(spec.SiteIntl); err != nil && broken != rule {
			return err
		}
		return nil
	}
}

// serve starts a variant on loopback with its admin endpoints and returns
// the URL and a profile file pointing at it.
func serve(t *testing.T, v variant) (string, string) {
	t.Helper()
	p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	o := mock.Options{Profile: p, Admin: true, EnforceRateLimit: true}
	if v.opts != nil {
		v.opts(&o)
	}
	m, err := mock.New(o)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = m
	if v.rewrite != nil {
		h = v.rewrite.wrap(m)
	}
	if v.alter != nil {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			v.alter(r)
			inner.ServeHTTP(w, r)
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); m.Close() })
	data, _ := os.ReadFile(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
	prof := filepath.Join(t.TempDir(), "variant.yaml")
	content := strings.Replace(string(data), "name: embedded-mock", "name: variant\nreset: "+srv.URL+mock.AdminPrefix+"reset", 1)
	if v.profile != nil {
		content = v.profile(content)
	}
	if err := os.WriteFile(prof, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, prof
}

func runSuite(t *testing.T, args ...string) (int, string) {
	t.Helper()
	bin, err := buildCLI()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"test"}, args...)...)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the suite did not end within 15 minutes:\n%s", out)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, string(out)
}

// TestSuiteCatchesDeviations runs the suite against deliberately broken
// variants of the mock: each must fail, naming its deviation on the case
// that proves it (a run of that case's operation and the platform cases);
// the faithful mock, served the same way, must pass the whole suite.
func TestSuiteCatchesDeviations(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite 16 times in subprocesses; skipped with -short")
	}
	faithful := variant{name: "faithful"}
	all := append([]variant{faithful}, faithfulVariants()...)
	all = append(all, variants()...)
	var mu sync.Mutex
	caught := 0
	for _, v := range all {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			url, prof := serve(t, v)
			args := []string{"--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting"}
			if v.focus != "" {
				args = append(args, "--focus", "^("+regexp.QuoteMeta(v.focus)+"|platform)/")
			}
			if v.wantCase != "" {
				// The faithful mock runs every case (nothing cries wolf); a
				// broken one needs only the operation its deviation is
				// caught on, with the platform cases, to prove the catch.
				op, _, _ := strings.Cut(v.wantCase, "/")
				args = append(args, "--focus", "^("+regexp.QuoteMeta(op)+"|platform)/")
			}
			code, out := runSuite(t, args...)
			if v.wantCase == "" {
				noneFailed := strings.Contains(out, " passed, 0 deviate from the docs (failed)")
				if code != 0 || !noneFailed || (v.name == "faithful" && !allExercisedPassed(out)) || (!v.readings && strings.Contains(out, "deviations from our reading of the docs (not failing")) {
					t.Fatalf("the faithful variant %q fails the suite or deviates from our reading (exit %d):\n%s", v.name, code, tail(out, 60))
				}
				return
			}
			if v.inferred {
				// Not failing by default, listed as a deviation from our reading.
				_, readings, _ := strings.Cut(out, "deviations from our reading of the docs (not failing")
				if code != 0 || !strings.Contains(readings, v.wantCase+": ") || !strings.Contains(readings, v.wantWords) || !strings.Contains(readings, "our reading: ") {
					t.Fatalf("a deviation from our reading: exit %d (want 0) or not listed with its reading:\n%s", code, tail(out, 40))
				}
				code, out = runSuite(t, append(args, "--strict")...)
			}
			if code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, out)
			}
			block := failureBlock(out, v.wantCase)
			if block == "" {
				t.Fatalf("case %s did not fail:\n%s", v.wantCase, tail(out, 60))
			}
			if !strings.Contains(block, v.wantWords) || !strings.Contains(block, "reproduce:  curl") || !regexp.MustCompile(`contract:   spec/(resourcedirectorymaster(\.imported)?|gateway)\.yaml:\d+`).MatchString(block) {
				t.Fatalf("the failure of %s does not name the deviation (%q), its contract line or give a curl line:\n%s", v.wantCase, v.wantWords, block)
			}
			// The summary lists a deviation from the docs at the contract
			// line it checks (one from our reading is listed with it).
			if !v.inferred && !regexp.MustCompile(`(?m)^  spec/(resourcedirectorymaster(\.imported)?|gateway)\.yaml:\d+: `+regexp.QuoteMeta(v.wantCase)+`: `).MatchString(out) {
				t.Fatalf("the summary does not list %s at its contract line:\n%s", v.wantCase, tail(out, 30))
			}
			mu.Lock()
			caught++
			mu.Unlock()
		})
	}
	t.Cleanup(func() { t.Logf("deviations detected: %d of %d", caught, len(variants())) })
}

// failureBlock returns the failure text of one case from the suite output.
func failureBlock(out, caseID string) string {
	marker := "[FAILED] " + caseID + ": "
	i := strings.Index(out, marker)
	if i < 0 {
		return ""
	}
	block := out[i:]
	if j := strings.Index(block, "In [It]"); j > 0 {
		block = block[:j]
	}
	return block
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestBadTargets: an unreachable target, one that answers garbage or HTML,
// and one that hangs end the run promptly with a clear message, exit 1 or 2.
func TestBadTargets(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite in subprocesses; skipped with -short")
	}
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := closed.Addr().String()
	closed.Close()
	garbage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("\x00\x01\x02 not json")) }))
	t.Cleanup(garbage.Close)
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<html><body><h1>502 Bad Gateway</h1></body></html>"))
	}))
	t.Cleanup(html.Close)
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hang.Close)
	cases := []struct {
		name, url string
		code      int
		says      string
	}{
		{"unreachable", "http://" + addr, 2, "is unreachable"},
		{"garbage", garbage.URL, 2, `is not an ACS endpoint: a signed AssociateMembers request got HTTP 200 with a body starting "\x00\x01\x02 not json"`},
		{"html", html.URL, 2, `is not an ACS endpoint: a signed AssociateMembers request got HTTP 502 with a body starting "<html>`},
		{"hangs", hang.URL, 2, "did not answer within 1s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, out := runSuite(t, "--target", c.url, "--timeout-per-request", "1s")
			if code != c.code || !strings.Contains(out, c.says) || strings.Contains(out, "panic") {
				t.Fatalf("exit %d (want %d), output lacks %q or panics:\n%s", code, c.code, c.says, tail(out, 30))
			}
		})
	}
}

// TestTargetWithoutReset: a target the suite cannot reset (the real cloud)
// keeps the invitations of earlier cases; the whole suite still passes on
// the faithful mock — no false alarm from a quota spent by other cases —
// and still catches a quota that is not enforced.
func TestTargetWithoutReset(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the suite twice; skipped with -short")
	}
	noReset := func(t *testing.T, v variant) (string, string) {
		url, prof := serve(t, v)
		data, err := os.ReadFile(prof)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		kept := lines[:0]
		for _, l := range lines {
			if !strings.HasPrefix(l, "reset: ") {
				kept = append(kept, l)
			}
		}
		if err := os.WriteFile(prof, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
		return url, prof
	}
	url, prof := noReset(t, variant{name: "faithful"})
	code, out := runSuite(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting")
	if code != 0 || !allExercisedPassed(out) {
		t.Fatalf("the faithful mock without reset: exit %d:\n%s", code, tail(out, 30))
	}
	unlimited := variant{name: "quota not enforced", rewrite: func(r *http.Request, status int, body []byte) (int, []byte) {
		if bytes.Contains(body, []byte(`"LimitExceeded.InvitationRate"`)) {
			return 200, []byte(`{"RequestId":"95060F1D-6990-4645-8920-A81D1BBFE992","Handshake":{}}`)
		}
		return status, body
	}}
	url, prof = noReset(t, unlimited)
	code, out = runSuite(t, "--profile", prof, "--target", url, "--allow-mutating", "--allow-exhausting", "--label-filter", "op:InviteAccountToResourceDirectory")
	block := failureBlock(out, "InviteAccountToResourceDirectory/error:LimitExceeded.InvitationRate/daily-invitations-exhausted")
	if code != 1 || !strings.Contains(block, "the documented quota of 20 was not enforced") {
		t.Fatalf("an unenforced quota without reset: exit %d:\n%s", code, tail(out, 30))
	}
}

// allExercisedPassed: the summary says every exercised documented code passed.
func allExercisedPassed(out string, readings ...bool) bool {
	m := regexp.MustCompile(`documented error codes of [0-9]+ operations: ([0-9]+) exercised, ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) deviate from our reading`).FindStringSubmatch(out)
	if m != nil && len(readings) > 0 && readings[0] {
		// Codes whose cases deviate from our reading only count as passed.
		exercised, _ := strconv.Atoi(m[1])
		passed, _ := strconv.Atoi(m[2])
		inferred, _ := strconv.Atoi(m[4])
		return m[3] == "0" && exercised == passed+inferred && exercised > 0
	}
	return m != nil && m[1] == m[2] && m[1] != "0"
}
