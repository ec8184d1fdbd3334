// Package conformance is the Ginkgo suite that exercises every documented
// parameter rule and every documented error code of the contract against a
// target — the embedded mock, someone's emulator, or the real cloud — and
// says why a target deviates.
//
// The cases come from the contract at run time (never listed by hand):
// each rule gives rejection and boundary cases, each state-dependent code
// its trigger's provocation from the target profile, each operation a
// success case checked against the response schema, date layouts, echoes
// and relations, plus wire-parity and platform cases. Prepare plans and
// registers the tree before RunSpecs; Run does it all for `acsconform test`;
// conformance_test.go for `go test` and `ginkgo`.
package conformance
