// Package acs is the wire runtime of Alibaba Cloud RPC APIs that generated
// clients and servers, the reference mock and the conformance suite share:
// RPC parameter encoding (repeat lists Members.N, flat objects Tag.N.Key),
// signatures v1 (HMAC-SHA1) and v3 (ACS3-HMAC-SHA256) — signing and
// verifying, with time and nonce injected —, the error type and its JSON and
// XML bodies, credentials from the vendor's conventions, rate limiting and
// retries.
//
// It knows wire syntax, not API semantics: which codes, messages and limits
// apply comes from the contract (package spec) through generated code. It
// imports nothing else of acsconform.
package acs
