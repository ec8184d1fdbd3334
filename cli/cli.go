// Package cli is the acsconform command line: one file and one constructor
// per subcommand, run in-process by tests through Run.
package cli

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/acsconform/acsconform/spec"
	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	ExitOK       = 0 // success
	ExitFindings = 1 // the command ran and found errors
	ExitUsage    = 2 // the command could not run: bad flags, unreadable input
)

// ExitTable is the exit status of every command, as --help prints it.
const ExitTable = `Exit status, the same for every command:
  0  success: the target conforms, the contract has no error finding, no
     breaking change, the pages were imported
  1  findings: a case deviates from the docs, an error finding, a breaking
     change (with --fail-on-breaking), pages none of which could be imported
  2  the command could not do its job: a wrong flag or argument, an input
     that cannot be read or does not load (profile, baseline, contract), an
     unreachable or non-ACS target, a target that stopped answering mid-run
     (what it proved before stands in the reports), a run that proved
     nothing, outputs that cannot be written`

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
		Long: `acsconform turns Alibaba Cloud API reference pages into an OpenAPI contract,
generates typed Go clients, validators and servers from it, and runs a
conformance suite that checks any endpoint — the real cloud, an emulator, or
the embedded reference mock — against every documented rule and error code.

The contracts of ` + strings.Join(spec.Products, " and ") + ` are embedded (the
first is the default); every command that takes a contract takes an embedded
product's name or a contract file (--contract, or the argument of lint).
` + "\n" + ExitTable,
		Example: `  acsconform test                                   # the whole suite against the embedded mock
  acsconform test --profile my-emulator.yaml --report-dir reports
  acsconform mock --listen 127.0.0.1:8080 --admin   # the reference mock, for your own tests
  acsconform import page.txt -o op.yaml && acsconform lint op.yaml
  acsconform diff old.yaml new.yaml --fail-on-breaking`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Version only enables --version; the text is computed when asked
		// for (it loads the contract), not on every command.
		Version: "-",
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, msg: flagError(err)}
	})
	cobra.AddTemplateFunc("acsconformVersion", versionString)
	root.SetVersionTemplate("{{acsconformVersion}}\n")
	root.AddGroup(
		&cobra.Group{ID: "contract", Title: "The contract:"},
		&cobra.Group{ID: "endpoints", Title: "Endpoints:"},
	)
	for _, c := range []*cobra.Command{newImportCmd(), newLintCmd(), newDiffCmd(), newGenCmd(), newProductsCmd(), newAddProductCmd()} {
		c.GroupID = "contract"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newTestCmd(), newCleanupCmd(), newMockCmd(), newReportCmd()} {
		c.GroupID = "endpoints"
		root.AddCommand(c)
	}
	root.AddCommand(newVersionCmd(), newGenerateBuiltinsCmd())
	return root
}

// completeValues completes a flag from a fixed list.
func completeValues(cmd *cobra.Command, flag string, values ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp))
}

// completeFiles completes a flag with files of these extensions.
func completeFiles(cmd *cobra.Command, flag string, exts ...string) {
	_ = cmd.MarkFlagFilename(flag, exts...)
}

// parseWords rewrites the flag parser's Go wording into the user's terms.
var parseWords = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`strconv\.Parse(Int|Uint): parsing "[^"]*": (invalid syntax|value out of range)`), "want a whole number"},
	{regexp.MustCompile(`strconv\.ParseFloat: parsing "[^"]*": (invalid syntax|value out of range)`), "want a number"},
	{regexp.MustCompile(`strconv\.ParseBool: parsing "[^"]*": invalid syntax`), "want true or false"},
	{regexp.MustCompile(`time: (invalid|missing unit in) duration "[^"]*"`), "want a duration such as 30s or 2m"},
}

// flagError says what is wrong with a flag's value without Go's wording:
// invalid argument "abc" for "--procs" flag: want a whole number.
func flagError(err error) string {
	msg := err.Error()
	for _, w := range parseWords {
		msg = w.re.ReplaceAllString(msg, w.with)
	}
	return msg
}
