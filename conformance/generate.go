package conformance

// The platform trigger states become typed constants, so the suite's code
// cannot name a state the contract does not define.
//go:generate go run ./internal/genstates -spec ../spec/resourcedirectorymaster.yaml -out states_gen.go

// The inventory of cases is generated from a dry run and committed, so a
// change to the contract shows its effect on the suite in review.
//go:generate go run ../cmd/acsconform test --dry-run --inventory inventory.txt
