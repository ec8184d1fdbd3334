package plan

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Clashes checks a profile against what the contract says its inputs must
// be, before anything is sent: inputs that must name different entities
// and name the same one, a name input that is its own entity's name, and
// (for a profile with a mock section, whose state is known) entities of
// the wrong kind or status. It also checks each input against the rules
// of every parameter a case sends it as: a value that breaks the form of
// its parameter meets that rule before the state its case is about. Each
// clash is one sentence naming the inputs, in input order.
func Clashes(api *spec.API, p *profile.Profile, cases []*Case) []string {
	var out []string
	value := func(name string) (string, bool) {
		in, ok := p.Inputs[name]
		if !ok {
			return "", false
		}
		switch {
		case in.Credentials != "":
			return in.Credentials, true
		case in.Value != "":
			return in.Value, true
		case len(in.List) > 0:
			return in.List[0], true
		}
		return "", false
	}
	seed := seedOf(p)
	for _, name := range declaredNames(api, p) {
		decl := declFor(api, name)
		v, ok := value(name)
		if !ok {
			continue
		}
		for _, other := range decl.DiffersFrom {
			ov, ok := value(other)
			if !ok || !same(p, decl.Kind, v, ov) {
				continue
			}
			out = append(out, fmt.Sprintf("%s must name %s other than %s (both are %q)", name, article(decl.Kind), other, v))
		}
		if decl.NameOf != "" {
			if id, ok := value(decl.NameOf); ok && seed != nil && seed.contactName[id] == v {
				out = append(out, fmt.Sprintf("%s must name a contact other than %s (%q is %s's own name)", name, decl.NameOf, v, decl.NameOf))
			}
		}
		if seed != nil && !p.Inputs[name].Provisioned {
			// The seed knows nothing of what the run made itself.
			if msg := seed.check(decl, v); msg != "" {
				out = append(out, name+" "+msg)
			}
		}
	}
	out = append(out, formClashes(p, cases)...)
	return out
}

// declaredNames lists the profile's inputs that a declaration covers (its
// own name or <Action>.<name>), sorted.
func declaredNames(api *spec.API, p *profile.Profile) []string {
	var out []string
	for name := range p.Inputs {
		base := name
		if _, rest, ok := strings.Cut(name, "."); ok {
			base = rest
		}
		if api.Inputs[base] != nil || api.Inputs[name] != nil {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// declFor is the declaration of a profile input: its own (DeleteFolder.FolderId
// may be declared whole) or that of the name after <Action>.
func declFor(api *spec.API, name string) *spec.InputDecl {
	if d := api.Inputs[name]; d != nil {
		return d
	}
	if _, rest, ok := strings.Cut(name, "."); ok {
		return api.Inputs[rest]
	}
	return nil
}

// same: two values name one entity (credentials by their access key).
func same(p *profile.Profile, kind, a, b string) bool {
	if kind == "credentials" {
		ca, cb := p.Credentials[a], p.Credentials[b]
		return a == b || (ca.AccessKeyID != "" && ca.AccessKeyID == cb.AccessKeyID) || (ca.AccessKeyIDEnv != "" && ca.AccessKeyIDEnv == cb.AccessKeyIDEnv)
	}
	return a == b
}

func article(kind string) string {
	switch kind {
	case "account", "account-name":
		return "an " + strings.ReplaceAll(kind, "-", " ")
	case "credentials":
		return "a caller"
	}
	return "a " + strings.ReplaceAll(kind, "-", " ")
}

// seedState is what a mock profile's seed holds, by kind.
type seedState struct {
	status      map[string]map[string]string // kind → ID → status ("" when none)
	contactName map[string]string            // contact ID → name
	names       map[string]bool              // contact names
}

func seedOf(p *profile.Profile) *seedState {
	if p.Mock == nil {
		return nil
	}
	s := &seedState{status: map[string]map[string]string{"account": {}, "contact": {}, "folder": {}, "handshake": {}, "policy": {}, "directory": {}},
		contactName: map[string]string{}, names: map[string]bool{}}
	for _, a := range p.Mock.Accounts {
		s.status["account"][a.ID] = a.Status
	}
	for _, h := range p.Mock.Handshakes {
		st := h.Status
		if st == "" {
			st = "Pending"
		}
		s.status["handshake"][h.ID] = st
	}
	for _, d := range p.Mock.Directories {
		s.status["directory"][d.ID] = ""
		s.status["folder"][d.RootFolderID] = ""
		for _, f := range d.Folders {
			s.status["folder"][f.ID] = ""
		}
		for _, m := range d.Members {
			if _, ok := s.status["account"][m]; !ok {
				s.status["account"][m] = ""
			}
		}
		for _, c := range d.Contacts {
			s.status["contact"][c.ID] = c.Status
			s.contactName[c.ID] = c.Name
			s.names[c.Name] = true
		}
		for _, target := range d.PendingHandshakes {
			s.status["handshake"][profile.PendingHandshakeID(target)] = "Pending"
		}
		for _, pol := range d.Policies {
			s.status["policy"][pol.ID] = ""
		}
	}
	return s
}

// check says how a value breaks its declaration against the seed, or "".
func (s *seedState) check(d *spec.InputDecl, v string) string {
	if d.Kind == "contact-name" {
		if !s.names[v] {
			return fmt.Sprintf("must be the name of a contact; the mock's seed has no contact named %q", v)
		}
		return ""
	}
	ids, ok := s.status[d.Kind]
	if !ok {
		return ""
	}
	st, exists := ids[v]
	switch {
	case d.Status == "absent" && exists:
		return fmt.Sprintf("must name no %s, but the mock's seed has %s %q", d.Kind, d.Kind, v)
	case d.Status == "absent":
	case !exists:
		return fmt.Sprintf("must name %s; the mock's seed has no %s %q", article(d.Kind), d.Kind, v)
	case d.Status != "" && st != "" && st != d.Status:
		return fmt.Sprintf("must name a %s %s; the mock's seed has %q %s", d.Status, d.Kind, v, st)
	}
	return ""
}

// formClashes: an input sent as a parameter whose rules it breaks, where
// the case expects an answer other than those rules'.
func formClashes(p *profile.Profile, cases []*Case) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cases {
		t, op := c.trigger, c.op
		if t == nil || op == nil || c.errCode == nil {
			continue
		}
		for param, tmpl := range t.Request {
			s, ok := tmpl.(string)
			if !ok || !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") || strings.Count(s, "{") != 1 {
				continue
			}
			input := strings.Trim(s, "{}")
			name := input
			if p.Has(op.Action + "." + input) {
				name = op.Action + "." + input
			}
			in, ok := p.Inputs[name]
			if !ok || in.Value == "" {
				continue
			}
			for _, r := range op.Rules {
				if r.ParamName() != param || r.OnItems() || slices.Contains(r.Accepted(), c.errCode.Code) {
					continue
				}
				why := breaks(r, in.Value)
				key := name + " " + op.Action + " " + r.ID
				if why == "" || seen[key] {
					continue
				}
				seen[key] = true
				out = append(out, fmt.Sprintf("%s (%q) is sent as %s's %s, and %s (rule %s): case %s would meet that rule before the state it is about", name, in.Value, op.Action, param, why, r.ID, c.ID))
			}
		}
	}
	sort.Strings(out)
	return out
}

// breaks says how a value breaks a rule of its parameter, or "".
func breaks(r *spec.Rule, v string) string {
	s := r.Schema()
	if s == nil || (r.When != nil) {
		return ""
	}
	n := utf8.RuneCountInString(v)
	switch r.Kind {
	case spec.RulePattern:
		if re, err := regexp.Compile(r.EffectivePattern()); err == nil && !re.MatchString(v) {
			return "does not have its form " + r.EffectivePattern()
		}
	case spec.RuleMaxLength:
		if s.MaxLength != nil && uint64(n) > *s.MaxLength {
			return fmt.Sprintf("is longer than its %d characters", *s.MaxLength)
		}
	case spec.RuleMinLength:
		if uint64(n) < s.MinLength {
			return fmt.Sprintf("is shorter than its %d characters", s.MinLength)
		}
	case spec.RuleEnum:
		for _, e := range s.Enum {
			if fmt.Sprint(e) == v {
				return ""
			}
		}
		if len(s.Enum) > 0 {
			return "is none of its values"
		}
	}
	return ""
}
