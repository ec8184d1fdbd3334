package docimport

import (
	"bytes"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// The merge edits a curated contract in place: new entries are spliced in
// as text at the end of the container they join, removed entries are cut
// out line by line, and every other byte of the file stays as its authors
// wrote it (indentation, quoting, comments, line wrapping), so a merge's
// diff is exactly the change.

// doc is a YAML file as lines, with its parsed tree for positions.
type doc struct {
	lines []string // each without its newline
	root  *yaml.Node
	// trailingNewline: the file ended with a newline.
	trailingNewline bool
}

func parseDoc(data []byte) (*doc, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	if len(n.Content) == 0 || n.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("the document is not a mapping")
	}
	text := string(data)
	d := &doc{root: n.Content[0], trailingNewline: strings.HasSuffix(text, "\n")}
	d.lines = strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return d, nil
}

func (d *doc) bytes() []byte {
	out := strings.Join(d.lines, "\n")
	if d.trailingNewline {
		out += "\n"
	}
	return []byte(out)
}

// topKeyEnd is the index (0-based) of the line after the last line of the
// top-level key's value: the next top-level key's line, less the comments
// and blank lines just before it (they belong to that key), or the end.
func (d *doc) topKeyEnd(key string) int {
	end := len(d.lines)
	for i := 0; i+1 < len(d.root.Content); i += 2 {
		if d.root.Content[i].Value != key {
			continue
		}
		if i+2 < len(d.root.Content) {
			end = d.root.Content[i+2].Line - 1
		}
		break
	}
	for end > 0 {
		l := strings.TrimSpace(d.lines[end-1])
		if l != "" && !strings.HasPrefix(l, "#") {
			break
		}
		end--
	}
	return end
}

// childIndent is the indentation of a container's entries: the column of
// its first entry (a key, or a sequence item's dash), or two spaces.
func (d *doc) childIndent(container *yaml.Node) string {
	if len(container.Content) > 0 {
		first := container.Content[0]
		line := d.lines[first.Line-1]
		col := len(line) - len(strings.TrimLeft(line, " "))
		return strings.Repeat(" ", col)
	}
	return "  "
}

// render encodes a node as block YAML, two spaces an indent, each line
// prefixed with indent.
func render(n *yaml.Node, indent string) ([]string, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if l == "" {
			out = append(out, l)
			continue
		}
		out = append(out, indent+l)
	}
	return out, nil
}

// appendEntries splices rendered entries at the end of a top-level key's
// value; a key whose value is empty or flow-style ([]) is not spliced into
// (the caller says so).
func (d *doc) appendEntries(key string, rendered []string) {
	at := d.topKeyEnd(key)
	lines := append([]string{}, d.lines[:at]...)
	lines = append(lines, rendered...)
	d.lines = append(lines, d.lines[at:]...)
}

// cutSequenceItems removes the items of a top-level block sequence that
// drop selects, line by line; a sequence left empty becomes [].
func (d *doc) cutSequenceItems(key string, seq *yaml.Node, drop func(*yaml.Node) bool) {
	end := d.topKeyEnd(key)
	type span struct{ from, to int }
	var cuts []span
	kept := 0
	for i, item := range seq.Content {
		if !drop(item) {
			kept++
			continue
		}
		from := item.Line - 1 // the dash's line
		to := end
		if i+1 < len(seq.Content) {
			to = seq.Content[i+1].Line - 1
		}
		cuts = append(cuts, span{from, to})
	}
	for i := len(cuts) - 1; i >= 0; i-- {
		c := cuts[i]
		d.lines = append(d.lines[:c.from], d.lines[c.to:]...)
	}
	if kept == 0 {
		for i := 0; i+1 < len(d.root.Content); i += 2 {
			if d.root.Content[i].Value == key {
				k := d.root.Content[i]
				d.lines[k.Line-1] = strings.Repeat(" ", k.Column-1) + key + ": []"
			}
		}
	}
}

// blockContainer says whether a top-level key's value is a block mapping or
// sequence with entries, the only form entries are spliced into as text.
func blockContainer(n *yaml.Node) bool {
	return n != nil && (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0 && len(n.Content) > 0
}
