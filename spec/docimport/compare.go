package docimport

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/spec"
)

// Difference is a fact the pages state differently from a contract.
type Difference struct {
	Action   string
	Subject  string
	Pages    string // what the imported pages say
	Contract string // what the contract says
}

func (d Difference) String() string {
	return fmt.Sprintf("%s %s: pages say %s, contract says %s", d.Action, d.Subject, d.Pages, d.Contract)
}

func typeOf(s *openapi3.Schema) string {
	if s == nil || s.Type == nil {
		return ""
	}
	t := strings.Join(*s.Type, ",")
	if t == "array" && s.Items != nil && s.Items.Value != nil && s.Items.Value.Type != nil {
		t += "<" + strings.Join(*s.Items.Value.Type, ",") + ">"
	}
	return t
}

func enumOf(s *openapi3.Schema) string {
	if s == nil {
		return ""
	}
	var vals []string
	for _, v := range s.Enum {
		vals = append(vals, fmt.Sprint(v))
	}
	sort.Strings(vals)
	return strings.Join(vals, ",")
}

func limitOf(s *openapi3.Schema, kw string) string {
	if s == nil {
		return ""
	}
	switch kw {
	case "maxItems":
		if s.MaxItems != nil {
			return fmt.Sprint(*s.MaxItems)
		}
	case "minItems":
		if s.MinItems != 0 {
			return fmt.Sprint(s.MinItems)
		}
	case "maxLength":
		if s.MaxLength != nil {
			return fmt.Sprint(*s.MaxLength)
		}
	case "pattern":
		return s.Pattern
	}
	return ""
}

// Compare lists the facts of one operation that the imported pages state
// and the contract states differently or lacks, and the page facts the
// contract has that no imported page states.
func Compare(imported, contract *spec.API, action string) []Difference {
	io, co := imported.Operation(action), contract.Operation(action)
	if io == nil || co == nil {
		return []Difference{{Action: action, Subject: "operation", Pages: fmt.Sprint(io != nil), Contract: fmt.Sprint(co != nil)}}
	}
	var out []Difference
	diff := func(subject, pages, contract string) {
		if pages != contract {
			out = append(out, Difference{Action: action, Subject: subject, Pages: fmt.Sprintf("%q", pages), Contract: fmt.Sprintf("%q", contract)})
		}
	}
	for _, ip := range io.Params {
		cp := co.Param(ip.Name)
		if cp == nil {
			diff("parameter "+ip.Name, "present", "absent")
			continue
		}
		subject := "parameter " + ip.Name
		diff(subject+" type", typeOf(ip.Schema), typeOf(cp.Schema))
		diff(subject+" enum", enumOf(ip.Schema), enumOf(cp.Schema))
		diff(subject+" example", fmt.Sprint(ip.Example), fmt.Sprint(cp.Example))
		if ip.RequiredProvenance == nil {
			diff(subject+" required", fmt.Sprint(ip.Required), fmt.Sprint(cp.Required))
		}
		for _, kw := range []string{"maxItems", "minItems", "maxLength", "pattern"} {
			if v := limitOf(ip.Schema, kw); v != "" {
				diff(subject+" "+kw, v, limitOf(cp.Schema, kw))
			}
			if ip.Schema.Items != nil && cp.Schema.Items != nil {
				if v := limitOf(ip.Schema.Items.Value, kw); v != "" {
					diff(subject+" items "+kw, v, limitOf(cp.Schema.Items.Value, kw))
				}
			}
		}
	}
	for _, cp := range co.Params {
		if io.Param(cp.Name) == nil {
			diff("parameter "+cp.Name, "absent", "present")
		}
	}
	for _, ie := range io.Errors {
		ce := co.Error(ie.Code)
		if ce == nil || ce.Platform {
			diff("error "+ie.Code, "documented", "absent")
			continue
		}
		diff("error "+ie.Code+" status", fmt.Sprint(ie.Status), fmt.Sprint(ce.Status))
		diff("error "+ie.Code+" message", ie.Message, ce.Message)
		for lang, d := range ie.Description {
			diff("error "+ie.Code+" description ("+lang+")", d, ce.Description[lang])
		}
	}
	for _, ce := range co.Errors {
		if io.Error(ce.Code) == nil {
			diff("error "+ce.Code, "absent", "documented")
		}
	}
	if io.RAM != nil {
		cr := co.RAM
		if cr == nil {
			cr = &spec.RAM{}
		}
		diff("RAM action", io.RAM.Action, cr.Action)
		diff("RAM access level", io.RAM.AccessLevel, cr.AccessLevel)
	}
	if io.RateLimit != nil {
		cr := "none"
		if co.RateLimit != nil {
			cr = fmt.Sprintf("%d/%ds", co.RateLimit.Requests, co.RateLimit.PerSeconds)
		}
		diff("rate limit", fmt.Sprintf("%d/%ds", io.RateLimit.Requests, io.RateLimit.PerSeconds), cr)
	}
	for _, q := range io.Quotas {
		found := ""
		for _, cq := range co.Quotas {
			if cq.Error == q.Error {
				found = fmt.Sprint(cq.Limit)
			}
		}
		diff("quota "+q.Error, fmt.Sprint(q.Limit), found)
	}
	var idates, cdates []string
	for _, c := range io.Changes {
		idates = append(idates, c.Date)
	}
	for _, c := range co.Changes {
		cdates = append(cdates, c.Date)
	}
	diff("change history", strings.Join(idates, ","), strings.Join(cdates, ","))
	out = append(out, compareFields(action, "response", io.Response, co.Response)...)
	return out
}

func compareFields(action, path string, is, cs *openapi3.Schema) []Difference {
	var out []Difference
	if is == nil || cs == nil {
		return nil
	}
	if is.Items != nil && cs.Items != nil {
		return compareFields(action, path+"[*]", is.Items.Value, cs.Items.Value)
	}
	for name, ip := range is.Properties {
		cp := cs.Properties[name]
		subject := path + "." + name
		if cp == nil {
			out = append(out, Difference{Action: action, Subject: subject, Pages: "present", Contract: "absent"})
			continue
		}
		if a, b := typeOf(ip.Value), typeOf(cp.Value); a != b {
			out = append(out, Difference{Action: action, Subject: subject + " type", Pages: a, Contract: b})
		}
		if a, b := enumOf(ip.Value), enumOf(cp.Value); a != b {
			out = append(out, Difference{Action: action, Subject: subject + " enum", Pages: a, Contract: b})
		}
		out = append(out, compareFields(action, subject, ip.Value, cp.Value)...)
	}
	for name := range cs.Properties {
		if is.Properties[name] == nil {
			out = append(out, Difference{Action: action, Subject: path + "." + name, Pages: "absent", Contract: "present"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subject < out[j].Subject })
	return out
}

// AddOperations copies the path items of actions, and the sources they
// cite, from an imported document into a contract document: spliced as
// text at the end of its paths and x-acs-sources, every other line of the
// contract left as it was.
func AddOperations(contract, imported []byte, actions []string) ([]byte, error) {
	if len(actions) == 0 {
		return contract, nil
	}
	d, err := parseDoc(contract)
	if err != nil {
		return nil, err
	}
	var im yaml.Node
	if err := yaml.Unmarshal(imported, &im); err != nil {
		return nil, err
	}
	iroot := im.Content[0]
	cpaths, ipaths := get(d.root, "paths"), get(iroot, "paths")
	csrc, isrc := get(d.root, spec.ExtSources), get(iroot, spec.ExtSources)
	if cpaths == nil || ipaths == nil || csrc == nil || isrc == nil {
		return nil, fmt.Errorf("a document lacks paths or x-acs-sources")
	}
	if !blockContainer(cpaths) || !blockContainer(csrc) {
		return nil, fmt.Errorf("the contract's paths and x-acs-sources must be block collections with entries to be merged into")
	}
	have := map[string]bool{}
	for _, s := range csrc.Content {
		have[get(s, "id").Value] = true
	}
	newPaths := &yaml.Node{Kind: yaml.MappingNode}
	newSources := &yaml.Node{Kind: yaml.SequenceNode}
	for _, a := range actions {
		if item := get(ipaths, "/#"+a); item != nil {
			newPaths.Content = append(newPaths.Content, str("/#"+a), item)
		}
		for _, s := range isrc.Content {
			if get(s, "operation").Value == a && !have[get(s, "id").Value] {
				newSources.Content = append(newSources.Content, s)
				have[get(s, "id").Value] = true
			}
		}
	}
	// Paths first: it sits below x-acs-sources in the file or above it,
	// and splicing at the later one first keeps the earlier one's lines.
	type splice struct {
		key  string
		node *yaml.Node
		at   *yaml.Node
	}
	edits := []splice{{"paths", newPaths, cpaths}, {spec.ExtSources, newSources, csrc}}
	if d.topKeyEnd(spec.ExtSources) > d.topKeyEnd("paths") {
		edits[0], edits[1] = edits[1], edits[0]
	}
	for _, e := range edits {
		if len(e.node.Content) == 0 {
			continue
		}
		lines, err := render(e.node, d.childIndent(e.at))
		if err != nil {
			return nil, err
		}
		d.appendEntries(e.key, lines)
	}
	return d.bytes(), nil
}

func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// DropCurations removes the contract's x-acs-curation entries for the
// given operations — operations now curated whole, to which an entry has
// nothing left to apply — and says what each removed entry carried, so the
// person completing the operation can carry it over.
func DropCurations(contract []byte, actions []string) ([]byte, []string, error) {
	if len(actions) == 0 {
		return contract, nil, nil
	}
	d, err := parseDoc(contract)
	if err != nil {
		return nil, nil, err
	}
	cur := get(d.root, spec.ExtCuration)
	if cur == nil || cur.Kind != yaml.SequenceNode {
		return contract, nil, nil
	}
	var kept []*yaml.Node
	var report []string
	for _, e := range cur.Content {
		op := get(e, "operation")
		if op == nil || !slices.Contains(actions, op.Value) {
			kept = append(kept, e)
			continue
		}
		var carried []string
		for _, key := range []string{"success", "params", "quotas", "rules"} {
			if get(e, key) != nil {
				carried = append(carried, key)
			}
		}
		if errs := get(e, "errors"); errs != nil {
			var codes []string
			for _, ec := range errs.Content {
				if code := get(ec, "code"); code != nil {
					codes = append(codes, code.Value)
				}
			}
			carried = append(carried, "errors "+strings.Join(codes, ", "))
		}
		report = append(report, fmt.Sprintf("removed the x-acs-curation entry for %s (line %d): the operation is now curated whole, so the entry has nothing to apply to; it carried %s — add what still holds to the operation",
			op.Value, e.Line, strings.Join(carried, "; ")))
	}
	if len(report) == 0 {
		return contract, nil, nil
	}
	if cur.Style&yaml.FlowStyle != 0 {
		return nil, nil, fmt.Errorf("%s is a flow sequence; write it as a block sequence to merge into it", spec.ExtCuration)
	}
	keep := map[*yaml.Node]bool{}
	for _, k := range kept {
		keep[k] = true
	}
	d.cutSequenceItems(spec.ExtCuration, cur, func(n *yaml.Node) bool { return !keep[n] })
	return d.bytes(), report, nil
}
