package docimport

import (
	"errors"
	"fmt"
	"strings"
)

// Input is one page to import.
type Input struct {
	Name string
	Data []byte
	// Action, when set, is the operation the page documents, over what
	// the page itself says.
	Action string
}

// Result is an import: the contract document and what the importer could
// not read or had to decide.
type Result struct {
	Document  []byte
	Ops       []*Op
	Warnings  []Warning
	Conflicts []*Conflict
}

// Import reads pages, merges them per operation and emits the contract. It
// fails only when no page could be read at all.
func Import(inputs []Input) (*Result, error) {
	var pages []*Page
	res := &Result{}
	var errs []error
	for _, in := range inputs {
		p, err := parseSafely(in)
		if err != nil {
			errs = append(errs, err)
			res.Warnings = append(res.Warnings, Warning{File: in.Name, Msg: strings.TrimPrefix(err.Error(), in.Name+": ")})
			continue
		}
		pages = append(pages, p)
	}
	if len(pages) == 0 {
		if len(inputs) == 0 {
			return res, errors.New("import: no pages given")
		}
		if len(errs) == 1 {
			return res, fmt.Errorf("import: nothing could be imported: %w", errs[0])
		}
		return res, fmt.Errorf("import: nothing could be imported: none of the %d pages is an API reference page the importer reads (each one's reason is in the warnings)", len(inputs))
	}
	res.Ops = Merge(pages)
	for _, p := range pages {
		res.Warnings = append(res.Warnings, p.Warnings...)
	}
	for _, op := range res.Ops {
		res.Conflicts = append(res.Conflicts, op.Conflicts...)
	}
	doc, err := Emit(res.Ops)
	if err != nil {
		return res, fmt.Errorf("import: %w", err)
	}
	res.Document = doc
	return res, nil
}

// parseSafely turns a parser bug into an error naming the file rather than
// a crash: a page that breaks the importer is reported, never fatal.
func parseSafely(in Input) (p *Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("%s: the importer failed on this page (%v); please report it", in.Name, r)
		}
	}()
	return ParsePageAs(in.Name, in.Data, in.Action)
}
