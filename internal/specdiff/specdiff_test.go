package specdiff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func parse(t *testing.T, name, doc string) *spec.API {
	t.Helper()
	api, err := spec.Parse(name, []byte(doc))
	if err != nil {
		t.Fatalf("%s does not load: %v", name, err)
	}
	return api
}

// parsedBase is the embedded contract parsed once for every comparison
// against it (Compare only reads the APIs it is given).
var parsedBase = func() func(t *testing.T) *spec.API {
	var once sync.Once
	var api *spec.API
	var err error
	return func(t *testing.T) *spec.API {
		t.Helper()
		once.Do(func() { api, err = spec.Parse("old.yaml", spec.Embedded()) })
		if err != nil {
			t.Fatalf("old.yaml does not load: %v", err)
		}
		return api
	}
}()

// TestCompareClassifies mutates the embedded contract one fact at a time
// and checks the change found and both verdicts.
func TestCompareClassifies(t *testing.T) {
	base := string(spec.Embedded())
	newError := `      x-acs-errors:
        - code: InvalidParameter.Brand.New
          status: 400
          message: Something new.
          description:
            en: A new code.
          provenance: {kind: page, pages: [p000, p001]}
        - code: InvalidParameter.ContactId
`
	for _, tc := range []struct {
		name     string
		old, new string // replace old by new (first occurrence) in the NEW contract
		swap     bool   // compare mutated → embedded instead
		id       string
		op       string
		client   Impact
		server   Impact
	}{
		{"limit loosened", "maxItems: 5", "maxItems: 10", false, "request-parameter-max-items-increased", "AssociateMembers", NonBreaking, Breaking},
		{"limit tightened", "maxItems: 5", "maxItems: 3", false, "request-parameter-max-items-decreased", "AssociateMembers", Breaking, Breaking},
		{"request enum value added", "enum: [Account, Email]\n            x-acs-enum-descriptions", "enum: [Account, Email, Phone]\n            x-acs-enum-descriptions", false, "request-parameter-enum-value-added", "InviteAccountToResourceDirectory", NonBreaking, Breaking},
		{"response enum value removed", "enum: [Pending, Accepted, Cancelled, Declined, Expired]", "enum: [Pending, Accepted, Cancelled, Declined]", false, "response-property-enum-value-removed", "InviteAccountToResourceDirectory", NonBreaking, Breaking},
		{"message changed", "message: The ContactId is invalid.", "message: ContactId is not valid.", false, "error-message-changed", "AssociateMembers", Warning, Breaking},
		{"status changed", "code: InvalidParameter.ContactId\n          status: 400", "code: InvalidParameter.ContactId\n          status: 409", false, "error-status-changed", "AssociateMembers", Breaking, Breaking},
		{"code added", "      x-acs-errors:\n        - code: InvalidParameter.ContactId\n", newError, false, "error-code-added", "AssociateMembers", Warning, Breaking},
		{"code removed", "      x-acs-errors:\n        - code: InvalidParameter.ContactId\n", newError, true, "error-code-removed", "AssociateMembers", NonBreaking, Breaking},
		{"rule answers another code", "kind: required\n          error: MissingParameter.ContactId", "kind: required\n          error: InvalidParameter.ContactId", false, "rule-error-changed", "AssociateMembers", Breaking, Breaking},
		{"RAM action changed", "action: resourcemanager:AssociateMembers", "action: resourcedirectory:AssociateMembers", false, "ram-action-changed", "AssociateMembers", Breaking, Warning},
		{"rate decreased", "x-acs-rate-limit:\n        requests: 20", "x-acs-rate-limit:\n        requests: 10", false, "rate-limit-decreased", "AssociateMembers", Breaking, Breaking},
		{"rate increased", "x-acs-rate-limit:\n        requests: 20", "x-acs-rate-limit:\n        requests: 40", false, "rate-limit-increased", "AssociateMembers", NonBreaking, Breaking},
		{"quota decreased", "id: invitations-per-day\n          limit: 20", "id: invitations-per-day\n          limit: 10", false, "quota-decreased", "InviteAccountToResourceDirectory", Breaking, Breaking},
		{"quota increased", "id: invitations-per-day\n          limit: 20", "id: invitations-per-day\n          limit: 30", false, "quota-increased", "InviteAccountToResourceDirectory", NonBreaking, Breaking},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.old) {
				t.Fatalf("the contract no longer contains %q: update the test", tc.old)
			}
			mutated := strings.Replace(base, tc.old, tc.new, 1)
			a, b := parsedBase(t), parse(t, "new.yaml", mutated)
			if tc.swap {
				a, b = b, a
			}
			r, err := Compare(a, b)
			if err != nil {
				t.Fatal(err)
			}
			var found *Change
			for i, c := range r.Changes {
				if c.ID == tc.id && c.Operation == tc.op {
					found = &r.Changes[i]
				}
			}
			if found == nil {
				var ids []string
				for _, c := range r.Changes {
					ids = append(ids, c.Operation+" "+c.ID)
				}
				t.Fatalf("no %s change on %s; got %v", tc.id, tc.op, ids)
			}
			if found.Client != tc.client || found.Server != tc.server {
				t.Fatalf("%s: client %s, server %s; want client %s, server %s (%s)", tc.id, found.Client, found.Server, tc.client, tc.server, found.Text)
			}
			if found.Text == "" || found.Why == "" && found.Source == ours {
				t.Fatalf("%s: no text or no explanation: %+v", tc.id, found)
			}
		})
	}
	t.Run("operation added and removed", func(t *testing.T) {
		// The curated document with the gateway only: without its
		// imported layer, which would fill the removed operation in from
		// the metadata, and without its input declarations and curation,
		// whose recipes and triggers name the removed operation.
		base := regexp.MustCompile(`\n  - file: resourcedirectorymaster\.imported\.yaml\n    note: [^\n]*`).ReplaceAllString(base, "")
		base = regexp.MustCompile(`(?s)x-acs-inputs:\n.*?\n\npaths:`).ReplaceAllString(base, "paths:")
		i := strings.Index(base, "  /#InviteAccountToResourceDirectory:")
		j := strings.Index(base, "\ncomponents:") + 1
		if i < 0 || j < i {
			t.Fatal("cannot find the InviteAccountToResourceDirectory path: update the test")
		}
		without := parse(t, "without.yaml", base[:i]+base[j:])
		with := parse(t, "with.yaml", base)
		for _, tc := range []struct {
			a, b           *spec.API
			client, server Impact
		}{{without, with, NonBreaking, Breaking}, {with, without, Breaking, NonBreaking}} {
			r, err := Compare(tc.a, tc.b)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Changes) != 1 || r.Changes[0].Operation != "InviteAccountToResourceDirectory" || r.Changes[0].Client != tc.client || r.Changes[0].Server != tc.server {
				t.Fatalf("%s → %s: %+v", tc.a.File, tc.b.File, r.Changes)
			}
		}
	})
	t.Run("identical", func(t *testing.T) {
		r, err := Compare(parse(t, "a.yaml", base), parse(t, "b.yaml", base))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Changes) != 0 {
			t.Fatalf("a contract compared with itself has %d changes: %+v", len(r.Changes), r.Changes[0])
		}
	})
}

// TestDiffPageRevisions compares the two revisions of the AssociateMembers
// page: golden text, markdown and JSON (go test ./internal/specdiff -args -update).
func TestDiffPageRevisions(t *testing.T) {
	old, _, err := Load(filepath.Join("..", "..", "fixtures", "docs", "000_0d983348c5d5b34f.txt"))
	if err != nil {
		t.Fatal(err)
	}
	new, _, err := Load(filepath.Join("..", "..", "fixtures", "docs", "001_10066c6888da468c.txt"))
	if err != nil {
		t.Fatal(err)
	}
	old.File, new.File = "000_0d983348c5d5b34f.txt", "001_10066c6888da468c.txt"
	r, err := Compare(old, new)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range r.Changes {
		if c.ID == "ram-action-added" && c.Operation == "AssociateMembers" && c.New == "resourcemanager:AssociateMembers (update)" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the 2025 revision's RAM action is not reported: %+v", r.Changes)
	}
	for _, format := range Formats {
		var buf bytes.Buffer
		if err := r.Write(&buf, format); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "associatemembers-revisions."+format)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -args -update)", err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s output differs from %s:\n%s", format, golden, buf.String())
		}
	}
}

func TestLoadRefusesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "missing.yaml"), "no such file"},
		{write("garbage.txt", "\x00\x01 nothing here"), "neither a contract nor a page"},
		{write("broken.yaml", "openapi: 3.0.3\ninfo: {title: x}\n"), "broken.yaml"},
		{empty, "an empty folder"},
	} {
		_, _, err := Load(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load(%s) = %v, want an error containing %q", tc.path, err, tc.want)
		}
	}
}

// TestLoadFolderOfPages: a folder is imported as one contract, revisions
// and languages of an operation merged.
func TestLoadFolderOfPages(t *testing.T) {
	api, warnings, err := Load(filepath.Join("..", "..", "fixtures", "docs"))
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, op := range api.Operations {
		actions = append(actions, op.Action)
	}
	if strings.Join(actions, ",") != "AssociateMembers,DisassociateMembers,InviteAccountToResourceDirectory" {
		t.Fatalf("operations %v (warnings %v)", actions, warnings)
	}
	if op := api.Operation("AssociateMembers"); op.RAM == nil || op.RAM.Action != "resourcemanager:AssociateMembers" {
		t.Fatal("the later revision's RAM action is not in the merged import")
	}
}
