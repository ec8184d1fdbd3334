package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
)

// samplePages makes a product served from its documented samples honour
// paging: a list operation's sample is cut to the page asked for (PageSize
// or MaxResults items, from PageNumber's place), its page fields say what
// was asked, and a NextToken list answers its one page with no token
// after it. A sample is one documented answer; served whole for every
// page, it would hold more items than the size asked for, which the docs
// do not allow.
type samplePages struct {
	api  *spec.API
	next http.Handler
}

func (s samplePages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	action, err := peekAction(r)
	op := s.api.Operation(action)
	var pg *spec.Paging
	if err == nil && op != nil {
		pg = op.Paging()
	}
	if pg == nil {
		s.next.ServeHTTP(w, r)
		return
	}
	params, err := requestParams(r)
	if err != nil {
		s.next.ServeHTTP(w, r)
		return
	}
	rec := &recorder{header: http.Header{}}
	s.next.ServeHTTP(rec, r)
	body := rec.body.Bytes()
	if rec.status == http.StatusOK && bytes.HasPrefix(bytes.TrimSpace(body), []byte("{")) {
		if paged, ok := page(body, pg, params); ok {
			body = paged
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body)
}

// requestParams reads the query and a form body, leaving the body for the
// handler.
func requestParams(r *http.Request) (url.Values, error) {
	v := r.URL.Query()
	if r.Body == nil || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return v, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, acs.MaxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	form, err := url.ParseQuery(string(data))
	if err != nil {
		return v, nil
	}
	for k, vs := range form {
		v[k] = append(v[k], vs...)
	}
	return v, nil
}

// page cuts a JSON answer's list to the page params ask for.
func page(body []byte, pg *spec.Paging, params url.Values) ([]byte, bool) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return nil, false
	}
	size, err := strconv.Atoi(params.Get(pg.Size))
	if err != nil || size < 1 {
		return nil, false // the size asked for is the sample's own
	}
	number := 1
	if pg.Number != "" {
		if n, err := strconv.Atoi(params.Get(pg.Number)); err == nil && n > 0 {
			number = n
		}
	}
	parts := strings.Split(pg.List, ".")
	parent := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := parent[p].(map[string]any)
		if !ok {
			return nil, false
		}
		parent = next
	}
	last := parts[len(parts)-1]
	list, ok := parent[last].([]any)
	if !ok {
		return nil, false // the sample shows no list to cut
	}
	from := min((number-1)*size, len(list))
	to := min(from+size, len(list))
	parent[last] = append([]any{}, list[from:to]...)
	// A page field keeps the form the sample gives it: "30" where the
	// vendor writes numbers as text, 30 where as numbers.
	setNumber := func(key string, n int) {
		switch m[key].(type) {
		case string:
			m[key] = strconv.Itoa(n)
		case nil:
			if _, ok := m[key]; ok {
				m[key] = n
			}
		default:
			m[key] = n
		}
	}
	setNumber(pg.Size, size)
	if pg.Number != "" {
		setNumber(pg.Number, number)
	}
	if pg.Token != "" {
		if _, ok := m[pg.Token]; ok {
			m[pg.Token] = "" // the sample is the whole list: no page after it
		}
	}
	out, err := json.Marshal(m)
	return out, err == nil
}
