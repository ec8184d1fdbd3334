package lint

import (
	"maps"
	"regexp"
	"slices"
	"strconv"

	"github.com/acsconform/acsconform/spec"
)

// siteSentence finds a sentence the importer kept behind a site's name
// ("[china site] …"): a fact the vendor states for that site only.
var siteSentence = regexp.MustCompile(`\[(china|intl) site\] ([^\n]+)`)

var siteFact = Rule{
	ID:       "site-fact",
	Severity: Info,
	Doc:      "Lists the facts the vendor states for one site only (<props=\"china\">, <props=\"intl\"> in its metadata): the rules that hold on one site, checked only against a profile of that site, and the site sentences no rule enforces.",
	Check: func(api *spec.API, report func(spec.Pos, string, ...any)) {
		for _, op := range api.Operations {
			enforced := map[string]bool{} // param + site
			for _, r := range op.Rules {
				if r.Site == "" {
					continue
				}
				enforced[r.ParamName()+" "+r.Site] = true
				limit := ""
				if r.Limit != nil {
					limit = ", limit " + strconv.FormatFloat(*r.Limit, 'g', -1, 64)
				}
				report(r.Pos, "%s: rule %s (%s%s → %s) holds on the %s site only: %s", op.Action, r.ID, r.Kind, limit, r.Error, r.Site, oneLine(r.Provenance.Quote))
			}
			for _, p := range op.Params {
				langs := slices.Sorted(maps.Keys(p.Descriptions))
				for _, lang := range langs {
					for _, m := range siteSentence.FindAllStringSubmatch(p.Descriptions[lang], -1) {
						if enforced[p.Name+" "+m[1]] {
							continue
						}
						report(p.Pos, "%s: %s: a fact of the %s site only, not enforced by any rule: %s", op.Action, p.Name, m[1], oneLine(m[2]))
					}
				}
			}
		}
	},
}
