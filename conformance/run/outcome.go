package run

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/spec"
)

// Outcome is everything a case saw.
type Outcome struct {
	Setup   *Answer
	Answers []*Answer
	Cleanup *Answer
	// Replay holds the second sending of a replayed request.
	Replay *Answer
	// StateChanged says, for a readonly case the target accepted, that it
	// changed state and whether the run undid it; NotUndone is set when it
	// could not.
	StateChanged string
	NotUndone    string
	// Took is how long the case's exchanges took, pacing included.
	Took time.Duration
}

// Run executes a case.
func (e *Env) Run(ctx context.Context, c *plan.Case) *Outcome {
	o := &Outcome{}
	start := time.Now()
	defer func() { o.Took = time.Since(start) }()
	if c.Setup != nil {
		o.Setup = e.SendRetrying(ctx, *c.Setup, nil)
	}
	about := append(append([]string{}, c.Expect.Codes...), c.Expect.NotCodes...)
	switch c.Procedure {
	case spec.ProcedureConcurrent, plan.ProcedureBurst:
		// Concurrent requests still honour the rate limit: take the tokens
		// for all of them, then send them at once. A burst is meant to pass
		// the limit and is not paced.
		if c.Procedure == spec.ProcedureConcurrent {
			if err := e.transport().WaitN(ctx, c.Action, len(c.Requests)); err != nil {
				o.Answers = []*Answer{{TransportErr: err}}
				return o
			}
		}
		o.Answers = make([]*Answer, len(c.Requests))
		var wg sync.WaitGroup
		for i, r := range c.Requests {
			wg.Add(1)
			go func(i int, r plan.Request) {
				defer wg.Done()
				o.Answers[i] = e.Send(ctx, r, false)
			}(i, r)
		}
		wg.Wait()
		// A burst empties the target's bucket but not ours: wait for a full
		// bucket's worth of tokens, so the next paced request does not meet
		// a target still throttling.
		if c.Procedure == plan.ProcedureBurst {
			_ = e.transport().WaitN(ctx, c.Action, math.MaxInt)
		}
	case plan.ProcedureWalk:
		// Follow the answers' NextToken page by page, at most
		// plan.WalkPages pages.
		r := c.Requests[0]
		token := c.PagingSpec().Token
		for i := 0; i < plan.WalkPages; i++ {
			a := e.SendRetrying(ctx, r, about)
			o.Answers = append(o.Answers, a)
			if a.TransportErr != nil || a.Status != http.StatusOK || a.Success == nil {
				break
			}
			next, _ := a.Success[token].(string)
			if next == "" {
				break
			}
			r = plan.NextPage(c, r, next)
		}
	case plan.ProcedureAfter:
		// The call, then the read of the state it left: the read takes
		// the values the call's answer gave ("{answer.Path}").
		first := e.SendRetrying(ctx, c.Requests[0], about)
		o.Answers = append(o.Answers, first)
		if first.Broken() != "" || first.Status != http.StatusOK || first.Success == nil {
			break
		}
		read := c.Requests[1]
		read.Params = plan.Clone(read.Params)
		for k, vs := range read.Params {
			for i, v := range vs {
				if filled, ok := plan.FillAnswer(v, first.Success); ok {
					vs[i] = filled
				}
			}
			read.Params[k] = vs
		}
		o.Answers = append(o.Answers, e.SendRetrying(ctx, read, nil))
	default:
		for _, r := range c.Requests {
			if r.Tamper == plan.TamperReplayedNonce {
				o.Answers = append(o.Answers, e.sendReplay(ctx, r, o))
				continue
			}
			o.Answers = append(o.Answers, e.SendRetrying(ctx, r, about))
		}
	}
	if c.Cleanup != nil {
		o.Cleanup = e.SendRetrying(ctx, *c.Cleanup, nil)
	}
	if (c.Safety == spec.SafetyReadonly && c.Kind != plan.KindExample) || len(c.Expect.NotCodes) > 0 {
		e.undoAccepted(ctx, c, o)
	}
	return o
}

// undoAccepted: a readonly case counts on the target refusing it. When the
// target accepted a request instead, state changed: undo it with the
// operation's cleanup recipe (its parameters taken from the accepted
// request), or say what could not be undone.
func (e *Env) undoAccepted(ctx context.Context, c *plan.Case, o *Outcome) {
	for i, a := range o.Answers {
		if a == nil || a.TransportErr != nil || a.Status != http.StatusOK || i >= len(c.Requests) {
			continue
		}
		r := c.Requests[i]
		var sc *spec.Success
		if c.Op() != nil {
			sc = c.Op().Success
		}
		if sc != nil && sc.Safety == spec.SafetyReadonly {
			continue // the operation reads; accepting it changed nothing
		}
		if e.Reset != nil {
			// The target is reset before the next case that changes state.
			if c.Safety == spec.SafetyReadonly {
				o.StateChanged = fmt.Sprintf("the target accepted a readonly case's %s request (HTTP 200), so it changed state (the run resets the target)", r.Action)
			}
			continue
		}
		what := fmt.Sprintf("the target accepted a readonly case's %s request (HTTP 200), so it changed state", r.Action)
		if c.Safety != spec.SafetyReadonly {
			what = fmt.Sprintf("the boundary case's %s request succeeded and changed state", r.Action)
		}
		if sc == nil || sc.Cleanup == nil || e.API.Operation(sc.Cleanup.Action) == nil {
			reason := "the contract has no cleanup recipe for " + r.Action
			if sc != nil && sc.NoCleanup != "" {
				reason += " (" + strings.Join(strings.Fields(sc.NoCleanup), " ") + ")"
			}
			o.StateChanged, o.NotUndone = what+"; not undone: "+reason, what+": "+reason
			continue
		}
		target := e.API.Operation(sc.Cleanup.Action)
		params := url.Values{}
		for k, vs := range r.Params {
			if target.ParamOf(k) != nil {
				params[k] = vs
			}
		}
		undo := e.SendRetrying(ctx, plan.Request{Action: target.Action, Params: params, As: r.As}, nil)
		if undo.TransportErr == nil && undo.Status == http.StatusOK {
			o.StateChanged = what + "; undone with " + target.Action
			continue
		}
		o.StateChanged = what + "; undoing it with " + target.Action + " failed: " + Describe(undo)
		o.NotUndone = what + ": " + target.Action + " failed: " + Describe(undo)
	}
}

// sendReplay sends one signed request twice, each sending paced like any
// other: the second sending is the answer.
func (e *Env) sendReplay(ctx context.Context, r plan.Request, o *Outcome) *Answer {
	if a := e.broken(ctx); a != nil {
		return a
	}
	r.Tamper = plan.TamperNone
	c, err := e.call(r, nil)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	tr := e.transport()
	p, err := tr.Prepare(ctx, c)
	if err != nil {
		return &Answer{TransportErr: err}
	}
	for _, into := range []**Answer{&o.Replay, nil} {
		ex, err := tr.Send(ctx, p)
		if err != nil {
			return &Answer{TransportErr: err}
		}
		a := e.read(ex, r.XML)
		if into == nil {
			return a
		}
		*into = a
	}
	return nil
}
