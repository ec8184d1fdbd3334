package mock

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// The operations beyond the first three keep their state here, one file
// per resource family (folders, accounts, directory, handshakes, contacts,
// policies, delegated administrators, tags). Each runs after the shared
// checks of admit.go, under the backend's lock, and changes the state only
// through save (journalled puts). The semantics come from the metadata's
// descriptions and the codes' messages; where they leave a decision open
// the file says what the mock decides.

// op runs f for the verified caller under the backend's lock, with the
// directory the caller manages (nil when none) and the time of the call.
func op[Q, A any](s server, ctx context.Context, r Q, f func(b *Backend, c *Caller, d *Directory, now time.Time, r Q) (A, error)) (A, error) {
	var zero A
	c, err := s.caller(ctx)
	if err != nil {
		return zero, err
	}
	b := s.b
	b.mu.Lock()
	defer b.mu.Unlock()
	return f(b, c, b.state.directoryOf(c), b.now(), r)
}

// dop is op for an operation on the caller's directory: a caller without
// one is answered EntityNotExists.ResourceDirectory (admit answers it first
// for the operations that document it; the others get the product's
// answer for that state too, rather than a made-up one).
func dop[Q, A any](s server, ctx context.Context, r Q, f func(b *Backend, c *Caller, d *Directory, now time.Time, r Q) (A, error)) (A, error) {
	return op(s, ctx, r, func(b *Backend, c *Caller, d *Directory, now time.Time, r Q) (A, error) {
		if d == nil {
			var zero A
			return zero, b.productError(rdm.CodeEntityNotExistsResourceDirectory)
		}
		return f(b, c, d, now, r)
	})
}

// productError is the answer the contract documents for a code on the
// first operation that documents it: the product's wording of a state an
// operation meets without documenting it.
func (b *Backend) productError(code string) error {
	for _, op := range b.api.Operations {
		if op.Error(code) != nil {
			return rdm.NewError(op.Action, code)
		}
	}
	return rdm.StateError("internal-failure")
}

// isoLayout is the layout of the times the metadata's samples show
// (2021-06-15T06:39:08.521Z).
const isoLayout = "2006-01-02T15:04:05.000Z"

func iso(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	// isoLayout written by hand: every listed entity formats its times.
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	ms := t.Nanosecond() / 1e6
	if y < 0 || y > 9999 {
		return t.Format(isoLayout)
	}
	var b [24]byte
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			b[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	b[4] = '-'
	put(5, int(mo), 2)
	b[7] = '-'
	put(8, d, 2)
	b[10] = 'T'
	put(11, h, 2)
	b[13] = ':'
	put(14, mi, 2)
	b[16] = ':'
	put(17, s, 2)
	b[19] = '.'
	put(20, ms, 3)
	b[23] = 'Z'
	return string(b[:])
}

// page cuts a list of n items by PageNumber and PageSize, whose defaults
// are the contract's (the metadata states 1 and 10 for every list); the
// rules have already refused values out of range.
func (b *Backend) page(r rdm.Request, n int, number, size *int64) (from, to int, pn, ps int64) {
	pn, ps = b.paramDefault(r, "PageNumber"), b.paramDefault(r, "PageSize")
	if number != nil && *number > 0 {
		pn = *number
	}
	if size != nil && *size > 0 {
		ps = *size
	}
	pn, ps = max(pn, 1), max(ps, 1)
	from = int(min(int64(n), (pn-1)*ps))
	to = int(min(int64(n), int64(from)+ps))
	return from, to, pn, ps
}

// tokenPage cuts a list of n items by NextToken and MaxResults (its
// default the contract's): the token is the index of the next item, opaque
// to the caller. A token the mock did not give is refused with the
// platform's InvalidParameter.
func (b *Backend) tokenPage(r rdm.Request, n int, token string, maxResults *int64) (from, to int, next string, err error) {
	limit := max(b.paramDefault(r, "MaxResults"), 1)
	if maxResults != nil && *maxResults > 0 {
		limit = *maxResults
	}
	if token != "" {
		i, perr := strconv.Atoi(strings.TrimPrefix(token, "t-"))
		if perr != nil || !strings.HasPrefix(token, "t-") || i < 0 || i > n {
			return 0, 0, "", rdm.StateError("malformed-parameter", "NextToken")
		}
		from = i
	}
	to = int(min(int64(n), int64(from)+limit))
	if to < n {
		next = "t-" + strconv.Itoa(to)
	}
	return from, to, next, nil
}

// paramDefault is the default the contract states for an integer
// parameter of the request's operation (0 when it states none).
func (b *Backend) paramDefault(r rdm.Request, name string) int64 {
	if op := b.api.Operation(r.Action()); op != nil {
		if p := op.Param(name); p != nil && p.Schema != nil {
			if v, ok := p.Schema.Default.(float64); ok {
				return int64(v)
			}
			if v, ok := p.Schema.Default.(int); ok {
				return int64(v)
			}
		}
	}
	return 0
}

// sortedKeys returns a map's keys in order: every list answers in a
// stable order, so paging never repeats or skips an item.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// documented answers code for the operation if its contract documents it,
// and nil otherwise: a state the pages do not give a code to is not refused.
func (b *Backend) documented(action, code string) error {
	if op := b.api.Operation(action); op != nil && op.Error(code) != nil {
		return rdm.NewError(action, code)
	}
	return nil
}

// countryOK says whether a phone number's country code ("86-139…") is one
// the profile's site supports (any, when the profile lists none).
func (b *Backend) countryOK(phone string) bool {
	if phone == "" || len(b.limits.CountryCodes) == 0 {
		return true
	}
	cc, _, found := strings.Cut(phone, "-")
	return found && slices.Contains(b.limits.CountryCodes, cc)
}

// codeOK says whether a verification code is the one the mock sends.
func (b *Backend) codeOK(code string) bool {
	return b.limits.VerificationCode == "" || code == b.limits.VerificationCode
}

// fill sets out (a pointer to a generated answer type) from v, a tree of
// maps, lists and scalars keyed by the answer's JSON names: the fields the
// type has take v's values, the others are dropped, so a contract that
// renames or drops a field still builds against the mock. It walks the
// type by reflection (no JSON round trip): the lists are hot.
func fill(out, v any) error {
	dst := reflect.ValueOf(out)
	if dst.Kind() != reflect.Pointer || dst.IsNil() {
		return rdm.StateError("internal-failure")
	}
	if !assign(dst.Elem(), v) {
		return rdm.StateError("internal-failure")
	}
	return nil
}

// obj is an object of an answer as ordered key/value pairs: one slice
// instead of a map per list item, for the answers that list many.
type obj []kv

type kv struct {
	k string
	v any    // the value, or nil for the text in s
	s string // a text value, kept out of an interface (no allocation)
}

// text is a key with a text value.
func text(k, s string) kv { return kv{k: k, s: s} }

// assignObj sets a struct from ordered pairs; a text value goes straight
// into a string field.
func assignObj(dst reflect.Value, o obj) bool {
	for dst.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		dst = dst.Elem()
	}
	if dst.Kind() != reflect.Struct {
		return false
	}
	fields := fieldsOf(dst.Type())
	for _, p := range o {
		i, ok := fields[p.k]
		if !ok {
			continue
		}
		if p.v == nil {
			f := dst.Field(i)
			for f.Kind() == reflect.Pointer {
				if f.IsNil() {
					f.Set(reflect.New(f.Type().Elem()))
				}
				f = f.Elem()
			}
			if f.Kind() != reflect.String {
				return false
			}
			f.SetString(p.s)
			continue
		}
		if !assign(dst.Field(i), p.v) {
			return false
		}
	}
	return true
}

// jsonFields maps a struct type's JSON names to its field indexes.
var jsonFields sync.Map // reflect.Type → map[string]int

func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := jsonFields.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	jsonFields.Store(t, m)
	return m
}

// assign sets dst from src as JSON decoding would; false when a value
// does not fit its field's kind.
func assign(dst reflect.Value, src any) bool {
	if src == nil {
		return true
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assign(dst.Elem(), src)
	case reflect.Struct:
		if o, isObj := src.(obj); isObj {
			return assignObj(dst, o)
		}
		m, ok := src.(map[string]any)
		if strs, isStrs := src.(map[string]string); isStrs {
			m, ok = map[string]any{}, true
			for k, v := range strs {
				m[k] = v
			}
		}
		if !ok {
			return false
		}
		fields := fieldsOf(dst.Type())
		for k, v := range m {
			if i, ok := fields[k]; ok && !assign(dst.Field(i), v) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if list, isObjs := src.([]obj); isObjs {
			out := reflect.MakeSlice(dst.Type(), len(list), len(list))
			for i, o := range list {
				if !assignObj(out.Index(i), o) {
					return false
				}
			}
			dst.Set(out)
			return true
		}
		items := reflect.ValueOf(src)
		if items.Kind() != reflect.Slice {
			return false
		}
		out := reflect.MakeSlice(dst.Type(), items.Len(), items.Len())
		for i := 0; i < items.Len(); i++ {
			if !assign(out.Index(i), items.Index(i).Interface()) {
				return false
			}
		}
		dst.Set(out)
		return true
	case reflect.String:
		s, ok := src.(string)
		if ok {
			dst.SetString(s)
		}
		return ok
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		switch n := src.(type) {
		case int:
			dst.SetInt(int64(n))
		case int64:
			dst.SetInt(n)
		default:
			return false
		}
		return true
	case reflect.Bool:
		b, ok := src.(bool)
		if ok {
			dst.SetBool(b)
		}
		return ok
	}
	return false
}
