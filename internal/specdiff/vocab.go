package specdiff

import (
	"fmt"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/spec"
)

const ours = "acsconform"

// vocabulary compares the contract's own vocabulary, operation by
// operation (operations only one side has are oasdiff's to report).
func vocabulary(old, new *spec.API) []Change {
	var out []Change
	out = append(out, errorChanges("", old.PlatformErrors, new.PlatformErrors)...)
	for _, o := range old.Operations {
		n := new.Operation(o.Action)
		if n == nil {
			continue
		}
		out = append(out, errorChanges(o.Action, o.Errors, n.Errors)...)
		out = append(out, ruleChanges(o, n)...)
		out = append(out, ramChanges(o, n)...)
		out = append(out, rateChanges(o, n)...)
		out = append(out, quotaChanges(o, n)...)
		out = append(out, historyChanges(o, n)...)
	}
	if old.ClockSkew != new.ClockSkew && old.ClockSkew != 0 && new.ClockSkew != 0 {
		c := Change{ID: "clock-skew-changed", Subject: "signature window", Text: fmt.Sprintf("the accepted clock skew of a signed request changed from %s to %s", old.ClockSkew, new.ClockSkew),
			Old: old.ClockSkew.String(), New: new.ClockSkew.String(), Server: Breaking, Source: ours}
		if new.ClockSkew < old.ClockSkew {
			c.Client, c.Why = Breaking, "a client whose clock is off by less than the old window may now be refused; a server must refuse more"
		} else {
			c.Client, c.Why = NonBreaking, "a server must now accept timestamps it refused"
		}
		out = append(out, c)
	}
	return out
}

func errorChanges(action string, old, new []*spec.ErrorCode) []Change {
	var out []Change
	subject := func(code string) string { return "error " + code }
	newBy := map[string]*spec.ErrorCode{}
	for _, e := range new {
		newBy[e.Code] = e
	}
	oldBy := map[string]*spec.ErrorCode{}
	for _, e := range old {
		oldBy[e.Code] = e
		n := newBy[e.Code]
		if n == nil {
			out = append(out, Change{ID: "error-code-removed", Operation: action, Subject: subject(e.Code), Source: ours,
				Text: fmt.Sprintf("error %s (HTTP %d, %q) is no longer documented", e.Code, e.Status, e.Message), Old: e.Code,
				Client: NonBreaking, Server: Breaking,
				Why: "clients lose nothing by handling a code that no longer comes; a server that still answers it deviates"})
			continue
		}
		if e.Status != n.Status {
			out = append(out, Change{ID: "error-status-changed", Operation: action, Subject: subject(e.Code), Source: ours,
				Text: fmt.Sprintf("error %s is now answered with HTTP %d instead of %d", e.Code, n.Status, e.Status),
				Old:  fmt.Sprint(e.Status), New: fmt.Sprint(n.Status), Client: Breaking, Server: Breaking,
				Why: "clients that branch on the status see another one; servers must answer the new status"})
		}
		if e.Message != n.Message || e.MessageMatch != n.MessageMatch {
			out = append(out, Change{ID: "error-message-changed", Operation: action, Subject: subject(e.Code), Source: ours,
				Text: fmt.Sprintf("error %s's message changed from %q to %q", e.Code, e.Message, n.Message),
				Old:  e.Message, New: n.Message, Client: Warning, Server: Breaking,
				Why: "clients should match codes, not messages; the suite compares messages exactly"})
		}
		if e.Retryable != n.Retryable {
			c := Change{ID: "error-retryable-changed", Operation: action, Subject: subject(e.Code), Source: ours,
				Old: fmt.Sprint(e.Retryable), New: fmt.Sprint(n.Retryable), Server: NonBreaking}
			if n.Retryable {
				c.Text, c.Client, c.Why = fmt.Sprintf("error %s is now retryable", e.Code), NonBreaking, "clients may retry it now; nothing they did breaks"
			} else {
				c.Text, c.Client, c.Why = fmt.Sprintf("error %s is no longer retryable", e.Code), Warning, "clients that retry it resend a request that will not succeed"
			}
			out = append(out, c)
		}
		if d1, d2 := e.Description["en"], n.Description["en"]; d1 != d2 && d1 != "" && d2 != "" {
			out = append(out, Change{ID: "error-description-changed", Operation: action, Subject: subject(e.Code), Source: ours,
				Text: fmt.Sprintf("error %s's description changed", e.Code), Old: d1, New: d2, Client: NonBreaking, Server: NonBreaking,
				Why: "documentation only"})
		}
	}
	for _, n := range new {
		if oldBy[n.Code] == nil {
			out = append(out, Change{ID: "error-code-added", Operation: action, Subject: subject(n.Code), Source: ours,
				Text: fmt.Sprintf("error %s (HTTP %d, %q) is newly documented", n.Code, n.Status, n.Message), New: n.Code,
				Client: Warning, Server: Breaking,
				Why: "clients may receive a code they do not handle; a server must now produce it where the contract says"})
		}
	}
	return out
}

// ruleChanges compares which documented code each rule answers. The
// constraints themselves are schema keywords: oasdiff reports those.
func ruleChanges(o, n *spec.Operation) []Change {
	var out []Change
	newBy := map[string]*spec.Rule{}
	for _, r := range n.Rules {
		newBy[r.ID] = r
	}
	oldBy := map[string]*spec.Rule{}
	for _, r := range o.Rules {
		oldBy[r.ID] = r
		nr := newBy[r.ID]
		switch {
		case nr == nil:
			out = append(out, Change{ID: "rule-removed", Operation: o.Action, Subject: "rule " + r.ID, Source: ours,
				Text: fmt.Sprintf("rule %s (answered with %s) is gone", r.ID, r.Error), Old: r.Error,
				Client: NonBreaking, Server: Breaking, Why: "requests it refused may now be accepted: a server that still refuses them deviates"})
		case nr.Error != r.Error:
			out = append(out, Change{ID: "rule-error-changed", Operation: o.Action, Subject: "rule " + r.ID, Source: ours,
				Text: fmt.Sprintf("rule %s is now answered with %s instead of %s", r.ID, nr.Error, r.Error), Old: r.Error, New: nr.Error,
				Client: Breaking, Server: Breaking, Why: "clients that branch on the code see another one; servers must answer the new code"})
		case strings.Join(sorted(r.Candidates), ",") != strings.Join(sorted(nr.Candidates), ","):
			out = append(out, Change{ID: "rule-candidates-changed", Operation: o.Action, Subject: "rule " + r.ID, Source: ours,
				Text: fmt.Sprintf("rule %s's documented alternative codes changed from [%s] to [%s]", r.ID, strings.Join(r.Candidates, ", "), strings.Join(nr.Candidates, ", ")),
				Old:  strings.Join(r.Candidates, ", "), New: strings.Join(nr.Candidates, ", "),
				Client: Warning, Server: Warning, Why: "the set of codes the pages leave open changed"})
		}
	}
	for _, r := range n.Rules {
		if oldBy[r.ID] == nil {
			out = append(out, Change{ID: "rule-added", Operation: o.Action, Subject: "rule " + r.ID, Source: ours,
				Text: fmt.Sprintf("new rule %s on %s, answered with %s", r.ID, r.Param, r.Error), New: r.Error,
				Client: Breaking, Server: Breaking, Why: "requests it refuses were accepted before; a server must now refuse them"})
		}
	}
	return out
}

func ramChanges(o, n *spec.Operation) []Change {
	describe := func(r *spec.RAM) string {
		if r == nil {
			return ""
		}
		s := r.Action
		if r.AccessLevel != "" {
			s += " (" + r.AccessLevel + ")"
		}
		return s
	}
	a, b := describe(o.RAM), describe(n.RAM)
	c := Change{Operation: o.Action, Subject: "RAM action", Old: a, New: b, Source: ours}
	switch {
	case a == b && o.RAM != nil && n.RAM != nil && resources(o.RAM) != resources(n.RAM):
		c.ID, c.Text = "ram-resources-changed", fmt.Sprintf("the RAM resources of %s changed from %q to %q", a, resources(o.RAM), resources(n.RAM))
		c.Old, c.New = resources(o.RAM), resources(n.RAM)
		c.Client, c.Server, c.Why = Warning, Warning, "policies scoped to resources may need changing"
	case a == b:
		return nil
	case o.RAM == nil:
		c.ID, c.Text = "ram-action-added", "the RAM action is now documented: "+b
		c.Client, c.Server, c.Why = Breaking, Warning, "a RAM user's policy must grant it; servers that authorise with RAM must check it"
	case n.RAM == nil:
		c.ID, c.Text = "ram-action-removed", "the RAM action "+a+" is no longer documented"
		c.Client, c.Server, c.Why = NonBreaking, Warning, "nothing to grant is documented any more"
	default:
		c.ID, c.Text = "ram-action-changed", fmt.Sprintf("the RAM action changed from %s to %s", a, b)
		c.Client, c.Server, c.Why = Breaking, Warning, "policies that grant the old action no longer authorise the call; servers that authorise with RAM must check the new one"
	}
	return []Change{c}
}

func resources(r *spec.RAM) string {
	var parts []string
	for _, x := range r.Resources {
		parts = append(parts, x.Type+"="+x.ARN)
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func rateChanges(o, n *spec.Operation) []Change {
	rate := func(r *spec.RateLimit) (float64, string) {
		if r == nil || r.PerSeconds == 0 {
			return 0, ""
		}
		return float64(r.Requests) / float64(r.PerSeconds), fmt.Sprintf("%d per %ds", r.Requests, r.PerSeconds)
	}
	a, as := rate(o.RateLimit)
	b, bs := rate(n.RateLimit)
	if as == bs {
		return nil
	}
	c := Change{Operation: o.Action, Subject: "rate limit", Old: as, New: bs, Source: ours}
	switch {
	case as == "":
		c.ID, c.Text = "rate-limit-added", "a rate limit is now documented: "+bs
		c.Client, c.Server, c.Why = Warning, Breaking, "clients faster than that are throttled; a server must throttle past it"
	case bs == "":
		c.ID, c.Text = "rate-limit-removed", "the rate limit ("+as+") is no longer documented"
		c.Client, c.Server, c.Why = NonBreaking, Warning, "a server that still throttles at the old rate may be tested against none"
	case b < a:
		c.ID, c.Text = "rate-limit-decreased", fmt.Sprintf("the rate limit decreased from %s to %s", as, bs)
		c.Client, c.Server, c.Why = Breaking, Breaking, "clients between the two rates are now throttled; a server must throttle earlier"
	default:
		c.ID, c.Text = "rate-limit-increased", fmt.Sprintf("the rate limit increased from %s to %s", as, bs)
		c.Client, c.Server, c.Why = NonBreaking, Breaking, "a server that throttles at the old rate refuses requests it must now accept"
	}
	return []Change{c}
}

func quotaChanges(o, n *spec.Operation) []Change {
	var out []Change
	newBy := map[string]*spec.Quota{}
	for _, q := range n.Quotas {
		newBy[q.ID] = q
	}
	oldBy := map[string]*spec.Quota{}
	for _, q := range o.Quotas {
		oldBy[q.ID] = q
		nq := newBy[q.ID]
		c := Change{Operation: o.Action, Subject: "quota " + q.ID, Old: fmt.Sprintf("%d per %s", q.Limit, q.Period), Source: ours}
		switch {
		case nq == nil:
			c.ID, c.Text = "quota-removed", fmt.Sprintf("quota %s (%s) is no longer documented", q.ID, c.Old)
			c.Client, c.Server, c.Why = NonBreaking, Breaking, "a server that still enforces it refuses what is no longer limited"
		case nq.Limit == q.Limit && nq.Period == q.Period && nq.Error == q.Error:
			continue
		case nq.Error != q.Error:
			c.New = nq.Error
			c.ID, c.Text = "quota-error-changed", fmt.Sprintf("quota %s is now answered with %s instead of %s", q.ID, nq.Error, q.Error)
			c.Client, c.Server, c.Why = Breaking, Breaking, "another code comes back when the quota is spent"
		case nq.Period == q.Period && nq.Limit < q.Limit:
			c.New = fmt.Sprintf("%d per %s", nq.Limit, nq.Period)
			c.ID, c.Text = "quota-decreased", fmt.Sprintf("quota %s decreased from %s to %s", q.ID, c.Old, c.New)
			c.Client, c.Server, c.Why = Breaking, Breaking, "clients are refused earlier; a server must refuse earlier"
		case nq.Period == q.Period:
			c.New = fmt.Sprintf("%d per %s", nq.Limit, nq.Period)
			c.ID, c.Text = "quota-increased", fmt.Sprintf("quota %s increased from %s to %s", q.ID, c.Old, c.New)
			c.Client, c.Server, c.Why = NonBreaking, Breaking, "a server that enforces the old quota refuses what it must now accept"
		default:
			c.New = fmt.Sprintf("%d per %s", nq.Limit, nq.Period)
			c.ID, c.Text = "quota-changed", fmt.Sprintf("quota %s changed from %s to %s", q.ID, c.Old, c.New)
			c.Client, c.Server, c.Why = Warning, Breaking, "the quota's period changed"
		}
		out = append(out, c)
	}
	for _, q := range n.Quotas {
		if oldBy[q.ID] == nil {
			v := fmt.Sprintf("%d per %s", q.Limit, q.Period)
			out = append(out, Change{ID: "quota-added", Operation: o.Action, Subject: "quota " + q.ID, New: v, Source: ours,
				Text:   fmt.Sprintf("quota %s (%s, answered with %s) is newly documented", q.ID, v, q.Error),
				Client: Breaking, Server: Breaking, Why: "clients past it are refused; a server must enforce it"})
		}
	}
	return out
}

// historyChanges lists the change-history entries the new revision adds:
// what the vendor says changed, for the reader; no verdict of its own.
func historyChanges(o, n *spec.Operation) []Change {
	seen := map[string]bool{}
	for _, c := range o.Changes {
		seen[c.Date] = true
	}
	var out []Change
	for _, c := range n.Changes {
		if seen[c.Date] {
			continue
		}
		summary := c.Summary["en"]
		if summary == "" {
			for _, v := range c.Summary {
				summary = v
				break
			}
		}
		text := "the change history gained an entry of " + c.Date
		if summary != "" {
			text += ": " + summary
		}
		if len(c.Items) > 0 {
			text += " (" + strings.Join(c.Items, "; ") + ")"
		}
		out = append(out, Change{ID: "history-entry-added", Operation: o.Action, Subject: "change history", New: c.Date, Text: text,
			Client: NonBreaking, Server: NonBreaking, Why: "the vendor's own account; the changes it names are listed separately", Source: ours})
	}
	return out
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
