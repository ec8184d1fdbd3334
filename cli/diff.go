package cli

import (
	"fmt"
	"github.com/acsconform/acsconform/internal/ghannotate"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/acsconform/acsconform/internal/specdiff"
)

func newDiffCmd() *cobra.Command {
	var format, breakingFor string
	var failOnBreaking bool
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Compare two contracts or doc-page revisions; classify breaking changes for clients and servers",
		Long: `diff compares two revisions of the contract and lists what was added, removed
or changed: operations, parameters, constraints, error codes, messages, statuses,
the code each rule answers, RAM actions, rate limits, quotas and change history.

OLD and NEW are each a contract (YAML or JSON), a vendor doc page, or a folder
of pages; pages are imported first.

Every change gets two verdicts. For clients (callers of the API) a change is
breaking when a request that worked may now fail or an answer may hold what
they could not expect. For servers (emulators, mocks, the cloud) it is breaking
when a server that conformed to OLD may now fail the conformance suite.
"warning" means it depends on how the API is used. The standard OpenAPI parts
are compared by oasdiff; the x-acs-* vocabulary by acsconform.

--format github prints GitHub Actions annotations (breaking changes as
errors, warnings as warnings).

Exit status: 0, or 1 with --fail-on-breaking when a change breaks the side(s)
named by --breaking-for; 2 when an input cannot be read or does not load, or a
flag is wrong.`,
		Example: `  acsconform diff fixtures/docs/000_0d983348c5d5b34f.txt fixtures/docs/001_10066c6888da468c.txt
  acsconform diff old.yaml spec/resourcedirectorymaster.yaml --format markdown
  acsconform diff old.yaml new.yaml --fail-on-breaking --breaking-for server`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			formats := append(append([]string{}, specdiff.Formats...), "github")
			if !slices.Contains(formats, format) {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("diff: --format %q: want %s", format, strings.Join(formats, ", "))}
			}
			if !slices.Contains([]string{"client", "server", "either"}, breakingFor) {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("diff: --breaking-for %q: want client, server or either", breakingFor)}
			}
			if cmd.Flags().Changed("breaking-for") && !failOnBreaking {
				return &exitError{code: ExitUsage, msg: "diff: --breaking-for only matters with --fail-on-breaking (add it, or drop --breaking-for)"}
			}
			for _, a := range args {
				if _, err := os.Stat(a); err != nil {
					return &exitError{code: ExitUsage, msg: "diff: " + fileError(a, err)}
				}
			}
			old, warnings, err := specdiff.Load(args[0])
			if err != nil {
				return &exitError{code: ExitUsage, msg: "diff: " + err.Error()}
			}
			printWarnings(cmd, warnings)
			new, warnings, err := specdiff.Load(args[1])
			if err != nil {
				return &exitError{code: ExitUsage, msg: "diff: " + err.Error()}
			}
			printWarnings(cmd, warnings)
			rep, err := specdiff.Compare(old, new)
			if err != nil {
				return &exitError{code: ExitUsage, msg: "diff: " + err.Error()}
			}
			if format == "github" {
				for _, c := range rep.Changes {
					level := ""
					switch {
					case c.Client == specdiff.Breaking || c.Server == specdiff.Breaking:
						level = ghannotate.Error
					case c.Client == specdiff.Warning || c.Server == specdiff.Warning:
						level = ghannotate.Warning
					default:
						continue
					}
					msg := fmt.Sprintf("%s (clients: %s, servers: %s)", c.Text, c.Client, c.Server)
					if c.Why != "" {
						msg += "\n" + c.Why
					}
					ghannotate.Write(cmd.OutOrStdout(), level, args[1], 0, 0, "acsconform diff: "+strings.TrimSpace(c.Operation+" "+c.ID), msg)
				}
			} else if err := rep.Write(cmd.OutOrStdout(), format); err != nil {
				return &exitError{code: ExitUsage, msg: "diff: " + err.Error()}
			}
			client, server := rep.Breaking()
			if failOnBreaking && (breakingFor != "server" && client > 0 || breakingFor != "client" && server > 0) {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "output format: "+strings.Join(specdiff.Formats, ", ")+", github")
	f.BoolVar(&failOnBreaking, "fail-on-breaking", false, "exit 1 when a change is breaking (see --breaking-for)")
	f.StringVar(&breakingFor, "breaking-for", "either", "which verdict --fail-on-breaking reads: client, server or either")
	completeValues(cmd, "format", append(append([]string{}, specdiff.Formats...), "github")...)
	completeValues(cmd, "breaking-for", "client", "server", "either")
	return cmd
}

func printWarnings(cmd *cobra.Command, warnings []string) {
	for _, w := range warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "acsconform diff: warning: "+w)
	}
}
