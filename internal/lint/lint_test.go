package lint

import (
	"regexp"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/spec"
)

func TestContractHasNoErrorsOrWarnings(t *testing.T) {
	api, err := spec.Load()
	if err != nil {
		t.Fatal(err)
	}
	fs := Run(api)
	for _, f := range fs {
		if f.Severity > Info {
			t.Errorf("%v", f)
		}
	}
	// The disagreements are listed for review, each with its decision.
	n := 0
	for _, f := range fs {
		if f.Rule == "disagreement" {
			n++
			if !strings.Contains(f.Message, "decision: ") || f.Line == 0 {
				t.Errorf("disagreement finding without decision or line: %v", f)
			}
		}
	}
	if n < 10 {
		t.Errorf("%d disagreements listed; the contract records at least 10", n)
	}
}

// TestEachRuleFires breaks the contract once per rule and expects that rule,
// at the right severity, on a line of the spec.
func TestEachRuleFires(t *testing.T) {
	base := string(spec.Embedded())
	cases := map[string]func(string) string{
		"param-description": func(s string) string {
			return strings.Replace(s, "          description: The ID of the contact.\n          schema:", "          schema:", 1)
		},
		"param-example": func(s string) string { return strings.Replace(s, "          example: Email\n", "", 1) },
		"error-trigger": func(s string) string {
			return regexp.MustCompile(`(?s)(code: LegalEntityMismatch\n.*?)          triggers:\n.*?(          provenance: \{kind: page, pages: \[p003, p004\]\})`).ReplaceAllString(s, "$1$2")
		},
		"example-valid": func(s string) string {
			return strings.Replace(s, `ModifyDate: "2023-03-27 17:19:21"`, `ModifyDate: "27/03/2023"`, 1)
		},
		"disagreement-decision": func(s string) string {
			return strings.Replace(s, "decision: See rule Members.maxItems; LimitExceeded.ContactMembers chosen, InvalidParameter.Members accepted.", `decision: ""`, 1)
		},
		"disagreement": func(s string) string { return s },
		"limit-provenance": func(s string) string {
			return strings.Replace(s, "            - keyword: minItems\n", "            - keyword: minItemsx\n", 1)
		},
		"rate-limit": func(s string) string {
			return regexp.MustCompile(`(?s)(operationId: DisassociateMembers.*?)      x-acs-rate-limit:\n.*?(      parameters:)`).ReplaceAllString(s, "$1$2")
		},
		"inferred-rule": func(s string) string { return s },
		"site-fact":     func(s string) string { return s },
		"unprovoked":    func(s string) string { return s },
		"unread-limit":  func(s string) string { return s },
		"curated-drift": func(s string) string {
			return strings.Replace(s, "message: The ContactId is invalid.", "message: The ContactId is wrong.", 1)
		},
		"stale-curation": func(s string) string {
			return strings.Replace(s, "      - code: ConcurrentCallNotSupported\n        retryable: true", "      - code: ConcurrentCallNotSupported.Gone\n        retryable: true", 1)
		},
		"trigger-request": func(s string) string {
			return strings.Replace(s, `              request: {TargetEntity: "{personalAccountId}", TargetType: Account}`+"\n", "", 1)
		},
	}
	for _, r := range Rules() {
		mutate, ok := cases[r.ID]
		if !ok {
			t.Errorf("rule %s has no case in TestEachRuleFires", r.ID)
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			doc := mutate(base)
			if r.Severity > Info && doc == base {
				t.Fatal("mutation changed nothing")
			}
			api, err := spec.Parse("m.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range Run(api) {
				// Info rules about the imported layer fire on its lines.
				if f.Rule == r.ID && f.Severity == r.Severity && f.Line > 0 && (f.File == "m.yaml" || r.Severity == Info && f.File == "resourcedirectorymaster.imported.yaml") {
					return
				}
			}
			t.Fatalf("rule %s did not fire", r.ID)
		})
	}
}
