package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/conformance"
	"github.com/acsconform/acsconform/conformance/provision"
	suiterun "github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/spec"
	"github.com/spf13/cobra"
)

// checkTestFlags refuses flag values that would make a run meaningless
// or that are silently ignored, before anything starts.
func checkTestFlags(o conformance.Options, format string) error {
	bad := func(format string, args ...any) error {
		return &exitError{code: ExitUsage, msg: "test: " + fmt.Sprintf(format, args...)}
	}
	switch {
	case o.Inventory != "" && !o.DryRun:
		return bad("--inventory only works with --dry-run (add --dry-run to list the cases without sending anything)")
	case o.GinkgoJSON && o.ReportDir == "":
		return bad("--ginkgo-json only works with --report-dir (the folder it is written to)")
	case o.Patience < 0:
		return bad("--patience %s: want a duration of 0 or more", o.Patience)
	case o.MaxAnswerBytes < 1024:
		return bad("--max-answer-bytes %d: want 1024 or more (an error answer alone is a few hundred bytes)", o.MaxAnswerBytes)
	case o.Procs < 1:
		return bad("--procs %d: want 1 or more (exchanges at a time)", o.Procs)
	case o.Timeout <= 0:
		return bad("--timeout-per-request %s: want a positive duration, such as 10s", o.Timeout)
	case o.Wait < 0:
		return bad("--wait %s: want a duration of 0 or more", o.Wait)
	case o.MinCases < 0:
		return bad("--min-cases %d: want 0 or more", o.MinCases)
	case format != "text" && format != "github":
		return bad("--format %q: want text or github", format)
	case o.MessageMatch != "" && o.MessageMatch != "exact" && o.MessageMatch != "prefix" && o.MessageMatch != "any":
		return bad("--message-match %q: want exact, prefix or any", o.MessageMatch)
	case o.DryRun && (o.Baseline != "" || o.WriteBaseline != "" || o.ReportDir != ""):
		return bad("--dry-run sends nothing, so --baseline, --write-baseline and --report-dir have nothing to read or write (drop them, or drop --dry-run)")
	}
	return nil
}

func newTestCmd() *cobra.Command {
	o := conformance.Options{Embedded: mock.Embedded}
	var verbose bool
	var format string
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run the conformance suite against a target (default: the embedded mock)",
		Long: `test runs every documented rule and error code of the contract against a
target. With no --profile and no --target it starts the embedded reference mock
on loopback and runs everything against it (that is make conformance).

Against anything but the embedded mock only readonly cases run unless
--allow-mutating or --allow-exhausting are given. Ginkgo label filters select
cases: labels are op:<Action>, kind:<rule|error-code|example|wire|platform>,
rule:<kind>, error:<Code>, readonly|mutating|exhausting, inferred.

With --baseline, deviations the file lists are reported as known and do not
fail the run; a listed deviation that no longer happens is reported as fixed;
an entry past its expiry date fails again. --write-baseline writes the run's
deviations as a new baseline to review and commit.

Every expectation carries its evidence. A deviation from what the pages or
the vendor's documentation state, or from the gateway's observed behaviour,
fails. A deviation from our own reading of the docs (an inferred rule,
trigger, limit, code or wording) is reported apart as deviates-from-inference
and does not fail unless --strict. An answer that proves nothing (the gateway
refused the request for its signature, credentials or rate) is inconclusive.

Exit status: 0 all run cases passed (or deviated as the baseline allows, or
only from our reading), 1 a case deviates from the docs, 2 the run could not
start or proved nothing (bad flags, profile, baseline, a label filter that
matches no case, unwritable reports, an unreachable or non-ACS target, no
conclusive case, fewer than --min-cases).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkTestFlags(o, format); err != nil {
				return err
			}
			if cmd.Flags().Changed("patience") && o.Patience == 0 {
				o.Patience = time.Nanosecond // no waiting (0 in Options is the default)
			}
			o.GitHub = format == "github"
			o.Version = "acsconform " + versionLine()
			o.Out = cmd.OutOrStdout()
			if code := conformance.Run(o, verbose); code != conformance.ExitPassed {
				return &exitError{code: code}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Contract, "contract", "", "the contract to run: an embedded product ("+strings.Join(spec.Products, ", ")+"; default the first) or a contract file")
	f.StringVar(&o.ProfilePath, "profile", "", "target profile (fixtures/targets/README.md); default: the embedded mock's")
	f.StringVar(&o.Target, "target", "", "target URL, overriding the profile's endpoint")
	f.StringVar(&o.ReportDir, "report-dir", "", "write coverage.{json,md,html}, summary.md (for CI job summaries) and junit.xml here")
	f.BoolVar(&o.GinkgoJSON, "ginkgo-json", false, "with --report-dir: also write Ginkgo's own ginkgo.json (large: every spec with its entries)")
	f.StringVar(&o.LabelFilter, "label-filter", "", "Ginkgo label filter, e.g. 'op:AssociateMembers && !exhausting'")
	f.IntVar(&o.Procs, "procs", 4, "readonly exchanges at a time (within the rate limits)")
	f.StringVar(&o.MessageMatch, "message-match", "", "compare error messages: exact (default, as documented), prefix or any (for targets that localise)")
	f.BoolVar(&o.AllowMutating, "allow-mutating", false, "run mutating cases (they create state and clean up) against a target other than the embedded mock")
	f.BoolVar(&o.AllowExhausting, "allow-exhausting", false, "run exhausting cases (quotas, invitations) against a target other than the embedded mock")
	f.DurationVar(&o.Timeout, "timeout-per-request", 10*time.Second, "how long to wait for one answer")
	f.DurationVar(&o.Wait, "wait", 0, "keep trying an unreachable target this long (one still starting, e.g. in CI)")
	f.DurationVar(&o.Patience, "patience", suiterun.DefaultPatience, "how long, in all, to wait for a target that stops answering mid-run before the rest of its cases are inconclusive")
	f.Int64Var(&o.MaxAnswerBytes, "max-answer-bytes", acs.DefaultMaxAnswerBytes, "the largest answer read; a larger one is a deviation of its case, never buffered")
	f.BoolVar(&o.DryRun, "dry-run", false, "build the suite without sending anything")
	f.StringVar(&o.Inventory, "inventory", "", "with --dry-run: write the list of cases here")
	f.StringVar(&o.Baseline, "baseline", "", "known deviations (YAML, docs/ci-gate.md): reported, not failing; fixed and expired ones reported")
	f.StringVar(&o.WriteBaseline, "write-baseline", "", "write this run's deviations as a baseline (keeps reasons and expiries of --baseline's entries)")
	f.BoolVar(&o.Strict, "strict", false, "fail deviations from our own readings of the docs too (inferred rules, triggers, limits, wordings); by default they are reported apart and do not fail")
	f.IntVar(&o.MinCases, "min-cases", 0, "fail a run with fewer conclusive cases than this (a run with none always fails)")
	f.BoolVar(&o.Provision, "provision", false, "make the entities the cases need through the documented operations (as a profile's provision: true), remove them afterwards")
	f.StringVar(&o.ProvisionRecord, "provision-record", provision.DefaultRecord, "with provisioning: the file listing what the run made until it is removed (acsconform cleanup reads it)")
	f.BoolVar(&verbose, "verbose", false, "print every case as it runs")
	f.StringVar(&o.Focus, "focus", "", "run only the case with this ID, or the cases whose IDs match this regular expression")
	f.Int64Var(&o.Seed, "seed", 0, "shuffle the order of the cases with this seed (0: the stable order); printed in the summary")
	f.StringVar(&format, "format", "text", "text, or github: also print GitHub Actions annotations for deviations, at their contract lines")
	completeValues(cmd, "format", "text", "github")
	completeValues(cmd, "message-match", "exact", "prefix", "any")
	completeFiles(cmd, "profile", "yaml", "yml")
	completeFiles(cmd, "baseline", "yaml", "yml")
	completeFiles(cmd, "write-baseline", "yaml", "yml")
	_ = cmd.MarkFlagDirname("report-dir")
	return cmd
}

func newCleanupCmd() *cobra.Command {
	o := conformance.Options{}
	var record string
	cmd := &cobra.Command{
		Use:   "cleanup",
		Short: "Remove what a provisioning run made and did not remove (its record lists it)",
		Long: `cleanup removes the entities a run with provisioning (provision: true in
the profile, or test --provision) made on its target and did not remove, as the
run was killed or a removal failed. The run wrote each entity to its record
(--record, default ` + provision.DefaultRecord + `) before creating it; cleanup
sends each entity's removal calls from the contract's recipe, the last made
first, signed with the profile's credentials, and deletes the record when
nothing is left. An entity whose creation got no answer may or may not exist:
it is named with the request that would have made it, for removal by hand.

Exit status: 0 everything listed is removed, 1 something is left (named, and
kept in the record), 2 the record, the profile or the contract cannot be read.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			o.Out = cmd.OutOrStdout()
			err := conformance.CleanupRecord(o, record)
			switch {
			case err == nil:
				return nil
			case errors.Is(err, conformance.ErrSetup):
				return &exitError{code: ExitUsage, msg: "cleanup: " + err.Error()}
			}
			return &exitError{code: ExitFindings, msg: "cleanup: " + err.Error()}
		},
	}
	f := cmd.Flags()
	f.StringVar(&record, "record", provision.DefaultRecord, "the record a provisioning run wrote")
	f.StringVar(&o.Contract, "contract", "", "the contract the run checked: an embedded product ("+strings.Join(spec.Products, ", ")+") or a contract file")
	f.StringVar(&o.ProfilePath, "profile", "", "the run's target profile (its credentials sign the removals); default: the embedded mock's")
	f.StringVar(&o.Target, "target", "", "target URL, overriding the one the record names")
	f.DurationVar(&o.Timeout, "timeout-per-request", 10*time.Second, "how long to wait for one answer")
	completeFiles(cmd, "profile", "yaml", "yml")
	completeFiles(cmd, "record", "json")
	return cmd
}
