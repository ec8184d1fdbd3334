package mock

import (
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"time"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// Backend holds the state behind a lock and applies the business rules of
// the three operations. Parameter rules are not here: the generated
// validators apply them before a request reaches the backend.
type Backend struct {
	mu      sync.Mutex
	api     *spec.API
	state   *State
	seed    *profile.MockSeed
	digest  string
	journal *Journal
	busy    map[string]bool // contacts with a call in progress
	mark    *State          // what Reset returns to instead of the seed (Mark)

	now   func() time.Time
	newID func(prefix string) string

	compactAfter int // configured
	compactAt    int // tail length that triggers the next compaction
	logf         func(format string, args ...any)

	limits     profile.MockLimits
	quota      int           // invitations per caller per day (contract)
	validity   time.Duration // handshake lifetime (contract relation)
	dateLayout string        // ModifyDate (contract layout)
	timeLayout string        // handshake times (contract layout)
}

// Handshake statuses, from the contract's enum.
var (
	pending  = string(rdm.HandshakeStatusPending)
	accepted = string(rdm.HandshakeStatusAccepted)
)

// contractFacts reads from the contract what the backend needs.
func (b *Backend) contractFacts(api *spec.API) error {
	invite := api.Operation("InviteAccountToResourceDirectory")
	assoc := api.Operation("AssociateMembers")
	if invite == nil || assoc == nil {
		return fmt.Errorf("mock: the contract lacks InviteAccountToResourceDirectory or AssociateMembers")
	}
	for _, q := range invite.Quotas {
		if q.Period == "day" && q.Error == rdm.CodeLimitExceededInvitationRate {
			b.quota = q.Limit
		}
	}
	for _, r := range invite.Relations {
		if r.AfterField == "Handshake.CreateTime" && r.Field == "Handshake.ExpireTime" {
			d, err := time.ParseDuration(r.Offset)
			if err != nil {
				return fmt.Errorf("mock: relation %s: offset %q: %v", r.ID, r.Offset, err)
			}
			b.validity = d
		}
	}
	members := assoc.Response.Properties["Members"]
	hs := invite.Response.Properties["Handshake"]
	if b.quota == 0 || b.validity == 0 || members == nil || hs == nil {
		return fmt.Errorf("mock: the contract does not state the daily invitation quota, the handshake validity or the response layouts")
	}
	var ok1, ok2 bool
	b.dateLayout, ok1 = spec.GoTimeLayout(spec.Layout(members.Value.Items.Value.Properties["ModifyDate"].Value))
	b.timeLayout, ok2 = spec.GoTimeLayout(spec.Layout(hs.Value.Properties["CreateTime"].Value))
	if !ok1 || !ok2 || b.dateLayout == "" || b.timeLayout == "" {
		return fmt.Errorf("mock: the contract's date layouts are missing or unknown")
	}
	return nil
}

// BackendOptions injects the clock and the ID generator.
type BackendOptions struct {
	Now   func() time.Time
	NewID func(prefix string) string
	// StateFile, when set, journals every change (see Journal).
	StateFile string
	// AcceptStateLoss opens a damaged state file from its trustworthy lines
	// instead of refusing (see JournalOptions.AcceptLoss).
	AcceptStateLoss bool
	// CompactAfter is how many journalled events trigger a compaction
	// (DefaultCompactAfter when 0; never when negative).
	CompactAfter int
	// Logf, when set, reports what the backend recovers from on its own
	// (a compaction that failed and will be retried).
	Logf func(format string, args ...any)
}

// NewBackend seeds a backend from a profile; it replays the state file when
// one is given. warnings report what loading the state file repaired or
// dropped (see OpenJournal).
func NewBackend(api *spec.API, p *profile.Profile, o BackendOptions) (b *Backend, warnings []string, err error) {
	if p.Mock == nil {
		return nil, nil, fmt.Errorf("mock: profile %s has no mock section", p.File)
	}
	b = &Backend{seed: p.Mock, digest: p.Digest, busy: map[string]bool{}, now: o.Now, newID: o.NewID, limits: p.Mock.Limits,
		compactAfter: o.CompactAfter, logf: o.Logf}
	if b.compactAfter == 0 {
		b.compactAfter = DefaultCompactAfter
	}
	b.compactAt = b.compactAfter
	if b.logf == nil {
		b.logf = func(string, ...any) {}
	}
	if b.now == nil {
		b.now = func() time.Time { return time.Now().UTC().Truncate(time.Second) }
	}
	if b.newID == nil {
		b.newID = randomID
	}
	b.api = api
	if err := b.contractFacts(api); err != nil {
		return nil, nil, err
	}
	if b.state, err = Seed(p.Mock); err != nil {
		return nil, nil, err
	}
	if o.StateFile != "" {
		j, events, warns, err := OpenJournal(o.StateFile, p.Digest, JournalOptions{AcceptLoss: o.AcceptStateLoss})
		if err != nil {
			return nil, nil, err
		}
		for i, e := range events {
			if err := b.apply(e); err != nil {
				j.Close()
				return nil, nil, fmt.Errorf("mock: state file %s: event %d does not apply to the seeded state (%v): %w", o.StateFile, i+1, err, ErrCorrupt)
			}
		}
		b.journal, warnings = j, warns
		b.maybeCompact()
	}
	return b, warnings, nil
}

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func randomID(prefix string) string {
	var raw [10]byte
	_, _ = rand.Read(raw[:])
	for i := range raw {
		raw[i] = idAlphabet[int(raw[i])%len(idAlphabet)]
	}
	return prefix + string(raw[:])
}

// commit journals an event and then applies it; the caller holds b.mu. An
// event the journal could not save is not applied: the state stays what
// the file says.
func (b *Backend) commit(e Event) error {
	if b.journal != nil {
		if err := b.journal.Append(e); err != nil {
			return err
		}
	}
	if err := b.apply(e); err != nil {
		return err
	}
	b.maybeCompact()
	return nil
}

// maybeCompact replaces the journal by a snapshot once its tail is long;
// the caller holds b.mu (or owns b alone). A failed compaction leaves the
// journal as it was and is tried again after the next compactAfter events.
func (b *Backend) maybeCompact() {
	j := b.journal
	if j == nil || b.compactAfter < 0 || j.Tail() < b.compactAt {
		return
	}
	if err := j.Compact(b.digest, b.state, b.now()); err != nil {
		b.logf("mock: compacting the state file failed (the journal is unchanged and keeps working): %v", err)
		b.compactAt = j.Tail() + b.compactAfter
		return
	}
	b.compactAt = b.compactAfter
}

// apply changes the state; it is the only writer.
func (b *Backend) apply(e Event) error {
	s := b.state
	switch e.Op {
	case "bind", "unbind":
		d := s.Directories[e.Dir]
		if d == nil || d.Contacts[e.Contact] == nil {
			return fmt.Errorf("no contact %s in directory %s", e.Contact, e.Dir)
		}
		c := d.Contacts[e.Contact]
		for _, m := range e.Members {
			if e.Op == "bind" {
				if _, ok := c.Bound[m]; !ok {
					c.Bound[m] = e.Stamp
				}
			} else {
				delete(c.Bound, m)
			}
		}
	case "invite":
		c := s.Callers[e.Caller]
		if c == nil || e.Handshake == nil {
			return fmt.Errorf("no caller %s", e.Caller)
		}
		b.countInvite(c, e.Day)
		if e.Handshake.CountsAsInvalidTgt {
			c.InvalidTargets++
		}
		h := *e.Handshake
		s.Handshakes[h.ID] = &h
	case "status":
		h := s.Handshakes[e.ID]
		if h == nil {
			return fmt.Errorf("no handshake %s", e.ID)
		}
		h.Status, h.ModifyTime = e.Status, e.At
		if e.Status == accepted && h.TargetAccountID != "" {
			if d := s.Directories[h.DirectoryID]; d != nil {
				d.Members[h.TargetAccountID] = true
			}
			if a := s.Accounts[h.TargetAccountID]; a != nil {
				a.Directory = h.DirectoryID
			}
		}
	case "put":
		for _, p := range e.Puts {
			if err := s.put(p); err != nil {
				return err
			}
		}
	case "snapshot":
		return b.restore(e.Snapshot)
	default:
		return fmt.Errorf("unknown event %q", e.Op)
	}
	return nil
}

// restore replaces the state by a snapshot. Callers keep what the profile
// seeds (their secrets and seeded counts, which a snapshot never holds) and
// take what they used up from the snapshot; a snapshot naming a caller the
// profile does not seed does not belong to this profile.
func (b *Backend) restore(snap *State) error {
	if snap == nil {
		return fmt.Errorf("empty snapshot")
	}
	s, err := Seed(b.seed)
	if err != nil {
		return err
	}
	for id, c := range snap.Callers {
		seeded := s.Callers[id]
		if seeded == nil || c == nil {
			return fmt.Errorf("the snapshot names caller %s, which the profile does not seed", id)
		}
		seeded.InvalidTargets, seeded.InvitesDay, seeded.Invites = c.InvalidTargets, c.InvitesDay, c.Invites
	}
	s.Directories, s.Accounts, s.Handshakes = snap.Directories, snap.Accounts, snap.Handshakes
	for _, m := range []bool{s.Directories == nil, s.Accounts == nil, s.Handshakes == nil} {
		if m {
			return fmt.Errorf("the snapshot lacks directories, accounts or handshakes")
		}
	}
	b.state = s
	return nil
}

func (b *Backend) invitesToday(c *Caller, day string) int {
	if c.InvitesDay == day {
		return c.Invites
	}
	if c.InvitesDay == "" {
		return c.seedInvites
	}
	return 0
}

func (b *Backend) countInvite(c *Caller, day string) {
	c.Invites = b.invitesToday(c, day) + 1
	c.InvitesDay = day
}

// day is the calendar day the invitation quota counts in.
func (b *Backend) day(t time.Time) string {
	return t.Add(time.Duration(b.limits.DayTimeZoneOffsetH) * time.Hour).Format("2006-01-02")
}

// Caller returns the caller with an access key ID; with "" (signatures not
// checked) the profile's first caller.
func (b *Backend) Caller(accessKeyID string) *Caller {
	b.mu.Lock()
	defer b.mu.Unlock()
	if accessKeyID == "" && len(b.seed.Callers) > 0 {
		accessKeyID = b.seed.Callers[0].AccessKeyID
	}
	return b.state.Callers[accessKeyID]
}

// Secret is the verifier's lookup.
func (b *Backend) Secret(accessKeyID string) (string, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.state.Callers[accessKeyID]
	if c == nil {
		return "", false
	}
	return c.Secret, true
}

// Token is the verifier's security-token lookup: the token a temporary key
// must carry and when it expires, from the profile's callers.
func (b *Backend) Token(accessKeyID string) (string, time.Time) {
	return callerKeys(b.seed.Callers).Token(accessKeyID)
}

func (b *Backend) bindable(status string) bool {
	if len(b.limits.BindableStatuses) == 0 {
		return status == "Active"
	}
	return slices.Contains(b.limits.BindableStatuses, status)
}

// contactFor resolves the caller's contact and checks its status and the
// objects named, in the order the errors are documented.
func (b *Backend) contactFor(action string, c *Caller, contactID string, members []string) (*Directory, *Contact, error) {
	d := b.state.directoryOf(c)
	if d == nil || d.Contacts[contactID] == nil {
		return nil, nil, rdm.NewError(action, rdm.CodeEntityNotExistsContact)
	}
	contact := d.Contacts[contactID]
	if !b.bindable(contact.Status) {
		return nil, nil, rdm.NewError(action, rdm.CodeContactStatusMismatchAction)
	}
	for _, m := range members {
		if !d.Contains(m) {
			return nil, nil, rdm.NewError(action, rdm.CodeInvalidMember)
		}
	}
	return d, contact, nil
}

// Associate binds a contact to objects. Binding an object that is already
// bound changes nothing and answers the existing binding (its first
// ModifyDate): the call is idempotent, as a retried request must be.
func (b *Backend) Associate(ctx context.Context, c *Caller, contactID string, members []string) ([]rdm.ContactBinding, error) {
	const action = "AssociateMembers"
	b.mu.Lock()
	d, contact, err := b.contactFor(action, c, contactID, members)
	if err != nil {
		b.mu.Unlock()
		return nil, err
	}
	key := d.ID + "/" + contactID
	if b.busy[key] {
		b.mu.Unlock()
		return nil, rdm.NewError(action, rdm.CodeConcurrentCallNotSupported)
	}
	after := len(contact.Bound)
	for _, m := range members {
		if _, ok := contact.Bound[m]; !ok {
			after++
		}
	}
	if contact.MemberLimit > 0 && after > contact.MemberLimit {
		b.mu.Unlock()
		return nil, rdm.NewError(action, rdm.CodeLimitExceededContactMembers)
	}
	// The hold time is the window in which a second call on the same
	// contact meets this one; with none, a call is atomic and concurrency
	// is never observed (deterministically, whatever the machine's load).
	hold := b.limits.HoldTime
	if hold > 0 {
		b.busy[key] = true
		b.mu.Unlock()
		select {
		case <-time.After(hold):
		case <-ctx.Done():
		}
		b.mu.Lock()
	}
	defer b.mu.Unlock()
	if hold > 0 {
		defer delete(b.busy, key)
	}
	now := b.now()
	stamp := now.Format(b.dateLayout)
	if err := b.commit(Event{Op: "bind", At: now, Dir: d.ID, Contact: contactID, Members: members, Stamp: stamp}); err != nil {
		return nil, rdm.StateError("internal-failure")
	}
	out := make([]rdm.ContactBinding, 0, len(members))
	for _, m := range members {
		date := contact.Bound[m]
		if date == "" {
			date = stamp
		}
		out = append(out, rdm.ContactBinding{ContactId: contactID, MemberId: m, ModifyDate: date})
	}
	return out, nil
}

// Disassociate unbinds a contact from objects. Unbinding an object that is
// not bound changes nothing and answers it with the current time.
func (b *Backend) Disassociate(c *Caller, contactID string, members []string) ([]rdm.ContactBinding, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, _, err := b.contactFor("DisassociateMembers", c, contactID, members)
	if err != nil {
		return nil, err
	}
	now := b.now()
	stamp := now.Format(b.dateLayout)
	if err := b.commit(Event{Op: "unbind", At: now, Dir: d.ID, Contact: contactID, Members: members, Stamp: stamp}); err != nil {
		return nil, rdm.StateError("internal-failure")
	}
	out := make([]rdm.ContactBinding, 0, len(members))
	for _, m := range members {
		out = append(out, rdm.ContactBinding{ContactId: contactID, MemberId: m, ModifyDate: stamp})
	}
	return out, nil
}

// status is a handshake's status now: a Pending one past its expiry is Expired.
func (b *Backend) status(h *Handshake, now time.Time) string {
	if h.Status == pending && now.After(h.ExpireTime) {
		return string(rdm.HandshakeStatusExpired)
	}
	return h.Status
}

// Invite creates a Pending handshake after the business checks, in this
// order: the caller's directory, the parent folder, the directory's member
// limit, the daily quota, the invalid-target limit, the target's membership,
// directory, account type and legal entity, a pending invitation to the
// same target. Directory-level limits come before anything about the target.
func (b *Backend) Invite(c *Caller, r *rdm.InviteAccountToResourceDirectoryRequest) (*rdm.Handshake, error) {
	const action = "InviteAccountToResourceDirectory"
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.state
	d := s.directoryOf(c)
	if d == nil {
		return nil, rdm.NewError(action, rdm.CodeEntityNotExistsResourceDirectory)
	}
	if r.ParentFolderId != "" && d.Folders[r.ParentFolderId] == nil {
		return nil, rdm.NewError(action, rdm.CodeEntityNotExistsFolder)
	}
	if len(d.Members) >= d.MemberLimit {
		return nil, rdm.NewError(action, rdm.CodeLimitExceededAccount)
	}
	now := b.now()
	day := b.day(now)
	if b.invitesToday(c, day) >= b.quota {
		return nil, rdm.NewError(action, rdm.CodeLimitExceededInvitationRate)
	}
	target := s.accountFor(string(r.TargetType), r.TargetEntity)
	if target == nil && b.limits.InvalidTargets > 0 && c.InvalidTargets >= b.limits.InvalidTargets {
		return nil, rdm.NewError(action, rdm.CodeLimitExceededInvitationInvalidTarget)
	}
	if target != nil {
		switch {
		case target.Directory == d.ID || d.Members[target.ID]:
			return nil, rdm.NewError(action, rdm.CodeEntityAlreadyExistsResourceDirAccount)
		case target.Directory != "":
			return nil, rdm.NewError(action, rdm.CodeNotSupportAccountInAnotherResourceDirectory)
		case target.Personal:
			return nil, rdm.NewError(action, rdm.CodeInvalidAccountType)
		case target.LegalEntity != b.legalEntity(d):
			return nil, rdm.NewError(action, rdm.CodeLegalEntityMismatch)
		}
	}
	for _, h := range s.Handshakes {
		if h.DirectoryID != d.ID || b.status(h, now) != pending {
			continue
		}
		if h.TargetEntity == r.TargetEntity || (target != nil && h.TargetAccountID == target.ID) {
			return nil, rdm.NewError(action, rdm.CodeEntityAlreadyExistsHandshake)
		}
	}
	h := &Handshake{ID: b.newID("h-"), DirectoryID: d.ID, MasterAccountID: d.MasterAccountID, MasterAccountName: d.MasterAccountName,
		TargetEntity: r.TargetEntity, TargetType: string(r.TargetType), Note: r.Note, Status: pending,
		CreateTime: now, ModifyTime: now, ExpireTime: now.Add(b.validity), ParentFolderID: r.ParentFolderId,
		InvitedBy: c.AccessKeyID, CountsAsInvalidTgt: target == nil}
	if target != nil {
		h.TargetAccountID = target.ID
	}
	if err := b.commit(Event{Op: "invite", At: now, Caller: c.AccessKeyID, Day: day, Handshake: h}); err != nil {
		return nil, rdm.StateError("internal-failure")
	}
	return b.wire(h, now), nil
}

// legalEntity is the management account's legal entity.
func (b *Backend) legalEntity(d *Directory) string {
	if a := b.state.Accounts[d.MasterAccountID]; a != nil {
		return a.LegalEntity
	}
	return b.limits.LegalEntity
}

func (b *Backend) wire(h *Handshake, now time.Time) *rdm.Handshake {
	return &rdm.Handshake{
		HandshakeId: h.ID, Status: rdm.HandshakeStatus(b.status(h, now)), TargetEntity: h.TargetEntity, TargetType: rdm.TargetType(h.TargetType),
		ResourceDirectoryId: h.DirectoryID, MasterAccountId: h.MasterAccountID, MasterAccountName: h.MasterAccountName, Note: h.Note,
		CreateTime: h.CreateTime.UTC().Format(b.timeLayout), ModifyTime: h.ModifyTime.UTC().Format(b.timeLayout), ExpireTime: h.ExpireTime.UTC().Format(b.timeLayout),
	}
}

// SetHandshakeStatus moves a handshake through its lifecycle (the invited
// side's answer, which no operation of this contract makes): Accepted makes
// the target a member.
func (b *Backend) SetHandshakeStatus(id, status string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	h := b.state.Handshakes[id]
	if h == nil {
		return fmt.Errorf("no handshake %q", id)
	}
	if !slices.Contains([]string{accepted, string(rdm.HandshakeStatusCancelled), string(rdm.HandshakeStatusDeclined)}, status) {
		return fmt.Errorf("status %q: want Accepted, Cancelled or Declined", status)
	}
	if cur := b.status(h, b.now()); cur != pending {
		return fmt.Errorf("handshake %s is %s, not Pending", id, cur)
	}
	return b.commit(Event{Op: "status", At: b.now(), ID: id, Status: status})
}

// Reset returns to the seeded state (and empties the journal), or to the
// state Mark saved.
func (b *Backend) Reset() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.mark != nil {
		s, err := copyState(b.mark)
		if err != nil {
			return err
		}
		if b.journal != nil {
			if err := b.journal.Compact(b.digest, s, b.now()); err != nil {
				return err
			}
		}
		b.state = s
		return nil
	}
	s, err := Seed(b.seed)
	if err != nil {
		return err
	}
	if b.journal != nil {
		if err := b.journal.Reset(b.digest); err != nil {
			return err
		}
	}
	b.state = s
	return nil
}

// Mark makes the present state the one Reset returns to: a run that made
// its own entities (provisioning) keeps them across the resets between
// its cases. The mark lives in memory only; a restart forgets it.
func (b *Backend) Mark() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, err := copyState(b.state)
	if err != nil {
		return err
	}
	b.mark = m
	return nil
}

// Unmark makes Reset return to the seed again.
func (b *Backend) Unmark() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.mark = nil
}

// Dump returns a deep copy of the state, for the state-dump endpoint and tests.
func (b *Backend) Dump() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	out, err := copyState(b.state)
	if err != nil {
		return State{}
	}
	now := b.now()
	for _, h := range out.Handshakes {
		h.Status = b.status(h, now)
	}
	return *out
}

// Close closes the journal.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.journal != nil {
		return b.journal.Close()
	}
	return nil
}
