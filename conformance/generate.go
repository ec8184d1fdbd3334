package conformance

// The inventory of cases is generated from a dry run and committed, so a
// change to the contract shows its effect on the suite in review.
//go:generate go run ../cmd/acsconform test --dry-run --inventory inventory.txt
