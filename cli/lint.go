package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/acsconform/acsconform/internal/ghannotate"
	"os"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/internal/lint"
	"github.com/acsconform/acsconform/spec"
	"github.com/spf13/cobra"
)

func newLintCmd() *cobra.Command {
	var format, contract string
	cmd := &cobra.Command{
		Use:   "lint [CONTRACT]",
		Short: "Check a contract for completeness (default: the embedded one)",
		Long: `lint loads a contract (an embedded product's name, a contract file, or by
default the first embedded product; --contract names it too), validates it as OpenAPI 3.0 and as acsconform's x-acs-*
vocabulary, and reports completeness findings as file:line:col, severity, rule ID.
--format text (default), json, github (GitHub Actions annotations) or sarif
(SARIF 2.1.0, for code scanning).

Exit status: 0 no error finding (warnings and notes only), 1 an error finding
(including a contract that does not load), 2 the file cannot be read or a flag
is wrong.

Rules:
` + ruleList(),
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(lintFormats, format) {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("lint: --format %q: want %s", format, strings.Join(lintFormats, ", "))}
			}
			if len(args) == 1 {
				if contract != "" && contract != args[0] {
					return &exitError{code: ExitUsage, msg: fmt.Sprintf("lint: the contract is named twice (%s and --contract %s)", args[0], contract)}
				}
				contract = args[0]
			}
			embedded := contract == "" || isProduct(contract)
			if !embedded {
				if _, serr := os.Stat(contract); serr != nil {
					return &exitError{code: ExitUsage, msg: "lint: " + fileError(contract, serr)}
				}
			}
			api, err := spec.LoadNamed(contract)
			findings := loadFindings(err)
			if err == nil {
				findings = lint.Run(api)
			} else if findings == nil {
				return &exitError{code: ExitFindings, msg: "lint: " + err.Error()}
			}
			if embedded {
				// The embedded contract is no file where the user stands.
				for i := range findings {
					if strings.HasPrefix(findings[i].File, "spec/") {
						findings[i].File = "embedded:" + findings[i].File
						findings[i].Pos.File = findings[i].File
					}
				}
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
	cmd.Flags().StringVar(&contract, "contract", "", "the contract: an embedded product ("+strings.Join(spec.Products, ", ")+") or a contract file")
	cmd.Flags().StringVar(&format, "format", "text", "output format: "+strings.Join(lintFormats, ", "))
	completeValues(cmd, "format", lintFormats...)
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

// lintFormats are lint's output formats.
var lintFormats = []string{"text", "json", "github", "sarif"}

func printFindings(cmd *cobra.Command, format string, findings []lint.Finding) error {
	out := cmd.OutOrStdout()
	switch format {
	case "github":
		for _, f := range findings {
			ghannotate.Write(out, githubLevel(f.Severity), f.File, f.Line, f.Col, "acsconform lint: "+f.Rule, f.Message)
		}
		return nil
	case "sarif":
		return sarif(out, findings, versionLine())
	}
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
