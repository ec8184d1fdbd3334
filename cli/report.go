package cli

import (
	"fmt"
	"slices"

	"github.com/acsconform/acsconform/conformance/report"
	"github.com/spf13/cobra"
)

func newReportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Work with the reports of conformance runs",
		Long: `report works with what acsconform test --report-dir writes.

` + ExitTable,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newReportDiffCmd())
	return cmd
}

func newReportDiffCmd() *cobra.Command {
	var format string
	var failOnRegression bool
	cmd := &cobra.Command{
		Use:   "diff OLD.json NEW.json",
		Short: "What changed between two runs (their coverage.json)",
		Long: `report diff compares two runs' coverage.json: the verdict, the totals, the
contract's digest, and every case that now deviates from the docs
(regressions), passes again (fixed), changed otherwise, appeared or went.

Exit status: 0, or 1 with --fail-on-regression when a case deviates in NEW
that did not in OLD; 2 when a file cannot be read or is not a coverage.json.`,
		Example: `  acsconform report diff main-reports/coverage.json reports/coverage.json --fail-on-regression`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			formats := []string{"text", "markdown", "json"}
			if !slices.Contains(formats, format) {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("report diff: --format %q: want text, markdown or json", format)}
			}
			old, err := report.LoadCoverage(args[0])
			if err != nil {
				return &exitError{code: ExitUsage, msg: "report diff: " + err.Error()}
			}
			cur, err := report.LoadCoverage(args[1])
			if err != nil {
				return &exitError{code: ExitUsage, msg: "report diff: " + err.Error()}
			}
			d := report.DiffRuns(args[0], old, args[1], cur)
			if err := d.Write(cmd.OutOrStdout(), format); err != nil {
				return &exitError{code: ExitUsage, msg: "report diff: " + err.Error()}
			}
			if failOnRegression && len(d.Regressions) > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	cmd.Flags().BoolVar(&failOnRegression, "fail-on-regression", false, "exit 1 when a case deviates from the docs in NEW but did not in OLD")
	completeValues(cmd, "format", "text", "markdown", "json")
	return cmd
}
