package run

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"

	"github.com/acsconform/acsconform/acs"
)

// read turns an exchange (recorded, secrets scrubbed, by the transport)
// into an answer: a success document, a documented error, or garbage.
func (e *Env) read(ex *acs.Exchange, xmlAnswer bool) *Answer {
	if ex.Err != nil {
		e.fail(ex.Err.Error())
		return &Answer{Exchange: ex, TransportErr: ex.Err}
	}
	raw := []byte(ex.RespBody)
	a := &Answer{Exchange: ex, Status: ex.Status, Body: raw}
	if ex.Oversize > 0 {
		// An answer, and the target's own: judged, not retried.
		e.answered()
		a.Oversize = ex.Oversize
		a.Garbage = fmt.Sprintf("HTTP %d with an answer larger than %d bytes (not read; --max-answer-bytes raises the limit)", ex.Status, ex.Oversize)
		return a
	}
	defer func() {
		if a.Foreign != "" {
			e.fail(a.Foreign)
		} else {
			e.answered()
		}
	}()
	if ex.Status == http.StatusOK {
		if xmlAnswer {
			switch {
			case !apiShaped(raw, true):
				a.Foreign = "HTTP 200 with " + EscapedSnippet(raw, 80) + ", not an API answer"
				a.Garbage = a.Foreign
			case bytes.HasPrefix(bytes.TrimSpace(raw), []byte("<")):
				a.Garbage = "an XML success body (the suite checks success bodies as JSON)"
			default:
				a.Garbage = "a success body that is not XML, to a request for XML (Format=XML)"
			}
			return a
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			a.Garbage = fmt.Sprintf("HTTP 200 with a body that is not JSON: %v", err)
			if !apiShaped(raw, false) {
				a.Foreign = "HTTP 200 with " + EscapedSnippet(raw, 80) + ", not an API answer"
			}
		} else {
			a.Success = m
		}
		return a
	}
	ae, err := acs.DecodeError(ex.Status, raw)
	if err != nil {
		a.Garbage = err.Error()
		if !apiShaped(raw, xmlAnswer) {
			a.Foreign = fmt.Sprintf("HTTP %d with %s, not an API answer", ex.Status, EscapedSnippet(raw, 80))
		}
	} else {
		a.Err = ae
	}
	return a
}

// apiShaped says whether a body could be the API's answer at all: a whole
// JSON document, or (for a request for XML) an XML one — not an HTML page,
// a truncated body or plain text, which only a proxy or a broken transport
// sends.
func apiShaped(body []byte, xmlAnswer bool) bool {
	t := bytes.TrimSpace(body)
	if json.Valid(t) && len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return true
	}
	if !xmlAnswer || !bytes.HasPrefix(t, []byte("<")) {
		return false
	}
	lower := bytes.ToLower(t[:min(len(t), 64)])
	if bytes.Contains(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
		return false
	}
	dec := xml.NewDecoder(bytes.NewReader(t))
	for {
		if _, err := dec.Token(); err != nil {
			return err == io.EOF
		}
	}
}

// Answer is one exchange and what came back.
type Answer struct {
	Exchange *acs.Exchange
	Status   int
	Body     []byte
	Err      *acs.APIError // a documented-shape error answer
	Success  map[string]any
	// Garbage says what was wrong with an answer that is neither.
	Garbage string
	// TransportErr: no answer at all.
	TransportErr error
	// Oversize: the answer went past the run's limit and was not read.
	Oversize int64
	// Foreign says why the answer is not the API's at all (an HTML page, a
	// body cut short, plain text): the transport failed, not the target's
	// reading of the docs.
	Foreign string
}

// Broken says why an answer proves nothing about the target (it never
// came, or is not the API's), or "" for an answer to judge.
func (a *Answer) Broken() string {
	switch {
	case a == nil:
		return ""
	case a.TransportErr != nil:
		return a.TransportErr.Error()
	case a.Foreign != "":
		return a.Foreign
	}
	return ""
}
