package lint

import "github.com/acsconform/acsconform/spec"

var rateLimit = Rule{
	ID:       "rate-limit",
	Severity: Warning,
	Doc:      "Every operation states a rate limit, so clients and the suite can pace themselves.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			if op.RateLimit == nil {
				report(op.Pos, "%s: no x-acs-rate-limit", op.Action)
			}
		}
	},
}
