package judge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/spec"
)

// Curl renders an exchange as a curl command line.
func Curl(ex *acs.Exchange) string {
	if ex == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "curl -sS -X %s '%s'", ex.Method, ex.URL)
	keys := make([]string, 0, len(ex.Header))
	for k := range ex.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " -H '%s: %s'", k, ex.Header.Get(k))
	}
	if ex.Body != "" {
		fmt.Fprintf(&b, " --data '%s'", ex.Body)
	}
	return b.String()
}

// Explain renders a deviation for a failure message.
func Explain(c *plan.Case, d *Deviation) string {
	skew := "a few minutes"
	if c.Op() != nil && c.Op().API().ClockSkew > 0 {
		skew = c.Op().API().ClockSkew.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", c.ID, d.What)
	if d.Expected != "" {
		fmt.Fprintf(&b, "  documented: %s\n", d.Expected)
	}
	fmt.Fprintf(&b, "  by:         %s\n", c.Provenance)
	if where := c.Where(); where.Line > 0 {
		fmt.Fprintf(&b, "  contract:   %s:%d\n", where.File, where.Line)
	}
	if d.Inferred() {
		fmt.Fprintf(&b, "  evidence:   our reading, not a stated fact (failing because of --strict): %s\n", d.Inference)
	} else if d.Evidence != "" {
		fmt.Fprintf(&b, "  evidence:   %s\n", d.Evidence)
	}
	fmt.Fprintf(&b, "  got:        %s\n", d.Got)
	if a := d.Answer; a != nil && a.Exchange != nil {
		fmt.Fprintf(&b, "  sent:       %s %s\n", a.Exchange.Method, a.Exchange.URL)
		if a.Exchange.Body != "" {
			fmt.Fprintf(&b, "              body %s\n", a.Exchange.Body)
		}
		if a.Exchange.RespBody != "" {
			fmt.Fprintf(&b, "  received:   %s\n", run.Snippet(a.Exchange.RespBody, 600))
		}
		fmt.Fprintf(&b, "  reproduce:  %s\n", Curl(a.Exchange))
		fmt.Fprintf(&b, "              (signed when sent: the signature is valid for %s and its nonce once)\n", skew)
	}
	return b.String()
}

// RefusalHint says what a user can do about a gateway refusal, by the
// trigger state the contract gives its code.
func RefusalHint(api *spec.API, code string) string {
	state := ""
	if e := api.PlatformError(code); e != nil && len(e.Triggers) > 0 {
		state = e.Triggers[0].State
	}
	switch plan.Tamper(state) {
	case plan.TamperBadSignature, plan.TamperUnsignedRequest:
		return "check the access key secret and the signature version (profile signature: v1 or v3)"
	case plan.TamperUnknownAccessKey:
		return "check the access key ID (the target does not know it)"
	case plan.TamperStaleTimestamp, plan.TamperMalformedTimestamp:
		return "check this machine's clock"
	case plan.TamperReplayedNonce:
		return "the target saw our nonces before: is something replaying requests?"
	case plan.TamperMissingSecurityToken, plan.TamperMalformedSecurityToken, plan.TamperMismatchedSecurityToken, plan.TamperExpiredSecurityToken:
		return "check the security token (security-token-env) of the profile's temporary credentials, and that it has not expired"
	case plan.TamperRateExceeded:
		return "the target throttles the run: lower --procs or the profile's rates"
	}
	return "the target is failing; try again later"
}

// Report renders the deviation for a failure message.
func (d *Deviation) Report() string {
	if d == nil || d.Case == nil {
		return "no deviation"
	}
	return Explain(d.Case, d)
}
