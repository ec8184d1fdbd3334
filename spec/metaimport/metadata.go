// Package metaimport reads the vendor's machine-readable API metadata (the
// api-docs.json its doc pages, portal and SDK generators are rendered from)
// and emits the contract's imported layer: every operation, parameter,
// response schema and documented error code, with the limits its Chinese
// and English prose states turned into rules, each fact citing where it was
// read. Hand decisions live in the curated layer, never here: the imported
// layer is rebuilt from fixtures/ by `make generate`.
package metaimport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Doc is one product version's metadata.
type Doc struct {
	Info struct {
		Style   string `json:"style"`
		Product string `json:"product"`
		Version string `json:"version"`
	} `json:"info"`
	Directories Directories     `json:"directories"`
	APIs        map[string]*API `json:"apis"`
	Endpoints   []*Endpoint     `json:"endpoints"`
	// ROA: the product is REST-style (its operations on paths and
	// methods), read from info.style or from the shape of a V3 file.
	ROA bool `json:"-"`
}

// Directory groups operations by topic (titles in Chinese).
type Directory struct {
	Title    string   `json:"title"`
	Children []string `json:"children"`
}

// Directories are the topics the operations are listed under. The vendor
// writes them in several shapes: a list of {title, children: [action …]},
// children that are themselves directories (their titles joined by " / "),
// or a bare list of action names. Whatever cannot be read is skipped and
// named in Skipped with its JSON path; topics only group operations.
type Directories struct {
	List    []*Directory
	Skipped []string
}

// UnmarshalJSON reads every shape of the directories.
func (d *Directories) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	var walk func(path, title string, v any)
	add := func(title, action string) {
		for _, dir := range d.List {
			if dir.Title == title {
				dir.Children = append(dir.Children, action)
				return
			}
		}
		d.List = append(d.List, &Directory{Title: title, Children: []string{action}})
	}
	walk = func(path, title string, v any) {
		switch x := v.(type) {
		case nil:
		case string:
			add(title, x)
		case []any:
			for i, it := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), title, it)
			}
		case map[string]any:
			t, _ := x["title"].(string)
			if title != "" && t != "" {
				t = title + " / " + t
			} else if t == "" {
				t = title
			}
			if children, ok := x["children"]; ok {
				walk(path+".children", t, children)
			} else if _, ok := x["title"]; !ok {
				d.Skipped = append(d.Skipped, path+": an entry with neither title nor children")
			}
		default:
			d.Skipped = append(d.Skipped, fmt.Sprintf("%s: %T, not a directory or an action name", path, v))
		}
	}
	walk("directories", "", v)
	return nil
}

// Endpoint is one regional endpoint.
type Endpoint struct {
	RegionID string `json:"regionId"`
	Endpoint string `json:"endpoint"`
}

// API is one operation.
type API struct {
	Title         string   `json:"title"`
	Summary       string   `json:"summary"`
	Description   string   `json:"description"`
	Methods       []string `json:"methods"`
	Path          string   `json:"path"`
	OperationType string   `json:"operationType"`
	Deprecated    bool     `json:"deprecated"`
	SystemTags    struct {
		OperationType string `json:"operationType"`
	} `json:"systemTags"`
	Parameters   []*Parameter             `json:"parameters"`
	Responses    map[string]*Response     `json:"responses"`
	ErrorCodes   map[string][]*ErrorEntry `json:"errorCodes"`
	ResponseDemo string                   `json:"responseDemo"`
}

// restShaped names an operation of doc that is not RPC-shaped and why: a
// REST path, or a parameter in the path, a header or a JSON body ("" when
// every operation travels as RPC).
func restShaped(doc *Doc) (action, why string) {
	for _, a := range doc.Actions() {
		api := doc.APIs[a]
		if api == nil {
			continue
		}
		if api.Path != "" && api.Path != "/" {
			return a, "sits on the path " + strconv.Quote(api.Path)
		}
		for _, p := range api.Parameters {
			if p != nil && p.In != "" && p.In != "query" && p.In != "formData" {
				return a, "has parameter " + p.Name + " in " + p.In
			}
		}
	}
	return "", ""
}

// Parameter is one request parameter.
type Parameter struct {
	Name   string  `json:"name"`
	In     string  `json:"in"`
	Style  string  `json:"style"`
	Schema *Schema `json:"schema"`
}

// Response is one documented answer.
type Response struct {
	Schema *Schema `json:"schema"`
}

// ErrorEntry is one row of the error catalogue.
type ErrorEntry struct {
	Code    string `json:"errorCode"`
	Message string `json:"errorMessage"`
}

// Schema is the metadata's JSON-Schema-like tree. Numbers arrive as
// strings as often as numbers; Number reads either.
type Schema struct {
	Title           string            `json:"title"`
	Description     string            `json:"description"`
	Type            string            `json:"type"`
	Format          string            `json:"format"`
	Required        bool              `json:"required"`
	Example         any               `json:"example"`
	Default         any               `json:"default"`
	Enum            []any             `json:"enum"`
	EnumValueTitles map[string]string `json:"enumValueTitles"`
	Pattern         string            `json:"pattern"`
	Minimum         any               `json:"minimum"`
	Maximum         any               `json:"maximum"`
	MaxItems        any               `json:"maxItems"`
	MinItems        any               `json:"minItems"`
	MaxLength       any               `json:"maxLength"`
	MinLength       any               `json:"minLength"`
	Items           *Schema           `json:"items"`
	Properties      Properties        `json:"properties"`
}

// Property is one named field of an object schema.
type Property struct {
	Name   string
	Schema *Schema
}

// Properties keeps an object's fields in the order the metadata lists them.
type Properties []Property

// UnmarshalJSON reads an object keeping its key order.
func (p *Properties) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("properties: want an object")
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := k.(string)
		var s Schema
		if err := dec.Decode(&s); err != nil {
			return fmt.Errorf("properties: %s: %w", name, err)
		}
		*p = append(*p, Property{Name: name, Schema: &s})
	}
	_, err = dec.Token()
	return err
}

// Get returns the named property's schema, or nil.
func (p Properties) Get(name string) *Schema {
	for _, x := range p {
		if x.Name == name {
			return x.Schema
		}
	}
	return nil
}

// Number reads a metadata number given as a number or a string.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// Parse reads an api-docs.json. Errors name the file and the line and
// column where the JSON breaks, or the key whose value has the wrong type.
func Parse(name string, data []byte) (*Doc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty", name)
	}
	var doc Doc
	if err := json.Unmarshal(data, &doc); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			l, c := lineCol(data, se.Offset)
			return nil, fmt.Errorf("%s:%d:%d: not JSON: %v", name, l, c, se)
		case errors.As(err, &te):
			l, c := lineCol(data, te.Offset)
			return nil, fmt.Errorf("%s:%d:%d: %s is %s, want %s", name, l, c, te.Field, te.Value, te.Type)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Info.Product == "" || doc.Info.Version == "" {
		return nil, fmt.Errorf("%s: info.product and info.version are missing: not the vendor's API metadata", name)
	}
	if len(doc.APIs) == 0 {
		return nil, fmt.Errorf("%s: apis is empty: the metadata describes no operation", name)
	}
	switch doc.Info.Style {
	case "", "RPC":
	case "ROA":
		doc.ROA = true
	case "V3":
		// The V3 style names how the vendor's newer SDKs call a product,
		// not its wire: a V3 product whose operations sit on no REST path,
		// with parameters in the query or a form body, is called exactly as
		// an RPC one (Action and Version, v1 or v3 signatures); one on REST
		// paths is a ROA product.
		if a, _ := restShaped(&doc); a != "" {
			doc.ROA = true
		}
	default:
		return nil, fmt.Errorf("%s: info.style is %q: only RPC products are read", name, doc.Info.Style)
	}
	for _, action := range doc.Actions() {
		a := doc.APIs[action]
		if a == nil {
			return nil, fmt.Errorf("%s: apis.%s is null", name, action)
		}
		if !isIdent(action) {
			return nil, fmt.Errorf("%s: apis.%q is not an action name", name, action)
		}
		for i, p := range a.Parameters {
			if p == nil || p.Schema == nil || !isParamName(p.Name) {
				return nil, fmt.Errorf("%s: apis.%s.parameters[%d]: a parameter needs a name and a schema", name, action, i)
			}
		}
	}
	return &doc, nil
}

// Actions lists the operations in name order.
func (d *Doc) Actions() []string {
	out := make([]string, 0, len(d.APIs))
	for k := range d.APIs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Topic returns the directory title an action is listed under, or "".
func (d *Doc) Topic(action string) string {
	for _, dir := range d.Directories.List {
		if dir == nil {
			continue
		}
		for _, c := range dir.Children {
			if c == action {
				return dir.Title
			}
		}
	}
	return ""
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	if off < 0 {
		off = 0
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// isParamName: an identifier, or identifiers joined by dots or hyphens
// (SystemDisk.Size, X-Acs-Header): names the wire carries as they are.
func isParamName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' }) {
		if !isIdent(part) && !isDigits(part) {
			return false
		}
	}
	return !strings.HasPrefix(s, ".") && !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, ".") && !strings.Contains(s, "..") && isIdent(string(s[0]))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isIdent(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
