package plan

// The platform trigger states become typed constants, so the suite's code
// cannot name a state the contract does not define.
//go:generate go run ../internal/genstates -spec ../../spec/resourcedirectorymaster.yaml -package plan -out states_gen.go
