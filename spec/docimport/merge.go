package docimport

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Source is a page as the merged operation cites it.
type Source struct {
	ID   string
	Page *Page
}

// Op is one operation merged from its pages.
type Op struct {
	Action    string
	Sources   []*Source
	Summary   map[string]string // language → text
	Params    []*MField
	Response  []*MField
	Samples   map[string]any // source ID → decoded sample
	Errors    []*MError
	RAM       *RAM
	RAMFrom   []string
	Rate      *Limit
	RateFrom  string
	Quotas    []*Limit
	QuotaFrom []string
	Changes   []*MChange
	Conflicts []*Conflict
	Product   string
	Version   string
}

// MField is a field merged from several pages.
type MField struct {
	Name         string
	Type         string
	ItemType     string
	Required     *bool
	Descriptions map[string]string
	Example      string
	Enum         []EnumValue
	EnumDescs    map[string]map[string]string // value → language → text
	Children     []*MField
	Item         *MField
	Limits       []*MLimit
	From         []string
}

// MLimit is a prose limit and the page it came from.
type MLimit struct {
	Limit
	From string
}

// MError is an error row merged from several pages.
type MError struct {
	Code         string
	Status       int
	Message      string
	cut          bool
	Descriptions map[string]string
	From         []string
}

// MChange is a change-history entry merged from several pages.
type MChange struct {
	Date  string
	Items map[string][]string // language → items
	From  []string
}

// Conflict is a fact on which pages disagree, and the value taken.
type Conflict struct {
	Subject string
	Values  map[string]string // source ID → value
	Taken   string
}

// SourceID names a page in the contract: its file name without extension.
func SourceID(file string) string {
	base := filepath.Base(file)
	return "p" + strings.TrimSuffix(base, filepath.Ext(base))
}

// Merge groups pages by operation and merges each group. Pages are ordered
// oldest revision first (undated pages keep their given order, before dated
// ones), so a later revision's value wins a conflict.
func Merge(pages []*Page) []*Op {
	groups := map[string][]*Page{}
	var order []string
	for _, p := range pages {
		if _, ok := groups[p.Action]; !ok {
			order = append(order, p.Action)
		}
		groups[p.Action] = append(groups[p.Action], p)
	}
	sort.Strings(order)
	var out []*Op
	for _, action := range order {
		ps := groups[action]
		sort.SliceStable(ps, func(i, j int) bool { return ps[i].LastUpdated < ps[j].LastUpdated })
		out = append(out, mergeOp(action, ps))
	}
	return out
}

func mergeOp(action string, pages []*Page) *Op {
	op := &Op{Action: action, Summary: map[string]string{}, Samples: map[string]any{}}
	for _, p := range pages {
		src := &Source{ID: SourceID(p.File), Page: p}
		op.Sources = append(op.Sources, src)
		if p.Summary != "" {
			op.Summary[p.Language] = p.Summary
		}
		if p.Product != "" {
			op.Product = p.Product
		}
		if p.Version != "" {
			op.Version = p.Version
		}
		op.Params = mergeFields(op, op.Params, p.Params, src, action)
		op.Response = mergeFields(op, op.Response, placeBySample(p), src, action+" response")
		if p.Sample != "" {
			var v any
			if err := json.Unmarshal([]byte(p.Sample), &v); err == nil {
				op.Samples[src.ID] = v
			} else {
				p.Warnings = append(p.Warnings, Warning{File: p.File, Msg: "the sample response is not valid JSON: " + err.Error()})
			}
		}
		for _, e := range p.Errors {
			op.mergeError(e, src)
		}
		if p.RAM != nil {
			if op.RAM != nil && (op.RAM.Action != p.RAM.Action || op.RAM.AccessLevel != p.RAM.AccessLevel) {
				op.conflict(action+" authorization", op.RAMFrom[len(op.RAMFrom)-1], op.RAM.Action+" "+op.RAM.AccessLevel, src.ID, p.RAM.Action+" "+p.RAM.AccessLevel)
			}
			op.RAM = p.RAM
			op.RAMFrom = append(op.RAMFrom, src.ID)
		}
		if p.Rate != nil {
			if op.Rate != nil && op.Rate.Value != p.Rate.Value {
				op.conflict(action+" rate limit", op.RateFrom, op.Rate.Value, src.ID, p.Rate.Value)
			}
			op.Rate, op.RateFrom = p.Rate, src.ID
		}
		for _, q := range p.Quotas {
			op.Quotas = append(op.Quotas, q)
			op.QuotaFrom = append(op.QuotaFrom, src.ID)
		}
		for _, c := range p.Changes {
			op.mergeChange(c, src)
		}
	}
	sort.Slice(op.Changes, func(i, j int) bool { return op.Changes[i].Date > op.Changes[j].Date })
	return op
}

func (op *Op) conflict(subject, fromA, a, fromB, b string) {
	op.Conflicts = append(op.Conflicts, &Conflict{Subject: subject, Values: map[string]string{fromA: a, fromB: b}, Taken: b})
}

func mergeFields(op *Op, have []*MField, in []*Field, src *Source, where string) []*MField {
	for _, f := range in {
		if f.Name == "[*]" {
			continue
		}
		var m *MField
		for _, h := range have {
			if h.Name == f.Name {
				m = h
			}
		}
		if m == nil {
			m = &MField{Name: f.Name, Descriptions: map[string]string{}, EnumDescs: map[string]map[string]string{}}
			have = append(have, m)
		}
		subject := where + " " + f.Name
		last := ""
		if len(m.From) > 0 {
			last = m.From[len(m.From)-1]
		}
		if m.Type != "" && (m.Type != f.Type || m.ItemType != f.ItemType && f.ItemType != "" && m.ItemType != "") {
			op.conflict(subject+" type", last, m.Type+"/"+m.ItemType, src.ID, f.Type+"/"+f.ItemType)
		}
		m.Type = f.Type
		if f.ItemType != "" {
			m.ItemType = f.ItemType
		}
		if f.Required != nil {
			if m.Required != nil && *m.Required != *f.Required {
				op.conflict(subject+" required", last, fmt.Sprint(*m.Required), src.ID, fmt.Sprint(*f.Required))
			}
			m.Required = f.Required
		}
		if f.Description != "" {
			m.Descriptions[src.Page.Language] = f.Description
		}
		if f.Example != "" {
			if m.Example != "" && m.Example != f.Example && src.Page.Language == "en" {
				op.conflict(subject+" example", last, m.Example, src.ID, f.Example)
			}
			if m.Example == "" || src.Page.Language == "en" {
				m.Example = f.Example
			}
		}
		for _, e := range f.Enum {
			found := false
			for _, x := range m.Enum {
				found = found || x.Value == e.Value
			}
			if !found {
				m.Enum = append(m.Enum, e)
			}
			if m.EnumDescs[e.Value] == nil {
				m.EnumDescs[e.Value] = map[string]string{}
			}
			if e.Description != "" {
				m.EnumDescs[e.Value][src.Page.Language] = e.Description
			}
		}
		for _, l := range f.Limits {
			replaced := false
			for _, h := range m.Limits {
				if h.Keyword == l.Keyword {
					if h.Value != l.Value {
						op.conflict(subject+" "+l.Keyword, h.From, h.Value, src.ID, l.Value)
					}
					h.Limit, h.From, replaced = *l, src.ID, true
				}
			}
			if !replaced {
				m.Limits = append(m.Limits, &MLimit{Limit: *l, From: src.ID})
			}
		}
		for _, c := range f.Children {
			if c.Name == "[*]" {
				if m.Item == nil {
					m.Item = &MField{Name: "[*]", Descriptions: map[string]string{}}
				}
				m.Item.Type = c.Type
				if c.Description != "" {
					m.Item.Descriptions[src.Page.Language] = c.Description
				}
				if c.Example != "" {
					m.Item.Example = c.Example
				}
			}
		}
		m.Children = mergeFields(op, m.Children, f.Children, src, subject)
		if !contains(m.From, src.ID) {
			m.From = append(m.From, src.ID)
		}
	}
	return have
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (op *Op) mergeError(e *ErrorRow, src *Source) {
	var m *MError
	for _, h := range op.Errors {
		if h.Code == e.Code {
			m = h
		}
	}
	if m == nil {
		m = &MError{Code: e.Code, Descriptions: map[string]string{}}
		op.Errors = append(op.Errors, m)
	}
	last := ""
	if len(m.From) > 0 {
		last = m.From[len(m.From)-1]
	}
	if m.Status != 0 && m.Status != e.Status {
		op.conflict(op.Action+" error "+e.Code+" status", last, fmt.Sprint(m.Status), src.ID, fmt.Sprint(e.Status))
	}
	cutOnly := e.Cut && strings.HasPrefix(m.Message, e.Message) || m.cut && strings.HasPrefix(e.Message, m.Message)
	if m.Message != "" && e.Message != "" && m.Message != e.Message && !cutOnly {
		op.conflict(op.Action+" error "+e.Code+" message", last, m.Message, src.ID, e.Message)
	}
	m.Status = e.Status
	// a message cut short by the end of its page never replaces a whole one
	if e.Message != "" && (!e.Cut || m.Message == "" || m.cut) {
		m.Message, m.cut = e.Message, e.Cut
	}
	if e.Description != "" {
		m.Descriptions[src.Page.Language] = e.Description
	}
	m.From = append(m.From, src.ID)
}

func (op *Op) mergeChange(c *Change, src *Source) {
	var m *MChange
	for _, h := range op.Changes {
		if h.Date == c.Date {
			m = h
		}
	}
	if m == nil {
		m = &MChange{Date: c.Date, Items: map[string][]string{}}
		op.Changes = append(op.Changes, m)
	}
	m.Items[src.Page.Language] = c.Items
	m.From = append(m.From, src.ID)
}

// placeBySample rebuilds the nesting of response fields from the page's
// sample body, which shows the structure a flattened table loses. Rows are
// taken in order for each key of the sample; a row the sample lacks that
// only names an array's items (p001's "Member object") is dropped; any
// other is kept at the top level with a warning.
func placeBySample(p *Page) []*Field {
	if p.Sample == "" {
		return p.Response
	}
	var sample map[string]any
	if json.Unmarshal([]byte(p.Sample), &sample) != nil {
		return p.Response
	}
	var flat []*Field
	var flatten func(fs []*Field)
	flatten = func(fs []*Field) {
		for _, f := range fs {
			if f.Name == "[*]" {
				continue
			}
			flat = append(flat, f)
			flatten(f.Children)
		}
	}
	flatten(p.Response)
	used := make([]bool, len(flat))
	take := func(name string) *Field {
		for i, f := range flat {
			if !used[i] && f.Name == name {
				used[i] = true
				cp := *f
				cp.Children = nil
				for _, c := range f.Children {
					if c.Name == "[*]" {
						cp.Children = append(cp.Children, c)
					}
				}
				return &cp
			}
		}
		return nil
	}
	var build func(node any) []*Field
	build = func(node any) []*Field {
		obj, _ := node.(map[string]any)
		if arr, ok := node.([]any); ok && len(arr) > 0 {
			obj, _ = arr[0].(map[string]any)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return rowIndex(flat, keys[i]) < rowIndex(flat, keys[j]) })
		var out []*Field
		for _, k := range keys {
			f := take(k)
			if f == nil {
				p.Warnings = append(p.Warnings, Warning{File: p.File, Msg: fmt.Sprintf("the sample response has %q, which the response table does not list", k)})
				continue
			}
			f.Children = append(f.Children, build(obj[k])...)
			out = append(out, f)
		}
		return out
	}
	out := build(sample)
	for i, f := range flat {
		if used[i] {
			continue
		}
		if f.Type == "object" && f.Description == "" {
			continue // names the items of the array above it
		}
		p.Warnings = append(p.Warnings, Warning{File: p.File, Line: f.Line, Msg: fmt.Sprintf("response field %s is not in the sample; kept at the top level", f.Name)})
		cp := *f
		cp.Children = nil
		out = append(out, &cp)
	}
	return out
}

func rowIndex(fs []*Field, name string) int {
	for i, f := range fs {
		if f.Name == name {
			return i
		}
	}
	return len(fs)
}
