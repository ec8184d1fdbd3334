package specdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats Write knows.
var Formats = []string{"text", "markdown", "json"}

// Write renders the report as text, markdown or json.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "", "text":
		return r.text(w)
	case "markdown", "md":
		return r.markdown(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if r.Changes == nil {
			r.Changes = []Change{}
		}
		return enc.Encode(r)
	}
	return fmt.Errorf("unknown format %q: want %s", format, strings.Join(Formats, ", "))
}

func where(c Change) string {
	if c.Operation == "" {
		return "(all operations)"
	}
	return c.Operation
}

func (r *Report) totals() string {
	cb, sb := r.Breaking()
	return fmt.Sprintf("%d change(s): %d breaking for clients, %d breaking for servers", len(r.Changes), cb, sb)
}

func (r *Report) text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "acsconform diff %s → %s\n", r.Old, r.New)
	if len(r.Changes) == 0 {
		b.WriteString("no changes\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	last := "\x00"
	for _, c := range r.Changes {
		if c.Operation != last {
			fmt.Fprintf(&b, "\n%s\n", where(c))
			last = c.Operation
		}
		fmt.Fprintf(&b, "  client %-8s server %-8s %s: %s\n", c.Client, c.Server, c.ID, c.Text)
		if c.Why != "" {
			fmt.Fprintf(&b, "  %35s %s\n", "why:", c.Why)
		}
	}
	fmt.Fprintf(&b, "\n%s\n", r.totals())
	_, err := io.WriteString(w, b.String())
	return err
}

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

func (r *Report) markdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Contract changes\n\n`%s` → `%s`: %s.\n\n", r.Old, r.New, r.totals())
	if len(r.Changes) == 0 {
		b.WriteString("No changes.\n")
	} else {
		b.WriteString("| operation | change | clients | servers | what | why |\n| --- | --- | --- | --- | --- | --- |\n")
		for _, c := range r.Changes {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s | %s |\n", where(c), c.ID, badge(c.Client), badge(c.Server), cell(c.Text), cell(c.Why))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func badge(i Impact) string {
	if i == Breaking {
		return "**breaking**"
	}
	return string(i)
}
