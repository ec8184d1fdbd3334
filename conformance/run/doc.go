// Package run sends the planned cases to a target and records what came
// back: every request leaves through one acs.Transport (pacing by the
// contract's rate limits, retries of retryable codes, recording, redaction
// of secrets), damaged by the transport's hooks as the case's Tamper says.
//
// The second step of the suite's pipeline: plan → run → judge → report. An
// Outcome is raw evidence: answers, setup and cleanup exchanges, state a
// readonly case changed. Whether it conforms is the judge's business.
package run
