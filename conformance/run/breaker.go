package run

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The breaker keeps a target that stopped answering from costing minutes
// per case. After brokenAfter exchanges in a row fail for the transport (no
// answer, or one that is not the API's), it opens: requests are not sent,
// and their cases are inconclusive at once. A case that met a failing
// target waits for it (AwaitTarget) within the run's patience, probing it;
// a target that comes back closes the breaker and the case is run again.
// Once the patience is spent, an open breaker still lets one probe through
// every probeEvery (half-open), so a target that returns later resumes.

// brokenAfter consecutive transport failures open the breaker.
const brokenAfter = 3

// probeEvery spaces the probes of a target the run has given up waiting for.
const probeEvery = 10 * time.Second

// DefaultPatience is how long, in all, a run waits for a target that
// stopped answering before it marks what is left inconclusive.
const DefaultPatience = 35 * time.Second

type breaker struct {
	mu        sync.Mutex
	failures  int
	lastErr   string
	open      bool
	lastProbe time.Time
	// spent is the patience used so far.
	spent time.Duration
}

// fail records an exchange that failed for the transport.
func (e *Env) fail(reason string) {
	b := &e.brk
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	b.lastErr = reason
	if b.failures >= brokenAfter && !b.open {
		b.open, b.lastProbe = true, time.Now()
	}
}

// answered records an exchange the target answered as the API does.
func (e *Env) answered() {
	b := &e.brk
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures, b.open = 0, false
}

// broken answers for a request not sent because the breaker is open, or
// nil when it may be sent (closed, or a half-open probe is due).
func (e *Env) broken(ctx context.Context) *Answer {
	b := &e.brk
	b.mu.Lock()
	if !b.open {
		b.mu.Unlock()
		return nil
	}
	due := time.Since(b.lastProbe) >= probeEvery
	if due {
		b.lastProbe = time.Now()
	}
	n, last := b.failures, b.lastErr
	b.mu.Unlock()
	if due && e.healthy(ctx) == nil {
		e.answered()
		return nil
	}
	return &Answer{TransportErr: fmt.Errorf("not sent: the target failed %d times in a row (last: %s)", n, last)}
}

// healthy asks the target one question: HealthCheck when the suite set
// one (answered as the API does, or not), else whether it answers HTTP.
func (e *Env) healthy(ctx context.Context) error {
	// A probe is one short question: a target that takes longer than a
	// few seconds to answer it is not back yet.
	timeout := min(e.Timeout, 3*time.Second)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if e.HealthCheck != nil {
		// Paced like every request: a probe must not spend the rate the
		// cases' own requests are paced to.
		if why := e.send(ctx, *e.HealthCheck, true, nil).Broken(); why != "" {
			return errors.New(why)
		}
		return nil
	}
	return e.Probe(ctx)
}

// AwaitTarget waits for a target whose exchanges failed for the transport
// to answer again, probing it about once a second, within what is left of
// the run's patience (Patience, in all). True: it answers, run the case
// again. False: it does not; once the patience is spent, only a probe due
// by the breaker's schedule is tried.
func (e *Env) AwaitTarget(ctx context.Context) bool {
	patience := e.Patience
	if patience == 0 {
		patience = DefaultPatience
	}
	b := &e.brk
	for {
		b.mu.Lock()
		left := patience - b.spent
		due := time.Since(b.lastProbe) >= probeEvery
		if left > 0 || due {
			b.lastProbe = time.Now()
		}
		b.mu.Unlock()
		if left <= 0 && !due {
			return false
		}
		start := time.Now()
		err := e.healthy(ctx)
		if err == nil {
			e.answered()
			return true
		}
		e.fail("waiting for the target: " + err.Error())
		if left <= 0 {
			return false
		}
		pause := min(time.Second, left)
		select {
		case <-ctx.Done():
			return false
		case <-time.After(pause):
		}
		b.mu.Lock()
		b.spent += time.Since(start)
		b.mu.Unlock()
	}
}

// ResetTarget resets the target (Reset) unless the breaker is open: a
// target that stopped answering is not asked, and a reset that fails counts
// as a transport failure.
func (e *Env) ResetTarget(ctx context.Context) error {
	if e.Reset == nil {
		return nil
	}
	if a := e.broken(ctx); a != nil {
		return a.TransportErr
	}
	if err := e.Reset(); err != nil {
		e.fail("reset: " + err.Error())
		return err
	}
	return nil
}
