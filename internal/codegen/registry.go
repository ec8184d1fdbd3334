package codegen

import (
	"bytes"
	"fmt"
	"go/format"
)

// Registry renders the mock's registration of the built-in products
// (mock/builtin_gen.go): each generated package plugged into the engine
// and served contract-only from its own handler and samples, unless the
// mock registers it by hand with modelled state. stems are the packages
// under gen/, in spec/products.txt's order; module is the module path.
func Registry(module string, stems []string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(Header + "\n\npackage mock\n\nimport (\n\t\"net/http\"\n\t\"time\"\n\n")
	for _, s := range stems {
		fmt.Fprintf(&b, "\t%s %q\n", s, module+"/gen/"+s)
	}
	b.WriteString(")\n\n")
	b.WriteString("// init registers every built-in product the mock does not register by\n// hand: its generated handler over its documented samples.\nfunc init() {\n")
	for _, s := range stems {
		fmt.Fprintf(&b, `	if _, ok := products[%[1]s.Product]; !ok {
		products[%[1]s.Product] = product{version: %[1]s.Version, encodeError: %[1]s.EncodeError, stateError: %[1]s.StateError,
			newRequestID: %[1]s.NewRequestID, requestIDHeader: %[1]s.RequestIDHeader,
			contractOnly: func(o engineOptions) http.Handler {
				h := %[1]s.HandlerOptions{Verifier: o.Verifier, Limits: o.Limits, Site: o.Site}
				if o.Observe != nil {
					h.Observe = func(i %[1]s.RequestInfo, status int, code string, elapsed time.Duration) {
						o.Observe(i.RequestID, i.Action, i.AccessKeyID, i.SignatureVersion, i.Method, status, code, elapsed)
					}
				}
				return %[1]s.NewHandler(%[1]s.Samples{}, h)
			}}
	}
`, s)
	}
	b.WriteString("}\n")
	return format.Source(b.Bytes())
}
