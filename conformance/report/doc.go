// Package report renders a run's verdicts: the coverage matrix (one Row per
// case, the one model every format reads), its totals and per-code roll-up,
// and the formats written from it — the console summary, coverage.json,
// coverage.md, coverage.html, junit.xml, GitHub annotations — plus the
// comparison of two runs and baselines of known deviations.
//
// The last step of the suite's pipeline: plan → run → judge → report. It
// never sends and never judges; Ginkgo is not imported here.
package report
