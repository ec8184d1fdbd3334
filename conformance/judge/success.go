package judge

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// checkSome: concurrent and burst cases — at least one answer has the code,
// and every answer is a success or that code.
func (j *Judge) checkSome(c *plan.Case, o *run.Outcome) *Deviation {
	hits, oks := 0, 0
	var refused *run.Answer
	for _, a := range o.Answers {
		switch {
		case a.Status == 200:
			oks++
		case a.Err != nil && slices.Contains(c.Expect.Codes, a.Err.Code):
			if _, dev := j.checkError(c, a, c.Expect.Codes); dev != nil {
				return dev
			}
			hits++
		case c.Procedure == plan.ProcedureBurst && a.Err != nil && j.documented(c, a.Err.Code) != nil:
			// The carrier request's own documented answer, not throttled.
		case c.Procedure == spec.ProcedureConcurrent && a.Err != nil && j.retryable[a.Err.Code]:
			// Throttled or unavailable: no evidence either way about the
			// concurrency the case is about (it is paced at the documented
			// rate, but a target's bucket may run a little behind ours).
		case a.Err != nil && isRefusal(j, a):
			refused = a
		default:
			return &Deviation{What: "an answer is neither a success nor " + strings.Join(c.Expect.Codes, " or "), Got: run.Describe(a), Answer: a}
		}
	}
	if hits == 0 && refused != nil {
		why, _ := j.GatewayRefusal(refused)
		return inconclusive(refused, why)
	}
	if hits == 0 {
		return &Deviation{What: fmt.Sprintf("%d requests at once, none answered %s", len(o.Answers), strings.Join(c.Expect.Codes, " or ")),
			Expected: "at least one " + strings.Join(c.Expect.Codes, " or "), Got: fmt.Sprintf("%d successes", oks), Answer: o.Answers[0]}
	}
	return nil
}

// checkSuccess: HTTP 200, the response schema, RequestId, the documented
// date layouts, the fields that echo the request, and the relations.
func (j *Judge) checkSuccess(c *plan.Case, r plan.Request, a *run.Answer) *Deviation {
	dev := func(what string) *Deviation {
		return &Deviation{What: what, Expected: "HTTP 200 and a body as documented", Got: run.Describe(a), Answer: a}
	}
	switch {
	case a.TransportErr != nil:
		return dev("no answer from the target")
	case a.Status != 200:
		if why, ok := j.GatewayRefusal(a); ok {
			return inconclusive(a, why)
		}
		return dev(fmt.Sprintf("the documented success request was refused: %s", run.Describe(a)))
	case a.Success == nil:
		return dev(a.Garbage)
	}
	op := c.Op()
	if err := op.Response.VisitJSON(a.Success, openapi3.MultiErrors()); err != nil {
		return dev("the body does not satisfy the documented response schema: " + strings.Join(strings.Fields(err.Error()), " "))
	}
	if missing, named := missingFromSamples(op, a.Success); len(missing) > 0 {
		what := "the success body lacks what every documented sample shows: " + strings.Join(missing, ", ")
		if named != "" {
			// The entity the operation is named after is what it answers.
			return dev(what + " (" + named + " is what " + op.Action + " is named after)")
		}
		return dev(what).weaken(spec.EvidenceInferred, "every sample of "+op.Action+" shows these fields; the response schema marks none required, so an answer without them deviates from our reading of the samples")
	}
	var problems []string
	walk(op.Response, a.Success, "", func(path string, s *openapi3.Schema, v any) {
		if layout := spec.Layout(s); layout != "" {
			if str, ok := v.(string); ok {
				if goLayout, ok := spec.GoTimeLayout(layout); ok {
					if _, err := time.Parse(goLayout, str); err != nil {
						problems = append(problems, fmt.Sprintf("%s = %q is not a %s date", path, str, layout))
					}
				}
			}
		}
		if echo := spec.Echo(s); echo != "" {
			if p := echoProblem(path, echo, v, r.Params); p != "" {
				problems = append(problems, p)
			}
		}
	})
	problems = append(problems, listEchoProblems(op.Response, a.Success, r.Params)...)
	// Relations carry their own provenance: when only inferred ones are
	// broken, the deviation is from our reading.
	rel, inferred := relationProblems(op, a.Success)
	if len(problems) == 0 && len(rel) > 0 {
		sort.Strings(rel)
		return dev(strings.Join(rel, "; ")).weaken(spec.EvidenceInferred, inferred)
	}
	problems = append(problems, rel...)
	if len(problems) > 0 {
		sort.Strings(problems)
		return dev(strings.Join(problems, "; "))
	}
	return nil
}

// walk visits every value of a body with its schema.
func walk(s *openapi3.Schema, v any, path string, f func(path string, s *openapi3.Schema, v any)) {
	if s == nil {
		return
	}
	f(path, s, v)
	switch x := v.(type) {
	case map[string]any:
		for name, ref := range s.Properties {
			if child, ok := x[name]; ok && ref.Value != nil {
				walk(ref.Value, child, strings.TrimPrefix(path+"."+name, "."), f)
			}
		}
	case []any:
		if s.Items != nil {
			for i, item := range x {
				walk(s.Items.Value, item, fmt.Sprintf("%s[%d]", path, i), f)
			}
		}
	}
}

func echoProblem(path, echo string, v any, params url.Values) string {
	got := fmt.Sprint(v)
	if strings.HasSuffix(echo, "[*]") {
		list, _ := acs.DecodeRepeatList(params, strings.TrimSuffix(echo, "[*]"))
		if !slices.Contains(list, got) {
			return fmt.Sprintf("%s = %q is not one of the requested %s %v", path, got, echo, list)
		}
		return ""
	}
	if want := params.Get(echo); want != "" && got != want {
		return fmt.Sprintf("%s = %q, but the request's %s is %q", path, got, echo, want)
	}
	return ""
}

// listEchoProblems: a list whose items echo a requested list has one entry
// per requested item (inferred from the samples: one binding per member).
func listEchoProblems(s *openapi3.Schema, body map[string]any, params url.Values) []string {
	var out []string
	for name, ref := range s.Properties {
		arr := ref.Value
		if arr == nil || arr.Items == nil || arr.Items.Value == nil {
			continue
		}
		for field, fref := range arr.Items.Value.Properties {
			echo := spec.Echo(fref.Value)
			if !strings.HasSuffix(echo, "[*]") {
				continue
			}
			want, _ := acs.DecodeRepeatList(params, strings.TrimSuffix(echo, "[*]"))
			items, _ := body[name].([]any)
			var got []string
			for _, it := range items {
				if m, ok := it.(map[string]any); ok {
					got = append(got, fmt.Sprint(m[field]))
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, ",") != strings.Join(got, ",") {
				out = append(out, fmt.Sprintf("%s answers %s %v for the requested %v (one entry per requested item)", name, field, got, want))
			}
		}
	}
	return out
}

// lookup finds a dotted path (Handshake.Status) in a body and its schema.
func lookup(s *openapi3.Schema, body map[string]any, path string) (any, *openapi3.Schema) {
	var cur any = body
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok || s == nil || s.Properties[part] == nil {
			return nil, nil
		}
		cur, s = m[part], s.Properties[part].Value
	}
	return cur, s
}

// relationProblems lists the broken relations; inferred names the reading
// when every broken relation is inferred ("" when a stated one is broken).
func relationProblems(op *spec.Operation, body map[string]any) (out []string, inferred string) {
	stated := false
	for _, r := range op.Relations {
		p := relationProblem(op, r, body)
		if p == "" {
			continue
		}
		out = append(out, p)
		if r.Provenance.Level() != spec.EvidenceInferred {
			stated = true
		} else if inferred == "" {
			inferred = "relation " + r.ID + ": " + strings.Join(strings.Fields(r.Provenance.Reason), " ")
		}
	}
	if stated {
		inferred = ""
	}
	return out, inferred
}

// relationProblem says how a body breaks one relation, or "".
func relationProblem(op *spec.Operation, r *spec.Relation, body map[string]any) string {
	v, s := lookup(op.Response, body, r.Field)
	if v == nil {
		return ""
	}
	got := fmt.Sprint(v)
	switch {
	case r.EqualsValue != "" && got != r.EqualsValue:
		return fmt.Sprintf("%s = %q, expected %q (%s; %s)", r.Field, got, r.EqualsValue, r.Description, r.Provenance.Kind)
	case r.EqualsField != "":
		if other, _ := lookup(op.Response, body, r.EqualsField); fmt.Sprint(other) != got {
			return fmt.Sprintf("%s = %q differs from %s = %q (%s; %s)", r.Field, got, r.EqualsField, fmt.Sprint(other), r.Description, r.Provenance.Kind)
		}
	case r.AfterField != "":
		other, os := lookup(op.Response, body, r.AfterField)
		offset, _ := time.ParseDuration(r.Offset)
		l1, ok1 := spec.GoTimeLayout(spec.Layout(s))
		l2, ok2 := spec.GoTimeLayout(spec.Layout(os))
		if !ok1 || !ok2 || other == nil {
			return ""
		}
		t1, err1 := time.Parse(l1, got)
		t2, err2 := time.Parse(l2, fmt.Sprint(other))
		if err1 == nil && err2 == nil && !t1.Equal(t2.Add(offset)) {
			return fmt.Sprintf("%s = %s is not %s after %s = %s (%s; %s)", r.Field, got, offset, r.AfterField, other, r.Description, r.Provenance.Kind)
		}
	}
	return ""
}

// missingFromSamples lists the top-level fields every sample success body
// of the operation shows and the answer lacks (RequestId is checked on its
// own), and names the one the operation is named after when it is among
// them and the samples show it as one entity (GetFolder's Folder).
func missingFromSamples(op *spec.Operation, body map[string]any) (missing []string, named string) {
	if len(op.Examples) == 0 {
		return nil, ""
	}
	common := map[string]int{}
	for _, ex := range op.Examples {
		m, ok := ex.Value.(map[string]any)
		if !ok {
			return nil, ""
		}
		for k := range m {
			common[k]++
		}
	}
	noun := entityOf(op.Action)
	for k, n := range common {
		if n != len(op.Examples) || k == "RequestId" {
			continue
		}
		if _, ok := body[k]; ok {
			continue
		}
		missing = append(missing, k)
		if _, object := op.Examples[0].Value.(map[string]any)[k].(map[string]any); k == noun && object {
			// A single entity (GetFolder's Folder); a list may be left out
			// when it is empty, and that is only our reading.
			named = k
		}
	}
	sort.Strings(missing)
	return missing, named
}

// entityOf is an action's name without its leading verb: GetFolder's
// Folder, ListAccounts' Accounts.
func entityOf(action string) string {
	for i, r := range action {
		if i > 0 && unicode.IsUpper(r) {
			return action[i:]
		}
	}
	return ""
}
