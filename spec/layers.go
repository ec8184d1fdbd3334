package spec

import (
	"crypto/sha256"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The contract is layered. The curated document (resourcedirectorymaster.yaml)
// holds what was decided by hand: the gateway, the platform codes, the seed
// operations transcribed from pages, and curation entries. It names, under
// x-acs-imports, the imported layers generated from the vendor's sources
// (resourcedirectorymaster.imported.yaml, from the metadata) that `make
// generate` rebuilds and nobody edits. Loading merges them:
//
//   - an operation the curated document declares is taken from it whole; the
//     imported reading of it stays available (API.Imported) so lint can say
//     where the two differ;
//   - every other operation comes from the imported layer, with the curated
//     document's x-acs-curation entries for it applied (a success recipe,
//     triggers for a code, a rule's chosen code), each with its reason; an
//     entry that no longer finds what it curates is kept as a stale
//     curation for lint, never applied silently to something else.

// Opener reads a file an x-acs-imports entry names (relative to the
// curated document).
type Opener func(name string) ([]byte, error)

// Import is one x-acs-imports entry.
type Import struct {
	File string `yaml:"file"`
	Note string `yaml:"note,omitempty"`
	// Take "curation" reads only the file's x-acs-inputs and the
	// x-acs-curation entries for operations this document also has: the
	// decisions made for another version of the same service (the same
	// entities, codes and states behind both), each keeping its position
	// in that file. This document's own inputs and entries come first.
	Take string `yaml:"take,omitempty"`
}

// TakeCuration is the Import.Take that reads another contract's decisions.
const TakeCuration = "curation"

// Curation is one x-acs-curation entry: a decision about an imported
// operation, with the reason for it.
type Curation struct {
	Operation string           `yaml:"operation"`
	Reason    string           `yaml:"reason"`
	Success   *Success         `yaml:"success,omitempty"`
	Errors    []*ErrorCuration `yaml:"errors,omitempty"`
	Rules     []*RuleCuration  `yaml:"rules,omitempty"`
	Params    []*ParamCuration `yaml:"params,omitempty"`
	Enums     []*EnumCuration  `yaml:"enums,omitempty"`
	Quotas    []*Quota         `yaml:"quotas,omitempty"`
	After     []*After         `yaml:"after,omitempty"`
	Pos       Pos              `yaml:"-"`
	// Taken is set on an entry read from another contract (Import.Take):
	// a part of it that does not fit this contract (a code this version
	// does not document) is the other version's alone, not stale.
	Taken bool `yaml:"-"`
}

// ParamCuration gives an imported parameter the pattern the metadata
// leaves out (an ID form stated elsewhere, on a page or by the product's
// other operations) and the documented code a value outside it answers:
// the parameter's schema takes the pattern and the operation gains the
// rule <Name>.pattern.
//
// A form the docs state in words for another parameter of the same entity
// (AddMessageContact's contact Name, for UpdateMessageContact's) may bring
// its lengths too: min-length and max-length give the rules
// <Name>.minLength and <Name>.maxLength, answered with length-error.
// Refusal, as a rule's, is the evidence that a value outside the form is
// refused at all, where it is stronger than Provenance.
type ParamCuration struct {
	Name        string      `yaml:"name"`
	Pattern     string      `yaml:"pattern"`
	Error       string      `yaml:"error"`
	MinLength   *uint64     `yaml:"min-length,omitempty"`
	MaxLength   *uint64     `yaml:"max-length,omitempty"`
	LengthError string      `yaml:"length-error,omitempty"`
	Provenance  Provenance  `yaml:"provenance"`
	Refusal     *Provenance `yaml:"refusal,omitempty"`
}

// EnumCuration adds values to an imported parameter's enum that the
// documents leave out and a client is observed to send and the service to
// accept (Terraform's ResourceType=Folder in the tag operations): the
// schema takes them, so validators accept them and the suite sends them as
// boundaries. Provenance says where they were observed.
type EnumCuration struct {
	Name string   `yaml:"name"`
	Add  []string `yaml:"add"`
	// With: what other parameters take with an added value (ResourceId
	// names folders when ResourceType is Folder), for the suite's requests.
	With       map[string]any `yaml:"with,omitempty"`
	Provenance Provenance     `yaml:"provenance"`
}

// ErrorCuration adds triggers to an imported code, or marks it retryable.
type ErrorCuration struct {
	Code      string     `yaml:"code"`
	Triggers  []*Trigger `yaml:"triggers,omitempty"`
	Retryable bool       `yaml:"retryable,omitempty"`
	Reason    string     `yaml:"reason,omitempty"`
}

// RuleCuration changes the code an imported rule expects, or drops it.
type RuleCuration struct {
	ID         string      `yaml:"id"`
	Error      string      `yaml:"error,omitempty"`
	Candidates []string    `yaml:"candidates,omitempty"`
	Decision   string      `yaml:"decision,omitempty"`
	Drop       bool        `yaml:"drop,omitempty"`
	Provenance *Provenance `yaml:"provenance,omitempty"`
	Reason     string      `yaml:"reason,omitempty"`
}

// Stale is a curation entry, or a curated operation, that no longer
// matches the imported source it decides about.
type Stale struct {
	Pos Pos
	Msg string
}

// layered reads the curated document's imports and curation entries and
// merges the imported layers into api.
func (d *decoder) layered(root *yaml.Node, api *API, open Opener) []byte {
	var imports []*Import
	n := get(root, ExtImports)
	if n == nil {
		return nil
	}
	if !d.decode(n, ExtImports, &imports) {
		return nil
	}
	var curations []*Curation
	if c := get(root, ExtCuration); d.decode(c, ExtCuration, &curations) {
		setPos(d, c, curations, func(x *Curation) *Pos { return &x.Pos })
	}
	if open == nil {
		d.problem(n, "x-acs-imports: this document imports layers; load it from its file (acsconform reads them beside it)")
		return nil
	}
	var digestInput []byte
	var taken []*Curation
	var takenInputs []string
	for i, imp := range imports {
		where := n.Content[i]
		if imp.File == "" || path.IsAbs(imp.File) || strings.Contains(imp.File, "..") {
			d.problem(where, "x-acs-imports: file %q must be a name beside the document", imp.File)
			continue
		}
		data, err := open(imp.File)
		if err != nil {
			d.problem(where, "x-acs-imports: %s: %v", imp.File, err)
			continue
		}
		digestInput = append(digestInput, data...)
		layerName := path.Join(path.Dir(d.file), imp.File)
		switch imp.Take {
		case "":
		case TakeCuration:
			c, names := d.takeCuration(api, layerName, data, where)
			taken, takenInputs = append(taken, c...), append(takenInputs, names...)
			continue
		default:
			d.problem(where, "x-acs-imports: %s: take %q is not %q", imp.File, imp.Take, TakeCuration)
			continue
		}
		layer, err := parseDoc(layerName, data, nil, true)
		if err != nil {
			d.problem(where, "x-acs-imports: %s does not load: %v", imp.File, err)
			continue
		}
		d.merge(api, layer)
	}
	dropUnmakeable(api, takenInputs)
	for _, c := range taken {
		if api.Operation(c.Operation) != nil {
			curations = append(curations, c) // the other version's own operations are not this one's
		}
	}
	d.curate(api, curations)
	return digestInput
}

// takeCuration reads another contract's x-acs-inputs (those this document
// does not declare) and x-acs-curation entries. A taken input whose
// provisioning recipe calls an operation this contract lacks is taken
// without the recipe (a run cannot make it through this product).
func (d *decoder) takeCuration(api *API, file string, data []byte, where *yaml.Node) ([]*Curation, []string) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil || len(root.Content) == 0 {
		d.problem(where, "x-acs-imports: %s does not parse: %v", path.Base(file), err)
		return nil, nil
	}
	doc := root.Content[0]
	own := d.file
	d.file = file
	defer func() { d.file = own }()
	var curations []*Curation
	if c := get(doc, ExtCuration); c != nil && d.decode(c, ExtCuration, &curations) {
		setPos(d, c, curations, func(x *Curation) *Pos { return &x.Pos })
		for _, x := range curations {
			x.Taken = true
		}
	}
	var inputs map[string]*InputDecl
	var names []string
	if n := get(doc, ExtInputs); n != nil && d.decode(n, ExtInputs, &inputs) {
		if api.Inputs == nil {
			api.Inputs = map[string]*InputDecl{}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			name := n.Content[i].Value
			if in := inputs[name]; in != nil && api.Inputs[name] == nil {
				in.Pos = d.pos(n.Content[i])
				api.Inputs[name] = in
				names = append(names, name)
			}
		}
	}
	return curations, names
}

// dropUnmakeable removes the taken inputs' provisioning recipes the
// contract cannot run: one that calls an operation it lacks, or takes its
// value from an input no recipe of it makes (until none is left).
func dropUnmakeable(api *API, taken []string) {
	for changed := true; changed; {
		changed = false
		for _, name := range taken {
			in := api.Inputs[name]
			p := in.Provision
			if p == nil {
				continue
			}
			drop := slices.ContainsFunc(p.Calls(), func(c *Call) bool { return api.Operation(c.Action) == nil })
			if p.From != "" {
				src := api.Inputs[p.From]
				drop = drop || src == nil || src.Provision == nil || src.Provision.Create == nil
			}
			if drop {
				in.Provision, changed = nil, true
			}
		}
	}
}

// merge adds a layer's sources, its gateway facts and platform codes (a
// gateway layer shared by the products), and the operations the curated
// document does not declare itself.
func (d *decoder) merge(api *API, layer *API) {
	if layer.Gateway != nil {
		if api.Gateway != nil {
			d.problems = append(d.problems, Problem{Pos{File: layer.File}, fmt.Sprintf("x-acs-gateway of the imported layer: %s declares the gateway already", d.file)})
		} else {
			api.Gateway = layer.Gateway
		}
	}
	for _, e := range layer.PlatformErrors {
		if slices.ContainsFunc(api.PlatformErrors, func(x *ErrorCode) bool { return x.Code == e.Code }) {
			d.problems = append(d.problems, Problem{e.Pos, fmt.Sprintf("platform code %s of the imported layer is also declared in %s", e.Code, d.file)})
			continue
		}
		api.PlatformErrors = append(api.PlatformErrors, e)
	}
	have := map[string]bool{}
	for _, s := range api.Sources {
		have[s.ID] = true
	}
	for _, s := range layer.Sources {
		if have[s.ID] {
			d.problems = append(d.problems, Problem{s.Pos, fmt.Sprintf("source id %q of the imported layer is also a source of %s", s.ID, d.file)})
			continue
		}
		api.Sources = append(api.Sources, s)
	}
	if api.Imported == nil {
		api.Imported = map[string]*Operation{}
	}
	for _, op := range layer.Operations {
		if cur := api.Operation(op.Action); cur != nil {
			op.api = api
			api.Imported[op.Action] = op
			continue
		}
		op.api = api
		api.Operations = append(api.Operations, op)
		if item := layer.Doc.Paths.Value(op.PathKey); item != nil {
			api.Doc.Paths.Set(op.PathKey, item)
		}
	}
}

// ownRefusal: an entry gives a platform code triggers that each state,
// apart from the code, that the request is refused (refusal provenance),
// with the reason the code is the gateway's: the operation documents no
// code of its own for a refusal its sources state.
func ownRefusal(ec *ErrorCuration) bool {
	if ec.Reason == "" || len(ec.Triggers) == 0 {
		return false
	}
	for _, t := range ec.Triggers {
		if t.Refusal == nil || t.Refusal.Level() == EvidenceInferred {
			return false
		}
	}
	return true
}

// curate applies the curation entries to imported operations.
func (d *decoder) curate(api *API, curations []*Curation) {
	stale := func(c *Curation, format string, args ...any) {
		if c.Taken {
			return
		}
		api.Stale = append(api.Stale, Stale{Pos: c.Pos, Msg: fmt.Sprintf("x-acs-curation %s: ", c.Operation) + fmt.Sprintf(format, args...)})
	}
	for _, c := range curations {
		if c.Reason == "" {
			d.problems = append(d.problems, Problem{c.Pos, fmt.Sprintf("x-acs-curation %s: every decision says its reason", c.Operation)})
		}
		op := api.Operation(c.Operation)
		if op == nil {
			stale(c, "the imported layers have no such operation")
			continue
		}
		if api.Imported[c.Operation] != nil {
			stale(c, "the operation is curated whole in this document; the entry has nothing to apply to")
			continue
		}
		op.Curated = append(op.Curated, c)
		if c.Success != nil {
			op.Success = c.Success
		}
		for _, af := range c.After {
			af.Pos = c.Pos
			bad := func(format string, args ...any) {
				d.problems = append(d.problems, Problem{c.Pos, fmt.Sprintf("x-acs-curation %s: after %s: ", c.Operation, af.ID) + fmt.Sprintf(format, args...)})
			}
			switch {
			case af.ID == "" || af.Field == "" || af.Equals == "" || af.Description == "":
				bad("give id, field, equals and description")
			case af.Read == nil || api.Operation(af.Read.Action) == nil:
				bad("read names no operation of the contract")
			default:
				op.After = append(op.After, af) // its provenance is checked with the operation's
			}
		}
		for _, ec := range c.Errors {
			e := op.Error(ec.Code)
			if e != nil && e.Platform && ownRefusal(ec) {
				// A refusal the sources state for this operation without
				// naming its code: the gateway's generic code, as the
				// operation's own with the entry's reason, is our reading.
				own := *e
				own.Platform, own.Triggers, own.Unprovoked = false, nil, ""
				own.Provenance = Provenance{Kind: KindInferred, Reason: ec.Reason}
				own.Pos = c.Pos
				op.Errors = append(op.Errors, &own)
				e = &own
			}
			if e == nil || e.Platform {
				stale(c, "error %s is no longer documented for the operation", ec.Code)
				continue
			}
			for _, t := range ec.Triggers {
				t.Pos = c.Pos
			}
			e.Triggers = append(e.Triggers, ec.Triggers...)
			switch {
			case len(ec.Triggers) > 0:
				e.Unprovoked = ""
			case ec.Reason != "" && e.Unprovoked != "" && len(e.Triggers) == 0:
				// Why the code stays without a trigger, in place of the
				// importer's generic reason.
				e.Unprovoked = ec.Reason
			}
			e.Retryable = e.Retryable || ec.Retryable
		}
		for _, ec := range c.Enums {
			p := op.Param(ec.Name)
			if p == nil || p.Schema == nil || len(p.Schema.Enum) == 0 {
				stale(c, "parameter %s no longer has an enum to add to", ec.Name)
				continue
			}
			if ec.Provenance.Kind == "" || len(ec.Add) == 0 {
				d.problems = append(d.problems, Problem{c.Pos, fmt.Sprintf("x-acs-curation %s: enum of %s: give the values to add and their provenance", c.Operation, ec.Name)})
				continue
			}
			for _, v := range ec.Add {
				if !slices.Contains(p.Schema.Enum, any(v)) {
					p.Schema.Enum = append(p.Schema.Enum, v)
				}
				if len(ec.With) > 0 {
					if p.EnumWith == nil {
						p.EnumWith = map[string]map[string]any{}
					}
					p.EnumWith[v] = ec.With
				}
			}
		}
		for _, pc := range c.Params {
			p := op.Param(pc.Name)
			switch {
			case p == nil || p.Schema == nil:
				stale(c, "parameter %s is no longer documented for the operation", pc.Name)
				continue
			case p.Schema.Type == nil || !p.Schema.Type.Is("string"):
				stale(c, "parameter %s is no longer a string; a pattern does not apply", pc.Name)
				continue
			case p.Schema.Pattern != "" && p.Schema.Pattern != pc.Pattern:
				stale(c, "parameter %s has its own pattern %q now", pc.Name, p.Schema.Pattern)
				continue
			}
			if _, err := regexp.Compile(pc.Pattern); err != nil {
				d.problems = append(d.problems, Problem{c.Pos, fmt.Sprintf("x-acs-curation %s: parameter %s: pattern %q does not compile: %v", c.Operation, pc.Name, pc.Pattern, err)})
				continue
			}
			p.Schema.Pattern = pc.Pattern
			add := func(kind, code string) {
				id := pc.Name + "." + kind
				if slices.ContainsFunc(op.Rules, func(r *Rule) bool { return r.ID == id }) {
					return
				}
				op.Rules = append(op.Rules, &Rule{ID: id, Param: pc.Name, Kind: kind, Error: code, Provenance: pc.Provenance, Refusal: pc.Refusal, Pos: c.Pos, op: op})
			}
			add(RulePattern, pc.Error)
			if (pc.MinLength != nil || pc.MaxLength != nil) && pc.LengthError == "" {
				d.problems = append(d.problems, Problem{c.Pos, fmt.Sprintf("x-acs-curation %s: parameter %s: min-length or max-length needs length-error", c.Operation, pc.Name)})
				continue
			}
			if pc.MinLength != nil && p.Schema.MinLength == 0 {
				p.Schema.MinLength = *pc.MinLength
				add(RuleMinLength, pc.LengthError)
			}
			if pc.MaxLength != nil && p.Schema.MaxLength == nil {
				n := *pc.MaxLength
				p.Schema.MaxLength = &n
				add(RuleMaxLength, pc.LengthError)
			}
		}
		for _, q := range c.Quotas {
			q.Pos = c.Pos
			op.Quotas = append(op.Quotas, q)
		}
		for _, rc := range c.Rules {
			i := slices.IndexFunc(op.Rules, func(r *Rule) bool { return r.ID == rc.ID })
			if i < 0 {
				stale(c, "rule %s is no longer derived from the source", rc.ID)
				continue
			}
			if rc.Drop {
				op.Rules = slices.Delete(op.Rules, i, i+1)
				continue
			}
			r := op.Rules[i]
			if rc.Error != "" {
				r.Error = rc.Error
			}
			if rc.Candidates != nil {
				r.Candidates = rc.Candidates
			}
			if rc.Decision != "" {
				r.Decision = rc.Decision
			}
			if rc.Provenance != nil {
				r.Provenance = *rc.Provenance
			}
			r.Pos = c.Pos
		}
	}
}

// digestOf is the digest of a contract made of several files.
func digestOf(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return fmt.Sprintf("sha256:%x", h.Sum(nil))
}
