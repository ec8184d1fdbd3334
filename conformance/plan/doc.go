// Package plan turns a contract and a target profile into the cases of a
// conformance run, without touching the network: per operation a baseline
// request and, per rule, the requests that break it and the boundaries it
// must accept; per documented error code its trigger's provocation with the
// profile's inputs; one success case per sample; wire-parity variants; and
// the platform's codes, each as a Tamper of an otherwise good request.
//
// The first step of the suite's pipeline: plan → run → judge → report.
// Nothing here sends, judges or prints; a case carries what later steps
// need (its requests, what it expects, the contract facts it rests on and
// their evidence).
package plan
