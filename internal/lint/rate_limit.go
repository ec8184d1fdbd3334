package lint

import "github.com/acsconform/acsconform/spec"

var rateLimit = Rule{
	ID:       "rate-limit",
	Severity: Warning,
	Doc: "Every operation transcribed from pages states a rate limit, so clients and the suite can pace themselves " +
		"(the vendor's metadata has no rate limits, so operations only it describes are not asked for one).",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			if op.RateLimit == nil && fromPages(api, op) {
				report(op.Pos, "%s: no x-acs-rate-limit", op.Action)
			}
		}
	},
}

// fromPages reports whether any source of op is a page (not metadata).
func fromPages(api *spec.API, op *spec.Operation) bool {
	for _, id := range op.Sources {
		if s := api.Source(id); s != nil && s.Layout != "metadata" {
			return true
		}
	}
	return len(op.Sources) == 0
}
