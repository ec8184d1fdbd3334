package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/conformance/run"
)

// DefaultRecord is where a run records what it makes when not told.
const DefaultRecord = "acsconform-provisioned.json"

// Entity states in a record.
const (
	StateMaking  = "making"  // the creation is about to be sent
	StateMade    = "made"    // it exists; Cleanup removes it
	StateFailed  = "failed"  // the target refused to make it: nothing to remove
	StateUnknown = "unknown" // no answer came, or none that names it: it may exist
	StateRemoved = "removed" // made and removed again
)

// Record is the file that lists what a run made, written before each
// creation: it holds IDs, names and the cleanup requests, never a secret
// (calls name their credential set, not its keys).
type Record struct {
	// Target, Contract and Profile say where the entities live.
	Target   string `json:"target"`
	Contract string `json:"contract"`
	Profile  string `json:"profile"`
	// Embedded: the target was the run's own embedded mock, whose state
	// ends with the process; nothing of it outlives a killed run.
	Embedded bool      `json:"embedded,omitempty"`
	Entities []*Entity `json:"entities"`

	path string
	mu   sync.Mutex
}

// Entity is one made (or attempted) entity.
type Entity struct {
	Input   string              `json:"input"`
	Action  string              `json:"action"`
	As      string              `json:"as,omitempty"`
	Request map[string][]string `json:"request"`
	State   string              `json:"state"`
	ID      string              `json:"id,omitempty"`
	Cleanup []Call              `json:"cleanup,omitempty"`
	Gone    []string            `json:"gone,omitempty"`
	// Note says why it was not made, or what is left to do by hand.
	Note string `json:"note,omitempty"`
}

// Call is one resolved cleanup request.
type Call struct {
	Action string              `json:"action"`
	Params map[string][]string `json:"params"`
	As     string              `json:"as,omitempty"`
}

// NewRecord starts a record at path; a record left there by an earlier run
// that still lists entities is refused, so they are not forgotten.
func NewRecord(path, target, contract, profileName string, embedded bool) (*Record, error) {
	if old, err := LoadRecord(path); err == nil && !old.Embedded && len(old.Pending()) > 0 {
		return nil, fmt.Errorf("%s lists %d entities an earlier run made and did not remove: run `acsconform cleanup --record %s` first", path, len(old.Pending()), path)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	r := &Record{Target: target, Contract: contract, Profile: profileName, Embedded: embedded, path: path}
	return r, r.Save()
}

// LoadRecord reads a record file.
func LoadRecord(path string) (*Record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseRecord(path, b)
}

// parseRecord reads a record's bytes, refusing one that names an entity
// without its input and action, a made one without its ID, or a cleanup
// call without its operation.
func parseRecord(path string, b []byte) (*Record, error) {
	r := &Record{path: path}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s is not a record of made entities: %v", path, err)
	}
	for i, e := range r.Entities {
		bad := func(what string) error {
			return fmt.Errorf("%s is not a record of made entities: entities[%d] %s", path, i, what)
		}
		switch {
		case e == nil:
			return nil, bad("is empty")
		case e.Input == "" || e.Action == "":
			return nil, bad("names no input or no action")
		case !slices.Contains([]string{StateMaking, StateMade, StateFailed, StateUnknown, StateRemoved}, e.State):
			return nil, bad(fmt.Sprintf("has state %q (want making, made, failed, unknown or removed)", e.State))
		case e.State == StateMade && e.ID == "":
			return nil, bad("is made but has no id")
		}
		for j, c := range e.Cleanup {
			if c.Action == "" {
				return nil, bad(fmt.Sprintf("cleanup[%d] names no action", j))
			}
		}
	}
	return r, nil
}

// Path is the record's file.
func (r *Record) Path() string { return r.path }

// Add appends an entity and saves.
func (r *Record) Add(e *Entity) error {
	r.mu.Lock()
	r.Entities = append(r.Entities, e)
	r.mu.Unlock()
	return r.Save()
}

// Save writes the record (a new file renamed over the old, so a kill
// never leaves half of it).
func (r *Record) Save() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(r.path), ".acsconform-record-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), r.path)
}

// Pending lists the entities still to remove or to look for: made ones
// with a cleanup, and those whose creation may have happened unseen.
func (r *Record) Pending() []*Entity {
	var out []*Entity
	for _, e := range r.Entities {
		if (e.State == StateMade && len(e.Cleanup) > 0) || e.State == StateMaking || e.State == StateUnknown {
			out = append(out, e)
		}
	}
	return out
}

// Cleanup removes what the record lists, the last made first. An
// entity whose cleanup answers one of its gone codes is removed already.
// When everything is removed the file is deleted; otherwise it is kept,
// listing what is left, and the error names each.
func Cleanup(ctx context.Context, env *run.Env, r *Record) error {
	var left []string
	for _, e := range slices.Backward(r.Entities) {
		switch {
		case e.State == StateMade && len(e.Cleanup) > 0:
			if why := removeOne(ctx, env, e); why != "" {
				e.Note = why
				left = append(left, fmt.Sprintf("%s %s (%s)", e.Input, e.ID, why))
				continue
			}
			e.State, e.Note = StateRemoved, ""
		case e.State == StateMaking || e.State == StateUnknown:
			left = append(left, fmt.Sprintf("%s: %s may have made it (request %s); remove it by hand if it exists", e.Input, e.Action, encode(e.Request)))
		}
	}
	if len(left) == 0 {
		if err := os.Remove(r.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	if err := r.Save(); err != nil {
		return err
	}
	return fmt.Errorf("%d made entities are left (listed in %s): %s", len(left), r.path, strings.Join(left, "; "))
}

// removeOne sends an entity's cleanup calls in order; "" when it is gone.
func removeOne(ctx context.Context, env *run.Env, e *Entity) string {
	for _, c := range e.Cleanup {
		a := env.SendRetrying(ctx, plan.Request{Action: c.Action, Params: url.Values(c.Params), As: c.As}, nil)
		if why := unanswered(a); why != "" {
			return c.Action + " got no answer: " + why
		}
		if a.Status == http.StatusOK {
			continue
		}
		if a.Err != nil && slices.Contains(e.Gone, a.Err.Code) {
			continue // a case removed it (or this part of it) already
		}
		return c.Action + " answered " + run.Describe(a)
	}
	return ""
}

func encode(v map[string][]string) string { return url.Values(v).Encode() }
