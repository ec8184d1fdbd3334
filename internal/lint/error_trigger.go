package lint

import "github.com/acsconform/acsconform/spec"

var errorTrigger = Rule{
	ID:       "error-trigger",
	Severity: Error,
	Doc: "Every documented error code is produced by a rule (as its choice or a candidate), a quota, " +
		"or a state trigger; otherwise no mock can answer it and no case can provoke it.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, e := range op.Errors {
				if len(e.Triggers) > 0 || len(op.RulesFor(e.Code)) > 0 || quotaProduces(op, e.Code) {
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
	Doc:      "Every state trigger of an operation's error says how to provoke it (a request over profile inputs), so the mock and the suite can.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			for _, e := range op.Errors {
				for _, t := range e.Triggers {
					if len(t.Request) == 0 {
						report(t.Pos, "%s: error %s: trigger %s has no request", op.Action, e.Code, t.State)
					}
				}
			}
		}
	},
}
