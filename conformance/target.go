package conformance

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/acsconform/acsconform/conformance/judge"
	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// preflight sends one readonly request before any case: a target whose
// answers are not ACS-shaped (HTML, garbage, a proxy page, only server
// failures) ends the run with one message; a target that refuses our
// signed request at the gateway is diagnosed once, up front.
func (s *Session) preflight() error {
	carrier := plan.RuleCarrier(s.Cases)
	if carrier == nil {
		return nil
	}
	ctx := context.Background()
	var a *run.Answer
	for attempt := 0; attempt < 3; attempt++ {
		a = s.Env.Send(ctx, carrier.Requests[0], true)
		if a.TransportErr != nil || a.Status < 500 {
			break
		}
		time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
	}
	switch {
	case a.TransportErr != nil:
		return setupErr("target %s: %v", s.Env.Endpoint, a.TransportErr)
	case a.Garbage != "" || (a.Err == nil && a.Success == nil) || (a.Success != nil && a.Success["RequestId"] == nil):
		return setupErr("target %s is not an ACS endpoint: a signed %s request got HTTP %d with %s",
			s.Env.Endpoint, carrier.Action, a.Status, run.EscapedSnippet(a.Body, 200))
	case a.Status >= 500:
		return setupErr("target %s fails: three signed %s requests each got HTTP %d %s", s.Env.Endpoint, carrier.Action, a.Status, a.Err.Code)
	}
	// The breaker's probes ask the same question: a target that answers it
	// as the API does is back.
	health := carrier.Requests[0]
	s.Env.HealthCheck = &health
	if a.Err != nil {
		if other := s.otherProduct(a.Err.Code); other != "" {
			return setupErr("the target answers %s to %s %s: is it serving another product? %s", a.Err.Code, s.API.Product, s.API.Version, other)
		}
	}
	if why, ok := s.Judge.GatewayRefusal(a); ok && a.Err != nil {
		s.diagnosis = fmt.Sprintf("the target refused a correctly signed %s request with %s (%s): %s; every case it refuses so is inconclusive",
			carrier.Action, a.Err.Code, strings.TrimPrefix(why, "inconclusive: "), judge.RefusalHint(s.API, a.Err.Code))
		fmt.Fprintf(s.Opts.Out, "acsconform: %s\n", s.diagnosis)
	}
	return nil
}

// otherProduct says what to try when code is the gateway's answer to a
// request of another product (a wrong version or an unknown action), or "".
func (s *Session) otherProduct(code string) string {
	wrong := false
	for _, state := range []plan.Tamper{plan.TamperWrongVersion, plan.TamperUnknownAction} {
		if pe := s.API.PlatformErrorFor(string(state)); pe != nil && pe.Code == code {
			wrong = true
		}
	}
	if !wrong {
		return ""
	}
	var others []string
	for _, name := range spec.Products {
		if !strings.EqualFold(name, s.API.Product) {
			others = append(others, "--contract "+name)
		}
	}
	if len(others) == 0 {
		return "give --contract the contract it serves"
	}
	return "try " + strings.Join(others, " or ") + ", or give --contract the contract it serves"
}

// probe checks the target answers, retrying for Opts.Wait while it is
// unreachable.
func (s *Session) probe() error {
	deadline := time.Now().Add(s.Opts.Wait)
	for delay := 50 * time.Millisecond; ; delay = min(2*delay, time.Second) {
		ctx, cancel := context.WithTimeout(context.Background(), s.Opts.Timeout)
		err := s.Env.Probe(ctx)
		cancel()
		if err == nil || time.Now().Add(delay).After(deadline) {
			if err != nil && s.Opts.Wait > 0 {
				err = fmt.Errorf("%v (waited %s)", err, s.Opts.Wait)
			}
			return err
		}
		time.Sleep(delay)
	}
}

// startMock serves the embedded target through the harness the caller
// wired in (Options.Embedded): the suite itself knows no mock.
func (s *Session) startMock() (string, error) {
	if s.Opts.Embedded == nil {
		return "", fmt.Errorf("no embedded target is wired in: give --target or a profile with an endpoint")
	}
	endpoint, reset, stop, err := s.Opts.Embedded(s.Profile, s.API)
	if err != nil {
		return "", err
	}
	s.stop, s.resetHook = stop, reset
	return endpoint, nil
}

// mockReset returns the reset of a reference mock at endpoint, or nil
// after saying why there is none (the mock was started without --admin, or
// the target is not the mock): state left by an earlier run then stays.
func (s *Session) mockReset(endpoint string) func() error {
	u := strings.TrimRight(endpoint, "/") + profile.MockResetPath
	reset := resetURL(u, s.Opts.Timeout)
	err := reset()
	if err == nil {
		return reset
	}
	fmt.Fprintf(s.Opts.Out, "acsconform: the target cannot be reset (%v): state an earlier run left there stays, and mutating cases may meet it; start the mock with --admin for repeatable runs\n", err)
	return nil
}

func resetURL(u string, timeout time.Duration) func() error {
	return func() error {
		client := &http.Client{Timeout: timeout}
		resp, err := client.Post(u, "", nil)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			return fmt.Errorf("reset %s: HTTP %d", u, resp.StatusCode)
		}
		return nil
	}
}
