package spec

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Text is one fact in several languages, keyed by BCP 47 tag: "en", "zh-Hans"
// (Simplified Chinese), "zh-Hant" (Traditional Chinese).
type Text map[string]string

// Best returns the text in lang, else English, else any language in tag order.
func (t Text) Best(lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	if s, ok := t["en"]; ok {
		return s
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return ""
	}
	return t[keys[0]]
}

// Provenance kinds: where a fact comes from.
const (
	KindPage     = "page"     // stated in a page's tables or fields
	KindProse    = "prose"    // stated in a sentence of a page (Quote holds it)
	KindInferred = "inferred" // not stated; Reason says from what it follows
	KindPlatform = "platform" // a fact of the vendor's RPC gateway, not of any page
	// KindObserved: gateway behaviour seen on the wire by real users or live
	// tests (shared research, gateway-observed.md); Reason names the sources.
	KindObserved = "observed"
	// KindDocumented: stated by the vendor's general documentation (error
	// tables, signature docs), not by an operation page; Reason names it.
	KindDocumented = "documented"
	// KindMetadata: stated by a field of the vendor's machine-readable API
	// metadata (api-docs.json, a source of layout "metadata").
	KindMetadata = "metadata"
)

// Evidence is how strongly a fact binds a target, by its provenance: a
// deviation from a stated or observed fact is a failure; a deviation from
// an inferred one is reported as such and fails only in strict mode.
type Evidence string

// Evidence levels.
const (
	EvidenceStated   Evidence = "stated"   // a page, its prose, the vendor's documentation
	EvidenceObserved Evidence = "observed" // the gateway's observed behaviour (and the wire protocol itself)
	EvidenceInferred Evidence = "inferred" // our reading: not stated anywhere
)

// Level returns the evidence level of a provenance. A missing provenance
// is stated: the contract's facts are stated unless marked otherwise.
func (p Provenance) Level() Evidence {
	switch p.Kind {
	case KindInferred:
		return EvidenceInferred
	case KindObserved, KindPlatform:
		return EvidenceObserved
	}
	return EvidenceStated
}

// Weaker returns the weaker of two evidence levels (inferred is weakest).
func Weaker(a, b Evidence) Evidence {
	if a == EvidenceInferred || b == EvidenceInferred {
		return EvidenceInferred
	}
	if a == "" {
		return b
	}
	return a
}

// Provenance says where a fact comes from.
type Provenance struct {
	Kind   string   `yaml:"kind,omitempty"`
	Pages  []string `yaml:"pages,omitempty"`
	Quote  string   `yaml:"quote,omitempty"`
	Reason string   `yaml:"reason,omitempty"`
}

// Pos is a position in the spec file, for findings and reports.
type Pos struct {
	File string
	Line int
	Col  int
}

// String renders file:line:col.
func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// Source is one vendor doc page the contract was transcribed from.
type Source struct {
	ID        string `yaml:"id,omitempty"`
	File      string `yaml:"file,omitempty"`
	Operation string `yaml:"operation,omitempty"`
	Language  string `yaml:"language,omitempty"`
	Layout    string `yaml:"layout,omitempty"`
	Title     string `yaml:"title,omitempty"`
	// NamedBy is the page's signal that named the operation when it is not
	// the title (an Action row, a sample request, the file name …).
	NamedBy     string `yaml:"named-by,omitempty"`
	LastUpdated string `yaml:"last-updated,omitempty"`
	Note        string `yaml:"note,omitempty"`
	Pos         Pos    `yaml:"-"`
}

// API is the whole contract: one product version and its operations.
type API struct {
	File               string
	Product            string
	ProductName        string
	Version            string
	Endpoint           string
	Style              string
	Path               string
	Methods            []string
	ParameterLocations []string
	Formats            []string
	Signatures         []string
	// ClockSkew is how far a signed request's timestamp may be from the
	// server's clock; zero when the contract does not say.
	ClockSkew      time.Duration
	Provenance     Provenance
	Sources        []*Source
	PlatformErrors []*ErrorCode
	Operations     []*Operation
	// Gateway is how the vendor's gateway shapes its answers (nil when the
	// contract does not say).
	Gateway *Gateway
	// Inputs declare what the profile inputs the triggers need must be
	// (x-acs-inputs), by input name: a profile is checked against them
	// before anything is sent.
	Inputs map[string]*InputDecl

	// Digest is the sha256 of the document's bytes ("sha256:…"), so a
	// report names exactly the contract it checked.
	Digest string

	// Imported holds, for each operation the curated document declares
	// whole, the imported layer's reading of it (lint compares the two).
	Imported map[string]*Operation
	// Stale lists curation entries that no longer match their source.
	Stale []Stale

	// Doc is the kin-openapi model of the document, for schema validation.
	// Treat it as read-only.
	Doc *openapi3.T
}

// InputDecl says what one profile input must be, so a profile written by
// someone who did not write the contract can be checked before a run: the
// kind of entity it names and that entity's status, the inputs it must
// name a different entity from, and those whose entities it must not be
// related to (a contact not bound to a member, say). Inputs that sign
// requests (credentials) declare the caller they must be.
type InputDecl struct {
	// Kind is the entity the value names: account, contact, folder,
	// handshake, policy, directory, contact-name, account-name,
	// credentials, or value (a plain value).
	Kind string `yaml:"kind"`
	// Status is the entity's status (Active, Pending, Declined …), "" when
	// any.
	Status string `yaml:"status,omitempty"`
	// DiffersFrom lists inputs that must name another entity.
	DiffersFrom []string `yaml:"differs-from,omitempty"`
	// NameOf: for a name input (contact-name), the input whose entity
	// must not bear this name (the name must be another entity's).
	NameOf string `yaml:"other-than,omitempty"`
	// Description says, in words, what to give.
	Description string `yaml:"description"`
	// Provision, when set, is how a run makes the entity itself through
	// the documented operations (a profile with provision: true then need
	// not give the input).
	Provision *Provision `yaml:"provision,omitempty"`
	Pos       Pos        `yaml:"-"`
}

// Provision is the recipe that makes one input's entity on a target: the
// call that creates it and where its answer names it, the calls that bring
// it to the declared status, and the calls that remove it again. Requests
// take "{name}" placeholders of other inputs (provisioned or given), and
// "{self}" (the value made) and "{unique}" (a name no earlier run used, of
// letters only). An input that is another's value is From that input
// (and Param of its creating request, when a name rather than the ID).
// The inputs a recipe names are made first: the order of a run's
// provisioning follows these references, never a written list.
type Provision struct {
	Create *Call `yaml:"create,omitempty"`
	// ID is the dotted path of the made value in Create's answer.
	ID   string  `yaml:"id,omitempty"`
	Then []*Call `yaml:"then,omitempty"`
	// Cleanup removes the entity, in order; Gone lists the codes a
	// cleanup call answers when the entity is gone already (a case
	// deleted it), which count as removed.
	Cleanup   []*Call  `yaml:"cleanup,omitempty"`
	Gone      []string `yaml:"gone,omitempty"`
	NoCleanup string   `yaml:"no-cleanup,omitempty"`
	From      string   `yaml:"from,omitempty"`
	Param     string   `yaml:"param,omitempty"`
}

// Calls are the recipe's calls in the order a run sends them, the
// cleanup last.
func (p *Provision) Calls() []*Call {
	var out []*Call
	if p.Create != nil {
		out = append(out, p.Create)
	}
	out = append(out, p.Then...)
	return append(out, p.Cleanup...)
}

// Refers lists the inputs the recipe names, sorted: those a run makes or
// takes before this one.
func (p *Provision) Refers() []string {
	seen := map[string]bool{}
	if p.From != "" {
		seen[p.From] = true
	}
	for _, c := range p.Calls() {
		for _, name := range (&Trigger{Request: c.Request}).Placeholders() {
			seen[name] = true
		}
		if c.As != "" {
			seen[c.As] = true
		}
	}
	delete(seen, "self")
	delete(seen, "unique")
	return slices.Sorted(maps.Keys(seen))
}

// InputKinds are the kinds an input declaration may name.
var InputKinds = []string{"account", "contact", "folder", "handshake", "policy", "directory", "contact-name", "account-name", "credentials", "value", "resource-group", "resource"}

// Gateway holds the envelope facts of the vendor's gateway (x-acs-gateway):
// how every answer is shaped, beyond any one operation. Each fact carries
// its own provenance, so a deviation is judged by its evidence.
type Gateway struct {
	// RequestIDHeader is the response header that repeats the RequestId.
	RequestIDHeader *GatewayFact[string] `yaml:"request-id-header,omitempty"`
	// ErrorKeyOrder is the order of the JSON error body's keys.
	ErrorKeyOrder *GatewayFact[[]string] `yaml:"error-key-order,omitempty"`
	// Recommend is the template of an error's Recommend URL: {Code},
	// {Product} and {RequestId} are replaced.
	Recommend *GatewayFact[string] `yaml:"recommend,omitempty"`
	// XMLDeclaration opens an XML error body.
	XMLDeclaration *GatewayFact[string] `yaml:"xml-declaration,omitempty"`
	// XMLErrorOrder is the order of the <Error> element's children.
	XMLErrorOrder *GatewayFact[[]string] `yaml:"xml-error-order,omitempty"`
	// SignatureMismatchV1 and V3 are the messages of a signature that does
	// not match, by signature version; {StringToSign} is the server's.
	SignatureMismatchV1 *GatewayFact[string] `yaml:"signature-mismatch-v1,omitempty"`
	SignatureMismatchV3 *GatewayFact[string] `yaml:"signature-mismatch-v3,omitempty"`
}

// GatewayFact is one gateway fact and where it comes from.
type GatewayFact[T any] struct {
	Value      T          `yaml:"value,omitempty"`
	Provenance Provenance `yaml:"provenance,omitempty"`
}

// Get is the fact's value, the zero value when the contract states none.
func (f *GatewayFact[T]) Get() T {
	var zero T
	if f == nil {
		return zero
	}
	return f.Value
}

// provenances returns the provenance of each fact the contract states.
func (g *Gateway) provenances() map[string]Provenance {
	out := map[string]Provenance{}
	for name, p := range map[string]*Provenance{
		"request-id-header": provOf(g.RequestIDHeader), "error-key-order": provOf(g.ErrorKeyOrder),
		"recommend": provOf(g.Recommend), "xml-declaration": provOf(g.XMLDeclaration), "xml-error-order": provOf(g.XMLErrorOrder),
		"signature-mismatch-v1": provOf(g.SignatureMismatchV1), "signature-mismatch-v3": provOf(g.SignatureMismatchV3),
	} {
		if p != nil {
			out[name] = *p
		}
	}
	return out
}

func provOf[T any](f *GatewayFact[T]) *Provenance {
	if f == nil {
		return nil
	}
	return &f.Provenance
}

// RecommendFor fills the Recommend template (empty without one).
func (g *Gateway) RecommendFor(product, code, requestID string) string {
	if g == nil || g.Recommend == nil {
		return ""
	}
	return strings.NewReplacer("{Code}", code, "{Product}", product, "{RequestId}", requestID).Replace(g.Recommend.Value)
}

// SignatureMismatch returns the message template for a signature version
// (nil when the contract gives none).
func (g *Gateway) SignatureMismatch(version int) *GatewayFact[string] {
	switch {
	case g == nil:
		return nil
	case version == 1:
		return g.SignatureMismatchV1
	case version == 3:
		return g.SignatureMismatchV3
	}
	return nil
}

// Call is one request over profile inputs ("{name}" placeholders).
type Call struct {
	Action  string         `yaml:"action,omitempty"`
	Request map[string]any `yaml:"request,omitempty"`
	// As names a credentials input to sign with ("" for the default
	// credentials); only provisioning recipes use it.
	As string `yaml:"as,omitempty"`
}

// Success says how to make an operation succeed on a target: an optional
// setup call, the request, a cleanup call (or why there is none), the
// inputs it needs and its safety class.
type Success struct {
	Setup     *Call          `yaml:"setup,omitempty"`
	Request   map[string]any `yaml:"request,omitempty"`
	Cleanup   *Call          `yaml:"cleanup,omitempty"`
	NoCleanup string         `yaml:"no-cleanup,omitempty"`
	Needs     []string       `yaml:"needs,omitempty"`
	Safety    string         `yaml:"safety,omitempty"`
	// As names a credentials input to sign the setup, the request and the
	// cleanup with (the default credentials when empty): an operation
	// that only another account may call, like accepting an invitation.
	As string `yaml:"as,omitempty"`
}

// Operation is one RPC action.
type Operation struct {
	Action  string
	Success *Success
	// PathKey is the operation's path in the document: /#<Action> for an
	// RPC action, the REST path (/api/v1/things/{id}) for a ROA one.
	PathKey string
	// Method is a ROA operation's HTTP method ("" for RPC: GET or POST).
	Method      string
	Summary     Text
	Description string
	Tags        []string
	Sources     []string
	Provenance  Provenance
	Params      []*Param
	Rules       []*Rule
	Errors      []*ErrorCode
	RAM         *RAM
	RateLimit   *RateLimit
	Quotas      []*Quota
	Relations   []*Relation
	// After are the states the docs say a success of the operation
	// leaves, read back by another operation (curated: x-acs-curation
	// after).
	After         []*After
	Changes       []*Change
	Disagreements []*Disagreement
	// Response is the schema of the 200 JSON body.
	Response *openapi3.Schema
	// Examples are the pages' sample success bodies.
	Examples []*Example
	// Curated lists the curation entries applied to an imported operation.
	Curated []*Curation
	Pos     Pos

	api *API
}

// StyleROA is x-acs-api.style of a REST-style product; RPC is the other.
const StyleROA = "ROA"

// Where a ROA parameter travels beyond OpenAPI's own places.
const (
	InQuery    = "query"    // the query string
	InBody     = "body"     // a field of the JSON body
	InFormData = "formData" // a field of a form body
)

// Wire styles of array parameters on the RPC wire.
const (
	StyleRepeatList = "repeatList" // Members.1=a&Members.2=b
	StyleFlat       = "flat"       // Tag.1.Key=k&Tag.1.Value=v
	// EncodingJSON: the value is one JSON text (x-acs-encoding).
	EncodingJSON = "json"
	// EncodingSimple: a list written as one comma-separated text (a ROA
	// product's style: simple).
	EncodingSimple = "simple"
)

// Param is one request parameter.
type Param struct {
	Name     string
	In       string
	Required bool
	// RequiredProvenance is set when required-ness is not stated by a page.
	RequiredProvenance *Provenance
	Description        string
	Descriptions       Text
	Style              string
	Schema             *openapi3.Schema
	Example            any
	Limits             []*Limit
	// UnreadLimits are sentences of the description that read like limits
	// but could not be read into one; lint reports each.
	UnreadLimits []string
	// NeedlessWhen is the condition under which the description says the
	// parameter need not be set (UntagResources' TagKey when All is true);
	// otherwise it is expected. A request that sets neither the parameter
	// nor the condition is not one the docs call valid, so acceptance
	// requests meet the condition when they leave the parameter out.
	NeedlessWhen *Condition
	// EnumWith gives, for an enum value a curation added, the values other
	// parameters take with it ("{name}" placeholders of profile inputs):
	// ResourceType=Folder goes with folder IDs.
	EnumWith map[string]map[string]any `yaml:"-"`
	// Location is where a ROA parameter travels: path, query, header, or
	// body or formData (a field of the request body); "" for RPC.
	Location string
	// Encoding is how a string parameter's value is written: "json" for a
	// list or object the vendor sends as one JSON text (style: json in its
	// metadata); "" for plain text.
	Encoding   string
	Provenance Provenance
	Pos        Pos
}

// Limit gives the provenance of one schema keyword of a parameter
// ("maxItems", "items.pattern", ExtLengthUnit, ...).
type Limit struct {
	Keyword    string     `yaml:"keyword,omitempty"`
	Provenance Provenance `yaml:"provenance,omitempty"`
	Pos        Pos        `yaml:"-"`
}

// Rule kinds. A rule names the schema keyword it enforces; the keyword's value
// (the limit) lives in the parameter's schema, except for conditional rules,
// which carry their own Pattern.
const (
	RuleRequired    = "required"
	RuleEnum        = "enum"
	RulePattern     = "pattern"
	RuleMaxLength   = "maxLength"
	RuleMinLength   = "minLength"
	RuleMaxItems    = "maxItems"
	RuleMinItems    = "minItems"
	RuleUniqueItems = "uniqueItems"
	RuleMaximum     = "maximum"
	RuleMinimum     = "minimum"
)

// Each kind is declared in the rule-kind table (rulekinds.go).

// Condition restricts a rule to requests where another parameter has a value.
type Condition struct {
	Param  string `yaml:"param,omitempty"`
	Equals string `yaml:"equals,omitempty"`
}

// Rule is one documented request rule and the error code a server answers when
// it is broken. Rules are in precedence order: when a request breaks several,
// the first one's code is the answer.
type Rule struct {
	ID           string     `yaml:"id,omitempty"`
	Param        string     `yaml:"param,omitempty"`
	Kind         string     `yaml:"kind,omitempty"`
	When         *Condition `yaml:"when,omitempty"`
	Pattern      string     `yaml:"pattern,omitempty"`
	Error        string     `yaml:"error,omitempty"`
	Candidates   []string   `yaml:"candidates,omitempty"`
	Decision     string     `yaml:"decision,omitempty"`
	Disagreement string     `yaml:"disagreement,omitempty"`
	// Site scopes the rule to one of the vendor's sites (SiteChina,
	// SiteIntl) where the metadata states a fact for that site only
	// (<props="china">…</props>); "" is a fact of both. Limit is the
	// site's own value of the rule's keyword when the sites state
	// different values (the schema then holds only what both agree on).
	Site       string     `yaml:"site,omitempty"`
	Limit      *float64   `yaml:"limit,omitempty"`
	Provenance Provenance `yaml:"provenance,omitempty"`
	// Refusal is the evidence that a request breaking the rule is refused
	// at all, where it is stronger than Provenance, which covers the code
	// too: a limit the metadata states, answered with a code we infer.
	// Accepting such a request deviates from the docs; answering another
	// code deviates from our reading only.
	Refusal *Provenance `yaml:"refusal,omitempty"`
	Pos     Pos         `yaml:"-"`

	op     *Operation
	schema *openapi3.Schema // the schema with Limit applied, built once
}

// The vendor's sites, as its metadata marks facts (<props="china">, <props="intl">).
const (
	SiteChina = "china" // the China site (aliyun.com)
	SiteIntl  = "intl"  // the international site (alibabacloud.com)
)

// Sites lists the sites a rule or profile may name.
var Sites = []string{SiteChina, SiteIntl}

// HoldsOn reports whether the rule applies on a site: a rule of both sites
// holds everywhere; a site's own rule holds only where that site is known
// to be the target's ("" knows none).
func (r *Rule) HoldsOn(site string) bool { return r.Site == "" || r.Site == site }

// RefusalProvenance is the evidence that a request breaking the rule is
// refused, whatever the code: Refusal when the contract gives it, else
// the rule's own provenance.
func (r *Rule) RefusalProvenance() Provenance {
	if r.Refusal != nil {
		return *r.Refusal
	}
	return r.Provenance
}

// ParamName is the parameter the rule applies to ("Members" for "Members[*]").
func (r *Rule) ParamName() string { return strings.TrimSuffix(r.Param, "[*]") }

// OnItems reports whether the rule applies to each item of an array parameter.
func (r *Rule) OnItems() bool { return strings.HasSuffix(r.Param, "[*]") }

// Target returns the parameter the rule applies to.
func (r *Rule) Target() *Param { return r.op.Param(r.ParamName()) }

// Schema returns the schema the rule's keyword is read from: the parameter's,
// or its items' for a rule on "Name[*]".
func (r *Rule) Schema() *openapi3.Schema {
	p := r.Target()
	if p == nil || p.Schema == nil {
		return nil
	}
	s := p.Schema
	if r.OnItems() {
		if p.Schema.Items == nil {
			return nil
		}
		s = p.Schema.Items.Value
	}
	if r.Limit == nil {
		return s
	}
	if r.schema == nil {
		r.schema = withLimit(s, r.Kind, *r.Limit)
	}
	return r.schema
}

// withLimit is a copy of s whose keyword kind holds v.
func withLimit(s *openapi3.Schema, kind string, v float64) *openapi3.Schema {
	c := *s
	n := uint64(v)
	switch kind {
	case RuleMaxLength:
		c.MaxLength = &n
	case RuleMinLength:
		c.MinLength = n
	case RuleMaxItems:
		c.MaxItems = &n
	case RuleMinItems:
		c.MinItems = n
	case RuleMaximum:
		c.Max = &v
	case RuleMinimum:
		c.Min = &v
	}
	return &c
}

// EffectivePattern is the regular expression a pattern rule enforces: its own
// (conditional rules) or its schema's.
func (r *Rule) EffectivePattern() string {
	if r.Pattern != "" {
		return r.Pattern
	}
	if s := r.Schema(); s != nil {
		return s.Pattern
	}
	return ""
}

// Accepted lists the codes a server may answer when the rule is broken: the
// chosen one first, then the other documented candidates.
func (r *Rule) Accepted() []string {
	out := []string{r.Error}
	for _, c := range r.Candidates {
		if c != r.Error {
			out = append(out, c)
		}
	}
	return out
}

// Safety classes of a case that provokes an error.
const (
	SafetyReadonly   = "readonly"   // rejected before any effect
	SafetyMutating   = "mutating"   // creates state; must clean up
	SafetyExhausting = "exhausting" // burns a quota
)

// Procedure is how a trigger's requests are sent.
type Procedure string

// Trigger procedures: how many requests provoke the state.
const (
	ProcedureSingle       Procedure = ""              // one request
	ProcedureConcurrent   Procedure = "concurrent"    // several at once; one must get the code
	ProcedureExhaustQuota Procedure = "exhaust-quota" // use the quota up, then one more
)

// Trigger is a state of the target that makes the server answer an error
// code, and how to provoke it: Request holds parameter values in which
// "{name}" stands for the target profile's input of that name; As names a
// credentials input to sign with.
type Trigger struct {
	State       string         `yaml:"state,omitempty"`
	Description string         `yaml:"description,omitempty"`
	Needs       []string       `yaml:"needs,omitempty"`
	Safety      string         `yaml:"safety,omitempty"`
	Request     map[string]any `yaml:"request,omitempty"`
	As          string         `yaml:"as,omitempty"`
	Procedure   Procedure      `yaml:"procedure,omitempty"`
	Quota       string         `yaml:"quota,omitempty"`
	Vary        *Vary          `yaml:"vary,omitempty"`
	Provenance  Provenance     `yaml:"provenance,omitempty"`
	// Refusal, as a rule's: the evidence that the state refuses the
	// request at all, where it is stronger than Provenance (which covers
	// the code too).
	Refusal *Provenance `yaml:"refusal,omitempty"`
	Pos     Pos         `yaml:"-"`
}

// RefusalProvenance is the evidence that the trigger's state refuses the
// request, whatever the code (Refusal, else the trigger's provenance).
func (t *Trigger) RefusalProvenance() Provenance {
	if t.Refusal != nil {
		return *t.Refusal
	}
	return t.Provenance
}

// Vary makes each request of a procedure differ: Param takes the
// successive values of the list input Over.
type Vary struct {
	Param string `yaml:"param,omitempty"`
	Over  string `yaml:"over,omitempty"`
}

// Placeholders returns the input names a trigger's request refers to.
func (t *Trigger) Placeholders() []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, PlaceholdersIn(x)...)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, v := range t.Request {
		walk(v)
	}
	sort.Strings(out)
	return out
}

// PlaceholdersIn lists the "{name}" placeholders of a text: a name is a
// letter or underscore, then letters, digits, '_', '.' or '-'. Braces
// around anything else (a JSON policy document's) are text.
func PlaceholdersIn(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '{' {
			continue
		}
		j := i + 1
		for j < len(s) && placeholderByte(s[j], j == i+1) {
			j++
		}
		if j > i+1 && j < len(s) && s[j] == '}' {
			out = append(out, s[i+1:j])
			i = j
		}
	}
	return out
}

func placeholderByte(c byte, first bool) bool {
	switch {
	case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', c == '_':
		return true
	case '0' <= c && c <= '9', c == '.', c == '-':
		return !first
	}
	return false
}

// Message-match modes for error messages.
const (
	MatchExact    = "exact"
	MatchPrefix   = "prefix"
	MatchTemplate = "template" // {Name} placeholders stand for any text
)

// ErrorCode is one documented error answer.
type ErrorCode struct {
	Code         string     `yaml:"code,omitempty"`
	Status       int        `yaml:"status,omitempty"`
	Message      string     `yaml:"message,omitempty"`
	MessageMatch string     `yaml:"message-match,omitempty"`
	Description  Text       `yaml:"description,omitempty"`
	Retryable    bool       `yaml:"retryable,omitempty"`
	Triggers     []*Trigger `yaml:"triggers,omitempty"`
	Provenance   Provenance `yaml:"provenance,omitempty"`
	// MessageProvenance, when set, is the provenance of the message's
	// wording alone (a gateway code whose status is observed but whose
	// wording varies by era or signature version).
	MessageProvenance *Provenance `yaml:"message-provenance,omitempty"`
	// StatusProvenance, when set, is the provenance of the HTTP status
	// alone (a code whose status no capture shows, or sources disagree on).
	StatusProvenance *Provenance `yaml:"status-provenance,omitempty"`
	// Unprovoked, when set, says why no rule, quota or trigger provokes the
	// code yet (an imported code whose state no one has described); the
	// suite lists it as skipped with that reason.
	Unprovoked string `yaml:"unprovoked,omitempty"`
	Pos        Pos    `yaml:"-"`
	// Platform is true for the gateway's codes common to every operation.
	Platform bool `yaml:"-"`
}

// MessageEvidence is the evidence level of the message's wording.
func (e *ErrorCode) MessageEvidence() (Evidence, Provenance) {
	if e.MessageProvenance != nil {
		return e.MessageProvenance.Level(), *e.MessageProvenance
	}
	return e.Provenance.Level(), e.Provenance
}

// StatusEvidence is the evidence level of the HTTP status.
func (e *ErrorCode) StatusEvidence() (Evidence, Provenance) {
	if e.StatusProvenance != nil {
		return e.StatusProvenance.Level(), *e.StatusProvenance
	}
	return e.Provenance.Level(), e.Provenance
}

// Match returns the message-match mode, exact unless the spec says otherwise.
func (e *ErrorCode) Match() string {
	if e.MessageMatch == "" {
		return MatchExact
	}
	return e.MessageMatch
}

// RAM is the operation's authorization information.
type RAM struct {
	Action               string         `yaml:"action,omitempty"`
	AccessLevel          string         `yaml:"access-level,omitempty"`
	Resources            []*RAMResource `yaml:"resources,omitempty"`
	ConditionKeys        []string       `yaml:"condition-keys,omitempty"`
	AssociatedOperations []string       `yaml:"associated-operations,omitempty"`
	Note                 string         `yaml:"note,omitempty"`
	Provenance           Provenance     `yaml:"provenance,omitempty"`
	Pos                  Pos            `yaml:"-"`
}

// RAMResource is one resource type an operation can be authorized on.
type RAMResource struct {
	Type      string `yaml:"type,omitempty"`
	Mandatory bool   `yaml:"mandatory,omitempty"`
	ARN       string `yaml:"arn,omitempty"`
}

// RateLimit is a request-rate budget: Requests per PerSeconds.
type RateLimit struct {
	Requests   int        `yaml:"requests,omitempty"`
	PerSeconds int        `yaml:"per-seconds,omitempty"`
	Provenance Provenance `yaml:"provenance,omitempty"`
	Pos        Pos        `yaml:"-"`
}

// PerSecond returns the budget as requests per second.
func (r *RateLimit) PerSecond() float64 {
	if r.PerSeconds <= 0 {
		return float64(r.Requests)
	}
	return float64(r.Requests) / float64(r.PerSeconds)
}

// Quota is a counted business limit, such as invitations per day.
type Quota struct {
	ID         string     `yaml:"id,omitempty"`
	Limit      int        `yaml:"limit,omitempty"`
	Period     string     `yaml:"period,omitempty"`
	Error      string     `yaml:"error,omitempty"`
	Provenance Provenance `yaml:"provenance,omitempty"`
	Pos        Pos        `yaml:"-"`
}

// Relation is a documented or inferred relation between response fields
// (or a field and a fixed value) that holds on a fresh success answer.
type Relation struct {
	ID          string     `yaml:"id,omitempty"`
	Field       string     `yaml:"field,omitempty"`
	EqualsValue string     `yaml:"equals-value,omitempty"`
	EqualsField string     `yaml:"equals-field,omitempty"`
	AfterField  string     `yaml:"after-field,omitempty"`
	Offset      string     `yaml:"offset,omitempty"`
	Description string     `yaml:"description,omitempty"`
	Provenance  Provenance `yaml:"provenance,omitempty"`
	Pos         Pos        `yaml:"-"`
}

// After is a state the docs say a success of an operation leaves behind,
// read back by another operation: after the success request, Read (its
// "{Name}" placeholders are the values the success request sent, and
// "{answer.Path}" those its answer gave) answers Field holding Equals
// (written the same way), or, with Absent, no longer holding it. Through a
// list in Field's path, some item holds it (none, with Absent).
type After struct {
	ID          string     `yaml:"id"`
	Read        *Call      `yaml:"read"`
	Field       string     `yaml:"field"`
	Equals      string     `yaml:"equals"`
	Absent      bool       `yaml:"absent,omitempty"`
	Description string     `yaml:"description"`
	Provenance  Provenance `yaml:"provenance"`
	Pos         Pos        `yaml:"-"`
}

// Change is one entry of a page's change history.
type Change struct {
	Date            string     `yaml:"date,omitempty"`
	Summary         Text       `yaml:"summary,omitempty"`
	Items           []string   `yaml:"items,omitempty"`
	AddedParameters []string   `yaml:"added-parameters,omitempty"`
	Provenance      Provenance `yaml:"provenance,omitempty"`
	Pos             Pos        `yaml:"-"`
}

// Reading is what one or more pages say about a disputed fact.
type Reading struct {
	Pages []string `yaml:"pages,omitempty"`
	Says  string   `yaml:"says,omitempty"`
}

// Disagreement records pages that disagree with each other or themselves,
// and the decision the contract takes.
type Disagreement struct {
	ID       string     `yaml:"id,omitempty"`
	Subject  string     `yaml:"subject,omitempty"`
	Readings []*Reading `yaml:"readings,omitempty"`
	Decision string     `yaml:"decision,omitempty"`
	Pos      Pos        `yaml:"-"`
}

// Example is one sample success body of an operation.
type Example struct {
	Name    string
	Summary string
	Value   any
	Pos     Pos
}

// API returns the contract the operation belongs to.
func (o *Operation) API() *API { return o.api }

// Param returns the operation's parameter of that name, or nil.
func (o *Operation) Param(name string) *Param {
	for _, p := range o.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ParamOf returns the parameter a wire key belongs to: the parameter of
// that very name (SystemDisk.Size is one name), else the one the key names
// less its list indexes and fields (Tag.1.Key is Tag's), else nil.
func (o *Operation) ParamOf(key string) *Param {
	for name := key; ; {
		if p := o.Param(name); p != nil {
			return p
		}
		i := strings.LastIndex(name, ".")
		if i < 0 {
			return nil
		}
		name = name[:i]
	}
}

// Error returns the error code as this operation answers it: its own
// documented code, else the platform's, else nil.
func (o *Operation) Error(code string) *ErrorCode {
	for _, e := range o.Errors {
		if e.Code == code {
			return e
		}
	}
	if o.api != nil {
		for _, e := range o.api.PlatformErrors {
			if e.Code == code {
				return e
			}
		}
	}
	return nil
}

// RulesFor returns the rules whose chosen code or candidates include code.
func (o *Operation) RulesFor(code string) []*Rule {
	var out []*Rule
	for _, r := range o.Rules {
		for _, c := range r.Accepted() {
			if c == code {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Disagreement returns the disagreement of that id, or nil.
func (o *Operation) Disagreement(id string) *Disagreement {
	for _, d := range o.Disagreements {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// Operation returns the operation of that action, or nil.
func (a *API) Operation(action string) *Operation {
	for _, o := range a.Operations {
		if o.Action == action {
			return o
		}
	}
	return nil
}

// Cite renders a provenance for reports, naming each page with its file,
// language and revision: "page: p000 fixtures/docs/000_….txt (en,
// 2023-12-18) — \"quote\" — reason".
func (a *API) Cite(p Provenance) string {
	var pages []string
	for _, id := range p.Pages {
		if s := a.Source(id); s != nil {
			date := s.LastUpdated
			if date == "" {
				date = "undated"
			}
			pages = append(pages, fmt.Sprintf("%s %s (%s, %s)", id, s.File, s.Language, date))
		}
	}
	out := p.Kind
	if len(pages) > 0 {
		out += ": " + strings.Join(pages, "; ")
	}
	if p.Quote != "" {
		out += ` — "` + p.Quote + `"`
	}
	if p.Reason != "" {
		out += " — " + strings.Join(strings.Fields(p.Reason), " ")
	}
	return out
}

// PlatformErrorFor returns the platform error whose trigger state is state.
func (a *API) PlatformErrorFor(state string) *ErrorCode {
	for _, e := range a.PlatformErrors {
		for _, t := range e.Triggers {
			if t.State == state {
				return e
			}
		}
	}
	return nil
}

// Source returns the page of that id, or nil.
func (a *API) Source(id string) *Source {
	for _, s := range a.Sources {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// PlatformError returns the platform error with this code, or nil.
func (a *API) PlatformError(code string) *ErrorCode {
	for _, e := range a.PlatformErrors {
		if e.Code == code {
			return e
		}
	}
	return nil
}

// RetryableCodes are the codes, of any operation or of the platform, the
// contract marks retryable.
func (a *API) RetryableCodes() map[string]bool {
	out := map[string]bool{}
	for _, op := range a.Operations {
		for _, er := range op.Errors {
			if er.Retryable {
				out[er.Code] = true
			}
		}
	}
	for _, er := range a.PlatformErrors {
		if er.Retryable {
			out[er.Code] = true
		}
	}
	return out
}
