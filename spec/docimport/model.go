// Package docimport turns vendor API reference pages into operations of the
// contract vocabulary. One reader serves every layout the vendor's sites
// publish — cells run together, the 2020–22 space-separated rows, pipe rows
// on one line or split over lines, one cell per line with or without pipes,
// the API portal — in English, Simplified and Traditional Chinese, Japanese
// and Portuguese: lines become cells (tables.go), rows are found by their
// type cell rather than by counting columns, error rows by a status and a
// dotted code, sections by their headings in five languages and by
// structure (the table that reaches RequestId is the response). Which
// operation a page documents is read from every signal it has, in a
// documented order (identity.go). Structure comes only from evidence:
// flat and dotted names, item rows, the platform's tag convention and the
// sample response.
//
// Facts carry their provenance: the page, or "prose" with the sentence a
// limit was read from. Pages of one operation (languages, revisions) merge
// into one; where they disagree the later revision wins and the conflict is
// reported with both values; a value cut short by the end of its page never
// wins over a whole one. Bad input never panics: it yields warnings naming
// file and line — including where a page cut short ends — and an error only
// when nothing names the operation.
package docimport

import "fmt"

// Page is what one doc page says.
type Page struct {
	File        string
	Language    string // en, zh-Hans, zh-Hant, ja, pt-BR
	Layout      string // reference, portal, markdown, cells
	Title       string
	Action      string
	ActionFrom  string // the signal that named the operation (identity.go)
	Summary     string
	Product     string
	Version     string
	LastUpdated string // yyyy-MM-dd
	Params      []*Field
	Response    []*Field
	Sample      string // the sample success body (JSON)
	Errors      []*ErrorRow
	RAM         *RAM
	Rate        *Limit // requests per second
	Quotas      []*Limit
	Changes     []*Change
	Warnings    []Warning
}

// Field is a parameter or response field; Children are nested fields, Item
// is the unnamed item row under an array.
type Field struct {
	Name        string
	Type        string // string, integer, boolean, number, object, array
	ItemType    string // for arrays: the items' type
	Required    *bool  // nil when the page does not say
	Description string
	Example     string
	Enum        []EnumValue
	Children    []*Field
	Limits      []*Limit
	Line        int
}

// EnumValue is one documented value.
type EnumValue struct {
	Value, Description string
}

// Limit is a constraint read from prose.
type Limit struct {
	Keyword string // maxItems, minItems, maxLength, pattern, quota-per-day, rate
	Value   string
	Quote   string
	Line    int
	Target  string // the field it applies to, or "" for the operation
}

// ErrorRow is one row of the error table.
type ErrorRow struct {
	Status      int
	Code        string
	Message     string
	Description string
	Line        int
	// Cut: the page ends inside this row; its text goes only as far as the
	// page does, and a complete copy on another page wins.
	Cut bool
}

// RAM is the authorization table.
type RAM struct {
	Action      string
	AccessLevel string
	Resources   []string // ARNs
	Line        int
}

// Change is one change-history entry.
type Change struct {
	Date  string
	Items []string
	Line  int
}

// Warning is something the importer could not read, by file and line.
type Warning struct {
	File string
	Line int
	Msg  string
}

func (w Warning) String() string {
	if w.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
	}
	return fmt.Sprintf("%s: %s", w.File, w.Msg)
}
