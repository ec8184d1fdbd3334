package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadEmbeddedContract(t *testing.T) {
	api := mustLoad(t)
	if api.Product != "ResourceDirectoryMaster" || api.Version != "2022-04-19" || api.Endpoint != "resourcedirectory.aliyuncs.com" {
		t.Errorf("product/version/endpoint = %q/%q/%q", api.Product, api.Version, api.Endpoint)
	}
	var actions []string
	for _, op := range api.Operations {
		actions = append(actions, op.Action)
		if op.Pos.Line == 0 {
			t.Errorf("%s has no position", op.Action)
		}
		for _, r := range op.Rules {
			if r.Pos.Line == 0 || r.Target() == nil || op.Error(r.Error) == nil {
				t.Errorf("%s rule %s: position %v, target %v, error %v", op.Action, r.ID, r.Pos, r.Target(), op.Error(r.Error))
			}
		}
	}
	// The curated operations first, then the rest of the product from the
	// imported layer.
	if got := strings.Join(actions[:3], ","); got != "AssociateMembers,DisassociateMembers,InviteAccountToResourceDirectory" || len(actions) != 70 {
		t.Errorf("operations = %d: %s", len(actions), strings.Join(actions, ","))
	}
}

// TestTypedView pins a handful of facts as the typed view exposes them, so a
// decoding regression (a renamed key, a lost list) fails here.
func TestTypedView(t *testing.T) {
	api := mustLoad(t)
	assoc := api.Operation("AssociateMembers")
	members := assoc.Param("Members")
	if members.Style != StyleRepeatList || *members.Schema.MaxItems != 5 || !members.Schema.UniqueItems || members.Required {
		t.Errorf("AssociateMembers Members = style %q maxItems %v unique %v required %v", members.Style, *members.Schema.MaxItems, members.Schema.UniqueItems, members.Required)
	}
	r := assoc.RulesFor("LimitExceeded.ContactMembers")
	if len(r) != 1 || r[0].Kind != RuleMaxItems || strings.Join(r[0].Accepted(), ",") != "LimitExceeded.ContactMembers,InvalidParameter.Members" {
		t.Errorf("rules for LimitExceeded.ContactMembers = %+v", r)
	}
	invite := api.Operation("InviteAccountToResourceDirectory")
	if invite.RateLimit.PerSecond() != 20 || invite.Quotas[0].Limit != 20 || invite.RAM.Action != "resourcemanager:InviteAccountToResourceDirectory" {
		t.Errorf("invite rate %v quota %v ram %q", invite.RateLimit.PerSecond(), invite.Quotas[0].Limit, invite.RAM.Action)
	}
	note := invite.Param("Note")
	if *note.Schema.MaxLength != 1024 || LengthUnit(note.Schema) != "characters" || note.Descriptions["zh-Hant"] == "" {
		t.Errorf("Note = %+v", note)
	}
	acct := invite.Rules[3]
	if acct.ID != "TargetEntity.account-id" || acct.When == nil || acct.When.Equals != "Account" || acct.EffectivePattern() != "^[0-9]{16}$" {
		t.Errorf("rule 3 = %+v", acct)
	}
	if e := invite.Error("SignatureDoesNotMatch"); e == nil || !e.Platform || e.Match() != MatchPrefix {
		t.Errorf("platform error lookup = %+v", e)
	}
	binding := assoc.Response.Properties["Members"].Value.Items.Value
	if Echo(binding.Properties["ContactId"].Value) != "ContactId" || Layout(binding.Properties["ModifyDate"].Value) != "yyyy-MM-dd HH:mm:ss" {
		t.Errorf("binding echo/layout not exposed")
	}
	if got := len(api.Sources); got != 6 || api.Sources[5].Layout != "metadata" {
		t.Errorf("sources = %d (five pages and the metadata)", got)
	}
	if add := api.Operation("AddMessageContact"); len(add.Curated) != 2 || !add.Error("ConcurrentCallNotSupported").Retryable || len(api.Stale) != 0 {
		t.Errorf("the curation entries for AddMessageContact (its triggers, its retryable code) are not applied (curated %d, stale %v)", len(add.Curated), api.Stale)
	}
	if api.Imported["AssociateMembers"] == nil || api.Operation("CreateFolder") == nil || api.Operation("CreateFolder").Pos.File != "spec/resourcedirectorymaster.imported.yaml" {
		t.Errorf("the imported layer: reading of a curated operation %v, CreateFolder at %v", api.Imported["AssociateMembers"] != nil, api.Operation("CreateFolder"))
	}
}

// TestParseRejectsBrokenContracts feeds broken variants of the contract and
// expects one clear, positioned reason for each.
func TestParseRejectsBrokenContracts(t *testing.T) {
	base := string(Embedded())
	cases := []struct {
		name, old, new, want string
	}{
		{"unknown rule kind", "kind: uniqueItems\n          error: InvalidParameter.Members.Duplicate", "kind: unique\n          error: InvalidParameter.Members.Duplicate", `unknown kind "unique"`},
		{"rule to undocumented code", "error: MissingParameter.TargetType\n", "error: MissingParameter.TargetTypo\n", `error "MissingParameter.TargetTypo" is not documented`},
		{"misspelt key", "          candidates: [LimitExceeded.ContactMembers, InvalidParameter.Members]", "          candidate: [LimitExceeded.ContactMembers, InvalidParameter.Members]", `unknown key "candidate"`},
		{"page not among sources", "provenance: {kind: page, pages: [p002]}", "provenance: {kind: page, pages: [p092]}", `page "p092" is not among x-acs-sources`},
		{"prose without quote", "          quote: 请求速率为20/1(s)。\n", "\n", "kind prose needs the quote"},
		{"rule keyword missing from schema", "            maxLength: 1024\n", "\n", "kind maxLength but the schema has none"},
		{"array without wire style", "          x-acs-style: flat\n", "\n", "says no x-acs-style"},
		{"unknown extension", "      x-acs-relations:", "      x-acs-relation:", `unknown extension "x-acs-relation"`},
		{"bad status", "status: 429", "status: 229", "status 229 is not an HTTP error status"},
		{"bad safety", "safety: exhausting\n              provenance:\n                kind: prose", "safety: risky\n              provenance:\n                kind: prose", `safety "risky"`},
		{"pattern that does not compile", `pattern: "^[0-9]{16}$"`, `pattern: "^([0-9]{16}$"`, "does not compile"},
		{"operationId mismatch", "operationId: DisassociateMembers", "operationId: Disassociate", "differs from x-acs-operation.action"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(base, c.old) {
				t.Fatalf("the contract no longer contains %q; update the test", c.old)
			}
			_, err := Parse("broken.yaml", []byte(strings.Replace(base, c.old, c.new, 1)))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "broken.yaml") {
				t.Fatalf("error does not say %q with the file name:\n%v", c.want, err)
			}
			var le *LoadError
			if errors.As(err, &le) && le.Problems[0].Pos.Line == 0 {
				t.Errorf("problem without a line: %v", le.Problems[0])
			}
		})
	}
}

func TestParseRejectsNonContracts(t *testing.T) {
	cases := map[string]string{
		"":                        "empty",
		"\x00\x01\x02binary":      "not",
		"- a\n- b\n":              "not a mapping",
		"openapi: 3.0.3\ninfo: [": "not YAML",
		"openapi: 3.1.0\ninfo: {title: t, version: v}\npaths: {}\n": "want 3.0.x",
		"openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n": "x-acs-api is missing",
	}
	for in, want := range cases {
		_, err := Parse("in.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error saying %q", in, err, want)
		}
	}
	if _, err := LoadFile(filepath.Join(t.TempDir(), "missing.yaml")); err == nil || !os.IsNotExist(errors.Unwrap(err)) {
		t.Errorf("LoadFile(missing) = %v", err)
	}
}

// FuzzParse: no input makes the contract loader panic.
func FuzzParse(f *testing.F) {
	f.Add(Embedded())
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\nx-acs-api: {product: P}\n"))
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths:\n  /#A:\n    post:\n      operationId: A\n      x-acs-operation: {action: A}\n      responses: {'200': {description: ok}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		api, err := Parse("fuzz.yaml", data)
		if err == nil && api == nil {
			t.Fatal("nil API without error")
		}
	})
}

func TestGoTimeLayout(t *testing.T) {
	cases := map[string]string{"yyyy-MM-dd HH:mm:ss": "2006-01-02 15:04:05", "yyyy-MM-ddTHH:mm:ssZ": "2006-01-02T15:04:05Z"}
	for in, want := range cases {
		if got, ok := GoTimeLayout(in); !ok || got != want {
			t.Errorf("GoTimeLayout(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := GoTimeLayout("dd.MM.yy hh"); ok {
		t.Error("an unknown token converted")
	}
}

func TestCite(t *testing.T) {
	api := mustLoad(t)
	got := api.Cite(api.Operation("InviteAccountToResourceDirectory").RateLimit.Provenance)
	want := `prose: p004 fixtures/docs/004_8a5030da753488bc.txt (zh-Hans, undated) — "请求速率为20/1(s)。"`
	if got != want {
		t.Errorf("Cite = %q, want %q", got, want)
	}
	if got := api.Cite(Provenance{Kind: KindInferred, Reason: "a\n  b"}); got != "inferred — a b" {
		t.Errorf("Cite(inferred) = %q", got)
	}
}
