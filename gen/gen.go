// Package gen holds the Go packages generated from the contracts, one per
// API version. Nothing under it is edited by hand: `make generate` (go
// generate) rebuilds it, and CI fails when the committed copy differs.
package gen

//go:generate go run ../cmd/acsconform gen --contract ../spec/resourcedirectorymaster.yaml --out resourcedirectorymaster --package resourcedirectorymaster
//go:generate go run ../cmd/acsconform gen --contract ../spec/resourcemanager.yaml --out resourcemanager --package resourcemanager
//go:generate go run ../cmd/acsconform gen --contract ../spec/sts.yaml --out sts --package sts
