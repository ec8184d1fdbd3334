package conformance

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/provision"
	"github.com/acsconform/acsconform/conformance/run"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// provisioning: the run makes the entities its cases need (the profile's
// provision: true, or --provision).
func (s *Session) provisioning() bool { return s.Opts.Provision || s.Profile.Provision }

// provision makes, through the contract's recipes, the inputs the plan asks
// for that the profile does not give, before the cases are planned with
// them; a target that resets is then marked, so each reset keeps them.
func (s *Session) provision() error {
	p, o := s.Profile, s.Opts
	asked := map[string]bool{}
	if _, err := plan.Plan(s.API, p, plan.PlanOptions{Embedded: s.Embedded, AllowMutating: o.AllowMutating, AllowExhausting: o.AllowExhausting, Asked: asked}); err != nil {
		return setupErr("%v", err)
	}
	order, lacking := provision.Wanted(s.API, p, asked)
	for _, name := range slices.Sorted(maps.Keys(lacking)) {
		fmt.Fprintf(o.Out, "acsconform: provision: %s cannot be made: its recipe needs %s, which the profile does not give\n", name, strings.Join(lacking[name], ", "))
	}
	if len(order) == 0 {
		fmt.Fprintf(o.Out, "acsconform: provision: every input the cases need that a recipe could make is given by profile %s: nothing to make\n", p.File)
		return nil
	}
	if o.DryRun {
		var what []string
		for _, name := range order {
			what = append(what, name+" ("+recipeAction(s, name)+")")
		}
		fmt.Fprintf(o.Out, "acsconform: provision: a run would make %d input(s), in this order: %s\n", len(order), strings.Join(what, ", "))
		return nil
	}
	if !s.Embedded && !o.AllowMutating {
		return setupErr("profile %s asks the run to make %d entities on the target (provision): give --allow-mutating to let it, or give the inputs in the profile", p.File, len(order))
	}
	var mark string
	if s.Env.Reset != nil {
		// Each reset must keep what the run made: only the reference mock
		// knows how (its mark endpoint).
		if mark = s.markURL(); mark == "" {
			return setupErr("the target is reset before cases that change state, and a reset would remove what provisioning makes: provisioning needs the reference mock (its %s endpoint) or a target without reset", profile.MockMarkPath)
		}
		// A run killed before its cleanup left its mark: start from the seed.
		if err := adminCall(http.MethodDelete, mark, o.Timeout); err != nil {
			return setupErr("clearing the mock's mark before provisioning: %v", err)
		}
		if err := s.Env.Reset(); err != nil {
			return setupErr("resetting the target before provisioning: %v", err)
		}
	}
	path := o.ProvisionRecord
	if path == "" {
		path = provision.DefaultRecord
	}
	rec, err := provision.NewRecord(path, s.Env.Endpoint, s.API.Product+" "+s.API.Version, p.File, s.Embedded)
	if err != nil {
		return setupErr("provision: %v", err)
	}
	s.record, s.markAt = rec, mark
	m := &provision.Maker{API: s.API, Profile: p, Env: s.Env, Record: rec}
	values, failed := m.Make(context.Background(), order)
	for _, name := range slices.Sorted(maps.Keys(failed)) {
		fmt.Fprintf(o.Out, "acsconform: provision: %s was not made: %s (the cases that need it go without)\n", name, failed[name])
	}
	for name, v := range values {
		p.Inputs[name] = profile.Input{Value: v, Provisioned: true}
	}
	s.unmade = failed
	for name, needs := range lacking {
		s.unmade[name] = "its recipe needs " + strings.Join(needs, ", ")
	}
	s.Provisioned = slices.Sorted(maps.Keys(values))
	fmt.Fprintf(o.Out, "acsconform: provision: made %d of %d input(s) through the documented operations (recorded in %s): %s\n", len(values), len(order), path, strings.Join(s.Provisioned, ", "))
	if mark != "" {
		if err := adminCall(http.MethodPost, mark, o.Timeout); err != nil {
			return setupErr("marking the mock's state after provisioning: %v", err)
		}
	}
	return nil
}

// explainUnmade says, on each case skipped for an input the run tried and
// failed to make, why it was not made.
func (s *Session) explainUnmade() {
	if len(s.unmade) == 0 {
		return
	}
	for _, c := range s.Cases {
		rest, ok := strings.CutPrefix(c.Skip, "the profile lacks ")
		if !ok {
			continue
		}
		var why []string
		for _, name := range strings.Split(rest, ", ") {
			if w, ok := s.unmade[name]; ok {
				why = append(why, name+" could not be made: "+w)
			}
		}
		if len(why) > 0 {
			c.Skip += " (" + strings.Join(why, "; ") + ")"
		}
	}
}

func recipeAction(s *Session, name string) string {
	r := s.API.Inputs[name].Provision
	if r.From != "" {
		return "from " + r.From
	}
	return r.Create.Action
}

// markURL is the mark endpoint of a reference mock target, or "".
func (s *Session) markURL() string {
	switch {
	case s.Embedded || (s.Opts.ProfilePath == "" && s.Opts.Target != ""):
		return strings.TrimRight(s.Env.Endpoint, "/") + profile.MockMarkPath
	case strings.HasSuffix(s.Profile.Reset, profile.MockResetPath):
		return strings.TrimSuffix(s.Profile.Reset, profile.MockResetPath) + profile.MockMarkPath
	}
	return ""
}

// cleanup removes what provisioning made (once) and says how it went: a
// target that resets is first returned to the marked state, where each
// made entity exists, and unmarked after.
func (s *Session) cleanup() string {
	rec := s.record
	if rec == nil {
		return ""
	}
	s.record = nil
	var note []string
	if s.Env.Reset != nil {
		if err := s.Env.Reset(); err != nil {
			note = append(note, fmt.Sprintf("acsconform: provision: resetting the target before the cleanup: %v", err))
		}
	}
	if err := provision.Cleanup(context.Background(), s.Env, rec); err != nil {
		note = append(note, fmt.Sprintf("acsconform: provision: %v; `acsconform cleanup --record %s` tries again", err, rec.Path()))
	} else {
		note = append(note, fmt.Sprintf("acsconform: provision: removed what the run made (%d input(s)); the record %s is deleted", len(s.Provisioned), rec.Path()))
	}
	if s.markAt != "" {
		if err := adminCall(http.MethodDelete, s.markAt, s.Opts.Timeout); err != nil {
			note = append(note, fmt.Sprintf("acsconform: provision: clearing the mock's mark: %v", err))
		} else if s.Env.Reset != nil {
			_ = s.Env.Reset()
		}
	}
	return strings.Join(note, "\n")
}

func adminCall(method, u string, timeout time.Duration) error {
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: HTTP %d", method, u, resp.StatusCode)
	}
	return nil
}

// CleanupRecord removes what a run that was killed before its cleanup
// made, as its record lists (`acsconform cleanup`): the contract and the
// profile give the operations and the credentials, the record the target
// unless o.Target overrides it.
func CleanupRecord(o Options, path string) error {
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if path == "" {
		path = provision.DefaultRecord
	}
	rec, err := provision.LoadRecord(path)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return cleanupInput("--record %s: %v", path, pe.Err)
		}
		return cleanupInput("%v", err)
	}
	if rec.Embedded {
		if err := os.Remove(path); err != nil {
			return cleanupInput("%s: %v", path, unwrapPath(err))
		}
		fmt.Fprintf(o.Out, "acsconform cleanup: %s lists entities of a run's own embedded mock, which ended with that run: nothing to remove; the record is deleted\n", path)
		return nil
	}
	if len(rec.Pending()) == 0 {
		if err := os.Remove(path); err != nil {
			return cleanupInput("%s: %v", path, unwrapPath(err))
		}
		fmt.Fprintf(o.Out, "acsconform cleanup: %s lists nothing left to remove; the record is deleted\n", path)
		return nil
	}
	api, err := spec.LoadNamed(o.Contract)
	if err != nil {
		return cleanupInput("%v", err)
	}
	if got := api.Product + " " + api.Version; got != rec.Contract {
		return cleanupInput("%s was made by a run of %s, not %s: give --contract for it", path, rec.Contract, got)
	}
	p, err := loadProfile(o.ProfilePath)
	if err != nil {
		return cleanupInput("%v", err)
	}
	endpoint := rec.Target
	if o.Target != "" {
		endpoint = o.Target
	}
	env, err := run.NewEnv(api, p, endpoint)
	if err != nil {
		return cleanupInput("%v", err)
	}
	env.Timeout, env.Getenv = o.Timeout, o.Getenv
	if env.Timeout == 0 {
		env.Timeout = 10 * time.Second
	}
	n := len(rec.Pending())
	if err := provision.Cleanup(context.Background(), env, rec); err != nil {
		return fmt.Errorf("%w", err)
	}
	fmt.Fprintf(o.Out, "acsconform cleanup: removed the %d entities %s listed at %s; the record is deleted\n", n, path, endpoint)
	return nil
}

// cleanupInput is an error of cleanup's inputs (exit 2, as a run that
// cannot start), said without a run's words.
type cleanupInputError struct{ msg string }

func (e cleanupInputError) Error() string        { return e.msg }
func (e cleanupInputError) Is(target error) bool { return target == ErrSetup }

func cleanupInput(format string, args ...any) error {
	return cleanupInputError{fmt.Sprintf(format, args...)}
}
