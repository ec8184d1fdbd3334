// Package codegen turns a contract into a Go package: request and response
// types, validators that answer with the documented codes, a client and the
// server glue. It is a pure pipeline — spec.API → Model → embedded templates
// → go/format — with no package state; templates see only the Model.
package codegen

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
	"github.com/getkin/kin-openapi/openapi3"
)

// Model is everything the templates need, in template-friendly form.
type Model struct {
	// ROA: a REST-style product (each Op on its Path and Method). The
	// templates write the RPC wire only; the mock interprets a ROA model.
	ROA       bool
	Package   string
	Product   string
	Version   string
	Endpoint  string
	Source    string // the contract's file name, for doc comments
	ClockSkew string // Go duration literal, "" when unset
	Enums     []*Enum
	Structs   []*Struct
	Ops       []*Op
	Codes     []*Code     // every documented code, for constants
	Platform  []*ErrorDef // platform errors
	Auth      []AuthMap   // acs auth state → platform error
	States    map[string]*ErrorDef
	Patterns  []*Pattern
	Gateway   GatewayModel
	// HasPaging: some operation pages its results.
	HasPaging bool
	// Path is the RPC path; MethodState and PathState are the trigger
	// states answering a wrong method and another path ("" for no check).
	Path        string
	MethodState string
	PathState   string
}

// GatewayModel is the contract's gateway facts (x-acs-gateway), empty
// strings and lists where it states none.
type GatewayModel struct {
	RequestIDHeader     string
	KeyOrder            []string
	XMLDeclaration      string
	XMLOrder            []string
	Recommend           string
	SignatureMismatchV1 string
	SignatureMismatchV3 string
}

// HasDFA reports whether any pattern is matched by a generated automaton.
func (m *Model) HasDFA() bool {
	for _, p := range m.Patterns {
		if p.DFA != nil {
			return true
		}
	}
	return false
}

// Enum is a string enum type.
type Enum struct {
	Name   string
	Doc    string
	Values []EnumValue
}

// EnumValue is one constant of an enum.
type EnumValue struct {
	Type, Const, Value, Doc string
}

// Struct is a named struct type.
type Struct struct {
	Name    string
	Doc     []string
	XMLRoot string
	Fields  []*Field
	// Shown are the list fields every documented sample of a success
	// answer shows: an empty one is answered [] in JSON, not left out.
	Shown []*Field
}

// Field is one struct field.
type Field struct {
	Name, Wire, Type, Doc string
	OmitEmpty             bool
	// Shown: a success answer's field that every documented sample shows
	// is answered in JSON even when empty (TotalCount 0), while XML keeps
	// leaving empty elements out.
	Shown bool
}

// Code is one documented error code's constant.
type Code struct {
	Const, Code string
}

// ErrorDef is one documented error answer.
type ErrorDef struct {
	Code, Const, Message string
	Status               int
	Template             bool
	Doc                  string
}

// AuthMap ties an acs auth-failure state to its platform error.
type AuthMap struct {
	State string // the acs constant's name, such as AuthBadSignature
	Value string // its value, such as acs.AuthBadSignature's
	Err   *ErrorDef
}

// Pattern is a regular expression used by validators: a DFA compiled at
// generation time when possible (DFA non-nil), else the regexp engine.
type Pattern struct {
	Var, Expr string
	DFA       *DFA
	Fallback  string // why the regexp engine is used
}

// Op is one operation.
type Op struct {
	Action string
	// Method and Path: a ROA operation's HTTP method and path template
	// (/api/v1/things/{thingId}); empty for RPC.
	Method, Path string
	Doc          []string
	Request      *Struct
	Response     *Struct
	Params       []*Param
	Checks       []*Check
	Errors       []*ErrorDef
	Retryable    []string
	Rate         string // requests per second as a Go float literal, "" when unset
	// Sample is the contract's first sample success body as JSON ("" when
	// it has none), for the Samples server.
	Sample string
	// Paging is how the operation pages its results (nil: it does not).
	Paging *Paging
}

// Paging describes a list operation's paging, for its Pages iterator:
// "page" (PageNumber and PageSize in, TotalCount out) or "token"
// (NextToken in and out).
type Paging struct {
	Style string
	// PagePtr: the request's PageNumber is a pointer (optional).
	PagePtr bool
}

// Param is one request parameter as it travels.
type Param struct {
	Wire, Field string
	Kind        string // scalar, repeatList, flat, object
	// Location is where a ROA parameter travels (path, query, header,
	// body, formData); "" for RPC.
	Location   string
	GoType     string // the field's type
	Scalar     string // string, enum, int64, bool (scalars and list items)
	Enum       string // enum type name
	ItemType   string // flat: element struct name
	FlatFields []*Field
}

// Check is one validation step, in the contract's rule order.
type Check struct {
	RuleID, Kind, Field, Wire string
	OnItems                   bool
	Limit                     int
	Bound                     string // maximum/minimum as a Go literal
	Pattern                   string // Pattern.Var
	EnumValues                []string
	WhenField, WhenValue      string
	Err                       *ErrorDef
	Scalar                    string
	ParamKind                 string // scalar, repeatList, flat, object
	Site                      string // the vendor site the rule holds on only, or ""
	// Var names the package variable holding the check's refusal.
	Var string
}

var identRe = regexp.MustCompile(`[^A-Za-z0-9]+`)

// goName turns a wire name into an exported Go identifier.
func goName(s string) string {
	parts := identRe.Split(s, -1)
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		r := []rune(p)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	out := b.String()
	if out == "" || unicode.IsDigit([]rune(out)[0]) {
		out = "X" + out
	}
	return out
}

// uniqueName is want, or want with the least number after it that taken
// does not hold; the name returned is marked taken.
func uniqueName(want string, taken map[string]bool) string {
	name := want
	for n := 2; taken[name]; n++ {
		name = want + strconv.Itoa(n)
	}
	taken[name] = true
	return name
}

// requestMethods and responseMethods are the methods of the generated
// request and response types: a field may not take their names.
var (
	requestMethods  = map[string]bool{"Action": true, "Validate": true, "Check": true, "ValidateSite": true, "CheckSite": true, "Params": true}
	responseMethods = map[string]bool{"XMLName": true}
)

// fieldName is a wire name's Go field name, unique among fields and
// clear of the type's methods (SystemDisk.Size and SystemDiskSize both
// read SystemDiskSize: the second gets a number).
func fieldName(wire string, fields []*Field, methods map[string]bool) string {
	taken := map[string]bool{}
	for m := range methods {
		taken[m] = true
	}
	for _, f := range fields {
		taken[f.Name] = true
	}
	want := goName(wire)
	if methods[want] {
		want += "Param"
	}
	return uniqueName(want, taken)
}

// packageNames are the generated package's own exported identifiers: a
// type made for a contract's parameter (an enum named Product) may not
// take them.
var packageNames = []string{"Client", "DecodeRequest", "DefaultEndpoint", "EncodeError", "ErrorShape", "HandlerOptions", "NewClient", "NewError",
	"NewHandler", "NewRequestID", "NewVerifier", "Option", "Product", "Recommend", "Request", "RequestIDHeader", "RequestInfo", "RequestInfoFrom",
	"SampleAnswer", "Samples", "Server", "ServerFunc", "StateError", "Unimplemented", "Version", "WithClock", "WithEndpoint", "WithFormBody",
	"WithHTTPClient", "WithMethod", "WithObserver", "WithRegion", "WithRetry", "WithSignatureV1", "WithXML", "WithoutRateLimit", "WithoutValidation"}

// typeName registers a type name: want, else alt, else alt numbered.
func (b *builder) typeName(want, alt string) string {
	if b.types == nil {
		b.types = map[string]bool{}
		for _, n := range packageNames {
			b.types[n] = true
		}
	}
	if !b.types[want] && b.structs[want] == nil && b.enums[want] == nil {
		b.types[want] = true
		return want
	}
	for _, st := range b.structs {
		b.types[st.Name] = true
	}
	for _, e := range b.enums {
		b.types[e.Name] = true
	}
	return uniqueName(alt, b.types)
}

// builder accumulates the model.
type builder struct {
	api      *spec.API
	m        *Model
	structs  map[string]*Struct
	enums    map[string]*Enum // by name
	enumKeys map[string]string
	patterns map[string]string
	errs     []string
	consts   map[string]string // error code → its constant's name
	types    map[string]bool   // type names taken
}

func (b *builder) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Sprintf(format, args...))
}

// Build derives the model from a contract. It refuses, naming each problem,
// what the generator cannot express faithfully.
func Build(api *spec.API, pkg string) (*Model, error) {
	b := &builder{api: api, structs: map[string]*Struct{}, enums: map[string]*Enum{}, enumKeys: map[string]string{}, patterns: map[string]string{}}
	src := filepath.ToSlash(api.File)
	for strings.HasPrefix(src, "../") || strings.HasPrefix(src, "./") {
		src = src[strings.Index(src, "/")+1:]
	}
	b.m = &Model{ROA: api.Style == spec.StyleROA, Package: pkg, Product: api.Product, Version: api.Version, Endpoint: api.Endpoint, Source: src, States: map[string]*ErrorDef{}}
	b.m.Path = api.Path
	if g := api.Gateway; g != nil {
		b.m.Gateway = GatewayModel{RequestIDHeader: g.RequestIDHeader.Get(), KeyOrder: g.ErrorKeyOrder.Get(),
			XMLDeclaration: g.XMLDeclaration.Get(), XMLOrder: g.XMLErrorOrder.Get(), Recommend: g.Recommend.Get(),
			SignatureMismatchV1: g.SignatureMismatchV1.Get(), SignatureMismatchV3: g.SignatureMismatchV3.Get()}
	}
	if api.ClockSkew > 0 {
		b.m.ClockSkew = fmt.Sprintf("%d", api.ClockSkew.Nanoseconds())
	} else {
		b.fail("x-acs-api states no clock-skew: the generated server needs the signature window it enforces")
	}
	// Every documented code gets one constant, unique even where two codes
	// differ only in case or punctuation (Invalid.Status, InvalidStatus):
	// the first in code order keeps the plain name, the others a number.
	var all []string
	for _, e := range api.PlatformErrors {
		all = append(all, e.Code)
	}
	for _, op := range api.Operations {
		for _, e := range op.Errors {
			all = append(all, e.Code)
		}
	}
	slices.Sort(all)
	b.consts = map[string]string{}
	taken := map[string]bool{}
	for _, code := range slices.Compact(all) {
		b.consts[code] = uniqueName("Code"+goName(code), taken)
	}
	codes := map[string]bool{}
	addCode := func(code string) {
		if !codes[code] {
			codes[code] = true
			b.m.Codes = append(b.m.Codes, &Code{Const: b.consts[code], Code: code})
		}
	}
	for _, e := range api.PlatformErrors {
		d := b.errorDef(e)
		b.m.Platform = append(b.m.Platform, d)
		addCode(e.Code)
		for _, t := range e.Triggers {
			b.m.States[t.State] = d
		}
	}
	for state, name := range authStates {
		d, ok := b.m.States[state]
		if !ok && optionalAuth[state] {
			continue // a contract without token codes: its verifier checks no tokens
		}
		if !ok {
			b.fail("no platform error has trigger state %q, which the server answers when %s", state, name)
			continue
		}
		b.m.Auth = append(b.m.Auth, AuthMap{State: name, Value: state, Err: d})
	}
	sort.Slice(b.m.Auth, func(i, j int) bool { return b.m.Auth[i].State < b.m.Auth[j].State })
	b.m.MethodState = "unknown-action"
	if b.m.States["unsupported-method"] != nil {
		b.m.MethodState = "unsupported-method"
	}
	if b.m.States["unknown-path"] != nil && b.m.Path != "" {
		b.m.PathState = "unknown-path"
	}
	for _, state := range requiredStates {
		if b.m.States[state] == nil {
			b.fail("no platform error has trigger state %q, which the generated server needs", state)
		}
	}
	for _, op := range api.Operations {
		for _, e := range op.Errors {
			addCode(e.Code)
		}
		b.op(op)
	}
	sort.Slice(b.m.Codes, func(i, j int) bool { return b.m.Codes[i].Code < b.m.Codes[j].Code })
	for name, expr := range b.patterns {
		p := &Pattern{Var: name, Expr: expr}
		if d, err := CompileDFA(expr); err == nil {
			p.DFA = d
		} else {
			p.Fallback = err.Error()
		}
		b.m.Patterns = append(b.m.Patterns, p)
	}
	sort.Slice(b.m.Patterns, func(i, j int) bool { return b.m.Patterns[i].Var < b.m.Patterns[j].Var })
	names := make([]string, 0, len(b.structs))
	for n := range b.structs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.m.Structs = append(b.m.Structs, b.structs[n])
	}
	enames := make([]string, 0, len(b.enums))
	for n := range b.enums {
		enames = append(enames, n)
	}
	sort.Strings(enames)
	for _, n := range enames {
		b.m.Enums = append(b.m.Enums, b.enums[n])
	}
	if len(b.errs) > 0 {
		return nil, fmt.Errorf("codegen: %s: the contract cannot be generated:\n  %s", api.File, strings.Join(b.errs, "\n  "))
	}
	return b.m, nil
}

// authStates maps acs auth states to the name of their acs constant.
var authStates = map[string]string{
	acs.AuthUnsigned: "AuthUnsigned", acs.AuthBadSignature: "AuthBadSignature", acs.AuthUnknownKey: "AuthUnknownKey",
	acs.AuthStale: "AuthStale", acs.AuthBadTimestamp: "AuthBadTimestamp", acs.AuthNonceReused: "AuthNonceReused",
	acs.AuthTokenMissing: "AuthTokenMissing", acs.AuthTokenMalformed: "AuthTokenMalformed", acs.AuthTokenMismatch: "AuthTokenMismatch",
	acs.AuthTokenExpired: "AuthTokenExpired",
}

// optionalAuth are auth states a contract may leave out (security-token
// checks, which a server enables with acs.Verifier.Tokens).
var optionalAuth = map[string]bool{acs.AuthTokenMissing: true, acs.AuthTokenMalformed: true, acs.AuthTokenMismatch: true, acs.AuthTokenExpired: true}

// requiredStates are the platform answers the generated server gives itself.
var requiredStates = []string{"missing-common-parameter", "unknown-action", "wrong-version", "malformed-parameter", "internal-failure"}

func (b *builder) errorDef(e *spec.ErrorCode) *ErrorDef {
	c, ok := b.consts[e.Code]
	if !ok {
		c = "Code" + goName(e.Code)
	}
	return &ErrorDef{Code: e.Code, Const: c, Message: e.Message, Status: e.Status, Template: e.Match() == spec.MatchTemplate, Doc: e.Description.Best("en")}
}

func docLines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.TrimSpace(l))
	}
	return out
}

func (b *builder) op(op *spec.Operation) {
	o := &Op{Action: op.Action, Method: op.Method}
	if b.m.ROA {
		o.Path = op.PathKey
	}
	o.Doc = docLines(fmt.Sprintf("%s calls %s: %s", op.Action, op.Action, op.Summary.Best("en")))
	var src []string
	for _, id := range op.Sources {
		if s := b.api.Source(id); s != nil {
			src = append(src, fmt.Sprintf("%s (%s, %s)", s.File, s.Language, firstNonEmpty(s.LastUpdated, "undated")))
		}
	}
	o.Doc = append(o.Doc, "", "Documented by "+strings.Join(src, "; ")+".")
	if op.RateLimit != nil {
		o.Rate = strconv.FormatFloat(op.RateLimit.PerSecond(), 'g', -1, 64)
	}
	for _, e := range op.Errors {
		o.Errors = append(o.Errors, b.errorDef(e))
		if e.Retryable {
			o.Retryable = append(o.Retryable, e.Code)
		}
	}
	for _, e := range b.api.PlatformErrors {
		if e.Retryable {
			o.Retryable = append(o.Retryable, e.Code)
		}
	}
	req := &Struct{Name: op.Action + "Request", Doc: []string{op.Action + "Request holds the parameters of " + op.Action + "."}}
	for _, p := range op.Params {
		b.param(op, o, req, p)
	}
	o.Request = req
	b.structs[req.Name] = req
	o.Response = b.response(op)
	if len(op.Examples) > 0 {
		if data, err := json.Marshal(op.Examples[0].Value); err == nil {
			o.Sample = string(data)
		} else {
			b.fail("%s: sample %s: %v", op.Action, op.Examples[0].Name, err)
		}
	}
	for _, r := range op.Rules {
		b.check(op, o, r)
	}
	o.Paging = paging(req, o.Response)
	b.m.HasPaging = b.m.HasPaging || o.Paging != nil
	b.m.Ops = append(b.m.Ops, o)
}

// paging recognises the two paging styles of the vendor's list operations
// by their fields: PageNumber/PageSize in and PageSize/TotalCount out, or
// NextToken in and out. Field types other than the ones the iterator
// relies on leave the operation without one.
func paging(req, resp *Struct) *Paging {
	field := func(s *Struct, name string) string {
		if s == nil {
			return ""
		}
		for _, f := range s.Fields {
			if f.Name == name {
				return f.Type
			}
		}
		return ""
	}
	switch {
	case (field(req, "PageNumber") == "*int64" || field(req, "PageNumber") == "int64") && field(req, "PageSize") != "" &&
		field(resp, "PageSize") == "int64" && field(resp, "TotalCount") == "int64":
		return &Paging{Style: "page", PagePtr: field(req, "PageNumber") == "*int64"}
	case field(req, "NextToken") == "string" && field(resp, "NextToken") == "string":
		return &Paging{Style: "token"}
	}
	return nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func schemaKind(s *openapi3.Schema) string {
	for _, t := range []string{"string", "integer", "number", "boolean", "array", "object"} {
		if s != nil && s.Type.Is(t) {
			return t
		}
	}
	return ""
}

func (b *builder) param(op *spec.Operation, o *Op, req *Struct, p *spec.Param) {
	f := &Field{Name: fieldName(p.Name, req.Fields, requestMethods), Wire: p.Name, Doc: p.Description}
	pp := &Param{Wire: p.Name, Field: f.Name, Kind: "scalar", Location: p.Location}
	s := p.Schema
	kind := schemaKind(s)
	if (kind == "object" || kind == "array") && (p.Encoding != "" || p.Location == spec.InBody && p.Style == "") {
		// One text on the wire: a JSON body or field, or a list written
		// comma-separated.
		kind = "string"
	}
	switch kind {
	case "array":
		item := s.Items.Value
		switch p.Style {
		case spec.StyleRepeatList:
			pp.Kind = "repeatList"
			pp.Scalar, pp.Enum = b.scalar(op, p.Name, item)
			f.Type = "[]" + scalarType(pp.Scalar, pp.Enum)
		case spec.StyleFlat:
			if schemaKind(item) != "object" {
				b.fail("%s: parameter %s: a flat list needs object items", op.Action, p.Name)
				return
			}
			pp.Kind = "flat"
			pp.ItemType = b.typeName(goName(p.Name), op.Action+goName(p.Name))
			st := &Struct{Name: pp.ItemType, Doc: []string{pp.ItemType + " is one item of " + op.Action + "'s " + p.Name + "."}}
			for _, name := range sortedKeys(item.Properties) {
				ps := item.Properties[name].Value
				if schemaKind(ps) != "string" {
					b.fail("%s: parameter %s.%s: flat fields must be strings", op.Action, p.Name, name)
					continue
				}
				ff := &Field{Name: fieldName(name, st.Fields, nil), Wire: name, Type: "string", Doc: ps.Description, OmitEmpty: true}
				st.Fields = append(st.Fields, ff)
				pp.FlatFields = append(pp.FlatFields, ff)
			}
			b.structs[st.Name] = st
			f.Type = "[]" + st.Name
		}
	case "object":
		// A flat object (Config.Key=value on the wire): a struct of its
		// fields, each sent as text.
		pp.Kind = "object"
		pp.ItemType = b.typeName(goName(p.Name), goName(op.Action)+goName(p.Name))
		st := &Struct{Name: pp.ItemType, Doc: []string{pp.ItemType + " is " + op.Action + "'s " + p.Name + ", sent as " + p.Name + ".<Field>."}}
		for _, name := range sortedKeys(s.Properties) {
			ps := s.Properties[name].Value
			doc := ""
			if ps != nil {
				doc = ps.Description
			}
			ff := &Field{Name: fieldName(name, st.Fields, nil), Wire: name, Type: "string", Doc: doc, OmitEmpty: true}
			st.Fields = append(st.Fields, ff)
			pp.FlatFields = append(pp.FlatFields, ff)
		}
		b.structs[st.Name] = st
		f.Type = "*" + st.Name
	case "string", "integer", "number", "boolean":
		pp.Scalar, pp.Enum = b.scalar(op, p.Name, s)
		f.Type = scalarType(pp.Scalar, pp.Enum)
		if pp.Scalar == "int64" || pp.Scalar == "bool" || pp.Scalar == "float64" {
			f.Type = "*" + f.Type
		}
	default:
		typ := "none"
		if s != nil && s.Type != nil {
			typ = strings.Join(*s.Type, ",")
		}
		b.fail("%s: parameter %s: type %s is not supported on the RPC wire (string, integer, number, boolean, or an array with x-acs-style)", op.Action, p.Name, typ)
		return
	}
	f.OmitEmpty = true
	pp.GoType = f.Type
	req.Fields = append(req.Fields, f)
	o.Params = append(o.Params, pp)
}

func scalarType(scalar, enum string) string {
	if scalar == "enum" {
		return enum
	}
	return scalar
}

// scalar returns the Go scalar kind of a schema, registering its enum.
func (b *builder) scalar(op *spec.Operation, name string, s *openapi3.Schema) (string, string) {
	switch schemaKind(s) {
	case "integer":
		return "int64", ""
	case "number":
		return "float64", ""
	case "boolean":
		return "bool", ""
	}
	if len(s.Enum) > 0 {
		return "enum", b.enum(goName(name), s)
	}
	return "string", ""
}

// enum registers a string enum; identical value sets share one type.
func (b *builder) enum(name string, s *openapi3.Schema) string {
	var vals []string
	for _, v := range s.Enum {
		vals = append(vals, fmt.Sprint(v))
	}
	key := strings.Join(vals, "\x00")
	if n, ok := b.enumKeys[key]; ok {
		return n
	}
	name = b.typeName(name, name+"Value")
	e := &Enum{Name: name, Doc: name + " is one of: " + strings.Join(vals, ", ") + "."}
	consts := map[string]bool{}
	for _, v := range vals {
		// Values that differ only in case or punctuation (on, On) get
		// distinct constants.
		c := name + goName(v)
		if c == name+"X" && v != "X" && v != "x" {
			c = name + "Value"
		}
		e.Values = append(e.Values, EnumValue{Type: name, Const: uniqueName(c, consts), Value: v, Doc: spec.EnumDescription(s, v)})
	}
	b.enums[name] = e
	b.enumKeys[key] = name
	return name
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (b *builder) response(op *spec.Operation) *Struct {
	name := op.Action + "Response"
	st := b.object(op, name, op.Response)
	st.XMLRoot = name
	st.Doc = []string{name + " is the success answer of " + op.Action + "."}
	if !slices.ContainsFunc(st.Fields, func(f *Field) bool { return f.Name == "RequestId" }) {
		// Every answer of the gateway carries its RequestId, whether the
		// response schema lists it or not.
		st.Fields = append([]*Field{{Name: "RequestId", Wire: "RequestId", Type: "string", Doc: "Id of the request."}}, st.Fields...)
	}
	shown := shownBySamples(op)
	for _, f := range st.Fields {
		if shown[f.Wire] {
			f.Shown = true
			if strings.HasPrefix(f.Type, "[]") {
				st.Shown = append(st.Shown, f)
			}
		}
	}
	return st
}

// shownBySamples names the top-level fields every documented success
// sample of op shows (none when it has no sample).
func shownBySamples(op *spec.Operation) map[string]bool {
	if len(op.Examples) == 0 {
		return nil
	}
	count := map[string]int{}
	for _, ex := range op.Examples {
		m, ok := ex.Value.(map[string]any)
		if !ok {
			return nil
		}
		for k := range m {
			count[k]++
		}
	}
	out := map[string]bool{}
	for k, n := range count {
		if n == len(op.Examples) {
			out[k] = true
		}
	}
	return out
}

// object builds the struct of an object schema (once per name).
func (b *builder) object(op *spec.Operation, name string, s *openapi3.Schema) *Struct {
	if st, ok := b.structs[name]; ok {
		return st
	}
	st := &Struct{Name: name, Doc: docLines(firstNonEmpty(s.Description, name+" is part of a response."))}
	b.structs[name] = st
	required := map[string]bool{}
	for _, r := range s.Required {
		required[r] = true
	}
	keys := sortedKeys(s.Properties)
	sort.SliceStable(keys, func(i, j int) bool { return keys[i] == "RequestId" && keys[j] != "RequestId" })
	for _, k := range keys {
		ref := s.Properties[k]
		f := &Field{Name: fieldName(k, st.Fields, responseMethods), Wire: k, Doc: ref.Value.Description, OmitEmpty: !required[k]}
		f.Type = b.goType(op, name, k, ref)
		st.Fields = append(st.Fields, f)
	}
	return st
}

func refName(ref string) string {
	if i := strings.LastIndex(ref, "/"); i >= 0 {
		return ref[i+1:]
	}
	return ""
}

func (b *builder) goType(op *spec.Operation, parent, field string, ref *openapi3.SchemaRef) string {
	s := ref.Value
	switch schemaKind(s) {
	case "object":
		name := refName(ref.Ref)
		if name == "" {
			name = parent + goName(field)
		}
		return b.object(op, name, s).Name
	case "array":
		return "[]" + b.goType(op, parent, field, s.Items)
	case "string":
		if len(s.Enum) > 0 {
			return b.enum(parent+goName(field), s)
		}
		return "string"
	case "integer":
		return "int64"
	case "number":
		return "float64"
	case "boolean":
		return "bool"
	}
	// A field the contract gives no type (the vendor's sample and schema
	// disagree on it): whatever JSON value the answer holds.
	return "any"
}

func (b *builder) pattern(op, rule, expr string) string {
	name := "re" + goName(op) + goName(rule)
	b.patterns[name] = expr
	return name
}

func (b *builder) check(op *spec.Operation, o *Op, r *spec.Rule) {
	var param *Param
	for _, p := range o.Params {
		if p.Wire == r.ParamName() {
			param = p
		}
	}
	if param == nil {
		return
	}
	e := op.Error(r.Error)
	c := &Check{RuleID: r.ID, Kind: r.Kind, Field: param.Field, Wire: param.Wire, OnItems: r.OnItems(), Err: b.errorDef(e), Scalar: param.Scalar, ParamKind: param.Kind, Site: r.Site}
	s := r.Schema()
	kind := spec.KindOf(r.Kind)
	if kind == nil {
		b.fail("%s: rule %s: kind %q is not in the rule-kind table (spec/rulekinds.go)", op.Action, r.ID, r.Kind)
		return
	}
	if param.Kind == "object" && r.Kind != spec.RuleRequired {
		b.fail("%s: rule %s: %s does not apply to an object parameter", op.Action, r.ID, r.Kind)
		return
	}
	if param.Kind == "flat" && !kind.Flat {
		b.fail("%s: rule %s: %s does not apply to a flat list", op.Action, r.ID, r.Kind)
		return
	}
	if r.When != nil {
		for _, p := range o.Params {
			if p.Wire == r.When.Param {
				c.WhenField, c.WhenValue = p.Field, r.When.Equals
			}
		}
	}
	switch r.Kind {
	case spec.RuleRequired, spec.RuleUniqueItems:
	case spec.RuleEnum:
		seen := map[string]bool{}
		for _, v := range s.Enum {
			text := spec.WireText(v)
			if param.Scalar == "bool" {
				bv, err := strconv.ParseBool(text)
				if err != nil {
					b.fail("%s: rule %s: enum value %q is not a boolean", op.Action, r.ID, text)
					continue
				}
				text = strconv.FormatBool(bv)
			} else if param.Scalar == "int64" || param.Scalar == "float64" {
				f, err := strconv.ParseFloat(text, 64)
				if err != nil || (param.Scalar == "int64" && f != float64(int64(f))) {
					b.fail("%s: rule %s: enum value %q is not a %s", op.Action, r.ID, text, map[string]string{"int64": "whole number", "float64": "number"}[param.Scalar])
					continue
				}
				text = strconv.FormatFloat(f, 'f', -1, 64)
			}
			if !seen[text] && text != "" {
				// "" is absent on the wire: every enum check accepts it.
				seen[text] = true
				c.EnumValues = append(c.EnumValues, text)
			}
		}
	case spec.RulePattern:
		c.Pattern = b.pattern(op.Action, r.ID, r.EffectivePattern())
	case spec.RuleMaxLength:
		c.Limit = int(*s.MaxLength)
	case spec.RuleMinLength:
		c.Limit = int(s.MinLength)
	case spec.RuleMaxItems:
		c.Limit = int(*s.MaxItems)
	case spec.RuleMinItems:
		c.Limit = int(s.MinItems)
	case spec.RuleMaximum, spec.RuleMinimum:
		v := s.Max
		if r.Kind == spec.RuleMinimum {
			v = s.Min
		}
		c.Bound = strconv.FormatFloat(*v, 'f', -1, 64)
		if param.Scalar == "int64" && (*v >= math.MaxInt64 || *v <= math.MinInt64) {
			// No int64 lies beyond the bound: the rule cannot be broken on
			// the wire's 64-bit integers, and the literal does not compile.
			return
		}
		if param.Scalar == "int64" && *v != math.Trunc(*v) {
			b.fail("%s: rule %s: %s %v is not a whole number", op.Action, r.ID, r.Kind, *v)
		}
		if param.Kind != "scalar" || (param.Scalar != "int64" && param.Scalar != "float64") {
			b.fail("%s: rule %s: %s applies to numbers only", op.Action, r.ID, r.Kind)
		}
	}
	numericEnum := r.Kind == spec.RuleEnum && (param.Scalar == "int64" || param.Scalar == "float64" || param.Scalar == "bool")
	if kind.Values == spec.ValuesString && param.Scalar != "string" && param.Scalar != "enum" && !numericEnum {
		b.fail("%s: rule %s: %s applies to strings only", op.Action, r.ID, r.Kind)
	}
	if spec.LengthUnit(s) != "characters" {
		b.fail("%s: rule %s: length unit %q is not supported (characters only)", op.Action, r.ID, spec.LengthUnit(s))
	}
	c.Var = "refuse" + goName(op.Action) + goName(r.ID)
	for n := 2; slices.ContainsFunc(o.Checks, func(x *Check) bool { return x.Var == c.Var }); n++ {
		c.Var = "refuse" + goName(op.Action) + goName(r.ID) + strconv.Itoa(n)
	}
	o.Checks = append(o.Checks, c)
}

// EnumCases is the Go case list of an enum check's values: numbers as
// they are, text quoted.
func (c *Check) EnumCases() string {
	out := make([]string, len(c.EnumValues))
	for i, v := range c.EnumValues {
		out[i] = v
		if c.Scalar != "int64" && c.Scalar != "float64" && c.Scalar != "bool" {
			out[i] = strconv.Quote(v)
		}
	}
	return strings.Join(out, ", ")
}

// Refusal is the Go expression of the error a broken check answers,
// built at generation time: the documented status, code and message (a
// template's placeholder filled with the parameter's wire name, as
// NewError would at run time), so a refusal costs one allocation and no
// lookup or formatting.
func (c *Check) Refusal() string {
	return fmt.Sprintf("&acs.APIError{HTTPStatus: %d, Code: %s, Message: %s}", c.Err.Status, c.Err.Const, strconv.Quote(c.Message()))
}

// Message is the message a broken check answers: the documented one, a
// template's placeholder filled with the parameter's wire name.
func (c *Check) Message() string {
	msg := c.Err.Message
	if c.Err.Template {
		if i, j := strings.Index(msg, "{"), strings.Index(msg, "}"); i >= 0 && j > i {
			msg = msg[:i] + c.Wire + msg[j+1:]
		}
	}
	return msg
}
