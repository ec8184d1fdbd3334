package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/acsconform/acsconform/internal/lint"
	"github.com/acsconform/acsconform/spec"
	"github.com/spf13/cobra"
)

func newLintCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "lint [FILE]",
		Short: "Check a contract for completeness (default: the embedded one)",
		Long: `lint loads a contract, validates it as OpenAPI 3.0 and as acsconform's x-acs-*
vocabulary, and reports completeness findings as file:line:col, severity, rule ID.
It exits 1 when there is an error finding, 0 when there are only warnings and notes.

Rules:
` + ruleList(),
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("lint: --format %q: want text or json", format)}
			}
			var api *spec.API
			var err error
			if len(args) == 1 {
				api, err = spec.LoadFile(args[0])
			} else {
				api, err = spec.Load()
			}
			findings := loadFindings(err)
			if err == nil {
				findings = lint.Run(api)
			} else if findings == nil {
				return &exitError{code: ExitFindings, msg: "lint: " + err.Error()}
			}
			if err := printFindings(cmd, format, findings); err != nil {
				return err
			}
			if lint.Count(findings)[lint.Error] > 0 {
				return &exitError{code: ExitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	completeValues(cmd, "format", "text", "json")
	return cmd
}

func ruleList() string {
	s := ""
	for _, r := range lint.Rules() {
		s += fmt.Sprintf("  %-22s %-7s %s\n", r.ID, r.Severity, r.Doc)
	}
	return s
}

// loadFindings turns a contract's consistency problems into findings, so they
// print like any other; it returns nil for errors that are not about content.
func loadFindings(err error) []lint.Finding {
	var le *spec.LoadError
	if !errors.As(err, &le) {
		return nil
	}
	out := make([]lint.Finding, len(le.Problems))
	for i, p := range le.Problems {
		out[i] = lint.Finding{Rule: "spec-invalid", Severity: lint.Error, Pos: p.Pos, File: p.Pos.File, Line: p.Pos.Line, Col: p.Pos.Col, Message: p.Msg}
	}
	return out
}

func printFindings(cmd *cobra.Command, format string, findings []lint.Finding) error {
	out := cmd.OutOrStdout()
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if findings == nil {
			findings = []lint.Finding{}
		}
		return enc.Encode(findings)
	}
	for _, f := range findings {
		fmt.Fprintln(out, f)
	}
	n := lint.Count(findings)
	fmt.Fprintf(out, "%d error(s), %d warning(s), %d note(s)\n", n[lint.Error], n[lint.Warning], n[lint.Info])
	return nil
}
