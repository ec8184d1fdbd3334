package cases

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
)

// Lookup returns a target profile's input: a single value, a list, or
// ok=false when the profile does not provide it.
type Lookup func(name string) (value string, list []string, ok bool)

// Provocation is how to make a target answer one documented code from a
// state trigger.
type Provocation struct {
	ID        string // <Action>/error:<Code>/<state>
	Action    string
	Code      string
	Trigger   *spec.Trigger
	Params    url.Values
	As        string // credentials input to sign with; "" for the default
	Procedure spec.Procedure
	// Vary and Values: for exhaust-quota, the parameter that takes each value.
	Vary   string
	Values []string
	Quota  int
	// Missing lists the inputs the profile lacks; a case with Missing is
	// skipped with that reason.
	Missing []string
}

// minimal is the part of the baseline a server checks regardless of state:
// the parameters the contract requires (by the page or by a rule).
func minimal(op *spec.Operation) (url.Values, error) {
	base, err := Baseline(op)
	if err != nil {
		return nil, err
	}
	need := map[string]bool{}
	for _, p := range op.Params {
		if p.Required {
			need[p.Name] = true
		}
	}
	for _, r := range op.Rules {
		if r.Kind == spec.RuleRequired {
			need[r.ParamName()] = true
		}
	}
	out := url.Values{}
	for k, v := range base {
		// The parameter a key belongs to: the key itself (SystemDisk.Size
		// is one name), else the key less its list indexes and fields.
		name := k
		for !need[name] {
			i := strings.LastIndex(name, ".")
			if i < 0 {
				break
			}
			name = name[:i]
		}
		if need[name] {
			out[k] = v
		}
	}
	return out, nil
}

// Provoke builds the provocation of trigger t of error e of op, taking
// inputs from lookup.
func Provoke(op *spec.Operation, e *spec.ErrorCode, t *spec.Trigger, lookup Lookup) (*Provocation, error) {
	p := &Provocation{ID: op.Action + "/error:" + e.Code + "/" + t.State, Action: op.Action, Code: e.Code, Trigger: t, As: t.As, Procedure: t.Procedure}
	for _, n := range t.Needs {
		if _, _, ok := lookup(n); !ok {
			p.Missing = append(p.Missing, n)
		}
	}
	sort.Strings(p.Missing)
	if len(p.Missing) > 0 {
		return p, nil
	}
	params, err := Fill(op, t.Request, lookup)
	if err != nil {
		return nil, fmt.Errorf("cases: %s: trigger %s: %w", op.Action, t.State, err)
	}
	p.Params = params
	if t.Procedure == spec.ProcedureExhaustQuota {
		for _, q := range op.Quotas {
			if q.ID == t.Quota {
				p.Quota = q.Limit
			}
		}
		_, list, _ := lookup(t.Vary.Over)
		if len(list) <= p.Quota {
			p.Missing = []string{fmt.Sprintf("%s (%d values; the quota of %d needs %d)", t.Vary.Over, len(list), p.Quota, p.Quota+1)}
			return p, nil
		}
		p.Vary, p.Values = t.Vary.Param, list[:p.Quota+1]
	}
	return p, nil
}

// Fill builds the parameters of a request template: the operation's
// required parameters from the baseline, then the template's values with
// "{name}" placeholders replaced by the profile's inputs.
func Fill(op *spec.Operation, request map[string]any, lookup Lookup) (url.Values, error) {
	params, err := minimal(op)
	if err != nil {
		return nil, err
	}
	subst := func(s string) string {
		for _, name := range (&spec.Trigger{Request: map[string]any{"x": s}}).Placeholders() {
			v, _, _ := lookup(name)
			s = strings.ReplaceAll(s, "{"+name+"}", v)
		}
		return s
	}
	keys := make([]string, 0, len(request))
	for k := range request {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		param := op.Param(k)
		switch v := request[k].(type) {
		case []any:
			if flat, ok := flatTemplate(v, subst); ok {
				params = without(params, k)
				acs.EncodeFlat(params, k, flat)
				continue
			}
			items := make([]string, len(v))
			for i, x := range v {
				items[i] = subst(spec.WireText(x))
			}
			params = without(params, k)
			acs.EncodeRepeatList(params, k, items)
		default:
			if param != nil && param.Style != "" {
				return nil, fmt.Errorf("list parameter %s given a single value", k)
			}
			params.Set(k, subst(spec.WireText(v)))
		}
	}
	MeetNeedless(op, params)
	return params, nil
}

// flatTemplate reads a list whose items are all objects (a flat list:
// Resources.N.ResourceId …) into its items' fields, placeholders replaced.
func flatTemplate(list []any, subst func(string) string) ([]map[string]string, bool) {
	if len(list) == 0 {
		return nil, false
	}
	out := make([]map[string]string, len(list))
	for i, x := range list {
		obj, ok := x.(map[string]any)
		if !ok {
			return nil, false
		}
		item := map[string]string{}
		for f, fv := range obj {
			item[f] = subst(fmt.Sprint(fv))
		}
		out[i] = item
	}
	return out, true
}

// MeetNeedless sets, for each parameter the request leaves out that the
// docs expect unless another has a value (UntagResources' TagKey unless
// All is true), that value, when the request does not set the other
// parameter itself (or sets it to its example): the request is then one
// the docs call valid.
func MeetNeedless(op *spec.Operation, v url.Values) {
	for _, p := range op.Params {
		w := p.NeedlessWhen
		if w == nil || Has(v, p.Name) {
			continue
		}
		if cur := v.Get(w.Param); cur != "" && cur != w.Equals && (op.Param(w.Param).Example == nil || fmt.Sprint(op.Param(w.Param).Example) != cur) {
			continue // the request chose the other value on purpose
		}
		v.Set(w.Param, w.Equals)
	}
}

// Has reports whether a request sets a parameter (or any item of it).
func Has(v url.Values, name string) bool {
	if v.Has(name) {
		return true
	}
	for k := range v {
		if strings.HasPrefix(k, name+".") {
			return true
		}
	}
	return false
}
