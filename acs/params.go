package acs

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// ParamError says why an RPC parameter could not be decoded. Key is the
// offending wire key ("Members.0"), Param the parameter it belongs to.
type ParamError struct {
	Param  string
	Key    string
	Reason string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("acs: parameter %q: %s", e.Key, e.Reason)
}

// EncodeRepeatList sets name.1 … name.N to the items (a repeat list).
func EncodeRepeatList(v url.Values, name string, items []string) {
	for i, item := range items {
		v.Set(name+"."+strconv.Itoa(i+1), item)
	}
}

// EncodeFlat sets name.N.Field for each item's fields (a flat list of
// objects). Empty field values are left out.
func EncodeFlat(v url.Values, name string, items []map[string]string) {
	for i, item := range items {
		prefix := name + "." + strconv.Itoa(i+1) + "."
		for k, val := range item {
			if val != "" {
				v.Set(prefix+k, val)
			}
		}
	}
}

// DecodeRepeatList reads name.1 … name.N. Indexes count from 1 without gaps;
// a key given twice, an index that is not a positive decimal number, a gap,
// or a nested key (name.1.x) is a *ParamError. No key means a nil list.
func DecodeRepeatList(v url.Values, name string) ([]string, error) {
	idx, err := indexes(v, name, false)
	if err != nil || len(idx) == 0 {
		return nil, err
	}
	out := make([]string, len(idx))
	for i := range out {
		out[i] = v.Get(name + "." + strconv.Itoa(i+1))
	}
	return out, nil
}

// DecodeFlat reads name.N.Field for the given fields. The same index rules
// as DecodeRepeatList apply to N; a field not among fields is a *ParamError.
func DecodeFlat(v url.Values, name string, fields ...string) ([]map[string]string, error) {
	idx, err := indexes(v, name, true)
	if err != nil || len(idx) == 0 {
		return nil, err
	}
	out := make([]map[string]string, len(idx))
	for i := range out {
		out[i] = map[string]string{}
	}
	prefix := name + "."
	for key, vals := range v {
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		n, field, _ := strings.Cut(key[len(prefix):], ".")
		i, _ := strconv.Atoi(n)
		if !contains(fields, field) {
			return nil, &ParamError{Param: name, Key: key, Reason: fmt.Sprintf("unknown field %q (want one of %s)", field, strings.Join(fields, ", "))}
		}
		out[i-1][field] = vals[0]
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// indexes returns the sorted distinct indexes used under name, checking the
// wire rules. nested says whether keys are name.N.Field (flat) or name.N.
func indexes(v url.Values, name string, nested bool) ([]int, error) {
	prefix := name + "."
	seen := map[int]bool{}
	for key, vals := range v {
		if key == name {
			return nil, &ParamError{Param: name, Key: key, Reason: fmt.Sprintf("a list travels as %s.1, %s.2, …", name, name)}
		}
		if !strings.HasPrefix(key, prefix) {
			continue
		}
		n, rest, hasRest := strings.Cut(key[len(prefix):], ".")
		if hasRest != nested || (nested && rest == "") {
			want := name + ".N"
			if nested {
				want += ".Field"
			}
			return nil, &ParamError{Param: name, Key: key, Reason: "malformed key, want " + want}
		}
		i, err := strconv.Atoi(n)
		if err != nil || i < 1 || n != strconv.Itoa(i) {
			return nil, &ParamError{Param: name, Key: key, Reason: fmt.Sprintf("index %q is not a whole number from 1", n)}
		}
		if len(vals) > 1 {
			return nil, &ParamError{Param: name, Key: key, Reason: fmt.Sprintf("given %d times", len(vals))}
		}
		seen[i] = true
	}
	out := make([]int, 0, len(seen))
	for i := range seen {
		out = append(out, i)
	}
	sort.Ints(out)
	for j, i := range out {
		if i != j+1 {
			return nil, &ParamError{Param: name, Key: fmt.Sprintf("%s.%d", name, j+1), Reason: fmt.Sprintf("missing while %s.%d is given (indexes count from 1 without gaps)", name, i)}
		}
	}
	return out, nil
}
