package spec

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

type operationExt struct {
	Action     string     `yaml:"action"`
	Success    *Success   `yaml:"success"`
	Sources    []string   `yaml:"sources"`
	Summary    Text       `yaml:"summary"`
	Provenance Provenance `yaml:"provenance"`
}

var operationExtensions = map[string]bool{
	ExtOperation: true, ExtRam: true, ExtRateLimit: true, ExtQuotas: true,
	ExtRules: true, ExtErrors: true, ExtRelations: true, ExtChanges: true,
	ExtDisagreements: true,
}

// PathKey is the pseudo-path an RPC action sits on in the document.
func PathKey(action string) string { return "/#" + action }

func (d *decoder) operation(api *API, pathKey string, n *yaml.Node, kop *openapi3.Operation) *Operation {
	op := &Operation{PathKey: pathKey, Pos: d.pos(n), api: api, Description: kop.Description, Tags: kop.Tags}
	d.unknownExtensions(n, operationExtensions, "operation "+pathKey)
	var ext operationExt
	if !d.decode(get(n, ExtOperation), ExtOperation, &ext) {
		d.problem(n, "operation %s: x-acs-operation is missing", pathKey)
		return nil
	}
	op.Action, op.Sources, op.Summary, op.Provenance, op.Success = ext.Action, ext.Sources, ext.Summary, ext.Provenance, ext.Success
	if kop.OperationID != op.Action {
		d.problem(n, "operation %s: operationId %q differs from x-acs-operation.action %q", pathKey, kop.OperationID, op.Action)
	}
	if api.Style != StyleROA && pathKey != PathKey(op.Action) {
		d.problem(n, "operation %s: an RPC action sits on the pseudo-path %s", pathKey, PathKey(op.Action))
	}
	if api.Style == StyleROA && !strings.HasPrefix(pathKey, "/") || strings.HasPrefix(pathKey, "/#") && api.Style == StyleROA {
		d.problem(n, "operation %s: a ROA operation sits on its REST path (/api/…)", pathKey)
	}
	if x := get(n, ExtRam); x != nil {
		op.RAM = &RAM{Pos: d.pos(x)}
		d.decode(x, ExtRam, op.RAM)
	}
	if x := get(n, ExtRateLimit); x != nil {
		op.RateLimit = &RateLimit{Pos: d.pos(x)}
		d.decode(x, ExtRateLimit, op.RateLimit)
	}
	if x := get(n, ExtQuotas); d.decode(x, ExtQuotas, &op.Quotas) {
		setPos(d, x, op.Quotas, func(q *Quota) *Pos { return &q.Pos })
	}
	if x := get(n, ExtRules); d.decode(x, ExtRules, &op.Rules) {
		setPos(d, x, op.Rules, func(r *Rule) *Pos { return &r.Pos })
		for _, r := range op.Rules {
			r.op = op
		}
	}
	if x := get(n, ExtErrors); d.decode(x, ExtErrors, &op.Errors) {
		d.errorPositions(x, op.Errors)
	}
	if x := get(n, ExtRelations); d.decode(x, ExtRelations, &op.Relations) {
		setPos(d, x, op.Relations, func(r *Relation) *Pos { return &r.Pos })
	}
	if x := get(n, ExtChanges); d.decode(x, ExtChanges, &op.Changes) {
		setPos(d, x, op.Changes, func(c *Change) *Pos { return &c.Pos })
	}
	if x := get(n, ExtDisagreements); d.decode(x, ExtDisagreements, &op.Disagreements) {
		setPos(d, x, op.Disagreements, func(g *Disagreement) *Pos { return &g.Pos })
	}
	d.params(op, get(n, "parameters"), kop)
	d.response(op, get(n, "responses"), kop)
	return op
}

type paramExt struct {
	Style              string      `yaml:"x-acs-style"`
	Descriptions       Text        `yaml:"x-acs-description"`
	Provenance         *Provenance `yaml:"x-acs-provenance"`
	RequiredProvenance *Provenance `yaml:"x-acs-required-provenance"`
	Limits             []*Limit    `yaml:"x-acs-limits"`
	UnreadLimits       []string    `yaml:"x-acs-unread-limits"`
	NeedlessWhen       *Condition  `yaml:"x-acs-needless-when"`
	Encoding           string      `yaml:"x-acs-encoding"`
	In                 string      `yaml:"x-acs-in"`
}

func (d *decoder) params(op *Operation, n *yaml.Node, kop *openapi3.Operation) {
	for i, ref := range kop.Parameters {
		p := ref.Value
		if p == nil {
			continue
		}
		var node *yaml.Node
		if n != nil && i < len(n.Content) {
			node = n.Content[i]
		}
		param := &Param{
			Name: p.Name, In: p.In, Required: p.Required, Description: p.Description,
			Example: p.Example, Pos: d.pos(node),
		}
		if p.Schema != nil {
			param.Schema = p.Schema.Value
		}
		if node != nil {
			var ext paramExt
			x := &yaml.Node{Kind: yaml.MappingNode}
			for j := 0; j+1 < len(node.Content); j += 2 {
				if strings.HasPrefix(node.Content[j].Value, "x-acs-") {
					x.Content = append(x.Content, node.Content[j], node.Content[j+1])
				}
			}
			if d.decode(x, "parameter "+p.Name, &ext) {
				param.Style, param.Descriptions = ext.Style, ext.Descriptions
				param.RequiredProvenance, param.Limits, param.UnreadLimits = ext.RequiredProvenance, ext.Limits, ext.UnreadLimits
				param.NeedlessWhen, param.Encoding, param.Location = ext.NeedlessWhen, ext.Encoding, ext.In
				if ext.Provenance != nil {
					param.Provenance = *ext.Provenance
				}
				setPos(d, get(node, ExtLimits), param.Limits, func(l *Limit) *Pos { return &l.Pos })
			}
		}
		switch {
		case op.api.Style == StyleROA:
			// A REST-style parameter: in the path, the query or a header,
			// or a field of the body (in: query with x-acs-in: body or
			// formData, as OpenAPI has no place for body fields one by one).
			if param.In == openapi3.ParameterInQuery && (param.Location == InBody || param.Location == InFormData) {
				break
			}
			if param.Location != "" {
				d.problem(node, "parameter %s: x-acs-in %q (want body or formData, on a parameter in the query)", p.Name, param.Location)
			}
			switch p.In {
			case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
				param.Location = p.In
			default:
				d.problem(node, "parameter %s: in=%s (want path, query or header)", p.Name, p.In)
			}
		case p.In != openapi3.ParameterInQuery:
			d.problem(node, "parameter %s: RPC parameters travel in the query (or an equivalent form body); found in=%s", p.Name, p.In)
		}
		if op.api.Style != StyleROA && param.Location != "" {
			d.problem(node, "parameter %s: x-acs-in is for ROA products only", p.Name)
		}
		op.Params = append(op.Params, param)
	}
}

func (d *decoder) response(op *Operation, n *yaml.Node, kop *openapi3.Operation) {
	if kop.Responses == nil {
		d.problem(n, "operation %s: responses are missing", op.Action)
		return
	}
	ok := kop.Responses.Value("200")
	if ok == nil || ok.Value == nil {
		d.problem(n, "operation %s: no 200 response", op.Action)
		return
	}
	media := ok.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		d.problem(n, "operation %s: the 200 response has no application/json schema", op.Action)
		return
	}
	op.Response = media.Schema.Value
	examplesNode := get(get(get(get(n, "200"), "content"), "application/json"), "examples")
	names := make([]string, 0, len(media.Examples))
	for name := range media.Examples {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ex := media.Examples[name]
		if ex == nil || ex.Value == nil {
			continue
		}
		op.Examples = append(op.Examples, &Example{Name: name, Summary: ex.Value.Summary, Value: ex.Value.Value, Pos: d.pos(get(examplesNode, name))})
	}
}

// Schema-level vocabulary: accessors for the x-acs-* keywords a schema can carry.

// Echo returns the request parameter a response field must repeat
// ("ContactId", or "Members[*]" for one of a list's items), or "".
func Echo(s *openapi3.Schema) string { return extString(s, ExtEcho) }

// Layout returns the documented date layout of a string field, such as
// "yyyy-MM-dd HH:mm:ss", or "".
func Layout(s *openapi3.Schema) string { return extString(s, ExtLayout) }

// LengthUnit returns how maxLength counts: "characters" (code points) unless
// the schema says otherwise.
func LengthUnit(s *openapi3.Schema) string {
	if u := extString(s, ExtLengthUnit); u != "" {
		return u
	}
	return "characters"
}

// EnumDescription returns the English description the contract gives one
// value of an enum (x-acs-enum-descriptions), or "".
func EnumDescription(s *openapi3.Schema, value string) string {
	if s == nil {
		return ""
	}
	descs, _ := s.Extensions[ExtEnumDescriptions].(map[string]any)
	d, _ := descs[value].(map[string]any)
	en, _ := d["en"].(string)
	return en
}

// PageDescription returns a page's description of a field where the contract
// describes it differently (see the operation's disagreements), or "".
func PageDescription(s *openapi3.Schema) string { return extString(s, ExtPageDescription) }

func extString(s *openapi3.Schema, key string) string {
	if s == nil {
		return ""
	}
	v, _ := s.Extensions[key].(string)
	return v
}

// GoTimeLayout converts a documented date layout ("yyyy-MM-dd HH:mm:ss",
// "yyyy-MM-ddTHH:mm:ssZ") to a Go time layout; ok is false for a token it
// does not know.
func GoTimeLayout(layout string) (string, bool) {
	tokens := []struct{ from, to string }{{"yyyy", "2006"}, {"MM", "01"}, {"dd", "02"}, {"HH", "15"}, {"mm", "04"}, {"ss", "05"}, {"SSS", "000"}}
	var b strings.Builder
	for i := 0; i < len(layout); {
		matched := false
		for _, t := range tokens {
			if strings.HasPrefix(layout[i:], t.from) {
				b.WriteString(t.to)
				i += len(t.from)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		c := layout[i]
		if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && c != 'T' && c != 'Z' {
			return "", false // an unknown token; T and Z are literal in ISO 8601
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), true
}
