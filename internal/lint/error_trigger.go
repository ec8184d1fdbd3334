package lint

import (
	"strings"

	"github.com/acsconform/acsconform/spec"
)

var errorTrigger = Rule{
	ID:       "error-trigger",
	Severity: Error,
	Doc: "Every documented error code is produced by a rule (as its choice or a candidate), a quota, " +
		"or a state trigger; otherwise no mock can answer it and no case can provoke it.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, e := range op.Errors {
				if len(e.Triggers) > 0 || len(op.RulesFor(e.Code)) > 0 || quotaProduces(op, e.Code) || e.Unprovoked != "" {
					continue
				}
				report(e.Pos, "%s: error %s is produced by no rule, quota or state trigger", op.Action, e.Code)
			}
		}
		for _, e := range api.PlatformErrors {
			if len(e.Triggers) == 0 {
				report(e.Pos, "platform error %s has no trigger", e.Code)
			}
		}
	},
}

var unprovoked = Rule{
	ID:       "unprovoked",
	Severity: Info,
	Doc: "Codes an imported layer documents without a state that provokes them (x-acs-errors unprovoked): " +
		"the suite skips them with the reason; a curation entry with a trigger fills each in.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			var codes []string
			for _, e := range op.Errors {
				if e.Unprovoked != "" && len(e.Triggers) == 0 && len(op.RulesFor(e.Code)) == 0 {
					codes = append(codes, e.Code)
				}
			}
			if len(codes) > 0 {
				report(op.Pos, "%s: %d of %d codes have no trigger yet: %s", op.Action, len(codes), len(op.Errors), strings.Join(codes, ", "))
			}
		}
	},
}

var staleCuration = Rule{
	ID:       "stale-curation",
	Severity: Error,
	Doc: "A curation entry (x-acs-curation) decides about something its imported source no longer says: " +
		"an operation, code or rule that is gone. Re-decide or remove it.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, s := range api.Stale {
			report(s.Pos, "%s", s.Msg)
		}
	},
}

var unreadLimit = Rule{
	ID:       "unread-limit",
	Severity: Info,
	Doc: "A sentence of a parameter's description reads like a limit but the importer could not read it " +
		"(x-acs-unread-limits): the limit is not enforced until a curation entry or a reader states it.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, p := range op.Params {
				for _, u := range p.UnreadLimits {
					report(p.Pos, "%s: parameter %s: not read as a limit: %s", op.Action, p.Name, u)
				}
			}
		}
	},
}

func quotaProduces(op *spec.Operation, code string) bool {
	for _, q := range op.Quotas {
		if q.Error == code {
			return true
		}
	}
	return false
}

var triggerRequest = Rule{
	ID:       "trigger-request",
	Severity: Warning,
	Doc:      "Every state trigger of an operation's error says how to provoke it (a request over profile inputs, `{}` for one without parameters), so the mock and the suite can.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, e := range op.Errors {
				for _, t := range e.Triggers {
					// request: {} says the request takes no parameters;
					// no request at all says nothing about how to provoke.
					if t.Request == nil {
						report(t.Pos, "%s: error %s: trigger %s has no request", op.Action, e.Code, t.State)
					}
				}
			}
		}
	},
}
