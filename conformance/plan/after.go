package plan

import (
	"strings"

	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/spec"
)

// After relations: the state a success leaves, read back. An after case
// sends the operation's success request, then the read the contract names
// (x-acs-curation after), and checks the read's answer holds what the
// docs say the call did (a renamed folder answers its new name).

// ProbeAfter marks an after case; ProcedureAfter fills the read's
// "{answer.Path}" placeholders from the first answer before sending it.
const (
	ProbeAfter                     = "after"
	ProcedureAfter  spec.Procedure = "after"
	answerPrefix                   = "answer."
	placeholderOpen                = "{" + answerPrefix
)

// afterCases are the after cases of an operation over its success case
// (skipped with its reason when that cannot run).
func afterCases(api *spec.API, op *spec.Operation, success *Case) []*Case {
	var out []*Case
	for _, af := range op.After {
		c := &Case{ID: op.Action + "/relation:after/" + af.ID, Action: op.Action, Kind: KindRelation, Safety: success.Safety, op: op,
			Probe: ProbeAfter, Procedure: ProcedureAfter, Provenance: api.Cite(af.Provenance), after: af,
			Why:    strings.Join(strings.Fields(af.Description), " "),
			Expect: Expect{Success: true}, Cleanup: success.Cleanup, NoCleanup: success.NoCleanup}
		c.setEvidence(af.Provenance, "after "+op.Action+": "+af.ID)
		out = append(out, c)
		if success.Skip != "" {
			c.Skip = success.Skip
			continue
		}
		first := success.Requests[0]
		if name, ok := strings.CutPrefix(af.Equals, "{"); ok && !strings.HasPrefix(name, answerPrefix) {
			// A name the read must echo differs from the success case's:
			// on a target that is not reset between them, a second
			// creation under the same name would be refused as used,
			// which says nothing of the relation. (IDs stay: they name
			// what the call acts on.)
			name = strings.TrimSuffix(name, "}")
			if p := op.Param(name); p != nil && first.Params.Has(name) && strings.HasSuffix(name, "Name") {
				if v, ok := another(p, first.Params.Get(name)); ok {
					first.Params = Clone(first.Params)
					first.Params.Set(name, v)
				}
			}
		}
		sent := func(name string) (string, []string, bool) {
			if strings.HasPrefix(name, answerPrefix) {
				return "{" + name + "}", nil, true // filled at run time (FillAnswer)
			}
			v := first.Params.Get(name)
			return v, []string{v}, v != ""
		}
		read := api.Operation(af.Read.Action)
		params, err := cases.Fill(read, af.Read.Request, sent)
		if err != nil {
			c.Skip = "the read " + af.Read.Action + " cannot be built: " + err.Error()
			continue
		}
		c.Requests = []Request{first, {Action: read.Action, Params: params, As: first.As}}
	}
	return out
}

// AfterSpec is the relation an after case checks (nil for other cases).
func (c *Case) AfterSpec() *spec.After { return c.after }

// FillAnswer replaces the "{answer.Path}" placeholders of s by the values
// at those paths of a success answer; ok is false when one is missing.
func FillAnswer(s string, answer map[string]any) (string, bool) {
	for {
		i := strings.Index(s, placeholderOpen)
		if i < 0 {
			return s, true
		}
		j := strings.Index(s[i:], "}")
		if j < 0 {
			return s, false
		}
		v, ok := ValueAt(answer, s[i+len(placeholderOpen):i+j])
		if !ok {
			return s, false
		}
		s = s[:i] + v + s[i+j+1:]
	}
}

// ValueAt is the scalar at a dotted path of an answer.
func ValueAt(answer map[string]any, path string) (string, bool) {
	vs := ValuesAt(answer, path)
	if len(vs) != 1 {
		return "", false
	}
	return vs[0], true
}

// ValuesAt lists the scalars at a dotted path of an answer: through a list
// on the way, those of every item.
func ValuesAt(answer map[string]any, path string) []string {
	var out []string
	var walk func(v any, parts []string)
	walk = func(v any, parts []string) {
		if list, ok := v.([]any); ok {
			for _, it := range list {
				walk(it, parts)
			}
			return
		}
		if len(parts) == 0 {
			switch x := v.(type) {
			case nil, map[string]any:
			case string:
				out = append(out, x)
			default:
				out = append(out, spec.WireText(x))
			}
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			return
		}
		walk(m[parts[0]], parts[1:])
	}
	walk(answer, strings.Split(path, "."))
	return out
}

// another is a value of p other than v that p's schema accepts: v with its
// last letter or digit changed (Projects → Projectt), or false.
func another(p *spec.Param, v string) (string, bool) {
	if p.Schema == nil || len(p.Schema.Enum) > 0 || v == "" {
		return "", false
	}
	r := []rune(v)
	last := r[len(r)-1]
	switch {
	case last >= 'a' && last < 'z', last >= 'A' && last < 'Z', last >= '0' && last < '9':
		r[len(r)-1] = last + 1
	case last == 'z', last == 'Z', last == '9':
		r[len(r)-1] = last - 1
	default:
		return "", false
	}
	out := string(r)
	if err := p.Schema.VisitJSON(out); err != nil {
		return "", false
	}
	return out, true
}
