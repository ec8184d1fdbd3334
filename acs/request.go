package acs

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// MaxBodyBytes bounds the body a server reads from one request.
const MaxBodyBytes = 1 << 20

// Defaults of InboundLimits.
const (
	DefaultMaxParams     = 1000
	DefaultMaxValueBytes = 64 << 10
)

// InboundLimits bound what one request may carry, so a hostile client
// cannot make a server hold a million parameters or one enormous value
// inside an acceptable body. Zero fields take the defaults.
type InboundLimits struct {
	MaxParams     int // parameter values, query and form together
	MaxValueBytes int // bytes of one value
}

// Inbound is a server's view of an RPC request: the parameters from the
// query string and a form body merged, the raw body (for v3 verification),
// and where Action and Version came from.
type Inbound struct {
	Params  url.Values
	Body    []byte
	Action  string
	Version string
	// XML is true when the caller asked for Format=XML.
	XML bool
}

// ReadInbound reads r: query parameters, then an
// application/x-www-form-urlencoded body; Action and Version from the
// parameters (v1) or the x-acs-action and x-acs-version headers (v3).
// A parameter given both in the query and in the form is an error.
func ReadInbound(r *http.Request) (*Inbound, error) {
	return ReadInboundLimited(r, InboundLimits{})
}

// ReadInboundLimited is ReadInbound within limits: past them the request
// is refused with a ParamError naming the parameter.
func ReadInboundLimited(r *http.Request, l InboundLimits) (*Inbound, error) {
	if l.MaxParams <= 0 {
		l.MaxParams = DefaultMaxParams
	}
	if l.MaxValueBytes <= 0 {
		l.MaxValueBytes = DefaultMaxValueBytes
	}
	src := r.Body
	if src == nil { // a client-side request handed straight to a handler
		src = http.NoBody
	}
	var body []byte
	var err error
	if src != http.NoBody { // a server gives NoBody for an empty body
		body, err = io.ReadAll(io.LimitReader(src, MaxBodyBytes+1))
	}
	if err != nil {
		return nil, fmt.Errorf("acs: reading the body: %w", err)
	}
	if len(body) > MaxBodyBytes {
		return nil, fmt.Errorf("acs: the body exceeds %d bytes", MaxBodyBytes)
	}
	params := r.URL.Query()
	if len(body) > 0 && isForm(r.Header.Get("Content-Type")) {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("acs: the form body is malformed: %w", err)
		}
		for k, vs := range form {
			if params.Has(k) {
				return nil, &ParamError{Param: k, Key: k, Reason: "given in both the query and the form body"}
			}
			params[k] = vs
		}
	}
	if err := checkLimits(params, l); err != nil {
		return nil, err
	}
	// Values reach state only as valid UTF-8: held raw, invalid bytes
	// would compare differently before and after a journal round trip.
	for k, vs := range params {
		if !utf8.ValidString(k) {
			return nil, &ParamError{Param: strings.ToValidUTF8(k, "?"), Key: strings.ToValidUTF8(k, "?"), Reason: "the name is not valid UTF-8"}
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return nil, &ParamError{Param: k, Key: k, Reason: "the value is not valid UTF-8"}
			}
		}
	}
	in := &Inbound{Params: params, Body: body}
	in.Action = first(params.Get("Action"), r.Header.Get("X-Acs-Action"))
	in.Version = first(params.Get("Version"), r.Header.Get("X-Acs-Version"))
	in.XML = strings.EqualFold(params.Get("Format"), "XML")
	return in, nil
}

func isForm(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/x-www-form-urlencoded"
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// ParseBool reads an RPC boolean: true/True/TRUE and false/False/FALSE
// (the Python SDK capitalises).
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("acs: %q is not a boolean", s)
}

// checkLimits refuses more than l.MaxParams values or a value longer than
// l.MaxValueBytes, naming the first offending key in sorted order (sorted
// only when one offends: the usual request pays for no sort).
func checkLimits(params url.Values, l InboundLimits) error {
	count, long := 0, false
	for _, vs := range params {
		count += len(vs)
		for _, v := range vs {
			long = long || len(v) > l.MaxValueBytes
		}
	}
	if count <= l.MaxParams && !long {
		return nil
	}
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	count = 0
	for _, k := range keys {
		if count += len(params[k]); count > l.MaxParams {
			return &ParamError{Param: k, Key: k, Reason: fmt.Sprintf("the request carries more than %d parameter values", l.MaxParams)}
		}
		for _, v := range params[k] {
			if len(v) > l.MaxValueBytes {
				return &ParamError{Param: k, Key: k, Reason: fmt.Sprintf("the value is longer than %d bytes", l.MaxValueBytes)}
			}
		}
	}
	return nil
}
