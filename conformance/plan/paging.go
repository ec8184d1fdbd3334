package plan

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// Paging relations: a list operation pages by PageNumber and PageSize, or
// by MaxResults and NextToken. Its answers keep relations no single answer
// shows: a page holds at most the size asked for, the page fields echo
// what was asked, TotalCount agrees across pages, and a NextToken walk
// ends without repeating an item. A paging case sends the operation's
// success request page by page at the smallest size its rules allow, so
// a target that ignores the size answers too many items.

// ProbePaging marks a paging case; ProcedureWalk follows NextToken from
// answer to answer (the run sends the next page's request itself).
const (
	ProbePaging                  = "paging"
	ProcedureWalk spec.Procedure = "walk"
	// WalkPages bounds a NextToken walk.
	WalkPages = 100
)

// Paging says how an operation pages; nil when it does not.
type Paging struct {
	// Size is the page-size parameter (PageSize, MaxResults); Number the
	// page-number one (PageNumber), Token the continuation one (NextToken).
	Size, Number, Token string
	// List is the path of the answer's list (Accounts.Account).
	List string
	// SizeProvenance is where the size's meaning is stated (the
	// parameter's description).
	SizeProvenance spec.Provenance
	// PageSize is the size the case asks for: the smallest its rules allow.
	PageSize int
}

// PagingOf reads how op pages from its parameters and answer: a size
// parameter, a number or token parameter, and a list in the answer.
func PagingOf(op *spec.Operation) *Paging {
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
	pg.List = listPath(op.Response, "", 0)
	if pg.List == "" {
		return nil
	}
	if pg.Token != "" && pg.Number == "" && op.Response.Properties[pg.Token] == nil {
		return nil // no token in the answer to walk by
	}
	return pg
}

// listPath is the dotted path of the first list of an answer (depth first,
// fields in name order), or "".
func listPath(s *openapi3.Schema, path string, depth int) string {
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
		if got := listPath(s.Properties[n].Value, p, depth+1); got != "" {
			return got
		}
	}
	return ""
}

func firstSentence(t spec.Text) string {
	for _, lang := range []string{"zh-Hans", "en"} {
		if s := strings.TrimSpace(t[lang]); s != "" {
			return strings.TrimSpace(strings.SplitN(s, "\n", 2)[0])
		}
	}
	return ""
}

// pagingCase is the paging case of a list operation over its success
// request (skipped with the success case's reason when that cannot run).
func pagingCase(api *spec.API, op *spec.Operation, success *Case) *Case {
	pg := PagingOf(op)
	if pg == nil || success == nil {
		return nil
	}
	c := &Case{ID: op.Action + "/relation:paging/" + strings.ToLower(pg.Size) + "-" + strconv.Itoa(pg.PageSize), Action: op.Action, Kind: KindRelation,
		Safety: success.Safety, op: op, Probe: ProbePaging, Evidence: spec.EvidenceStated, Provenance: api.Cite(pg.SizeProvenance),
		Why:    fmt.Sprintf("pages of %d: each holds at most %s items, the page fields echo the request, the pages agree and do not repeat items", pg.PageSize, pg.Size),
		Expect: Expect{Success: true}, paging: pg}
	if success.Skip != "" {
		c.Skip = success.Skip
		return c
	}
	base := success.Requests[0]
	page := func(number int) Request {
		r := base
		r.Params = Clone(base.Params)
		r.Params.Set(pg.Size, strconv.Itoa(pg.PageSize))
		if pg.Number != "" {
			r.Params.Set(pg.Number, strconv.Itoa(number))
		}
		if pg.Token != "" {
			r.Params.Del(pg.Token)
		}
		return r
	}
	if pg.Number != "" {
		c.Requests = []Request{page(1), page(2)}
	} else {
		c.Requests = []Request{page(1)}
		c.Procedure = ProcedureWalk
	}
	return c
}

// PagingSpec is the paging a paging case checks (nil for other cases).
func (c *Case) PagingSpec() *Paging { return c.paging }

// NextPage is the request after r for an answer that gave token.
func NextPage(c *Case, r Request, token string) Request {
	next := r
	next.Params = url.Values{}
	for k, v := range r.Params {
		next.Params[k] = append([]string(nil), v...)
	}
	next.Params.Set(c.paging.Token, token)
	return next
}
