// Command acsconform turns a cloud vendor's API reference pages into an
// OpenAPI contract and checks endpoints against it. Run `acsconform --help`.
package main

import (
	"os"

	"github.com/acsconform/acsconform/cli"
)

func main() { os.Exit(cli.Run(os.Args[1:], os.Stdout, os.Stderr)) }
