package judge

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/spec"
)

// checkPaging judges a paging case: every page is a documented success,
// and the pages keep the relations paging states. A page holding more
// items than the size asked for deviates from the size parameter's
// description, as does a NextToken walk that repeats an item. The echoes
// of the page fields, TotalCount agreeing across pages, page 2 not
// repeating page 1 and a first page that is not empty while TotalCount
// counts items are our reading of what paging means, judged as such.
func (j *Judge) checkPaging(c *plan.Case, o *run.Outcome) *Deviation {
	pg := c.PagingSpec()
	r := c.Requests[0]
	var stated, inferred []string
	var bad *run.Answer
	seen := map[string]int{}
	total := ""
	for i, a := range o.Answers {
		if i > 0 {
			switch {
			case pg.Number != "" && i < len(c.Requests):
				r = c.Requests[i]
			case pg.Token != "":
				prev, _ := o.Answers[i-1].Success[pg.Token].(string)
				r = plan.NextPage(c, r, prev)
			}
		}
		if dev := j.checkSuccess(c, r, a); dev != nil {
			dev.What = fmt.Sprintf("page %d: %s", i+1, dev.What)
			return dev
		}
		page := i + 1
		items := listAt(a.Success, pg.List)
		if len(items) > pg.PageSize {
			stated = append(stated, fmt.Sprintf("page %d holds %d items of %s, more than the %s=%d asked for", page, len(items), pg.List, pg.Size, pg.PageSize))
			bad = a
		}
		for _, f := range []struct{ name, want string }{{pg.Size, strconv.Itoa(pg.PageSize)}, {pg.Number, r.Params.Get(pg.Number)}} {
			if f.name == "" || f.want == "" {
				continue
			}
			if got, ok := a.Success[f.name]; ok && fmt.Sprint(got) != f.want {
				inferred = append(inferred, fmt.Sprintf("page %d answers %s=%v for the %s=%s asked for", page, f.name, got, f.name, f.want))
				if bad == nil {
					bad = a
				}
			}
		}
		if t, ok := a.Success["TotalCount"]; ok {
			if total != "" && fmt.Sprint(t) != total {
				inferred = append(inferred, fmt.Sprintf("page %d answers TotalCount=%v, page 1 answered %s", page, t, total))
			}
			if total == "" {
				total = fmt.Sprint(t)
				if n, err := strconv.Atoi(total); err == nil && n > 0 && len(items) == 0 && page == 1 {
					inferred = append(inferred, fmt.Sprintf("page 1 holds no item though TotalCount is %d", n))
				}
			}
		}
		for _, it := range items {
			key, _ := json.Marshal(it)
			if at, ok := seen[string(key)]; ok {
				what := fmt.Sprintf("page %d repeats an item of page %d: %s", page, at, clipText(string(key), 120))
				if pg.Token != "" && pg.Number == "" {
					stated = append(stated, what)
				} else {
					inferred = append(inferred, what)
				}
				if bad == nil {
					bad = a
				}
				continue
			}
			seen[string(key)] = page
		}
	}
	if len(stated) == 0 && len(inferred) == 0 {
		return nil
	}
	if bad == nil {
		bad = o.Answers[len(o.Answers)-1]
	}
	d := &Deviation{What: strings.Join(append(firstOf(stated, 5), firstOf(inferred, 5)...), "; "),
		Expected: fmt.Sprintf("pages of at most %d items (%s=%d), the page fields echoing the request, one TotalCount, no item twice", pg.PageSize, pg.Size, pg.PageSize),
		Got:      run.Describe(bad), Answer: bad}
	if len(stated) == 0 {
		d.weaken(spec.EvidenceInferred, "what paging means beyond the page size: the answer's page fields echo the request, TotalCount is the same on every page, and the pages part the list")
	}
	return d
}

// listAt is the list at a dotted path of a body (nil when absent).
func listAt(body map[string]any, path string) []any {
	var cur any = body
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	list, _ := cur.([]any)
	return list
}

// firstOf keeps the first n findings and says how many more there were:
// a walk of a hundred pages that repeat the same item says so once, not a
// hundred times.
func firstOf(findings []string, n int) []string {
	if len(findings) <= n {
		return findings
	}
	return append(findings[:n:n], fmt.Sprintf("and %d more like these", len(findings)-n))
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
