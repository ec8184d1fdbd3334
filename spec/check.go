package spec

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// check verifies that the vocabulary hangs together: every reference
// resolves, every rule names a keyword its schema has, every provenance is
// well formed. Completeness (descriptions, examples, triggers) is lint's job.
func (d *decoder) check(api *API) {
	ids := map[string]bool{}
	for _, s := range api.Sources {
		if s.ID == "" || ids[s.ID] {
			d.problems = append(d.problems, Problem{s.Pos, fmt.Sprintf("source id %q is empty or repeated", s.ID)})
		}
		ids[s.ID] = true
	}
	prov := func(pos Pos, what string, p Provenance) {
		for _, msg := range provenanceProblems(p, ids) {
			d.problems = append(d.problems, Problem{pos, what + ": provenance: " + msg})
		}
	}
	prov(Pos{File: d.file}, ExtApi, api.Provenance)
	if g := api.Gateway; g != nil {
		for name, p := range g.provenances() {
			prov(Pos{File: d.file}, "x-acs-gateway: "+name, p)
		}
	}
	for _, e := range api.PlatformErrors {
		d.checkError(e, prov)
	}
	for _, op := range api.Operations {
		d.checkOperation(op, ids, prov)
		for _, af := range op.After {
			prov(af.Pos, fmt.Sprintf("%s: after %s", op.Action, af.ID), af.Provenance)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(api.Inputs)) {
		in := api.Inputs[name]
		bad := func(format string, args ...any) {
			d.problems = append(d.problems, Problem{in.Pos, fmt.Sprintf("%s: input %s: ", ExtInputs, name) + fmt.Sprintf(format, args...)})
		}
		switch {
		case !slices.Contains(InputKinds, in.Kind):
			bad("kind %q is none of %v", in.Kind, InputKinds)
		case in.Description == "":
			bad("say in words what to give (description)")
		}
		for _, other := range append(slices.Clone(in.DiffersFrom), in.NameOf) {
			if other != "" && (other == name || api.Inputs[other] == nil) {
				bad("names %q, which is not another declared input", other)
			}
		}
		if in.Provision != nil {
			for _, msg := range provisionProblems(api, name, in.Provision) {
				bad("provision: %s", msg)
			}
		}
	}
	if cycle := ProvisionCycle(api.Inputs); cycle != nil {
		in := api.Inputs[cycle[0]]
		d.problems = append(d.problems, Problem{in.Pos, fmt.Sprintf("%s: the provisioning recipes name each other in a circle (%s): none can be made first", ExtInputs, strings.Join(cycle, " → "))})
	}
}

// provisionProblems checks one input's provisioning recipe against the
// contract: each call names an operation, a made entity says where its
// answer names it and how it is removed (or why it is not), a value taken
// from another input names a recipe that makes one.
func provisionProblems(api *API, name string, p *Provision) []string {
	var out []string
	switch {
	case p.Create == nil && p.From == "":
		out = append(out, "give create (the call that makes the entity) or from (the input whose entity it is)")
	case p.Create != nil && p.From != "":
		out = append(out, "give create or from, not both")
	case p.From != "":
		other := api.Inputs[p.From]
		switch {
		case other == nil || p.From == name:
			out = append(out, fmt.Sprintf("from %q is not another declared input", p.From))
		case other.Provision == nil || other.Provision.Create == nil:
			out = append(out, fmt.Sprintf("from %q: that input has no create recipe", p.From))
		case p.Param != "" && other.Provision.Create.Request[p.Param] == nil:
			out = append(out, fmt.Sprintf("param %q: %s's create request does not set it", p.Param, p.From))
		}
	case p.ID == "":
		out = append(out, "id: say where "+p.Create.Action+"'s answer names the entity (a dotted path such as Folder.FolderId)")
	case len(p.Cleanup) == 0 && p.NoCleanup == "":
		out = append(out, "give cleanup (the calls that remove the entity) or no-cleanup (why none can)")
	}
	for _, c := range p.Calls() {
		if c.Action == "" || api.Operation(c.Action) == nil {
			out = append(out, fmt.Sprintf("call %q names no operation of the contract", c.Action))
		}
	}
	return out
}

// ProvisionCycle returns inputs whose recipes name each other in a circle
// (the first repeated at the end), or nil.
func ProvisionCycle(inputs map[string]*InputDecl) []string {
	const (
		unseen = iota
		open
		done
	)
	mark := map[string]int{}
	var path []string
	var visit func(name string) []string
	visit = func(name string) []string {
		in := inputs[name]
		if in == nil || in.Provision == nil || mark[name] == done {
			return nil
		}
		if mark[name] == open {
			i := slices.Index(path, name)
			return append(slices.Clone(path[i:]), name)
		}
		mark[name] = open
		path = append(path, name)
		for _, ref := range in.Provision.Refers() {
			if c := visit(ref); c != nil {
				return c
			}
		}
		path = path[:len(path)-1]
		mark[name] = done
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(inputs)) {
		if c := visit(name); c != nil {
			return c
		}
	}
	return nil
}

func provenanceProblems(p Provenance, sources map[string]bool) []string {
	var out []string
	switch p.Kind {
	case KindPage, KindProse, KindMetadata:
		if len(p.Pages) == 0 {
			out = append(out, fmt.Sprintf("kind %s names no page", p.Kind))
		}
		if p.Kind == KindProse && p.Quote == "" {
			out = append(out, "kind prose needs the quote it was read from")
		}
	case KindInferred, KindPlatform, KindObserved, KindDocumented:
		if p.Reason == "" {
			out = append(out, fmt.Sprintf("kind %s needs a reason", p.Kind))
		}
	case "":
		out = append(out, "missing")
	default:
		out = append(out, fmt.Sprintf("unknown kind %q (want page, prose, metadata, inferred, observed, documented or platform)", p.Kind))
	}
	for _, id := range p.Pages {
		if !sources[id] {
			out = append(out, fmt.Sprintf("page %q is not among x-acs-sources", id))
		}
	}
	return out
}

func (d *decoder) checkError(e *ErrorCode, prov func(Pos, string, Provenance)) {
	what := "error " + e.Code
	if e.Code == "" {
		d.problems = append(d.problems, Problem{e.Pos, "error without code"})
	}
	if e.Status < 400 || e.Status > 599 {
		d.problems = append(d.problems, Problem{e.Pos, fmt.Sprintf("%s: status %d is not an HTTP error status", what, e.Status)})
	}
	if e.Message == "" {
		d.problems = append(d.problems, Problem{e.Pos, what + ": message is empty"})
	}
	if !slices.Contains([]string{"", MatchExact, MatchPrefix, MatchTemplate}, e.MessageMatch) {
		d.problems = append(d.problems, Problem{e.Pos, fmt.Sprintf("%s: message-match %q (want exact, prefix or template)", what, e.MessageMatch)})
	}
	prov(e.Pos, what, e.Provenance)
	if e.StatusProvenance != nil {
		prov(e.Pos, what+": status-provenance", *e.StatusProvenance)
	}
	if e.MessageProvenance != nil {
		prov(e.Pos, what+": message-provenance", *e.MessageProvenance)
	}
	for _, t := range e.Triggers {
		if t.State == "" {
			d.problems = append(d.problems, Problem{t.Pos, what + ": trigger without state"})
		}
		if !slices.Contains([]string{SafetyReadonly, SafetyMutating, SafetyExhausting}, t.Safety) {
			d.problems = append(d.problems, Problem{t.Pos, fmt.Sprintf("%s: trigger %s: safety %q (want readonly, mutating or exhausting)", what, t.State, t.Safety)})
		}
		if t.Provenance.Kind != "" {
			prov(t.Pos, what+": trigger "+t.State, t.Provenance)
		}
		if t.Refusal != nil {
			prov(t.Pos, what+": trigger "+t.State+": refusal", *t.Refusal)
		}
		d.checkTrigger(e, t)
	}
}

func (d *decoder) checkTrigger(e *ErrorCode, t *Trigger) {
	bad := func(format string, args ...any) {
		d.problems = append(d.problems, Problem{t.Pos, fmt.Sprintf("error %s: trigger %s: ", e.Code, t.State) + fmt.Sprintf(format, args...)})
	}
	needs := map[string]bool{}
	for _, n := range t.Needs {
		needs[n] = true
	}
	used := t.Placeholders()
	if t.As != "" {
		used = append(used, t.As)
	}
	if t.Vary != nil {
		used = append(used, t.Vary.Over)
	}
	for _, u := range used {
		if !needs[u] {
			bad("uses input %q, which needs does not list", u)
		}
	}
	switch t.Procedure {
	case ProcedureSingle, ProcedureConcurrent:
	case ProcedureExhaustQuota:
		if t.Quota == "" || t.Vary == nil {
			bad("procedure exhaust-quota needs quota and vary")
		}
	default:
		bad("procedure %q (want concurrent or exhaust-quota)", t.Procedure)
	}
}

func (d *decoder) checkOperation(op *Operation, ids map[string]bool, prov func(Pos, string, Provenance)) {
	bad := func(pos Pos, format string, args ...any) {
		d.problems = append(d.problems, Problem{pos, op.Action + ": " + fmt.Sprintf(format, args...)})
	}
	prov(op.Pos, op.Action, op.Provenance)
	for _, s := range op.Sources {
		if !ids[s] {
			bad(op.Pos, "source %q is not among x-acs-sources", s)
		}
	}
	codes := map[string]bool{}
	for _, e := range op.Errors {
		if codes[e.Code] {
			bad(e.Pos, "error %s is listed twice", e.Code)
		}
		codes[e.Code] = true
		d.checkError(e, prov)
	}
	for _, p := range op.Params {
		prov(p.Pos, "parameter "+p.Name, p.Provenance)
		if p.RequiredProvenance != nil {
			prov(p.Pos, "parameter "+p.Name+" required-ness", *p.RequiredProvenance)
		}
		if p.Schema == nil {
			bad(p.Pos, "parameter %s has no schema", p.Name)
			continue
		}
		isArray := p.Schema.Type.Is(openapi3.TypeArray)
		switch {
		case p.Style != "" && p.Style != StyleRepeatList && p.Style != StyleFlat:
			bad(p.Pos, "parameter %s: x-acs-style %q (want repeatList or flat)", p.Name, p.Style)
		case isArray && p.Style == "" && (p.Location == "" || p.Location == InQuery) && p.Encoding == "":
			bad(p.Pos, "parameter %s is an array but says no x-acs-style (repeatList or flat)", p.Name)
		case !isArray && p.Style != "":
			bad(p.Pos, "parameter %s has x-acs-style but is not an array", p.Name)
		}
		for _, l := range p.Limits {
			prov(l.Pos, "parameter "+p.Name+" limit "+l.Keyword, l.Provenance)
		}
	}
	d.checkRules(op, bad, prov)
	if sc := op.Success; sc != nil {
		if !slices.Contains([]string{SafetyReadonly, SafetyMutating, SafetyExhausting}, sc.Safety) {
			bad(op.Pos, "success: safety %q (want readonly, mutating or exhausting)", sc.Safety)
		}
		if sc.Safety == SafetyMutating && sc.Cleanup == nil && sc.NoCleanup == "" && sc.Setup == nil {
			bad(op.Pos, "success: a mutating success needs a cleanup (or no-cleanup saying why)")
		}
		needs := map[string]bool{}
		for _, n := range sc.Needs {
			needs[n] = true
		}
		for _, c := range []*Call{{Action: op.Action, Request: sc.Request}, sc.Setup, sc.Cleanup} {
			if c == nil {
				continue
			}
			if op.api.Operation(c.Action) == nil {
				bad(op.Pos, "success: %s is not an operation of the contract", c.Action)
				continue
			}
			for _, u := range (&Trigger{Request: c.Request}).Placeholders() {
				if !needs[u] {
					bad(op.Pos, "success: uses input %q, which needs does not list", u)
				}
			}
		}
	}
	for _, p := range op.Params {
		if p.Encoding != "" && p.Encoding != EncodingJSON && p.Encoding != EncodingSimple {
			bad(p.Pos, "parameter %s: %s %q (want %s, or %s for a list written comma-separated)", p.Name, ExtEncoding, p.Encoding, EncodingJSON, EncodingSimple)
		}
		if w := p.NeedlessWhen; w != nil && (op.Param(w.Param) == nil || w.Param == p.Name || w.Equals == "") {
			bad(p.Pos, "parameter %s: %s names no other parameter and value (%q = %q)", p.Name, ExtNeedlessWhen, w.Param, w.Equals)
		}
	}
	for _, e := range op.Errors {
		for _, t := range e.Triggers {
			if t.Quota != "" && !slices.ContainsFunc(op.Quotas, func(q *Quota) bool { return q.ID == t.Quota }) {
				bad(t.Pos, "error %s: trigger %s: no quota %q", e.Code, t.State, t.Quota)
			}
			for k := range t.Request {
				if op.Param(k) == nil {
					bad(t.Pos, "error %s: trigger %s: request sets %q, which is not a parameter", e.Code, t.State, k)
				}
			}
		}
	}
	for _, q := range op.Quotas {
		if op.Error(q.Error) == nil {
			bad(q.Pos, "quota %s: error %s is not documented", q.ID, q.Error)
		}
		prov(q.Pos, "quota "+q.ID, q.Provenance)
	}
	if op.RAM != nil {
		prov(op.RAM.Pos, ExtRam, op.RAM.Provenance)
	}
	if op.RateLimit != nil {
		if op.RateLimit.Requests <= 0 {
			bad(op.RateLimit.Pos, "x-acs-rate-limit: requests must be positive")
		}
		prov(op.RateLimit.Pos, ExtRateLimit, op.RateLimit.Provenance)
	}
	for _, r := range op.Relations {
		prov(r.Pos, "relation "+r.ID, r.Provenance)
	}
	for _, c := range op.Changes {
		prov(c.Pos, "change "+c.Date, c.Provenance)
	}
	for _, g := range op.Disagreements {
		for _, rd := range g.Readings {
			for _, pg := range rd.Pages {
				if !ids[pg] {
					bad(g.Pos, "disagreement %s: page %q is not among x-acs-sources", g.ID, pg)
				}
			}
		}
	}
}

func (d *decoder) checkRules(op *Operation, bad func(Pos, string, ...any), prov func(Pos, string, Provenance)) {
	seen := map[string]bool{}
	for _, r := range op.Rules {
		if r.ID == "" || seen[r.ID] {
			bad(r.Pos, "rule id %q is empty or repeated", r.ID)
		}
		seen[r.ID] = true
		prov(r.Pos, "rule "+r.ID, r.Provenance)
		if r.Refusal != nil {
			prov(r.Pos, "rule "+r.ID+": refusal", *r.Refusal)
		}
		p := r.Target()
		if p == nil {
			bad(r.Pos, "rule %s: no parameter %q", r.ID, r.ParamName())
			continue
		}
		s := r.Schema()
		if s == nil {
			bad(r.Pos, "rule %s: %s has no item schema", r.ID, r.Param)
			continue
		}
		if msg := keywordProblem(r, s); msg != "" {
			bad(r.Pos, "rule %s: %s", r.ID, msg)
		}
		if r.When != nil && op.Param(r.When.Param) == nil {
			bad(r.Pos, "rule %s: condition names no parameter %q", r.ID, r.When.Param)
		}
		if r.Site != "" && !slices.Contains(Sites, r.Site) {
			bad(r.Pos, "rule %s: site %q is none of %v", r.ID, r.Site, Sites)
		}
		if r.Limit != nil {
			switch {
			case r.Site == "":
				bad(r.Pos, "rule %s: only a site's rule carries its own limit; put it in the schema", r.ID)
			case !slices.Contains([]string{RuleMaxLength, RuleMinLength, RuleMaxItems, RuleMinItems, RuleMaximum, RuleMinimum}, r.Kind):
				bad(r.Pos, "rule %s: kind %s takes no limit", r.ID, r.Kind)
			case *r.Limit < 0:
				bad(r.Pos, "rule %s: limit %v is negative", r.ID, *r.Limit)
			}
		}
		if r.Pattern != "" && r.When == nil && r.Site == "" {
			bad(r.Pos, "rule %s: only a conditional rule carries its own pattern; put it in the schema", r.ID)
		}
		if r.Error == "" || op.Error(r.Error) == nil {
			bad(r.Pos, "rule %s: error %q is not documented for the operation or the platform", r.ID, r.Error)
		}
		if len(r.Candidates) > 0 && !slices.Contains(r.Candidates, r.Error) {
			bad(r.Pos, "rule %s: candidates do not include the chosen error %s", r.ID, r.Error)
		}
		for _, c := range r.Candidates {
			if op.Error(c) == nil {
				bad(r.Pos, "rule %s: candidate %s is not documented", r.ID, c)
			}
		}
		if len(r.Candidates) > 1 && r.Decision == "" {
			bad(r.Pos, "rule %s: several candidates but no decision", r.ID)
		}
		if r.Disagreement != "" && op.Disagreement(r.Disagreement) == nil {
			bad(r.Pos, "rule %s: disagreement %q is not recorded", r.ID, r.Disagreement)
		}
	}
}

// keywordProblem says why a rule's kind does not fit its schema, or "".
func keywordProblem(r *Rule, s *openapi3.Schema) string {
	k := KindOf(r.Kind)
	switch {
	case k == nil:
		return fmt.Sprintf("unknown kind %q (want one of %v)", r.Kind, RuleKinds)
	case r.OnItems() && !k.Items:
		return fmt.Sprintf("%s applies to a parameter, not its items", r.Kind)
	case r.Kind == RulePattern:
		pat := r.EffectivePattern()
		if pat == "" {
			return "kind pattern but neither the rule nor the schema has one"
		}
		if _, err := regexp.Compile(pat); err != nil {
			return fmt.Sprintf("pattern %q does not compile: %v", pat, err)
		}
	case k.Set != nil && !k.Set(s):
		return fmt.Sprintf("kind %s but the schema has none", r.Kind)
	}
	return ""
}
