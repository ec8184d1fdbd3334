package report

import (
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/spec"
)

// FuzzParseBaseline: a baseline file is outside input; whatever it holds,
// parsing ends in a baseline or an error naming the file, never a panic,
// and a parsed baseline's entries all carry a reason and a usable matcher.
func FuzzParseBaseline(f *testing.F) {
	api, err := spec.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("version: 1\ndeviations:\n  - operation: AssociateMembers\n    check: AssociateMembers/*\n    reason: r\n    expires: 2027-01-31\n"))
	f.Add([]byte("version: 1\ndeviations: []\n"))
	f.Add([]byte("version: 1\ndeviations:\n  -\n"))
	f.Add([]byte("version: 1\ndeviations:\n  - {operation: platform, check: 'platform/*[x', reason: r}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBaseline("f.yaml", data, api)
		if err != nil {
			if !strings.Contains(err.Error(), "f.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for _, e := range b.Entries {
			if strings.TrimSpace(e.Reason) == "" || e.matcher == nil {
				t.Fatalf("accepted an entry without reason or matcher: %+v", e)
			}
			b.Match(e.Check)
		}
	})
}

func TestParseBaselineRefusesMalformedFiles(t *testing.T) {
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	entry := func(fields string) string { return "version: 1\ndeviations:\n  - " + fields + "\n" }
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "the file is empty"},
		{"not yaml", "version: [1\n", "b.yaml:1: not valid YAML"},
		{"no version", "deviations: []\n", "version 0: want version: 1"},
		{"unknown field", entry("operation: AssociateMembers\n    check: AssociateMembers/x\n    reason: r\n    expiry: 2027-01-01"), `b.yaml:6:5: unknown key "expiry" under "deviations.0" (did you mean "expires"?)`},
		{"unknown operation", entry("operation: Nope\n    check: Nope/x\n    reason: r"), `operation "Nope" is not in the contract`},
		{"check elsewhere", entry("operation: AssociateMembers\n    check: DisassociateMembers/x\n    reason: r"), "does not belong to operation AssociateMembers"},
		{"no reason", entry("operation: AssociateMembers\n    check: AssociateMembers/x"), "reason is missing"},
		{"bad date", entry("operation: AssociateMembers\n    check: AssociateMembers/x\n    reason: r\n    expires: 31/12/2027"), "want a date as YYYY-MM-DD"},
		{"no check", entry("operation: AssociateMembers\n    reason: r"), "check is missing"},
		{"twice", "version: 1\ndeviations:\n  - {operation: AssociateMembers, check: AssociateMembers/x, reason: r}\n  - {operation: AssociateMembers, check: AssociateMembers/x, reason: s}\n", "listed twice (also line 3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseBaseline("b.yaml", []byte(tc.data), api)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "b.yaml") {
				t.Fatalf("error %v, want one naming b.yaml and containing %q", err, tc.want)
			}
		})
	}
	t.Run("line numbers", func(t *testing.T) {
		_, err := ParseBaseline("b.yaml", []byte("version: 1\ndeviations:\n  - operation: AssociateMembers\n    check: AssociateMembers/x\n    reason: r\n  - operation: AssociateMembers\n    check: AssociateMembers/y\n"), api)
		if err == nil || !strings.Contains(err.Error(), "b.yaml:6: reason is missing") {
			t.Fatalf("error %v, want b.yaml:6", err)
		}
	})
}

func TestBaselineMatchAndExpiry(t *testing.T) {
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseBaseline("b.yaml", []byte(`version: 1
deviations:
  - operation: AssociateMembers
    check: AssociateMembers/wire:*
    reason: our emulator only speaks JSON
  - operation: AssociateMembers
    check: AssociateMembers/wire:XML/*
    reason: more specific
    expires: 2027-01-31
  - operation: platform
    check: platform/SignatureNonceUsed/*
    reason: no nonce cache
`), api)
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"AssociateMembers/wire:GET/error:InvalidMember/member-outside-directory":    "our emulator only speaks JSON",
		"AssociateMembers/wire:XML/error:InvalidMember/member-outside-directory":    "more specific",
		"platform/SignatureNonceUsed/replayed-nonce":                                "no nonce cache",
		"AssociateMembers/Members.maxItems/reject":                                  "",
		"DisassociateMembers/wire:GET/error:InvalidMember/member-outside-directory": "",
	} {
		e := b.Match(id)
		got := ""
		if e != nil {
			got = e.Reason
		}
		if got != want {
			t.Errorf("Match(%s) = %q, want %q", id, got, want)
		}
	}
	e := b.Entries[1]
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d.Add(23 * time.Hour) }
	if e.Expired(day("2027-01-31")) || !e.Expired(day("2027-02-01")) || b.Entries[0].Expired(day("2999-01-01")) {
		t.Fatal("an entry holds through its expiry day and no longer; one without expiry always holds")
	}
	if un := b.Unmatched([]*plan.Case{{ID: "platform/SignatureNonceUsed/replayed-nonce"}}); len(un) != 2 {
		t.Fatalf("unmatched = %d entries, want 2", len(un))
	}
}
