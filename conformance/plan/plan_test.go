package plan

import (
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

func planFor(t *testing.T, p *profile.Profile, o PlanOptions) []*Case {
	t.Helper()
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Plan(api, p, o)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func mockProfile(t *testing.T) *profile.Profile {
	p, err := profile.Load(filepath.Join("..", "..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPlanIsStableAndComplete: IDs are unique and the same on every build;
// against the mock's profile nothing but the server-internal platform codes
// is skipped; every documented code of every operation has a case.
func TestPlanIsStableAndComplete(t *testing.T) {
	p := mockProfile(t)
	a := planFor(t, p, PlanOptions{Embedded: true})
	b := planFor(t, p, PlanOptions{Embedded: true})
	seen := map[string]bool{}
	codes := map[string]bool{}
	for i, c := range a {
		if c.ID != b[i].ID {
			t.Fatalf("case %d: %s then %s", i, c.ID, b[i].ID)
		}
		if seen[c.ID] {
			t.Errorf("duplicate case ID %s", c.ID)
		}
		seen[c.ID] = true
		for _, l := range c.Labels() {
			if strings.ContainsAny(l, "&|!,()/") || strings.HasSuffix(l, ":") {
				t.Errorf("%s: invalid label %q", c.ID, l)
			}
		}
		if c.Skip != "" && c.Kind != KindPlatform && !skipByDesign(c) {
			t.Errorf("%s skipped against the mock: %s", c.ID, c.Skip)
		}
		if c.Skip == "" && c.Expect.Codes != nil {
			codes[c.Action+" "+c.Expect.Codes[0]] = true
			for _, alt := range c.Expect.Codes[1:] {
				codes[c.Action+" "+alt] = true
			}
		}
	}
	api, _ := spec.Load()
	for _, op := range api.Operations {
		for _, e := range op.Errors {
			if !codes[op.Action+" "+e.Code] && e.Unprovoked == "" {
				t.Errorf("%s %s: no case expects it, and the contract does not say why", op.Action, e.Code)
			}
		}
	}
}

// skipByDesign: the skips that do not depend on the profile — a code the
// contract says nothing provokes yet, and a signature probe of an operation
// with no free-text parameter and no pattern rule to carry the value.
func skipByDesign(c *Case) bool {
	switch {
	case c.errCode != nil && c.errCode.Unprovoked != "" && strings.HasPrefix(c.Skip, "no trigger: "):
		return true
	case c.rule != nil && c.rule.Site != "" && strings.HasPrefix(c.Skip, "a fact of the "+c.rule.Site+" site only"):
		return true
	case c.Probe == ProbeSignature && c.op != nil:
		// No pattern rule to carry the value, and no free-text parameter
		// that the operation's readonly cases leave free (a trigger's own
		// parameters make its state and are never overwritten).
		for _, r := range c.op.Rules {
			if r.Kind == spec.RulePattern && !r.OnItems() && r.When == nil {
				return false
			}
		}
		free := freeText(c.op, len([]rune(ReservedChars)), nil)
		if free == "" {
			return true
		}
		for _, e := range c.op.Errors {
			for _, t := range e.Triggers {
				if _, set := t.Request[free]; !set && t.Safety == spec.SafetyReadonly {
					return false
				}
			}
		}
		return true
	case c.Kind == KindWire && c.op != nil && len(c.op.Rules) == 0:
		// No rule and no state trigger: no error answer to carry the variants.
		for _, e := range c.op.Errors {
			if len(e.Triggers) > 0 {
				return false
			}
		}
		return true
	}
	return false
}

// TestPlanSkipsWithReasons: a profile without inputs, against a real
// endpoint, keeps every case and says why each that cannot run is skipped.
func TestPlanSkipsWithReasons(t *testing.T) {
	p, err := profile.Parse("bare.yaml", []byte("name: bare\nendpoint: https://example.invalid\ncredentials:\n  default: {access-key-id-env: A, access-key-secret-env: B}\n"))
	if err != nil {
		t.Fatal(err)
	}
	all := planFor(t, mockProfile(t), PlanOptions{Embedded: true})
	cs := planFor(t, p, PlanOptions{})
	if len(cs) != len(all) {
		t.Fatalf("%d cases without inputs, %d with: cases were dropped", len(cs), len(all))
	}
	reasons := map[string]string{}
	for _, c := range cs {
		reasons[c.ID] = c.Skip
	}
	checks := map[string]string{
		"AssociateMembers/error:EntityNotExists.Contact/contact-unknown":                                  "the profile lacks memberId",
		"InviteAccountToResourceDirectory/error:LimitExceeded.InvitationRate/daily-invitations-exhausted": "the profile lacks invitableAccountIds",
		"AssociateMembers/Members.maxItems/accept-5":                                                      "needs --allow-mutating",
		"InviteAccountToResourceDirectory/Note.maxLength/accept-1024-cjk":                                 "needs --allow-exhausting",
		"AssociateMembers/Members.maxItems/reject-6":                                                      "",
	}
	for id, want := range checks {
		got, ok := reasons[id]
		if !ok {
			t.Errorf("no case %s", id)
			continue
		}
		if want == "" && got != "" || want != "" && !strings.Contains(got, want) {
			t.Errorf("%s: skip %q, want %q", id, got, want)
		}
	}
	// unknownContactId is declared absent: a value of the contact ID form
	// is made up, so only memberId is missing.
	if got := reasons["AssociateMembers/error:EntityNotExists.Contact/contact-unknown"]; strings.Contains(got, "unknownContactId") {
		t.Errorf("an input declared absent is asked of the profile: %s", got)
	}
	opened := planFor(t, p, PlanOptions{AllowMutating: true, AllowExhausting: true})
	for _, c := range opened {
		if strings.Contains(c.Skip, "--allow-") {
			t.Errorf("%s still gated: %s", c.ID, c.Skip)
		}
	}
}

// TestPlatformCasesNeedNoInputs: a profile with no inputs at all still runs
// the platform's codes, carried by a rule rejection (which needs none);
// those whose trigger needs an input (temporary credentials) say so.
func TestPlatformCasesNeedNoInputs(t *testing.T) {
	p, err := profile.Parse("bare.yaml", []byte("name: bare\nendpoint: http://127.0.0.1:1\ncredentials:\n  default:\n    access-key-id-env: X\n    access-key-secret-env: Y\n"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, c := range planFor(t, p, PlanOptions{AllowMutating: true, AllowExhausting: true}) {
		if c.Kind != KindPlatform || c.Code == "InternalError" || c.Code == "ServiceUnavailable" {
			continue
		}
		if len(c.trigger.Needs) > 0 {
			// Token checks need temporary credentials; without them the
			// case is skipped, naming what the profile lacks.
			if !strings.Contains(c.Skip, "the profile has no "+c.trigger.Needs[0]) {
				t.Errorf("%s needs %v: skip %q", c.ID, c.trigger.Needs, c.Skip)
			}
			continue
		}
		if c.Skip != "" || len(c.Requests) == 0 || c.Requests[0].Tamper == "" {
			t.Errorf("%s: skipped (%q) or without a tampered carrier", c.ID, c.Skip)
			continue
		}
		ran++
	}
	if ran != 13 {
		t.Fatalf("%d platform cases runnable, want 13", ran)
	}
}

// TestSiteScopedCases: a fact the vendor states for one site only runs
// against a profile of that site, is skipped with the site named against
// a profile of the other, and against one that states no site.
func TestSiteScopedCases(t *testing.T) {
	for _, site := range []string{"", spec.SiteChina, spec.SiteIntl} {
		p := *mockProfile(t)
		p.Site = site
		ran := map[string]int{}
		for _, c := range planFor(t, &p, PlanOptions{Embedded: true}) {
			r := c.RuleSpec()
			if r == nil || r.Site == "" {
				continue
			}
			switch {
			case r.Site == site && c.Skip == "":
				ran[r.Site]++
			case r.Site == site:
				t.Errorf("site %q: %s skipped: %s", site, c.ID, c.Skip)
			case c.Skip == "":
				t.Errorf("site %q: %s of the %s site runs", site, c.ID, r.Site)
			case !strings.Contains(c.Skip, "a fact of the "+r.Site+" site only") || (site == "" && !strings.Contains(c.Skip, "states no site")):
				t.Errorf("site %q: %s skipped without naming the site: %s", site, c.ID, c.Skip)
			}
		}
		if site != "" && ran[site] == 0 {
			t.Errorf("site %q: no case of that site's facts ran", site)
		}
	}
}

// TestCallerInputs: an input given under a caller's credential set fills
// the requests that caller signs, and only those; one no case of that
// caller looks up is named as unused.
func TestCallerInputs(t *testing.T) {
	p := *mockProfile(t)
	p.Credentials = maps.Clone(p.Credentials)
	invitee := p.Credentials["invitee"]
	invitee.Inputs = map[string]profile.Input{"declinedHandshakeId": {Value: "h-InviteesOwn01"}, "unusedThing": {Value: "x"}}
	p.Credentials["invitee"] = invitee
	asked := map[string]bool{}
	byID := map[string]*Case{}
	for _, c := range planFor(t, &p, PlanOptions{Embedded: true, Asked: asked}) {
		byID[c.ID] = c
	}
	for id, want := range map[string]string{
		"AcceptHandshake/error:HandshakeStatusMismatch/handshake-not-pending":  "h-InviteesOwn01", // signed as the invitee
		"DeclineHandshake/error:HandshakeStatusMismatch/handshake-not-pending": "h-InviteesOwn01",
		"CancelHandshake/error:HandshakeStatusMismatch/handshake-not-pending":  p.Inputs["declinedHandshakeId"].Value, // signed by the directory
	} {
		c := byID[id]
		if c == nil || len(c.Requests) == 0 {
			t.Fatalf("no case %s", id)
		}
		if got := c.Requests[0].Params.Get("HandshakeId"); got != want {
			t.Errorf("%s sends HandshakeId %q, want %q", id, got, want)
		}
	}
	unused := UnusedInputs(&p, asked)
	if !slices.Contains(unused, "credentials.invitee.inputs.unusedThing") || slices.Contains(unused, "credentials.invitee.inputs.declinedHandshakeId") {
		t.Errorf("unused inputs: %v", unused)
	}
}

// TestAbsentInputsMadeUp: an input the contract declares absent that the
// profile leaves out is made up from the form of the parameter it is sent
// as, and is a value no seeded entity has.
func TestAbsentInputsMadeUp(t *testing.T) {
	p := *mockProfile(t)
	p.Inputs = maps.Clone(p.Inputs)
	given := p.Inputs["unknownContactId"].Value
	delete(p.Inputs, "unknownContactId")
	var c *Case
	for _, x := range planFor(t, &p, PlanOptions{Embedded: true}) {
		if x.ID == "AssociateMembers/error:EntityNotExists.Contact/contact-unknown" {
			c = x
		}
	}
	if c == nil || c.Skip != "" {
		t.Fatalf("the contact-unknown case: %+v", c)
	}
	got := c.Requests[0].Params.Get("ContactId")
	if got == "" || got == given || !regexp.MustCompile(`^c-[A-Za-z0-9]+$`).MatchString(got) {
		t.Fatalf("made-up unknownContactId %q: want a contact ID of the contract's form", got)
	}
	for _, d := range p.Mock.Directories {
		for _, ct := range d.Contacts {
			if ct.ID == got {
				t.Fatalf("made-up unknownContactId %q names a seeded contact", got)
			}
		}
	}
}
