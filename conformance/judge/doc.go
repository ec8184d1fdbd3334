// Package judge decides whether an outcome conforms: the documented code,
// status and message of a refusal, the boundary a rule must let through,
// the success body against its schema, echoes and relations, and the
// gateway's observed facts. A deviation carries the evidence of what it
// deviates from (stated, observed or inferred), so a reading of our own
// never fails a run unless the user asks for strict mode; an answer that
// proves nothing (a gateway refusal before the operation) is inconclusive.
//
// The third step of the suite's pipeline: plan → run → judge → report.
package judge
