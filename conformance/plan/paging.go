package plan

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/spec"
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

// Paging is how an operation pages (spec.Operation.Paging).
type Paging = spec.Paging

// pagingCase is the paging case of a list operation over its success
// request (skipped with the success case's reason when that cannot run).
func pagingCase(api *spec.API, op *spec.Operation, success *Case) *Case {
	pg := op.Paging()
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
