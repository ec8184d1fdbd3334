// Package interop holds tests that drive acsconform's runtime, generated
// code and mock with the vendor's official SDKs (alibaba-cloud-sdk-go with
// v1 signatures, darabonba-openapi with v3), so compatibility is proven
// against real clients rather than our own reading of the protocol. It has
// no non-test code.
package interop
