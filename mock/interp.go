package mock

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/internal/codegen"
	"github.com/acsconform/acsconform/spec"
)

// A product no generated package of this build serves is interpreted: the
// generator's model of its contract (internal/codegen.Build, the same one
// the templates render) is walked at run time instead of compiled. The
// answers are the generated handler's: the same order of checks (method,
// path, limits, common parameters, signature, action, version, decoding,
// the rules in contract order, the site's own), the same documented
// refusals, the same error layout; a valid request is answered with the
// operation's first documented sample. The generated package stays the
// fast path for built-in products; this one makes `acsconform mock
// --contract x.yaml` serve any contract the generator can model.

// interpreted is one contract's model, indexed for serving.
type interpreted struct {
	m        *codegen.Model
	ops      map[string]*interpOp
	platform map[string]*codegen.ErrorDef
	shape    acs.ErrorShape
	auth     map[string]*codegen.ErrorDef // acs auth state → platform error
}

// interpOp is one operation with its compiled patterns and sample.
type interpOp struct {
	// route matches a ROA operation's path, its groups the path
	// parameters in names' order.
	route    *regexp.Regexp
	names    []string
	op       *codegen.Op
	patterns map[string]*regexp.Regexp // by Check.RuleID
	whenWire map[string]string         // by Check.RuleID: the condition's parameter
	sample   []byte                    // the first sample, or nil
	xmlRoot  string
}

// interpretProduct models api for the engine, or says why the generator's
// model of it cannot be built.
func interpretProduct(api *spec.API) (product, error) {
	m, err := codegen.Build(api, "interpreted")
	if err != nil {
		return product{}, fmt.Errorf("mock: %s %s has no generated package in this build and its contract cannot be interpreted: %w", api.Product, api.Version, err)
	}
	in := &interpreted{m: m, ops: map[string]*interpOp{}, platform: map[string]*codegen.ErrorDef{}, auth: map[string]*codegen.ErrorDef{},
		shape: acs.ErrorShape{KeyOrder: m.Gateway.KeyOrder, XMLDeclaration: m.Gateway.XMLDeclaration, XMLOrder: m.Gateway.XMLOrder}}
	for _, p := range m.Platform {
		if in.platform[p.Code] == nil {
			in.platform[p.Code] = p
		}
	}
	for _, a := range m.Auth {
		in.auth[a.Value] = a.Err
	}
	exprs := map[string]string{}
	for _, p := range m.Patterns {
		exprs[p.Var] = p.Expr
	}
	for _, o := range m.Ops {
		io := &interpOp{op: o, patterns: map[string]*regexp.Regexp{}, whenWire: map[string]string{}}
		for _, c := range o.Checks {
			for _, p := range o.Params {
				if c.WhenField != "" && p.Field == c.WhenField {
					io.whenWire[c.RuleID] = p.Wire
				}
			}
			if c.Kind == spec.RulePattern {
				re, err := regexp.Compile(exprs[c.Pattern])
				if err != nil {
					return product{}, fmt.Errorf("mock: %s: rule %s: pattern %q: %w", o.Action, c.RuleID, exprs[c.Pattern], err)
				}
				io.patterns[c.RuleID] = re
			}
		}
		if o.Sample != "" {
			io.sample = []byte(o.Sample)
		}
		io.xmlRoot = o.Action + "Response"
		if o.Response != nil && o.Response.XMLRoot != "" {
			io.xmlRoot = o.Response.XMLRoot
		}
		if m.ROA {
			io.route, io.names = routeOf(o.Path)
		}
		in.ops[o.Action] = io
	}
	return product{encodeError: in.encodeError, stateError: in.stateError, newRequestID: acs.NewRequestID, requestIDHeader: m.Gateway.RequestIDHeader,
		contractOnly: func(o engineOptions) http.Handler { return &interpHandler{in: in, o: o} }}, nil
}

// platformError is the generated platformError: the documented answer of
// a platform code, its placeholders filled from args in order.
func (in *interpreted) platformError(code string, args ...string) *acs.APIError {
	d := in.platform[code]
	if d == nil {
		return nil
	}
	e := &acs.APIError{HTTPStatus: d.Status, Code: d.Code, Message: d.Message}
	for _, a := range args {
		if i, j := strings.Index(e.Message, "{"), strings.Index(e.Message, "}"); i >= 0 && j > i {
			e.Message = e.Message[:i] + a + e.Message[j+1:]
		}
	}
	return e
}

// stateError is the generated StateError.
func (in *interpreted) stateError(state string, args ...string) *acs.APIError {
	d := in.m.States[state]
	if d == nil {
		return nil
	}
	return in.platformError(d.Code, args...)
}

// encodeError is the generated EncodeError.
func (in *interpreted) encodeError(e *acs.APIError, xml bool) []byte {
	body := *e
	if body.Recommend == "" {
		body.Recommend = strings.NewReplacer("{Code}", body.Code, "{Product}", in.m.Product, "{RequestId}", body.RequestID).Replace(in.m.Gateway.Recommend)
	}
	return in.shape.Encode(&body, xml)
}

// interpHandler is the generated handler's ServeHTTP over the model.
type interpHandler struct {
	in *interpreted
	o  engineOptions
}

func (h *interpHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	requestID := acs.NewRequestID()
	if h.in.m.Gateway.RequestIDHeader != "" {
		w.Header().Set(h.in.m.Gateway.RequestIDHeader, requestID)
	}
	info := interpInfo{requestID: requestID, method: r.Method}
	status, code := h.serve(w, r, &info)
	if h.o.Observe != nil {
		h.o.Observe(info.requestID, info.action, info.accessKeyID, info.signature, info.method, status, code, time.Since(start))
	}
}

// interpInfo is the generated RequestInfo's part the engine reads.
type interpInfo struct {
	requestID, action, accessKeyID, method string
	signature                              int
	xml                                    bool
}

func (h *interpHandler) serve(w http.ResponseWriter, r *http.Request, info *interpInfo) (int, string) {
	in := h.in
	if in.m.ROA {
		return h.serveROA(w, r, info)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return h.fail(w, info, in.stateError(in.m.MethodState))
	}
	if in.m.PathState != "" {
		if p := r.URL.Path; p != in.m.Path && p != "" {
			return h.fail(w, info, in.stateError(in.m.PathState))
		}
	}
	req, err := acs.ReadInboundLimited(r, h.o.Limits)
	if err != nil {
		var pe *acs.ParamError
		name := "body"
		if errors.As(err, &pe) {
			name = pe.Key
		}
		return h.fail(w, info, in.stateError("malformed-parameter", name))
	}
	info.xml, info.action = req.XML, req.Action
	switch {
	case req.Action == "":
		return h.fail(w, info, in.stateError("missing-common-parameter", "Action"))
	case req.Version == "":
		return h.fail(w, info, in.stateError("missing-common-parameter", "Version"))
	}
	if h.o.Verifier != nil {
		signed, err := h.o.Verifier.Verify(r, req.Params, req.Body)
		if err != nil {
			return h.fail(w, info, in.authError(err))
		}
		info.accessKeyID, info.signature = signed.AccessKeyID, signed.Version
	}
	op := in.ops[req.Action]
	if op == nil {
		return h.fail(w, info, in.stateError("unknown-action"))
	}
	if req.Version != in.m.Version {
		return h.fail(w, info, in.stateError("wrong-version"))
	}
	vals, err := decodeParams(op.op, req.Params)
	if err != nil {
		var pe *acs.ParamError
		if errors.As(err, &pe) {
			return h.fail(w, info, in.stateError("malformed-parameter", pe.Key))
		}
		return h.fail(w, info, in.stateError("malformed-parameter", "body"))
	}
	if e := op.check(vals, h.o.Site); e != nil {
		return h.fail(w, info, e)
	}
	return h.write(w, info, op), ""
}

// authError is the generated authError.
func (in *interpreted) authError(err error) *acs.APIError {
	var ae *acs.AuthError
	if errors.As(err, &ae) {
		if e := in.signatureEcho(ae); e != nil {
			return e
		}
		if d := in.auth[ae.State]; d != nil {
			return in.platformError(d.Code)
		}
	}
	return in.stateError("internal-failure")
}

// signatureEcho is the generated signatureEcho.
func (in *interpreted) signatureEcho(ae *acs.AuthError) *acs.APIError {
	var tmpl string
	switch ae.Version {
	case 1:
		tmpl = in.m.Gateway.SignatureMismatchV1
	case 3:
		tmpl = in.m.Gateway.SignatureMismatchV3
	}
	if tmpl == "" || ae.StringToSign == "" {
		return nil
	}
	e := in.authError(&acs.AuthError{State: ae.State})
	e.Message = strings.Replace(tmpl, "{StringToSign}", ae.StringToSign, 1)
	return e
}

func (h *interpHandler) fail(w http.ResponseWriter, info *interpInfo, e *acs.APIError) (int, string) {
	if e == nil {
		// codegen.Build requires the internal-failure state of every
		// contract it models.
		e = h.in.stateError("internal-failure")
	}
	body := *e
	body.RequestID, body.HostID = info.requestID, h.in.m.Endpoint
	w.Header().Set("Content-Type", contentType(info.xml))
	w.WriteHeader(body.HTTPStatus)
	_, _ = w.Write(h.in.encodeError(&body, info.xml))
	return body.HTTPStatus, body.Code
}

func contentType(isXML bool) string {
	if isXML {
		return "text/xml;charset=utf-8"
	}
	return "application/json;charset=utf-8"
}

// write answers the operation's documented sample with this request's
// RequestId (an answer of RequestId alone where the contract has none).
func (h *interpHandler) write(w http.ResponseWriter, info *interpInfo, op *interpOp) int {
	body, err := sampleAnswer(op.sample, info.requestID, info.xml, op.xmlRoot)
	if err != nil {
		s, _ := h.fail(w, info, h.in.stateError("internal-failure"))
		return s
	}
	w.Header().Set("Content-Type", contentType(info.xml))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return http.StatusOK
}

// paramValue is one decoded parameter: its text, or its list items (a
// repeat list's values, or a flat list's items as field maps).
type paramValue struct {
	set   bool
	text  string
	num   float64 // integer and number scalars
	items []string
	flat  []map[string]string
}

// decodeParams is the generated Decode<Op>Request: each parameter read
// from the wire as its kind says, a value of the wrong type an
// *acs.ParamError.
func decodeParams(o *codegen.Op, v url.Values) (map[string]*paramValue, error) {
	out := make(map[string]*paramValue, len(o.Params))
	for _, p := range o.Params {
		pv := &paramValue{}
		switch p.Kind {
		case "scalar":
			s := v.Get(p.Wire)
			pv.text, pv.set = s, s != ""
			if s == "" {
				break
			}
			switch p.Scalar {
			case "int64":
				n, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					return nil, &acs.ParamError{Param: p.Wire, Key: p.Wire, Reason: "not an integer"}
				}
				pv.num = float64(n)
			case "float64":
				n, err := strconv.ParseFloat(s, 64)
				if err != nil {
					return nil, &acs.ParamError{Param: p.Wire, Key: p.Wire, Reason: "not a number"}
				}
				pv.num = n
			case "bool":
				if _, err := acs.ParseBool(s); err != nil {
					return nil, &acs.ParamError{Param: p.Wire, Key: p.Wire, Reason: "not a boolean"}
				}
			}
		case "repeatList":
			items, err := acs.DecodeRepeatList(v, p.Wire)
			if err != nil {
				return nil, err
			}
			for i, s := range items {
				var bad string
				switch p.Scalar {
				case "int64":
					if _, err := strconv.ParseInt(s, 10, 64); err != nil {
						bad = "not an integer"
					}
				case "float64":
					if _, err := strconv.ParseFloat(s, 64); err != nil {
						bad = "not a number"
					}
				case "bool":
					if _, err := acs.ParseBool(s); err != nil {
						bad = "not a boolean"
					}
				}
				if bad != "" {
					return nil, &acs.ParamError{Param: p.Wire, Key: p.Wire + "." + strconv.Itoa(i+1), Reason: bad}
				}
			}
			pv.items, pv.set = items, len(items) > 0
		case "object":
			for _, f := range p.FlatFields {
				if v.Get(p.Wire+"."+f.Wire) != "" {
					pv.set = true
				}
			}
		case "flat":
			fields := make([]string, len(p.FlatFields))
			for i, f := range p.FlatFields {
				fields[i] = f.Wire
			}
			items, err := acs.DecodeFlat(v, p.Wire, fields...)
			if err != nil {
				return nil, err
			}
			pv.flat, pv.set = items, len(items) > 0
		}
		out[p.Wire] = pv
	}
	return out, nil
}

// check is the generated CheckSite: the first broken rule's refusal, in
// contract order, the site's own rules only on that site.
func (o *interpOp) check(vals map[string]*paramValue, site string) *acs.APIError {
	for _, c := range o.op.Checks {
		if c.Site != "" && c.Site != site {
			continue
		}
		if broken(c, vals[c.Wire], vals, o.whenWire[c.RuleID], o.patterns[c.RuleID]) {
			return refusal(c)
		}
	}
	return nil
}

// refusal is the generated Check.Refusal: the documented answer, a
// template's placeholder filled with the parameter's wire name.
func refusal(c *codegen.Check) *acs.APIError {
	return &acs.APIError{HTTPStatus: c.Err.Status, Code: c.Err.Code, Message: c.Message()}
}

// broken says whether a value breaks a check, as the generated validator
// decides.
func broken(c *codegen.Check, v *paramValue, all map[string]*paramValue, whenWire string, re *regexp.Regexp) bool {
	if v == nil {
		v = &paramValue{}
	}
	when := true
	if c.WhenField != "" {
		w := all[whenWire]
		when = w != nil && w.text == c.WhenValue
	}
	list := c.ParamKind != "scalar"
	n := len(v.items)
	if c.ParamKind == "flat" {
		n = len(v.flat)
	}
	switch c.Kind {
	case spec.RuleRequired:
		if list && c.ParamKind != "object" {
			return n == 0
		}
		return !v.set
	case spec.RulePattern:
		if c.OnItems {
			for _, s := range v.items {
				if !re.MatchString(s) {
					return true
				}
			}
			return false
		}
		return when && v.text != "" && !re.MatchString(v.text)
	case spec.RuleMaxLength:
		if c.OnItems {
			for _, s := range v.items {
				if acs.LongerThan(s, c.Limit) {
					return true
				}
			}
			return false
		}
		return when && acs.LongerThan(v.text, c.Limit)
	case spec.RuleMinLength:
		if c.OnItems {
			for _, s := range v.items {
				if acs.ShorterThan(s, c.Limit) {
					return true
				}
			}
			return false
		}
		return when && v.text != "" && acs.ShorterThan(v.text, c.Limit)
	case spec.RuleEnum:
		numeric := c.Scalar == "int64" || c.Scalar == "float64"
		in := func(s string) bool {
			if c.Scalar == "bool" {
				b, _ := acs.ParseBool(s)
				for _, e := range c.EnumValues {
					if e == strconv.FormatBool(b) {
						return true
					}
				}
				return false
			}
			f, _ := strconv.ParseFloat(s, 64)
			for _, e := range c.EnumValues {
				if s == e {
					return true
				}
				if g, err := strconv.ParseFloat(e, 64); numeric && err == nil && f == g {
					return true
				}
			}
			return false
		}
		if c.OnItems {
			for _, s := range v.items {
				if !in(s) {
					return true
				}
			}
			return false
		}
		return v.text != "" && !in(v.text)
	case spec.RuleMaxItems:
		return n > c.Limit
	case spec.RuleMinItems:
		return n > 0 && n < c.Limit
	case spec.RuleMaximum, spec.RuleMinimum:
		if !when || !v.set {
			return false
		}
		bound, _ := strconv.ParseFloat(c.Bound, 64)
		if c.Kind == spec.RuleMaximum {
			return v.num > bound
		}
		return v.num < bound
	case spec.RuleUniqueItems:
		if c.ParamKind == "flat" {
			for i := range v.flat {
				for j := 0; j < i; j++ {
					if sameFlat(v.flat[i], v.flat[j]) {
						return true
					}
				}
			}
			return false
		}
		for i := range v.items {
			for j := 0; j < i; j++ {
				if v.items[i] == v.items[j] {
					return true
				}
			}
		}
	}
	return false
}

func sameFlat(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// sampleAnswer is a documented sample with requestID as its RequestId, as
// JSON (keys in the sample's order) or as XML under root.
func sampleAnswer(sample []byte, requestID string, asXML bool, root string) ([]byte, error) {
	var doc orderedValue
	if len(sample) > 0 {
		if err := json.Unmarshal(sample, &doc); err != nil {
			return nil, err
		}
	}
	if doc.obj == nil && doc.list == nil && doc.scalar == nil {
		doc.isObj = true
	}
	if !doc.isObj {
		return nil, fmt.Errorf("the sample answer is not an object")
	}
	doc.set("RequestId", orderedValue{scalar: requestID})
	if asXML {
		var b bytes.Buffer
		b.WriteString(xml.Header)
		writeXML(&b, root, doc)
		return b.Bytes(), nil
	}
	return json.Marshal(doc)
}

// orderedValue is a JSON value that keeps its object keys' order.
type orderedValue struct {
	isObj  bool
	keys   []string
	obj    map[string]orderedValue
	list   []orderedValue
	isList bool
	scalar any
}

func (v *orderedValue) set(key string, x orderedValue) {
	if v.obj == nil {
		v.obj = map[string]orderedValue{}
	}
	if _, ok := v.obj[key]; !ok {
		v.keys = append(v.keys, key)
	}
	v.obj[key] = x
}

func (v *orderedValue) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return v.decode(dec)
}

func (v *orderedValue) decode(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v.isObj, v.obj = true, map[string]orderedValue{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				var child orderedValue
				if err := child.decode(dec); err != nil {
					return err
				}
				v.set(key, child)
			}
		case '[':
			v.isList = true
			for dec.More() {
				var child orderedValue
				if err := child.decode(dec); err != nil {
					return err
				}
				v.list = append(v.list, child)
			}
		}
		_, err := dec.Token() // the closing delimiter
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
	default:
		v.scalar = t
	}
	return nil
}

func (v orderedValue) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	switch {
	case v.isObj:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			cb, err := v.obj[k].MarshalJSON()
			if err != nil {
				return nil, err
			}
			b.Write(cb)
		}
		b.WriteByte('}')
	case v.isList:
		b.WriteByte('[')
		for i, x := range v.list {
			if i > 0 {
				b.WriteByte(',')
			}
			cb, err := x.MarshalJSON()
			if err != nil {
				return nil, err
			}
			b.Write(cb)
		}
		b.WriteByte(']')
	default:
		return json.Marshal(v.scalar)
	}
	return b.Bytes(), nil
}

// writeXML lays a value out as the vendor's XML answers are: an object's
// keys as child elements, a list as its items repeated under its name.
func writeXML(b *bytes.Buffer, name string, v orderedValue) {
	if v.isList {
		for _, x := range v.list {
			writeXML(b, name, x)
		}
		return
	}
	b.WriteString("<" + name + ">")
	switch {
	case v.isObj:
		for _, k := range v.keys {
			writeXML(b, k, v.obj[k])
		}
	case v.scalar != nil:
		_ = xml.EscapeText(b, []byte(fmt.Sprint(v.scalar)))
	}
	b.WriteString("</" + name + ">")
}

// routeOf compiles a ROA path template into a matcher of escaped paths.
func routeOf(path string) (*regexp.Regexp, []string) {
	var b strings.Builder
	var names []string
	b.WriteString("^")
	for _, seg := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		b.WriteString("/")
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			names = append(names, seg[1:len(seg)-1])
			b.WriteString("([^/]+)")
			continue
		}
		b.WriteString(regexp.QuoteMeta(seg))
	}
	b.WriteString("/?$")
	return regexp.MustCompile(b.String()), names
}

// serveROA is serve for a REST-style product: the operation is the one
// whose method and path the request has; its parameters come from the
// path, the query, headers and the body; only v3 signatures sign it.
func (h *interpHandler) serveROA(w http.ResponseWriter, r *http.Request, info *interpInfo) (int, string) {
	in := h.in
	info.xml = false
	var op *interpOp
	var match []string
	pathFound := false
	for _, o := range in.m.Ops {
		cand := in.ops[o.Action]
		if m := cand.route.FindStringSubmatch(r.URL.EscapedPath()); m != nil {
			pathFound = true
			if o.Method == r.Method {
				op, match = cand, m
				break
			}
		}
	}
	if op == nil {
		_ = pathFound // another method of a known path: the gateway names no operation either
		return h.fail(w, info, in.stateError("unknown-action"))
	}
	info.action = op.op.Action
	// A body as large as the parameter limits allow in all.
	limit := int64(h.o.Limits.MaxParams) * int64(h.o.Limits.MaxValueBytes)
	if limit <= 0 {
		limit = int64(acs.DefaultMaxParams) * acs.DefaultMaxValueBytes
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil || int64(len(body)) > limit {
		return h.fail(w, info, in.stateError("malformed-parameter", "body"))
	}
	query := r.URL.Query()
	version := r.Header.Get("X-Acs-Version")
	if version == "" {
		return h.fail(w, info, in.stateError("missing-common-parameter", "Version"))
	}
	if h.o.Verifier != nil {
		signed, err := h.o.Verifier.Verify(r, query, body)
		if err != nil {
			return h.fail(w, info, in.authError(err))
		}
		info.accessKeyID, info.signature = signed.AccessKeyID, signed.Version
	}
	if version != in.m.Version {
		return h.fail(w, info, in.stateError("wrong-version"))
	}
	params := url.Values{}
	for k, v := range query {
		params[k] = v
	}
	for i, name := range op.names {
		v, err := url.PathUnescape(match[i+1])
		if err != nil {
			return h.fail(w, info, in.stateError("malformed-parameter", name))
		}
		params.Set(name, v)
	}
	var fields map[string]json.RawMessage
	form := url.Values{}
	if len(body) > 0 {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if form, err = url.ParseQuery(string(body)); err != nil {
				return h.fail(w, info, in.stateError("malformed-parameter", "body"))
			}
		} else if err := json.Unmarshal(body, &fields); err != nil {
			fields = nil // a body that is not an object: the whole body is a parameter's
		}
	}
	for _, p := range op.op.Params {
		switch p.Location {
		case spec.InQuery, spec.InFormData:
			if vs, ok := form[p.Wire]; ok {
				params[p.Wire] = vs
			}
		case "header":
			if v := r.Header.Get(p.Wire); v != "" {
				params.Set(p.Wire, v)
			}
		case spec.InBody:
			switch {
			case len(body) == 0:
			case fields == nil || strings.EqualFold(p.Wire, "body") && len(op.op.Params) > 0 && bodyIsWhole(op.op):
				params.Set(p.Wire, string(body))
			default:
				if raw, ok := fields[p.Wire]; ok {
					var text string
					if json.Unmarshal(raw, &text) != nil {
						text = string(raw)
					}
					params.Set(p.Wire, text)
				}
			}
		}
	}
	vals, err := decodeParams(op.op, params)
	if err != nil {
		var pe *acs.ParamError
		if errors.As(err, &pe) {
			return h.fail(w, info, in.stateError("malformed-parameter", pe.Key))
		}
		return h.fail(w, info, in.stateError("malformed-parameter", "body"))
	}
	if e := op.check(vals, h.o.Site); e != nil {
		return h.fail(w, info, e)
	}
	return h.write(w, info, op), ""
}

// bodyIsWhole reports whether a ROA operation's one body parameter is the
// whole body (the vendor names it "body"), not a field of it.
func bodyIsWhole(o *codegen.Op) bool {
	n := 0
	for _, p := range o.Params {
		if p.Location == spec.InBody {
			n++
		}
	}
	return n == 1
}
