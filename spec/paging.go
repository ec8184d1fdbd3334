package spec

import (
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A list operation pages by PageNumber and PageSize, or by MaxResults and
// NextToken: a fact of the contract the suite's paging cases check and a
// server that answers documented samples honours.

// Paging says how an operation pages; nil when it does not.
type Paging struct {
	// Size is the page-size parameter (PageSize, MaxResults); Number the
	// page-number one (PageNumber), Token the continuation one (NextToken).
	Size, Number, Token string
	// List is the path of the answer's list (Accounts.Account).
	List string
	// SizeProvenance is where the size's meaning is stated (the
	// parameter's description).
	SizeProvenance Provenance
	// PageSize is the size the case asks for: the smallest its rules allow.
	PageSize int
}

// Paging reads how the operation pages from its parameters and answer: a size
// parameter, a number or token parameter, and a list in the answer.
func (op *Operation) Paging() *Paging {
	pg := &Paging{}
	for _, p := range op.Params {
		switch strings.ToLower(p.Name) {
		case "pagesize", "maxresults":
			if p.Schema != nil && (p.Schema.Type.Is("integer") || p.Schema.Type.Is("number")) {
				pg.Size = p.Name
				pg.SizeProvenance = p.Provenance
				if q := firstSentence(p.Descriptions); q != "" {
					pg.SizeProvenance.Quote = q
				}
				pg.PageSize = 1
				if p.Schema.Min != nil && *p.Schema.Min > 1 {
					pg.PageSize = int(*p.Schema.Min)
				}
				if len(p.Schema.Enum) > 0 {
					// Only the listed sizes: the smallest of them.
					least := 0
					for _, v := range p.Schema.Enum {
						if n, err := strconv.Atoi(WireText(v)); err == nil && n >= pg.PageSize && (least == 0 || n < least) {
							least = n
						}
					}
					if least == 0 {
						return nil
					}
					pg.PageSize = least
				}
			}
		case "pagenumber":
			pg.Number = p.Name
		case "nexttoken":
			pg.Token = p.Name
		}
	}
	if op.Response == nil || pg.Size == "" || (pg.Number == "" && pg.Token == "") {
		return nil
	}
	pg.List = ListPath(op.Response, "", 0)
	if pg.List == "" {
		return nil
	}
	if pg.Token != "" && pg.Number == "" && op.Response.Properties[pg.Token] == nil {
		return nil // no token in the answer to walk by
	}
	return pg
}

// ListPath is the dotted path of the first list of an answer (depth first,
// fields in name order), or "".
func ListPath(s *openapi3.Schema, path string, depth int) string {
	if s == nil || depth > 4 {
		return ""
	}
	if s.Type.Is("array") {
		return path
	}
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if s.Properties[n] == nil {
			continue
		}
		p := n
		if path != "" {
			p = path + "." + n
		}
		if got := ListPath(s.Properties[n].Value, p, depth+1); got != "" {
			return got
		}
	}
	return ""
}

func firstSentence(t Text) string {
	for _, lang := range []string{"zh-Hans", "en"} {
		if s := strings.TrimSpace(t[lang]); s != "" {
			return strings.TrimSpace(strings.SplitN(s, "\n", 2)[0])
		}
	}
	return ""
}
