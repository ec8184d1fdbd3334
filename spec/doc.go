// Package spec holds acsconform's contract — the OpenAPI 3.0 document that is
// the single source of truth for every parameter rule, error code, message
// and limit — and gives the rest of the code one typed, read-only view of it.
//
// The document is embedded (Load) and can be read from any file (LoadFile).
// kin-openapi loads and validates the OpenAPI part; this package decodes the
// x-acs-* vocabulary (operations, parameters, rules, documented errors,
// provenance, disagreements) with positions for findings, and refuses a
// document whose vocabulary does not hang together. It is the only package
// that knows the extension names; spec/README.md documents them.
package spec
