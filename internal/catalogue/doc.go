// Package catalogue holds the test that takes every product of the
// vendor's training catalogue (../shared/metadata/products beside the
// clone) through the whole pipeline as a user would: import, lint,
// generate and compile, the suite against the mock serving the imported
// contract (green), and against a server that validates nothing (red in
// the default mode, as stated rules must fail). It has no code of its own:
// the products are outside input the repository does not carry.
package catalogue
