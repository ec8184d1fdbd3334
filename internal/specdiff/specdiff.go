// Package specdiff compares two revisions of a contract and classifies every
// change as breaking or not, separately for the two kinds of users this
// project has:
//
//   - clients call the API: a change breaks them when a request that
//     conformed to the old contract may now be refused, or an answer may now
//     hold something the old contract ruled out (a new error code, a wider
//     value set), or when what they must grant (RAM) or may send (rate
//     limits, quotas) shrinks;
//   - servers implement it (emulators, mocks, the cloud itself): a change
//     breaks them when a server that conformed to the old contract may now
//     fail the conformance suite — it accepts what must now be refused,
//     refuses what must now be accepted, answers a code, status or message
//     the contract no longer documents, or leaves out what is now required.
//
// The standard OpenAPI parts (operations, parameters, schema constraints,
// response bodies) are compared by github.com/oasdiff/oasdiff: its rule
// level gives the client verdict, and the rule's direction and effect
// (request or response; widens or narrows) give the server verdict. The
// contract's own vocabulary — documented error codes with their statuses
// and messages, which code each rule answers, RAM actions, rate limits and
// quotas, change history — is compared here, on spec's typed view.
package specdiff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"

	"github.com/acsconform/acsconform/spec"
)

// Impact is a change's verdict for one kind of user.
type Impact string

// Impacts, from worst to harmless.
const (
	Breaking    Impact = "breaking"
	Warning     Impact = "warning" // may break, depending on how the API is used
	NonBreaking Impact = "none"
)

// Change is one difference between the two contracts.
type Change struct {
	// ID names the kind of change: an oasdiff rule ID for the standard
	// parts (e.g. request-parameter-max-items-increased), one of ours for
	// the contract vocabulary (e.g. error-code-added).
	ID string `json:"id"`
	// Operation is the Action the change is about; empty for the platform's
	// codes and document-wide changes.
	Operation string `json:"operation,omitempty"`
	// Subject is what changed: "parameter Members", "error InvalidMember".
	Subject string `json:"subject"`
	Text    string `json:"text"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
	Client  Impact `json:"client"`
	Server  Impact `json:"server"`
	// Why explains the two verdicts.
	Why string `json:"why,omitempty"`
	// Source is "oasdiff" or "acsconform".
	Source string `json:"source"`
}

// Report is the comparison of two contracts.
type Report struct {
	Old     string   `json:"old"`
	New     string   `json:"new"`
	Changes []Change `json:"changes"`
}

// Breaking counts the changes that break clients and servers.
func (r *Report) Breaking() (client, server int) {
	for _, c := range r.Changes {
		if c.Client == Breaking {
			client++
		}
		if c.Server == Breaking {
			server++
		}
	}
	return
}

// Compare compares two contracts.
func Compare(old, new *spec.API) (*Report, error) {
	r := &Report{Old: old.File, New: new.File}
	std, err := standard(old, new)
	if err != nil {
		return nil, err
	}
	r.Changes = append(r.Changes, std...)
	r.Changes = append(r.Changes, vocabulary(old, new)...)
	sort.SliceStable(r.Changes, func(i, j int) bool {
		a, b := r.Changes[i], r.Changes[j]
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if rank(a) != rank(b) {
			return rank(a) < rank(b)
		}
		return a.Subject < b.Subject
	})
	return r, nil
}

func rank(c Change) int {
	switch {
	case c.Client == Breaking || c.Server == Breaking:
		return 0
	case c.Client == Warning || c.Server == Warning:
		return 1
	}
	return 2
}

// standard runs oasdiff's checks over the OpenAPI documents.
func standard(old, new *spec.API) (out []Change, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("comparing the OpenAPI parts: oasdiff failed: %v", r)
		}
	}()
	s1 := &load.SpecInfo{Spec: old.Doc, Url: old.File}
	s2 := &load.SpecInfo{Spec: new.Doc, Url: new.File}
	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), s1, s2)
	if err != nil {
		return nil, fmt.Errorf("comparing the OpenAPI parts: %w", err)
	}
	rules := map[string]checker.BackwardCompatibilityRule{}
	for _, r := range checker.GetAllRules() {
		rules[r.Id] = r
	}
	loc := checker.NewDefaultLocalizer()
	changes := checker.CheckBackwardCompatibilityUntilLevel(checker.NewConfig(checker.GetAllChecks()), d, sources, checker.INFO)
	for _, c := range changes {
		ch := Change{
			ID:        c.GetId(),
			Operation: actionOf(c.GetPath()),
			Subject:   subjectOf(c),
			Text:      c.GetUncolorizedText(loc),
			Source:    "oasdiff",
		}
		ch.Client = clientImpact(c.GetLevel())
		ch.Server, ch.Why = serverImpact(rules[c.GetId()])
		out = append(out, ch)
	}
	return out, nil
}

func clientImpact(l checker.Level) Impact {
	switch l {
	case checker.ERR:
		return Breaking
	case checker.WARN:
		return Warning
	}
	return NonBreaking
}

// serverImpact derives the server verdict from an oasdiff rule's direction
// and effect. On the request side any change of what is accepted breaks a
// server (it must now accept or refuse differently); on the response side a
// narrowing breaks it (what it sends may no longer be allowed), a widening
// does not (what it sends is still allowed).
func serverImpact(r checker.BackwardCompatibilityRule) (Impact, string) {
	if r.Id == "" {
		return Warning, "an oasdiff rule this version of acsconform does not know"
	}
	switch r.Effect {
	case checker.EffectNone:
		return NonBreaking, "documentation or lifecycle only"
	case checker.EffectViolation:
		return Breaking, "the new contract violates a rule of its own"
	}
	switch r.Direction {
	case checker.DirectionRequest:
		switch r.Effect {
		case checker.EffectWidens:
			return Breaking, "requests: the server must now accept what it could refuse"
		case checker.EffectNarrows:
			return Breaking, "requests: the server must now refuse what it accepted"
		}
		return Breaking, "requests: what the server must accept changed"
	case checker.DirectionResponse:
		switch r.Effect {
		case checker.EffectWidens:
			return NonBreaking, "answers: what a server sends is still allowed"
		case checker.EffectNarrows:
			return Breaking, "answers: what a server sends may no longer be allowed"
		}
		return Breaking, "answers: what a server must send changed"
	}
	if r.Area == checker.AreaPaths || strings.HasPrefix(r.Id, "endpoint-") || strings.HasPrefix(r.Id, "api-path-") {
		switch {
		case strings.Contains(r.Id, "added"):
			return Breaking, "a new operation: a server must now implement it, and the suite tests it"
		case strings.Contains(r.Id, "removed"):
			return NonBreaking, "a server may still serve the operation; the suite no longer tests it"
		}
	}
	if r.Effect == checker.EffectUnknown || r.Effect == checker.EffectIncomparable {
		return Warning, "the change's effect cannot be told apart"
	}
	return Warning, ""
}

// actionOf maps an oasdiff path (/#Action) back to the Action.
func actionOf(path string) string {
	if i := strings.Index(path, "#"); i >= 0 {
		return path[i+1:]
	}
	return ""
}

func subjectOf(c checker.Change) string {
	args := c.GetArgs()
	id := c.GetId()
	switch {
	case strings.Contains(id, "request-parameter"):
		if len(args) >= 2 {
			return fmt.Sprintf("parameter %v", args[1])
		}
	case strings.HasPrefix(id, "response-property") || strings.HasPrefix(id, "response-body"):
		if len(args) >= 1 {
			return fmt.Sprintf("response %v", args[0])
		}
	case strings.HasPrefix(id, "endpoint-") || strings.HasPrefix(id, "api-path"):
		return "operation"
	}
	return id
}
