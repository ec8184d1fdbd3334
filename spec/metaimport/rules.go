package metaimport

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/spec"
	"gopkg.in/yaml.v3"
)

// Which documented code answers a broken rule: the catalogue names codes
// after parameters (MissingParameter.AccountId, InvalidParameter.PolicyName.Length);
// a code named for the parameter makes the rule as stated as its limit,
// while the generic code (InvalidParameter) is our reading and the rule is
// marked inferred. The shapes to look for are the rule-kind table's
// (spec.RuleKind.Codes).

// pick returns the code that answers a rule of kind on param, the other
// documented codes a server may answer instead, and whether the code is
// named for the parameter.
func (op *opEmit) pick(kind, param string) (code string, cands []string, named bool) {
	names := map[string]bool{strings.ToLower(param): true}
	if rest, ok := strings.CutPrefix(param, "New"); ok && rest != "" {
		names[strings.ToLower(rest)] = true
	}
	var shapes []string
	if k := spec.KindOf(kind); k != nil {
		shapes = k.Codes
	}
	for _, shape := range shapes {
		var c string
		if !strings.Contains(shape, "%s") {
			if _, ok := op.codes[shape]; ok {
				c = shape
			}
		} else {
			c = op.named(shape, names)
		}
		if c == "" || c == code || slices.Contains(cands, c) {
			continue
		}
		if code == "" {
			code, named = c, strings.Contains(shape, "%s")
		} else {
			cands = append(cands, c)
		}
	}
	if code != "" && len(cands) > 0 {
		cands = append([]string{code}, cands...)
	}
	return code, cands, named
}

// named finds the documented code of a shape ("InvalidParameter.%s.Length")
// whose name part is the parameter: exactly (Folder.Name for NewFolderName,
// the catalogue dots compound names), else as its last segments
// (Account.DisplayName for DisplayName).
func (op *opEmit) named(shape string, names map[string]bool) string {
	prefix, suffix, _ := strings.Cut(shape, "%s")
	var middles []string
	for _, have := range op.order {
		if len(have) <= len(prefix)+len(suffix) || !strings.HasPrefix(have, prefix) || !strings.HasSuffix(have, suffix) {
			middles = append(middles, "")
			continue
		}
		middles = append(middles, have[len(prefix):len(have)-len(suffix)])
	}
	for i, m := range middles {
		if m != "" && names[strings.ToLower(strings.ReplaceAll(m, ".", ""))] {
			return op.order[i]
		}
	}
	for i, m := range middles {
		segs := strings.Split(m, ".")
		for j := 1; j < len(segs); j++ {
			if names[strings.ToLower(strings.Join(segs[j:], ""))] {
				return op.order[i]
			}
		}
	}
	return ""
}

// rule adds a rule when a documented code answers it; otherwise it reports
// the limit as untested.
func (op *opEmit) rule(kind, param string, onItems bool, limit spec.Provenance) {
	code, cands, named := op.pick(kind, param)
	target := param
	if onItems {
		target += "[*]"
	}
	platform := false
	if code == "" {
		if kind == spec.RuleUniqueItems {
			return
		}
		// No code of the operation's own: the gateway's generic answer
		// (a platform code of the curated layer) is our reading.
		code, platform = op.e.o.fallback(kind), true
		if code == "" {
			op.find(&Finding{Action: op.action, Param: target, Msg: "the " + kind + " limit is stated, but no documented code answers it: no rule, no case"})
			return
		}
	}
	r := &spec.Rule{ID: strings.ReplaceAll(target, "[*]", ".items") + "." + kind, Param: target, Kind: kind, Error: code, Provenance: limit}
	if platform {
		r.Provenance = spec.Provenance{Kind: spec.KindInferred, Reason: fmt.Sprintf(
			"The %s limit of %s is stated (%s), but the operation documents no code for it; the gateway's generic %s is our reading of the answer.",
			kind, param, describe(limit), code)}
	} else if !named {
		r.Provenance = spec.Provenance{Kind: spec.KindInferred, Reason: fmt.Sprintf(
			"The %s limit of %s is stated (%s), but the catalogue documents no code named for %s; the generic %s is our reading of the answer.",
			kind, param, describe(limit), param, code)}
	}
	if (platform || !named) && limit.Level() != spec.EvidenceInferred {
		// The limit stays stated: accepting a request past it deviates
		// from the docs, whichever code a server answers.
		refusal := limit
		r.Refusal = &refusal
	}
	if len(cands) > 1 {
		r.Candidates = cands
		r.Decision = code + " is the code named most closely for this limit; the others are documented for the same parameter, and conformance accepts any of them."
	}
	op.rules = append(op.rules, r)
	if platform {
		return
	}
	op.produced[code] = true
	for _, c := range cands {
		op.produced[c] = true
	}
}

// describe names where a limit was read, for a reason sentence.
func describe(p spec.Provenance) string {
	switch {
	case p.Quote != "":
		return "“" + p.Quote + "”"
	case p.Kind == spec.KindMetadata:
		return "by the metadata's schema"
	default:
		return "in words we read as a rule: " + strings.TrimSuffix(p.Reason, ".")
	}
}

// paramRules derives the rules of one parameter from the keywords its
// schema ended up with, in a fixed order: required, then the value's
// shape, then counts.
func (op *opEmit) paramRules(p *Parameter, style string, kws map[string]*yaml.Node, r *Reading) {
	provOf := func(kw string) spec.Provenance {
		if kw == spec.RuleUniqueItems {
			return op.e.prov()
		}
		if f := r.Get(strings.TrimPrefix(kw, "items.")); f != nil && f.Keyword != "default" {
			if f.Keyword == "pattern" {
				// The sentence states a format in words; the regular
				// expression is our reading of it.
				return spec.Provenance{Kind: spec.KindInferred, Reason: "The pattern " + f.Pattern + " is our reading of the format stated in words: “" + f.Quote + "”"}
			}
			return op.e.prose(f.Quote)
		}
		return op.e.prov()
	}
	if p.Schema.Required {
		op.rule(spec.RuleRequired, p.Name, false, op.e.prov())
	} else if code := op.named("MissingParameter.%s", map[string]bool{strings.ToLower(p.Name): true}); code != "" {
		// The catalogue documents a code for the parameter's absence while
		// the metadata marks it optional: only a server that requires it can
		// answer that code. Both readings are recorded.
		msg := op.codes[code].Message
		op.rules = append(op.rules, &spec.Rule{ID: p.Name + ".required", Param: p.Name, Kind: spec.RuleRequired, Error: code,
			Disagreement: strings.ToLower(op.action+"-"+p.Name) + "-required",
			Provenance: spec.Provenance{Kind: spec.KindInferred, Reason: fmt.Sprintf(
				"The metadata marks %s optional, yet documents %s (%q): only a server that requires %s answers it.", p.Name, code, msg, p.Name)}})
		op.produced[code] = true
		op.disagree(&spec.Disagreement{
			ID: strings.ToLower(op.action+"-"+p.Name) + "-required", Subject: "Whether " + op.action + " requires " + p.Name,
			Readings: []*spec.Reading{
				{Pages: []string{op.e.o.SourceID}, Says: "parameters: " + p.Name + ", required: false."},
				{Pages: []string{op.e.o.SourceID}, Says: fmt.Sprintf("errorCodes: %s, %s", code, msg)},
			},
			Decision: "The parameter stays optional as stated; the rule " + p.Name + ".required (inferred) expects " + code + " when it is absent, the only way a server answers that code.",
		})
	}
	prefix, onItems := "", false
	if style == spec.StyleRepeatList {
		prefix, onItems = "items.", true
	}
	// The value's shape, then counts, in the rule-kind table's order.
	for _, k := range spec.Kinds() {
		switch {
		case k.Name == spec.RuleRequired:
		case k.Values == spec.ValuesList:
			if style != "" && kws[k.Name] != nil {
				op.rule(k.Name, p.Name, false, provOf(k.Name))
			}
		case kws[prefix+k.Name] != nil:
			op.rule(k.Name, p.Name, onItems, provOf(prefix+k.Name))
		}
	}
}

// errors emits the catalogue: each code with its status and message, and,
// when no rule produces it, why no case can provoke it yet.
func (op *opEmit) errors() []*spec.ErrorCode {
	var out []*spec.ErrorCode
	for i, code := range op.order {
		ent := op.codes[code]
		status, _ := strconv.Atoi(op.status[i])
		e := &spec.ErrorCode{Code: code, Status: status, Message: ent.Message, Provenance: op.e.prov()}
		if strings.TrimSpace(ent.Message) == "" {
			// No message documented: any message is the code's.
			e.Message, e.MessageMatch = "{Message}", spec.MatchTemplate
			e.MessageProvenance = &spec.Provenance{Kind: spec.KindInferred, Reason: "The metadata documents the code with no message: any message is accepted."}
		} else if strings.Contains(ent.Message, "%s") {
			e.Message = strings.ReplaceAll(ent.Message, "%s", "{Value}")
			e.MessageMatch = spec.MatchTemplate
		}
		if !op.produced[code] {
			e.Unprovoked = "The metadata documents the code but not the state that answers it; no trigger is curated yet."
		}
		out = append(out, e)
	}
	return out
}

// success is the recipe for a success case: the required string
// parameters come from the target profile's inputs of the same name; the
// safety class follows the metadata's operation type.
func (op *opEmit) success() *spec.Success {
	sc := &spec.Success{Request: map[string]any{}}
	for _, p := range op.api.Parameters {
		if !p.Schema.Required {
			continue
		}
		switch {
		case p.Schema.Type == "string" && p.Style == "" && len(enumValues(p.Schema)) == 0:
			sc.Request[p.Name] = "{" + p.Name + "}"
			sc.Needs = append(sc.Needs, p.Name)
		case wireStyle(p) == spec.StyleRepeatList && p.Schema.Items != nil && len(enumValues(p.Schema.Items)) == 0:
			sc.Request[p.Name] = []any{"{" + p.Name + "}"}
			sc.Needs = append(sc.Needs, p.Name)
		}
	}
	switch op.api.SystemTags.OperationType {
	case "get", "list":
		sc.Safety = spec.SafetyReadonly
	default:
		sc.Safety = spec.SafetyExhausting
		sc.NoCleanup = "The metadata gives no way to undo this operation (operation type " + firstNonEmpty(op.api.SystemTags.OperationType, "not given") +
			"); the curated layer adds a cleanup recipe where one exists."
	}
	return sc
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// responses emits the 200 answer: the schema and the sample bodies.
func (op *opEmit) responses() *yaml.Node {
	var schema *yaml.Node
	if r := op.api.Responses["200"]; r != nil && r.Schema != nil {
		schema = responseSchema(r.Schema)
	} else {
		schema = mapping(kv{"type", str("object")}, kv{"properties", mapping(kv{"RequestId", mapping(kv{"type", str("string")})})})
	}
	media := mapping(kv{"schema", schema})
	if ex := op.example(); ex != nil {
		var disputed []string
		reconcile(schema, ex, "", &disputed)
		if len(disputed) > 0 {
			op.disagree(&spec.Disagreement{
				ID: strings.ToLower(op.action) + "-sample-against-schema", Subject: "The sample answer and the response schema give a field different types",
				Readings: []*spec.Reading{{Pages: []string{op.e.o.SourceID}, Says: strings.Join(disputed, "; ")}},
				Decision: "Those fields keep no type in the contract: an answer with either form is accepted, and neither is expected.",
			})
		}
		media.Content = append(media.Content, str("examples"), mapping(kv{op.e.o.SourceID, mapping(
			kv{"summary", str("Sample success response (" + op.e.o.SourceID + ")")}, kv{"value", ex})}))
	}
	out := mapping(kv{"200", mapping(kv{"description", str("Success.")}, kv{"content", mapping(kv{"application/json", media})})})
	for _, st := range sortedStatuses(op.api.ErrorCodes) {
		if get(out, st) == nil {
			out.Content = append(out.Content, str(st), mapping(kv{"$ref", str("#/components/responses/Error")}))
		}
	}
	return out
}

// example decodes the JSON sample of responseDemo.
func (op *opEmit) example() *yaml.Node {
	var demos []struct {
		Type    string `json:"type"`
		Example string `json:"example"`
	}
	if err := json.Unmarshal([]byte(op.api.ResponseDemo), &demos); err != nil {
		if op.api.ResponseDemo != "" {
			op.find(&Finding{Action: op.action, Msg: "responseDemo is not a list of samples: " + err.Error()})
		}
		return nil
	}
	for _, d := range demos {
		if d.Type != "json" || strings.TrimSpace(d.Example) == "" {
			continue
		}
		var v any
		if err := json.Unmarshal([]byte(d.Example), &v); err != nil {
			op.find(&Finding{Action: op.action, Msg: "the JSON sample does not parse: " + err.Error()})
			return nil
		}
		return jsonNode(v)
	}
	return nil
}

// jsonNode is a decoded JSON value as a YAML node, keys sorted: built by
// hand, as yaml's own encoder cannot take every string a sample holds.
func jsonNode(v any) *yaml.Node {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n.Content = append(n.Content, str(k), jsonNode(x[k]))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, it := range x {
			n.Content = append(n.Content, jsonNode(it))
		}
		return n
	case string:
		return str(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.FormatInt(int64(x), 10)}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(x, 'g', -1, 64)}
	case bool:
		return boolean(x)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// reconcile walks a sample answer beside its schema; where the two give a
// field different types (the schema's string, the sample's number), the
// field's schema loses its type and the path is noted in disputed.
func reconcile(schema, ex *yaml.Node, path string, disputed *[]string) {
	if schema == nil || ex == nil {
		return
	}
	t := ""
	if n := get(schema, "type"); n != nil {
		t = n.Value
	}
	kind := ""
	switch ex.Kind {
	case yaml.MappingNode:
		kind = "object"
	case yaml.SequenceNode:
		kind = "array"
	case yaml.ScalarNode:
		kind = map[string]string{"!!str": "string", "!!int": "integer", "!!float": "number", "!!bool": "boolean"}[ex.Tag]
	}
	if t == "" || kind == "" {
		return
	}
	if t != kind && !(t == "number" && kind == "integer") {
		where := path
		if where == "" {
			where = "the answer"
		}
		*disputed = append(*disputed, fmt.Sprintf("%s: %s in the schema, %s in the sample", where, t, kind))
		kept := schema.Content[:0]
		for i := 0; i+1 < len(schema.Content); i += 2 {
			switch schema.Content[i].Value {
			case "type", "format", "properties", "items", "enum", "required":
				continue
			}
			kept = append(kept, schema.Content[i], schema.Content[i+1])
		}
		schema.Content = kept
		return
	}
	if f := get(schema, "format"); f != nil && f.Value == "int32" && kind == "integer" {
		if n, err := strconv.ParseInt(ex.Value, 10, 64); err == nil && (n > math.MaxInt32 || n < math.MinInt32) {
			*disputed = append(*disputed, fmt.Sprintf("%s: int32 in the schema, %d in the sample", strings.TrimPrefix(path, "."), n))
			dropKey(schema, "format")
		}
	}
	switch kind {
	case "object":
		props := get(schema, "properties")
		for i := 0; i+1 < len(ex.Content); i += 2 {
			key := ex.Content[i].Value
			reconcile(get(props, key), ex.Content[i+1], strings.TrimPrefix(path+"."+key, "."), disputed)
		}
	case "array":
		items := get(schema, "items")
		for i, it := range ex.Content {
			reconcile(items, it, fmt.Sprintf("%s[%d]", path, i), disputed)
		}
	}
}

// responseSchema converts a response tree; examples stay in the samples.
func responseSchema(s *Schema) *yaml.Node {
	typ := s.Type
	switch typ {
	case "string", "integer", "number", "boolean", "object", "array":
	case "":
		if len(s.Properties) > 0 {
			typ = "object"
		} else {
			typ = "string"
		}
	default:
		typ = "string"
	}
	n := mapping(kv{"type", str(typ)})
	if d := firstLine(Clean(s.Description), ""); d != "" {
		n.Content = append(n.Content, str("description"), str(d))
	}
	if typ == "integer" && (s.Format == "int32" || s.Format == "int64") {
		n.Content = append(n.Content, str("format"), str(s.Format))
	}
	switch typ {
	case "object":
		props := &yaml.Node{Kind: yaml.MappingNode}
		for _, p := range s.Properties {
			props.Content = append(props.Content, str(p.Name), responseSchema(p.Schema))
		}
		n.Content = append(n.Content, str("properties"), props)
	case "array":
		item := mapping(kv{"type", str("string")})
		if s.Items != nil {
			item = responseSchema(s.Items)
		}
		n.Content = append(n.Content, str("items"), item)
	}
	return n
}

// siteRules adds a rule per limit one site states apart from the other
// (AccountNamePrefix: 2~50 characters on the China site, 2~37 on the
// international one). Each rule carries its site and its own value; the
// schema keeps only what both sites state. A site's fact that is not a
// counting limit is reported, not enforced.
func (op *opEmit) siteRules(p *Parameter, style string, facts []Fact) {
	for _, f := range facts {
		kind, onItems := f.Keyword, false
		switch kind {
		case spec.RuleMaxItems, spec.RuleMinItems:
			if style == "" {
				continue
			}
		case spec.RuleMaxLength, spec.RuleMinLength:
			if f.Unit != "characters" {
				op.find(&Finding{Action: op.action, Param: p.Name, Msg: "a length in " + f.Unit + " of the " + f.Site + " site is not enforced: " + f.Quote})
				continue
			}
			onItems = style == spec.StyleRepeatList
		case spec.RuleMaximum, spec.RuleMinimum:
		default:
			op.find(&Finding{Action: op.action, Param: p.Name, Msg: "a " + f.Keyword + " fact of the " + f.Site + " site only is recorded, not enforced: " + f.Quote})
			continue
		}
		before := len(op.rules)
		op.rule(kind, p.Name, onItems, op.e.prose(f.Quote))
		if len(op.rules) == before {
			continue
		}
		r := op.rules[len(op.rules)-1]
		limit := float64(f.Int)
		r.ID += "@" + f.Site
		r.Site, r.Limit = f.Site, &limit
		if r.Provenance.Kind == spec.KindInferred {
			r.Provenance.Reason = strings.TrimSuffix(r.Provenance.Reason, ".") + " (a fact of the " + f.Site + " site only)."
		}
	}
}
