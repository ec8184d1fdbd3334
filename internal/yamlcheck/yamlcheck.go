// Package yamlcheck decodes the YAML files users write (target profiles,
// baselines) strictly, and says what is wrong in the user's terms: the
// file, line and column, the key, what was expected there, and "did you
// mean" for a misspelt key — never a Go type name.
//
// It walks the YAML tree beside the Go type it will decode into before
// decoding, so every problem of a file is reported at once and at its own
// position.
package yamlcheck

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Problem is one thing wrong in a file.
type Problem struct {
	Line, Col int
	// Path is the key path to the problem (credentials.default.access-key-id).
	Path string
	Msg  string
}

// Error lists the problems of one file.
type Error struct {
	File     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		pos := e.File
		if p.Line > 0 {
			pos += fmt.Sprintf(":%d", p.Line)
			if p.Col > 0 {
				pos += fmt.Sprintf(":%d", p.Col)
			}
		}
		lines[i] = pos + ": " + p.Msg
	}
	return strings.Join(lines, "\n")
}

// Hint gives a specific message for a key the type does not have (a
// secret where only an environment variable's name belongs), or "".
type Hint func(path []string, key string) string

// Decode decodes data (named file in messages) into out, a pointer,
// refusing unknown keys and values of the wrong shape with positions.
func Decode(file string, data []byte, out any, hint Hint) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return syntaxError(file, data, err)
	}
	if len(root.Content) == 0 {
		return &Error{File: file, Problems: []Problem{{Msg: "the file is empty"}}}
	}
	doc := root.Content[0]
	c := &checker{hint: hint}
	c.walk(doc, reflect.TypeOf(out).Elem(), nil)
	if len(c.problems) > 0 {
		sort.SliceStable(c.problems, func(i, j int) bool {
			a, b := c.problems[i], c.problems[j]
			return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
		})
		return &Error{File: file, Problems: c.problems}
	}
	if err := doc.Decode(out); err != nil {
		return decodeError(file, err)
	}
	return nil
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError places a YAML syntax error at its line and quotes it.
func syntaxError(file string, data []byte, err error) error {
	msg := err.Error()
	m := lineRE.FindStringSubmatch(msg)
	if m == nil {
		return &Error{File: file, Problems: []Problem{{Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}}}
	}
	line, _ := strconv.Atoi(m[1])
	text := m[2]
	lines := strings.Split(string(data), "\n")
	if line >= 1 && line <= len(lines) {
		text += fmt.Sprintf(" (line %d reads %q; the mistake can be on a line above it, such as an unclosed bracket or quote, or a wrong indentation)", line, strings.TrimRight(lines[line-1], "\r"))
	}
	return &Error{File: file, Problems: []Problem{{Line: line, Msg: "not valid YAML: " + text}}}
}

var typeErrRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// decodeError turns what the decoder still refuses into positions.
func decodeError(file string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return &Error{File: file, Problems: []Problem{{Msg: stripGo(err.Error())}}}
	}
	e := &Error{File: file}
	for _, s := range te.Errors {
		p := Problem{Msg: stripGo(s)}
		if m := typeErrRE.FindStringSubmatch(s); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Msg = stripGo(m[2])
		}
		e.Problems = append(e.Problems, p)
	}
	return e
}

var goTypeRE = regexp.MustCompile(`cannot unmarshal !!(\w+) ` + "`" + `([^` + "`" + `]*)` + "`" + ` into (\S+)`)

// stripGo rewrites the decoder's wording that names Go types.
func stripGo(s string) string {
	if m := goTypeRE.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("%q is not %s", m[2], describeGoName(m[3]))
	}
	return s
}

func describeGoName(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping"
	case t == "int" || strings.HasPrefix(t, "int") || strings.HasPrefix(t, "uint"):
		return "a whole number"
	case t == "bool":
		return "true or false"
	case t == "float64" || t == "float32":
		return "a number"
	case t == "time.Duration":
		return "a duration (such as 500ms or 2s)"
	case t == "time.Time":
		return "a time (such as 2030-01-01T00:00:00Z)"
	case t == "string":
		return "a string"
	}
	return "a mapping"
}

type checker struct {
	hint     Hint
	problems []Problem
}

func (c *checker) add(n *yaml.Node, path []string, format string, args ...any) {
	c.problems = append(c.problems, Problem{Line: n.Line, Col: n.Column, Path: strings.Join(path, "."), Msg: fmt.Sprintf(format, args...)})
}

var (
	unmarshaler = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()
	duration    = reflect.TypeOf(time.Duration(0))
	timestamp   = reflect.TypeOf(time.Time{})
)

// keyName is how a message names the value at path.
func keyName(path []string) string {
	if len(path) == 0 {
		return "the file"
	}
	return fmt.Sprintf("key %q", strings.Join(path, "."))
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

func (c *checker) walk(n *yaml.Node, t reflect.Type, path []string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // an empty value leaves the zero value
	}
	if reflect.PointerTo(t).Implements(unmarshaler) || t.Implements(unmarshaler) {
		return // the type reads itself and says what is wrong
	}
	switch {
	case t == duration:
		if n.Kind != yaml.ScalarNode {
			c.add(n, path, "%s is a duration (such as 500ms or 2s), not %s", keyName(path), describe(n))
		} else if _, err := time.ParseDuration(n.Value); err != nil {
			if _, ierr := strconv.ParseInt(n.Value, 10, 64); ierr != nil {
				c.add(n, path, "%s is a duration (such as 500ms or 2s), not %q", keyName(path), n.Value)
			}
		}
		return
	case t == timestamp:
		var ts time.Time
		if n.Kind != yaml.ScalarNode || n.Decode(&ts) != nil {
			c.add(n, path, "%s is a time (such as 2030-01-01T00:00:00Z), not %s", keyName(path), describe(n))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			c.add(n, path, "%s is a mapping with the keys %s, not %s", keyName(path), strings.Join(fieldNames(t), ", "), describe(n))
			return
		}
		fields := structFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			f, ok := fields[k.Value]
			if !ok {
				c.unknown(k, path, k.Value, fieldNames(t))
				continue
			}
			c.walk(v, f, append(append([]string(nil), path...), k.Value))
		}
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			c.add(n, path, "%s is a mapping, not %s", keyName(path), describe(n))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			c.walk(n.Content[i+1], t.Elem(), append(append([]string(nil), path...), n.Content[i].Value))
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			c.add(n, path, "%s is a list, not %s", keyName(path), describe(n))
			return
		}
		for i, item := range n.Content {
			c.walk(item, t.Elem(), append(append([]string(nil), path...), strconv.Itoa(i)))
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			c.add(n, path, "%s is a string, not %s", keyName(path), describe(n))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if n.Kind != yaml.ScalarNode {
			c.add(n, path, "%s is a whole number, not %s", keyName(path), describe(n))
		} else if _, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err != nil {
			c.add(n, path, "%s is a whole number, not %q", keyName(path), n.Value)
		}
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
			c.add(n, path, "%s is true or false, not %s", keyName(path), describe(n))
		}
	}
}

func (c *checker) unknown(k *yaml.Node, path []string, key string, known []string) {
	if c.hint != nil {
		if h := c.hint(path, key); h != "" {
			c.add(k, path, "%s", h)
			return
		}
	}
	where := "here"
	if len(path) > 0 {
		where = "under " + strconv.Quote(strings.Join(path, "."))
	}
	msg := fmt.Sprintf("unknown key %q %s", key, where)
	if s := Suggest(key, known); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	} else if len(known) > 0 {
		msg += " (known keys: " + strings.Join(known, ", ") + ")"
	}
	c.add(k, path, "%s", msg)
}

// structFields maps a struct's YAML keys to their types.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range structFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func fieldNames(t reflect.Type) []string {
	var out []string
	for k := range structFields(t) {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Suggest is the known word closest to s, when it is close enough to be a
// likely misspelling; "" otherwise.
func Suggest(s string, known []string) string {
	best, bestD := "", -1
	for _, k := range known {
		d := distance(strings.ToLower(s), strings.ToLower(k))
		if bestD < 0 || d < bestD {
			best, bestD = k, d
		}
	}
	if bestD < 0 || bestD > max(2, len(s)/3) {
		return ""
	}
	return best
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
