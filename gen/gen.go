// Package gen holds the Go packages generated from the contracts, one per
// built-in product (spec/products.txt). Nothing under it is edited by hand:
// `make generate` (acsconform generate-builtins) rebuilds it, and CI fails
// when the committed copy differs.
package gen
