// Package conformance is the Ginkgo shell of the suite that exercises every
// documented parameter rule and every documented error code of the contract
// against a target — the embedded mock, someone's emulator, or the real
// cloud — and says why a target deviates.
//
// The work happens in four packages, each one step with one direction:
//
//	plan   contract + profile → cases            (no network)
//	run    cases → exchanges through acs.Transport
//	judge  exchange + evidence → verdict
//	report verdicts → console, JSON, Markdown, HTML, JUnit, annotations, diff
//
// This package only wires them to Ginkgo: Prepare loads the contract and the
// profile, probes the target, plans and registers one It per case (its
// labels, its contract line as the code location); each It runs its case,
// judges the outcome and records a CaseEntry; ReportAfterSuite turns the
// entries into the report's rows and writes every format. Run does it all
// for `acsconform test`; conformance_test.go for `go test` and `ginkgo`.
package conformance
