// Package provision makes the entities a run's cases need on the target
// itself, through the contract's documented operations, and removes them
// afterwards.
//
// The contract says how (x-acs-inputs: a recipe per input that creates
// the entity, brings it to the declared status, and removes it); a
// profile with provision: true then gives only credentials and the
// conditions no operation can create. The inputs a recipe names are made
// before it, so the order comes from the recipes themselves. Every
// creation is written to a record file before its request is sent: a run
// that is killed leaves the list of what to remove, and `acsconform
// cleanup` removes it.
package provision

import (
	"context"
	"crypto/rand"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/internal/cases"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Wanted lists, in the order to make them, the inputs a run makes: those
// the contract has a recipe for, that the plan asked for (asked, as
// plan.PlanOptions fills it) and the profile does not give, and those
// their recipes name that the profile lacks too. An input a recipe needs
// that the profile lacks and no recipe makes is named in lacking (input →
// what it needs), and the input is not made.
func Wanted(api *spec.API, p *profile.Profile, asked map[string]bool) (order []string, lacking map[string][]string) {
	want := map[string]bool{}
	var add func(name string)
	add = func(name string) {
		d := api.Inputs[name]
		if want[name] || p.Has(name) || d == nil || d.Provision == nil {
			return
		}
		want[name] = true
		for _, ref := range d.Provision.Refers() {
			add(ref)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(api.Inputs)) {
		if asked[name] {
			add(name)
		}
	}
	lacking = map[string][]string{}
	// can records, per visited input, whether it can be made (recipes do
	// not name each other in a circle: the contract's loader refuses it).
	can := map[string]bool{}
	var visit func(name string) bool
	visit = func(name string) bool {
		if ok, seen := can[name]; seen {
			return ok
		}
		ok := true
		for _, ref := range api.Inputs[name].Provision.Refers() {
			switch {
			case want[ref]:
				if !visit(ref) {
					ok = false
					lacking[name] = append(lacking[name], ref+" (which could not be made)")
				}
			case !p.Has(ref):
				ok = false
				lacking[name] = append(lacking[name], ref)
			}
		}
		can[name] = ok
		if ok {
			order = append(order, name)
		}
		return ok
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		visit(name)
	}
	return order, lacking
}

// Maker sends the recipes' calls to a target.
type Maker struct {
	API     *spec.API
	Profile *profile.Profile
	Env     *run.Env
	// Record is written before each creation and after each answer.
	Record *Record
	// Unique returns a fresh name of letters (random by default).
	Unique func() string
}

// Make makes the inputs in order, writing what it does to the record.
// It returns the values made, by input, and why each input that could not
// be made was not (a failed step of a made entity removes it again).
func (m *Maker) Make(ctx context.Context, order []string) (values map[string]string, failed map[string]string) {
	values, failed = map[string]string{}, map[string]string{}
	made := map[string]*Entity{}
	for _, name := range order {
		rec := m.API.Inputs[name].Provision
		if rec.From != "" {
			src := made[rec.From]
			switch {
			case src == nil:
				failed[name] = rec.From + " was not made"
			case rec.Param == "":
				values[name] = src.ID
			default:
				values[name] = firstValue(src.Request, rec.Param)
			}
			continue
		}
		e, why := m.make(ctx, name, rec, values)
		if why != "" {
			failed[name] = why
			continue
		}
		made[name] = e
		values[name] = e.ID
	}
	return values, failed
}

func firstValue(params map[string][]string, name string) string {
	if vs := params[name]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// make sends one recipe: the record says "making" before the creation
// is sent, "made" with the entity's ID after, the cleanup calls resolved.
func (m *Maker) make(ctx context.Context, name string, rec *spec.Provision, values map[string]string) (*Entity, string) {
	unique := m.unique()
	lookup := func(self string) cases.Lookup {
		return func(ref string) (string, []string, bool) {
			switch ref {
			case "self":
				return self, []string{self}, self != ""
			case "unique":
				return unique, []string{unique}, true
			}
			if v, ok := values[ref]; ok {
				return v, []string{v}, true
			}
			in, ok := m.Profile.Inputs[ref]
			switch {
			case !ok:
				return "", nil, false
			case in.Credentials != "":
				return in.Credentials, nil, true
			case in.Value != "":
				return in.Value, []string{in.Value}, true
			case len(in.List) > 0:
				return in.List[0], in.List, true
			}
			return "", nil, false
		}
	}
	create, err := m.request(rec.Create, lookup(""))
	if err != nil {
		return nil, err.Error()
	}
	e := &Entity{Input: name, Action: create.Action, As: create.As, Request: create.Params, State: StateMaking, Gone: rec.Gone}
	if err := m.Record.Add(e); err != nil {
		return nil, "the record of what the run makes cannot be written, so nothing is made: " + err.Error()
	}
	a := m.Env.SendRetrying(ctx, create, nil)
	if why := unanswered(a); why != "" {
		// It may have been made: the record keeps the request (its unique
		// name) for whoever removes it by hand.
		e.State, e.Note = StateUnknown, create.Action+" got no answer ("+why+"): it may have been made; look for "+unique
		_ = m.Record.Save()
		return nil, e.Note
	}
	if a.Status != http.StatusOK {
		e.State, e.Note = StateFailed, create.Action+" answered "+run.Describe(a)
		_ = m.Record.Save()
		return nil, e.Note
	}
	id, ok := lookupPath(a.Success, rec.ID)
	if !ok {
		e.State, e.Note = StateUnknown, fmt.Sprintf("%s succeeded but its answer has no %s: the entity was made and cannot be named; look for %s", create.Action, rec.ID, unique)
		_ = m.Record.Save()
		return nil, e.Note
	}
	e.ID, e.State = id, StateMade
	for _, c := range rec.Cleanup {
		r, err := m.request(c, lookup(id))
		if err != nil {
			e.Note = "cleanup: " + err.Error()
			break
		}
		e.Cleanup = append(e.Cleanup, Call{Action: r.Action, Params: r.Params, As: r.As})
	}
	if len(rec.Cleanup) == 0 {
		e.Note = "not removed after the run: " + strings.Join(strings.Fields(rec.NoCleanup), " ")
	}
	if err := m.Record.Save(); err != nil {
		return nil, "the record of what the run made cannot be written: " + err.Error()
	}
	for _, c := range rec.Then {
		r, err := m.request(c, lookup(id))
		if err != nil {
			return nil, err.Error()
		}
		if a := m.Env.SendRetrying(ctx, r, nil); unanswered(a) != "" || a.Status != http.StatusOK {
			why := fmt.Sprintf("%s made %s, but %s answered %s", create.Action, id, r.Action, run.Describe(a))
			if len(e.Cleanup) > 0 {
				// Not in the state the declaration needs: take it away again.
				if left := removeOne(ctx, m.Env, e); left != "" {
					why += "; removing it failed: " + left
				} else {
					e.State = StateRemoved
				}
				_ = m.Record.Save()
			}
			return nil, why
		}
	}
	return e, ""
}

// request builds one recipe call: the operation's required parameters
// from the contract, the recipe's values over them.
func (m *Maker) request(c *spec.Call, lookup cases.Lookup) (plan.Request, error) {
	op := m.API.Operation(c.Action)
	if op == nil {
		return plan.Request{}, fmt.Errorf("%s is no operation of the contract", c.Action)
	}
	for _, ref := range (&spec.Trigger{Request: c.Request}).Placeholders() {
		if _, _, ok := lookup(ref); !ok {
			return plan.Request{}, fmt.Errorf("%s needs input %s, which the profile does not give", c.Action, ref)
		}
	}
	params, err := cases.Fill(op, c.Request, lookup)
	if err != nil {
		return plan.Request{}, fmt.Errorf("%s: %v", c.Action, err)
	}
	return plan.Request{Action: c.Action, Params: params, As: c.As}, nil
}

func (m *Maker) unique() string {
	if m.Unique != nil {
		return m.Unique()
	}
	return Unique()
}

// Unique is a fresh name of letters only ("Acs" and seven more), so it
// fits the forms of names (contact names are letters only) and no earlier
// run's entity bears it.
func Unique() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var raw [7]byte
	_, _ = rand.Read(raw[:])
	for i := range raw {
		raw[i] = letters[int(raw[i])%len(letters)]
	}
	return "Acs" + string(raw[:])
}

// lookupPath finds the value at a dotted path of a success answer.
func lookupPath(m map[string]any, path string) (string, bool) {
	var cur any = m
	for _, key := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		if cur, ok = obj[key]; !ok {
			return "", false
		}
	}
	switch v := cur.(type) {
	case string:
		return v, v != ""
	case nil, map[string]any, []any:
		return "", false
	default:
		return fmt.Sprint(v), true
	}
}

// unanswered says why an answer proves nothing (none came, or not the
// API's), or "".
func unanswered(a *run.Answer) string {
	if a == nil {
		return "no answer"
	}
	return a.Broken()
}
