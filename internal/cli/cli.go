// Package cli is the acsconform command line: one file and one constructor
// per subcommand, run in-process by tests through Run.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the command ran and found errors
	ExitUsage    = 2 // the command could not run: bad flags, unreadable input
)

// exitError carries an exit status out of a subcommand; its message, when
// not empty, has already been printed or is printed once by Run.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// Run executes the command line args (without the program name) and returns
// the exit status. Nothing it does panics out to the caller.
func Run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "acsconform: internal error: %v (please report it)\n", r)
			code = ExitUsage
		}
	}()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "acsconform: "+ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "acsconform: "+err.Error())
	return ExitUsage
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "acsconform",
		Short: "Vendor API docs → OpenAPI contract → generated Go and a conformance suite",
		Long: `acsconform turns Alibaba Cloud API reference pages into an OpenAPI contract
(spec/resourcedirectorymaster.yaml, embedded), and checks contracts and
endpoints against it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newLintCmd(), newGenCmd(), newMockCmd(), newTestCmd(), newImportCmd(), newDiffCmd())
	return root
}
