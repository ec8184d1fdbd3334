// Package layers states the house's layering as data: every package of
// the module on a floor, floors numbered from the bottom. An import may
// only point down, to a lower floor; packages on one floor never import
// each other (the mock and the suite's planner stand side by side, as do
// the two generated products). layers_test.go checks the whole module
// against this table with `go list`, and fails on a package the table
// does not place, so a new package is placed on purpose.
//
// The pipeline reads upwards: sources → contract → generated code →
// (mock | suite: plan → run → judge → report) → CLI → commands.
package layers

// Floor is one level of the house; its packages are module-relative paths.
type Floor struct {
	Name     string
	Packages []string
}

// Floors, from the bottom. Keep README.md's picture in step with it.
var Floors = []Floor{
	{"leaves: helpers that know nothing of the API", []string{"internal/fsmsg", "internal/ghannotate", "internal/yamlcheck", "internal/layers", "internal/testbin", "internal/catalogue", "fixtures", "gen", "docs"}},
	{"wire and contract", []string{"acs", "spec"}},
	{"readers of sources and of the contract", []string{"spec/docimport", "spec/metaimport", "profile", "internal/cases", "internal/lint", "internal/codegen", "conformance/internal/genstates"}},
	{"tools over the contract and generated code", []string{"internal/specdiff", "internal/gentest"}},
	{"mock and the suite's planner", []string{"mock", "conformance/plan"}},
	{"suite: run", []string{"conformance/run"}},
	{"suite: judge and provisioning", []string{"conformance/judge", "conformance/provision"}},
	{"suite: report", []string{"conformance/report"}},
	{"suite: Ginkgo shell", []string{"conformance"}},
	{"command line", []string{"cli"}},
	{"programs and cross-checks", []string{"cmd/acsconform", "docs/examples/client", "interop"}},
}

// Generated is the floor of every generated product package (gen/<stem>,
// one per line of spec/products.txt): a product added by `acsconform
// add-product` is placed without editing this table.
const Generated = "tools over the contract and generated code"

// Internal is the rule for internal/: everything in it sits below the mock
// and the suite (the floor named here).
const Internal = "mock and the suite's planner"
