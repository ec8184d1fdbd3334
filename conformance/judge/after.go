package judge

import (
	"fmt"
	"slices"
	"strings"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
)

// checkAfter judges an after case: the call is a documented success, the
// read of the state it left succeeds, and holds what the docs say the
// call did (or no longer holds it). The evidence is the relation's own
// (the case's): a relation the docs state fails, one we read into them is
// our reading.
func (j *Judge) checkAfter(c *plan.Case, o *run.Outcome) *Deviation {
	af := c.AfterSpec()
	if len(o.Answers) == 0 {
		return &Deviation{What: "the call was not sent"}
	}
	call := o.Answers[0]
	if dev := j.checkSuccess(c, c.Requests[0], call); dev != nil {
		return dev
	}
	for _, v := range c.Requests[1].Params {
		for _, s := range v {
			if _, ok := plan.FillAnswer(s, call.Success); !ok {
				return &Deviation{What: fmt.Sprintf("%s's answer does not give what the read %s needs (%s)", c.Action, af.Read.Action, s),
					Expected: "an answer naming what the call made", Got: run.Describe(call), Answer: call}
			}
		}
	}
	want, ok := plan.FillAnswer(af.Equals, call.Success)
	if !ok {
		return &Deviation{What: fmt.Sprintf("%s's answer does not give %s", c.Action, af.Equals), Got: run.Describe(call), Answer: call}
	}
	if strings.HasPrefix(want, "{") && strings.HasSuffix(want, "}") {
		want = c.Requests[0].Params.Get(strings.Trim(want, "{}"))
	}
	if len(o.Answers) < 2 {
		return &Deviation{What: "the read " + af.Read.Action + " was not sent"}
	}
	read := o.Answers[1]
	if read.TransportErr != nil || read.Status != 200 || read.Success == nil {
		if why, ok := j.GatewayRefusal(read); ok {
			return inconclusive(read, why)
		}
		return &Deviation{What: fmt.Sprintf("after %s, the read %s did not succeed: %s", c.Action, af.Read.Action, run.Describe(read)),
			Expected: "HTTP 200 and the state the call left", Got: run.Describe(read), Answer: read}
	}
	got := plan.ValuesAt(read.Success, af.Field)
	holds := slices.Contains(got, want)
	if holds != af.Absent {
		return nil
	}
	expected := fmt.Sprintf("%s of %s's answer holding %q", af.Field, af.Read.Action, want)
	if af.Absent {
		expected = fmt.Sprintf("%s of %s's answer no longer holding %q", af.Field, af.Read.Action, want)
	}
	return &Deviation{What: fmt.Sprintf("after %s, %s answers %s = %s: %s", c.Action, af.Read.Action, af.Field, shown(got), strings.Join(strings.Fields(af.Description), " ")),
		Expected: expected, Got: run.Describe(read), Answer: read}
}

func shown(vs []string) string {
	switch len(vs) {
	case 0:
		return "nothing"
	case 1:
		return fmt.Sprintf("%q", vs[0])
	}
	return fmt.Sprintf("%q", vs)
}
