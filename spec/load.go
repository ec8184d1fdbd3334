package spec

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

//go:embed resourcedirectorymaster.yaml
var embedded []byte

//go:embed *.yaml
var layers embed.FS

//go:embed products.txt
var productList string

// EmbeddedName is the name the embedded contract reports in positions.
const EmbeddedName = "spec/resourcedirectorymaster.yaml"

// Products are the embedded contracts, one per product, by file stem; the
// first is the default one (Load). products.txt lists them.
var Products = builtIn(productList)

// BuiltIn is one line of products.txt: a product's file stem and the
// vendor metadata file its imported layer is read from.
type BuiltIn struct {
	Stem, Metadata string
}

// BuiltIns are the lines of products.txt, in order.
func BuiltIns() []BuiltIn { return ParseProducts(productList) }

func builtIn(list string) []string {
	var out []string
	for _, b := range ParseProducts(list) {
		out = append(out, b.Stem)
	}
	return out
}

// ParseProducts reads products.txt: "stem metadata-file" per line, #
// comments and blank lines skipped.
func ParseProducts(list string) []BuiltIn {
	var out []BuiltIn
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		b := BuiltIn{Stem: f[0]}
		if len(f) > 1 {
			b.Metadata = f[1]
		}
		out = append(out, b)
	}
	return out
}

// Embedded returns a copy of the embedded contract's bytes.
func Embedded() []byte { return bytes.Clone(embedded) }

// Load parses the embedded contract with its imported layers.
func Load() (*API, error) {
	return ParseLayered(EmbeddedName, embedded, func(name string) ([]byte, error) { return layers.ReadFile(name) })
}

// LoadProduct parses the embedded contract of a product, named by its file
// stem (resourcemanager) or its product code (ResourceManager), in any case.
func LoadProduct(name string) (*API, error) {
	stem := strings.ToLower(name)
	if !slices.Contains(Products, stem) {
		return nil, fmt.Errorf("spec: no embedded contract for product %q (there are: %s)", name, strings.Join(Products, ", "))
	}
	if stem == Products[0] {
		return Load()
	}
	data, err := layers.ReadFile(stem + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	return ParseLayered("spec/"+stem+".yaml", data, func(name string) ([]byte, error) { return layers.ReadFile(name) })
}

// LoadNamed loads what a --contract flag names: "" the default embedded
// contract, a file (a path, or a name ending in .yaml or .yml, or one that
// exists), or the embedded contract of a product.
func LoadNamed(name string) (*API, error) {
	switch {
	case name == "":
		return Load()
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") || strings.ContainsAny(name, `/\`):
		return LoadFile(name)
	}
	if _, err := os.Stat(name); err == nil {
		return LoadFile(name)
	}
	return LoadProduct(name)
}

// EmbeddedLayer returns the bytes of an embedded file a contract imports
// (an imported layer, the gateway layer) or of a product's curated document.
func EmbeddedLayer(name string) ([]byte, error) { return layers.ReadFile(name) }

// LoadFile reads and parses a contract file; the layers it imports are
// read from beside it.
func LoadFile(file string) (*API, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("spec: %w", err)
	}
	dir := filepath.Dir(file)
	return ParseLayered(file, data, func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) })
}

// Problem is one reason a document is not a usable contract.
type Problem struct {
	Pos Pos
	Msg string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Msg }

// LoadError lists every problem found in a document that could be parsed
// but does not make a consistent contract.
type LoadError struct {
	File     string
	Problems []Problem
}

func (e *LoadError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("spec: %s: %d problem(s):\n%s", e.File, len(e.Problems), strings.Join(lines, "\n"))
}

// Parse builds the typed contract from a document's bytes; name is used in
// positions and messages. It fails on YAML or OpenAPI errors and on an x-acs-*
// vocabulary that is malformed or inconsistent (a *LoadError lists each).
//
// A document that imports layers (x-acs-imports) takes them from the
// embedded contract's layers: Parse of an edited copy of the contract
// loads with the layers it was built with. LoadFile and ParseLayered read
// them from disk instead.
func Parse(name string, data []byte) (*API, error) {
	return parseDoc(name, data, func(n string) ([]byte, error) { return layers.ReadFile(n) }, false)
}

// ParseLayered is Parse for a document that imports layers (x-acs-imports):
// open reads each by the name the document gives.
func ParseLayered(name string, data []byte, open Opener) (*API, error) {
	return parseDoc(name, data, open, false)
}

// parseDoc parses one document; a layer is checked only once merged into
// the document that imports it.
func parseDoc(name string, data []byte, open Opener, layer bool) (*API, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("spec: %s: the file is empty", name)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("spec: %s: not YAML: %w", name, err)
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("spec: %s: not an OpenAPI document (the top level is not a mapping)", name)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	loader.IncludeOrigin = true
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("spec: %s: not an OpenAPI document: %w", name, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.0") {
		return nil, fmt.Errorf("spec: %s: openapi version %q, want 3.0.x", name, doc.OpenAPI)
	}
	// Examples are validated by lint with masking applied (see Unmask): the
	// vendor's samples hide ID tails behind "****".
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("spec: %s: invalid OpenAPI: %w", name, err)
	}
	d := &decoder{file: name, layer: layer}
	api := d.api(root.Content[0], doc)
	var layerBytes []byte
	if !layer && len(d.problems) == 0 {
		layerBytes = d.layered(root.Content[0], api, open)
	}
	if !layer && len(d.problems) == 0 && len(api.Operations) == 0 {
		d.problem(d.paths, "the document declares no operation, and the layers it imports none either")
	}
	if !layer && len(d.problems) == 0 {
		d.check(api)
	}
	if len(d.problems) > 0 {
		return nil, &LoadError{File: name, Problems: d.problems}
	}
	api.Digest = digestOf(data, layerBytes)
	if layerBytes == nil {
		api.Digest = fmt.Sprintf("sha256:%x", sha256.Sum256(data))
	}
	return api, nil
}

// decoder turns yaml nodes into the model and collects problems.
type decoder struct {
	file     string
	problems []Problem
	// layer is set while decoding an imported layer: it may leave out the
	// product (x-acs-api) and declare no operation (a gateway layer).
	layer bool
	// paths is the document's paths node, for the "no operation" problem
	// raised once the layers are merged.
	paths *yaml.Node
}

func (d *decoder) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) problem(n *yaml.Node, format string, args ...any) {
	d.problems = append(d.problems, Problem{Pos: d.pos(n), Msg: fmt.Sprintf(format, args...)})
}

// get returns the value node of key in a mapping node, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// decode decodes a node into v after checking that every mapping key is one
// the vocabulary knows, so a misspelt key is an error rather than a lost fact.
// gateway checks the gateway facts that templates and lists must satisfy.
func (d *decoder) gateway(n *yaml.Node, g *Gateway) {
	for _, f := range []struct {
		key  string
		fact *GatewayFact[string]
		must []string
	}{
		{"recommend", g.Recommend, []string{"{Code}"}},
		{"signature-mismatch-v1", g.SignatureMismatchV1, []string{"{StringToSign}"}},
		{"signature-mismatch-v3", g.SignatureMismatchV3, []string{"{StringToSign}"}},
	} {
		if f.fact == nil {
			continue
		}
		for _, m := range f.must {
			if !strings.Contains(f.fact.Value, m) {
				d.problem(get(n, f.key), "x-acs-gateway: %s %q has no %s", f.key, f.fact.Value, m)
			}
		}
	}
	fields := []string{"RequestId", "Message", "Recommend", "HostId", "Code"}
	for _, f := range []struct {
		key  string
		fact *GatewayFact[[]string]
	}{{"error-key-order", g.ErrorKeyOrder}, {"xml-error-order", g.XMLErrorOrder}} {
		if f.fact == nil {
			continue
		}
		seen := map[string]bool{}
		for _, k := range f.fact.Value {
			if !slices.Contains(fields, k) || seen[k] {
				d.problem(get(n, f.key), "x-acs-gateway: %s: %q is not one of %s, or is listed twice", f.key, k, strings.Join(fields, ", "))
			}
			seen[k] = true
		}
		if len(seen) != len(fields) {
			d.problem(get(n, f.key), "x-acs-gateway: %s must list each of %s once", f.key, strings.Join(fields, ", "))
		}
	}
}

func (d *decoder) decode(n *yaml.Node, what string, v any) bool {
	if n == nil {
		return false
	}
	before := len(d.problems)
	d.checkKeys(n, reflect.TypeOf(v).Elem(), what)
	if len(d.problems) > before {
		return false
	}
	if err := n.Decode(v); err != nil {
		d.problem(n, "%s: %v", what, err)
		return false
	}
	return true
}

func (d *decoder) checkKeys(n *yaml.Node, t reflect.Type, what string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for _, item := range n.Content {
			d.checkKeys(item, t.Elem(), what)
		}
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := map[string]reflect.Type{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				fields[tag] = f.Type
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				d.problem(k, "%s: unknown key %q", what, k.Value)
				continue
			}
			d.checkKeys(n.Content[i+1], ft, what)
		}
	}
}

// setPos records item positions on a decoded list.
func setPos[T any](d *decoder, n *yaml.Node, items []*T, pos func(*T) *Pos) {
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range items {
		if i < len(n.Content) && item != nil {
			*pos(item) = d.pos(n.Content[i])
		}
	}
}

type apiExt struct {
	Product            string     `yaml:"product"`
	ProductName        string     `yaml:"product-name"`
	Version            string     `yaml:"version"`
	Endpoint           string     `yaml:"endpoint"`
	Style              string     `yaml:"style"`
	Path               string     `yaml:"path"`
	Methods            []string   `yaml:"methods"`
	ParameterLocations []string   `yaml:"parameter-locations"`
	Formats            []string   `yaml:"formats"`
	Signatures         []string   `yaml:"signatures"`
	ClockSkew          string     `yaml:"clock-skew"`
	Provenance         Provenance `yaml:"provenance"`
}

var rootExtensions = map[string]bool{ExtApi: true, ExtSources: true, ExtPlatformErrors: true, ExtGateway: true,
	ExtImports: true, ExtCuration: true, ExtInputs: true}

func (d *decoder) api(root *yaml.Node, doc *openapi3.T) *API {
	api := &API{File: d.file, Doc: doc}
	d.unknownExtensions(root, rootExtensions, "document")
	var ext apiExt
	n := get(root, ExtApi)
	if n == nil && !d.layer {
		d.problem(root, "x-acs-api is missing: the document does not say which product and version it describes")
	} else if n != nil && d.decode(n, ExtApi, &ext) {
		api.Product, api.ProductName, api.Version = ext.Product, ext.ProductName, ext.Version
		api.Endpoint, api.Style, api.Path = ext.Endpoint, ext.Style, ext.Path
		api.Methods, api.ParameterLocations = ext.Methods, ext.ParameterLocations
		api.Formats, api.Signatures, api.Provenance = ext.Formats, ext.Signatures, ext.Provenance
		if ext.ClockSkew != "" {
			skew, err := time.ParseDuration(ext.ClockSkew)
			if err != nil || skew <= 0 {
				d.problem(get(n, "clock-skew"), "x-acs-api: clock-skew %q is not a positive duration", ext.ClockSkew)
			}
			api.ClockSkew = skew
		}
	}
	if n := get(root, ExtGateway); n != nil {
		var g Gateway
		if d.decode(n, ExtGateway, &g) {
			api.Gateway = &g
			d.gateway(n, &g)
		}
	}
	if n := get(root, ExtInputs); n != nil && d.decode(n, ExtInputs, &api.Inputs) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if in := api.Inputs[n.Content[i].Value]; in != nil {
				in.Pos = d.pos(n.Content[i])
			}
		}
	}
	if n := get(root, ExtSources); d.decode(n, ExtSources, &api.Sources) {
		setPos(d, n, api.Sources, func(s *Source) *Pos { return &s.Pos })
	}
	if n := get(root, ExtPlatformErrors); d.decode(n, ExtPlatformErrors, &api.PlatformErrors) {
		d.errorPositions(n, api.PlatformErrors)
		for _, e := range api.PlatformErrors {
			e.Platform = true
		}
	}
	paths := get(root, "paths")
	if paths == nil || paths.Kind != yaml.MappingNode {
		d.problem(root, "paths is missing")
		return api
	}
	d.paths = paths
	for i := 0; i+1 < len(paths.Content); i += 2 {
		key, item := paths.Content[i], paths.Content[i+1]
		pathItem := doc.Paths.Value(key.Value)
		if pathItem == nil {
			continue
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			method := item.Content[j].Value
			if strings.HasPrefix(method, "x-") || method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			kop := pathItem.Post
			if api.Style == StyleROA {
				// A REST-style product: each operation on its own path and
				// method.
				kop = pathItem.GetOperation(strings.ToUpper(method))
				if kop == nil {
					d.problem(item.Content[j], "path %s: %s is not an HTTP method (get, post, put, patch, delete, head)", key.Value, method)
					continue
				}
			} else if method != "post" {
				d.problem(item.Content[j], "path %s: RPC operations are declared under post (the SDKs' method); found %s", key.Value, method)
				continue
			}
			if kop == nil || item.Content[j+1].Kind != yaml.MappingNode {
				d.problem(item.Content[j], "path %s: %s is empty", key.Value, method)
				continue
			}
			if op := d.operation(api, key.Value, item.Content[j+1], kop); op != nil {
				if api.Style == StyleROA {
					op.Method = strings.ToUpper(method)
				}
				api.Operations = append(api.Operations, op)
			}
		}
	}
	return api
}

func (d *decoder) unknownExtensions(n *yaml.Node, known map[string]bool, where string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if strings.HasPrefix(k, "x-acs-") && !known[k] {
			d.problem(n.Content[i], "%s: unknown extension %q", where, k)
		}
	}
}

func (d *decoder) errorPositions(n *yaml.Node, errs []*ErrorCode) {
	setPos(d, n, errs, func(e *ErrorCode) *Pos { return &e.Pos })
	for i, e := range errs {
		if i < len(n.Content) {
			setPos(d, get(n.Content[i], "triggers"), e.Triggers, func(t *Trigger) *Pos { return &t.Pos })
		}
	}
}

// Unmask returns an example value with the vendor's masking undone for
// validation: in a string containing "***" (the vendor masks with three
// stars or more) every '*' stands for one hidden letter or digit and reads
// as '0'. Other values are returned as they are.
// Masked reports whether an example holds a vendor-masked value ("***"
// in a string, or in any item of a list or object): a value the server
// issued (an ID, a token) that names nothing on any other target.
func Masked(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "***")
	case []any:
		for _, e := range x {
			if Masked(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if Masked(e) {
				return true
			}
		}
	}
	return false
}

// ServerIssued reports whether a parameter's name says the server issues
// its values: an ID (FolderId, AccountIds) or a paging token (NextToken).
// A masked sample of such a value names nothing on another target; a
// masked phone number or e-mail address is only hidden, and its shape
// still serves.
func ServerIssued(name string) bool {
	for _, suffix := range []string{"Id", "Ids", "ID", "IDs", "Token"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

func Unmask(v any) any {
	switch x := v.(type) {
	case string:
		if strings.Contains(x, "***") {
			return strings.ReplaceAll(x, "*", "0")
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Unmask(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = Unmask(e)
		}
		return out
	}
	return v
}
