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
//
// Every request leaves through one acs.Transport: pacing by the contract's
// rate limits, retries of retryable codes, recording and the redaction of
// secrets live there. Platform cases damage a correct request through the
// transport's hooks (before signing, after signing, before transmit), one
// hook per contract trigger state; those states are typed constants
// generated from the contract (states_gen.go), so a state the contract
// does not define cannot be named.
package conformance
