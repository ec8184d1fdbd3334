package spec

import "github.com/getkin/kin-openapi/openapi3"

// RuleKind declares one kind of rule once. A rule names the schema keyword
// it enforces; this table says what values the keyword constrains, where it
// may apply, how to tell it is set, and which documented codes usually
// answer it. The loader checks rules against it, the generator and the case
// builder refuse a kind it does not list (and a test holds them to every
// kind it lists), the importer derives rules and picks codes from it. A new
// kind is one entry here, its validator template and its cases.
type RuleKind struct {
	Name string
	// Values is what the keyword constrains: ValuesAny, ValuesString,
	// ValuesNumber or ValuesList (the list as a whole).
	Values string
	// Items: the keyword may apply to each item of a list (items.<kw>).
	Items bool
	// Flat: the keyword applies to a flat list (Tag.N.Key) as a whole.
	Flat bool
	// Set reports whether a schema states the keyword (nil: nothing to
	// read, as for required, which is the parameter's own flag).
	Set func(s *openapi3.Schema) bool
	// Codes are the shapes of the codes that answer a broken rule of the
	// kind, the most specific first; %s is the parameter's name. The
	// importer takes the first the catalogue documents.
	Codes []string
}

// What a rule kind constrains.
const (
	ValuesAny    = "any"
	ValuesString = "string"
	ValuesNumber = "number"
	ValuesList   = "list"
)

// ruleKinds is the table, in the order an importer derives a parameter's
// rules: presence, then the value's shape, then counts.
var ruleKinds = []*RuleKind{
	{Name: RuleRequired, Values: ValuesAny, Flat: true,
		Codes: []string{"MissingParameter.%s", "Missing%s", "MissingParameter"}},
	{Name: RuleEnum, Values: ValuesString, Items: true, Set: func(s *openapi3.Schema) bool { return len(s.Enum) > 0 },
		Codes: []string{"InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RulePattern, Values: ValuesString, Items: true, Set: func(s *openapi3.Schema) bool { return s.Pattern != "" },
		Codes: []string{"InvalidParameter.%s.Format", "InvalidParameter.%s.InvalidChars", "InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RuleMinLength, Values: ValuesString, Items: true, Set: func(s *openapi3.Schema) bool { return s.MinLength > 0 },
		Codes: []string{"InvalidParameter.%s.Length", "InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RuleMaxLength, Values: ValuesString, Items: true, Set: func(s *openapi3.Schema) bool { return s.MaxLength != nil },
		Codes: []string{"InvalidParameter.%s.Length", "InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RuleMinimum, Values: ValuesNumber, Set: func(s *openapi3.Schema) bool { return s.Min != nil },
		Codes: []string{"InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RuleMaximum, Values: ValuesNumber, Set: func(s *openapi3.Schema) bool { return s.Max != nil },
		Codes: []string{"InvalidParameter.%s", "Invalid%s", "InvalidParameter"}},
	{Name: RuleMinItems, Values: ValuesList, Flat: true, Set: func(s *openapi3.Schema) bool { return s.MinItems > 0 },
		Codes: []string{"InvalidParameter.%s", "InvalidParameter"}},
	{Name: RuleMaxItems, Values: ValuesList, Flat: true, Set: func(s *openapi3.Schema) bool { return s.MaxItems != nil },
		Codes: []string{"LimitExceeded.%s", "InvalidParameter.%s.Length", "InvalidParameter.%s", "InvalidParameter"}},
	{Name: RuleUniqueItems, Values: ValuesList, Set: func(s *openapi3.Schema) bool { return s.UniqueItems },
		Codes: []string{"InvalidParameter.%s.Duplicate"}},
}

// RuleKinds lists every rule kind's name, in the table's order.
var RuleKinds = func() []string {
	out := make([]string, len(ruleKinds))
	for i, k := range ruleKinds {
		out[i] = k.Name
	}
	return out
}()

// KindOf returns the declaration of a rule kind, or nil for an unknown one.
func KindOf(name string) *RuleKind {
	for _, k := range ruleKinds {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// Kinds returns the table (read-only), in derivation order.
func Kinds() []*RuleKind { return ruleKinds }
