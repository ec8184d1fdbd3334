// Package profile reads target profiles: how to reach a target (endpoint,
// signature version, credentials by environment-variable name), the IDs that
// the contract's state-dependent error codes need (keyed by the trigger
// "needs" names of the spec), and — for the reference mock — the state the
// mock seeds itself with, so the mock and the conformance suite agree on
// every ID. The format is documented in fixtures/targets/README.md.
package profile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/acsconform/acsconform/internal/fsmsg"
	"github.com/acsconform/acsconform/internal/yamlcheck"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/acs"
	"github.com/acsconform/acsconform/spec"
)

// MockAdminPrefix is the reserved path of the test-isolation endpoints a
// reference mock served from a profile's mock section answers with --admin;
// MockResetPath resets it to its seed (a run of the embedded profile at a
// --target resets through it).
const (
	MockAdminPrefix = "/_acsconform/"
	MockResetPath   = MockAdminPrefix + "reset"
	// MockMarkPath (POST) makes the mock's present state the one a reset
	// returns to; DELETE makes it the seed again.
	MockMarkPath = MockAdminPrefix + "mark"
)

// Profile is one target profile.
type Profile struct {
	Name string `yaml:"name"`
	// Endpoint is the target's base URL; empty means the embedded mock.
	Endpoint string `yaml:"endpoint"`
	// Signature is v3 (default) or v1.
	Signature string `yaml:"signature"`
	// Site is the vendor site the target plays: china (the China site) or
	// intl (the international site). Facts the vendor states for one site
	// only are checked on that site alone; without a site, such cases do
	// not run and say why. The endpoint's host does not tell the site
	// (both sites serve the same host names), so it is stated here.
	Site string `yaml:"site"`
	// Reset, for a mock target, is a URL to POST before each mutating or
	// exhausting case (such as acsconform mock's /_acsconform/reset).
	Reset string `yaml:"reset"`
	// Credentials are named credential sets; "default" signs most cases.
	Credentials map[string]Credential `yaml:"credentials"`
	// Inputs give the values the contract's triggers need, by name.
	Inputs map[string]Input `yaml:"inputs"`
	// Mock is the reference mock's seed; only mock profiles have one.
	Mock *MockSeed `yaml:"mock"`
	// ExampleInputs: an input the profile lacks takes the contract's
	// example of the operation's parameter of that name. Only for a target
	// that answers any well-formed request, such as the mock's operations
	// answered from their samples; a real endpoint needs real IDs.
	ExampleInputs bool `yaml:"example-inputs"`
	// Provision: the run makes the entities its cases need through the
	// documented operations (the contract's x-acs-inputs recipes) for the
	// inputs this profile does not give, and removes them afterwards.
	Provision bool `yaml:"provision"`

	// Digest identifies the file's content (for the mock's state file).
	Digest string `yaml:"-"`
	File   string `yaml:"-"`
}

// Credential names where an access key pair comes from. The secret is
// never in a profile: it is read from the environment variable, or for a
// mock profile from the mock's own seed.
type Credential struct {
	AccessKeyID        string `yaml:"access-key-id"`
	AccessKeyIDEnv     string `yaml:"access-key-id-env"`
	AccessKeySecretEnv string `yaml:"access-key-secret-env"`
	SecurityTokenEnv   string `yaml:"security-token-env"`
	// Inputs are the inputs that belong to this caller (the invitation
	// sent to it, the contact it owns): for a request it signs they win
	// over the profile's own inputs of the same name.
	Inputs map[string]Input `yaml:"inputs"`
}

// CallerSet names the credential set a request of action signs with when
// its case signs as the credentials input as ("" or an unknown input: the
// default set).
func (p *Profile) CallerSet(action, as string) string {
	if as == "" {
		return "default"
	}
	for _, key := range []string{action + "." + as, as} {
		if in, ok := p.Inputs[key]; ok && in.Credentials != "" {
			return in.Credentials
		}
	}
	return "default"
}

// Input is one value a trigger needs: a string, a list of strings, or the
// name of a credential set (for inputs such as noDirectoryCredentials).
type Input struct {
	Value       string
	List        []string
	Credentials string
	// Provisioned: the run made this input's entity itself (it is not
	// in any seed the profile states).
	Provisioned bool
}

// UnmarshalYAML reads a scalar, a sequence, or {credentials: NAME}.
func (in *Input) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		in.Value = n.Value
		return nil
	case yaml.SequenceNode:
		return n.Decode(&in.List)
	case yaml.MappingNode:
		var m struct {
			Credentials string `yaml:"credentials"`
		}
		if err := n.Decode(&m); err != nil {
			return err
		}
		if m.Credentials == "" {
			return fmt.Errorf("line %d: an input mapping must be {credentials: NAME}", n.Line)
		}
		in.Credentials = m.Credentials
		return nil
	}
	return fmt.Errorf("line %d: an input is a string, a list or {credentials: NAME}", n.Line)
}

// MockSeed is the state the reference mock starts from.
type MockSeed struct {
	Callers     []Caller    `yaml:"callers"`
	Directories []Directory `yaml:"directories"`
	Accounts    []Account   `yaml:"accounts"`
	// Handshakes are invitations in any status, of any directory (one
	// that no longer exists included).
	Handshakes []HandshakeSeed `yaml:"handshakes"`
	// ResourceGroups and Resources seed ResourceManager 2020-03-31's own
	// state; every caller's account also has a default resource group.
	ResourceGroups []ResourceGroupSeed `yaml:"resource-groups"`
	Resources      []ResourceSeed      `yaml:"resources"`
	// SystemPolicies are the RAM system policies every account sees
	// (ResourceManager's GetPolicy, AttachPolicy …); Roles are RAM roles of
	// accounts; ServiceLinkedServices are the services that take a
	// service-linked role (CreateServiceLinkedRole).
	SystemPolicies        []SystemPolicySeed      `yaml:"system-policies"`
	Roles                 []RoleSeed              `yaml:"roles"`
	ServiceLinkedServices []ServiceLinkedRoleSeed `yaml:"service-linked-services"`
	// CustomPolicies, PolicyAttachments and DeletionTasks seed the rest
	// of the RAM state: custom policies with their versions, policies
	// granted to principals, and finished deletions of service-linked
	// roles.
	// AssociatedTransferRules are the associated-resource transfer rules
	// the service offers (with the status a new setting gives each), and
	// AssociatedTransfer the accounts whose setting exists already.
	AssociatedTransferRules []TransferRuleSeed    `yaml:"associated-transfer-rules"`
	AssociatedTransfer      []TransferSettingSeed `yaml:"associated-transfer"`
	CustomPolicies          []CustomPolicySeed    `yaml:"custom-policies"`
	PolicyAttachments       []AttachmentSeed      `yaml:"policy-attachments"`
	DeletionTasks           []DeletionTaskSeed    `yaml:"deletion-tasks"`
	Limits                  MockLimits            `yaml:"limits"`
	// Answers picks, per operation and rule, which documented candidate
	// code the mock answers (default: the contract's choice).
	Answers map[string]map[string]string `yaml:"answers"`
}

// Caller is an access key the mock accepts and the account it acts as.
type Caller struct {
	AccessKeyID     string `yaml:"access-key-id"`
	AccessKeySecret string `yaml:"access-key-secret"`
	AccountID       string `yaml:"account-id"`
	// InvalidTargetsInvited starts the caller's count of invalid targets.
	InvalidTargetsInvited int `yaml:"invalid-targets-invited"`
	// InvitationsToday starts the caller's count of today's invitations.
	InvitationsToday int `yaml:"invitations-today"`
	// SecurityToken makes the key a temporary (STS) one: every request it
	// signs must carry this token.
	SecurityToken string `yaml:"security-token"`
	// SecurityTokenExpires is when the token stops being accepted (zero:
	// never).
	SecurityTokenExpires time.Time `yaml:"security-token-expires"`
	// Conditions are facts about the caller that the pages leave to the
	// account it signs for (see Account.Conditions).
	Conditions []string `yaml:"conditions"`
}

// PendingHandshakeID is the ID of the pending invitation a directory's
// pending-handshakes entry seeds for a target account.
func PendingHandshakeID(target string) string { return "h-seed" + target }

// HandshakeSeed is an invitation the mock starts with.
type HandshakeSeed struct {
	ID        string `yaml:"id"`
	Directory string `yaml:"directory"`
	// Target is the invited account's ID.
	Target string `yaml:"target"`
	// Status is Pending (default), Accepted, Declined, Cancelled or Expired.
	Status string `yaml:"status"`
}

// ResourceGroupSeed is a resource group of an account.
type ResourceGroupSeed struct {
	ID          string `yaml:"id"`
	Account     string `yaml:"account"`
	Name        string `yaml:"name"`
	DisplayName string `yaml:"display-name"`
	// Status is OK (default), Creating, Deleting or PendingDelete.
	Status string            `yaml:"status"`
	Tags   map[string]string `yaml:"tags"`
}

// ResourceSeed is a cloud resource of another product that sits in a
// resource group (ListResources lists it, MoveResources moves it).
type ResourceSeed struct {
	ID      string `yaml:"id"`
	Service string `yaml:"service"`
	Region  string `yaml:"region"`
	Type    string `yaml:"type"`
	// Group is the resource group holding it (its account's default
	// group when empty: then Account names the account).
	Group   string `yaml:"group"`
	Account string `yaml:"account"`
}

// SystemPolicySeed is a RAM system policy.
type SystemPolicySeed struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Document    string `yaml:"document"`
}

// RoleSeed is a RAM role of an account.
type RoleSeed struct {
	Account     string `yaml:"account"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	// Document is the trust policy (a default one trusting the account
	// when empty).
	Document string `yaml:"document"`
	// Service makes the role the service-linked role of that service.
	Service string `yaml:"service"`
}

// TransferRuleSeed is an associated-resource transfer rule: resources of
// the associated type move with their master resource.
type TransferRuleSeed struct {
	MasterService     string `yaml:"master-service"`
	MasterType        string `yaml:"master-type"`
	AssociatedService string `yaml:"associated-service"`
	AssociatedType    string `yaml:"associated-type"`
	// Status is Enable or Disable (default).
	Status string `yaml:"status"`
}

// TransferSettingSeed is an account's associated transfer setting.
type TransferSettingSeed struct {
	Account string `yaml:"account"`
	// Status is Enable or Disable.
	Status string `yaml:"status"`
}

// CustomPolicySeed is a custom RAM policy of an account with Versions
// versions (v1 … vN, 1 by default), Default among them (v1 by default).
type CustomPolicySeed struct {
	Account     string `yaml:"account"`
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Versions    int    `yaml:"versions"`
	Default     string `yaml:"default"`
}

// AttachmentSeed grants a policy to a principal over a resource group or
// the whole account (Scope the account ID).
type AttachmentSeed struct {
	Account       string `yaml:"account"`
	Scope         string `yaml:"scope"`
	PolicyType    string `yaml:"policy-type"`
	PolicyName    string `yaml:"policy-name"`
	PrincipalType string `yaml:"principal-type"`
	PrincipalName string `yaml:"principal-name"`
}

// DeletionTaskSeed is a deletion of a service-linked role.
type DeletionTaskSeed struct {
	ID      string `yaml:"id"`
	Account string `yaml:"account"`
	Role    string `yaml:"role"`
	// Status is SUCCEEDED by default.
	Status string `yaml:"status"`
}

// ServiceLinkedRoleSeed is a service that takes a service-linked role:
// the role's name, and whether a custom suffix or a description may be
// given for it.
type ServiceLinkedRoleSeed struct {
	Service     string `yaml:"service"`
	Role        string `yaml:"role"`
	Suffix      bool   `yaml:"custom-suffix"`
	Description bool   `yaml:"description"`
}

// Folder is a folder of a directory: an ID alone (a folder of the root
// named after its ID) or {id, name, parent}.
type Folder struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	Parent string `yaml:"parent"`
}

// UnmarshalYAML reads an ID or a mapping.
func (f *Folder) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		f.ID = n.Value
		return nil
	}
	type plain Folder
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*f = Folder(p)
	return nil
}

// Policy is a control policy of a directory.
type Policy struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Type     string   `yaml:"type"` // System or Custom (default)
	Document string   `yaml:"document"`
	Attached []string `yaml:"attached"`
}

// Delegation is an account registered as a delegated administrator of a
// trusted service.
type Delegation struct {
	Account string `yaml:"account"`
	Service string `yaml:"service"`
}

// Directory is a resource directory and what it holds.
type Directory struct {
	ID                string    `yaml:"id"`
	MasterAccountID   string    `yaml:"master-account-id"`
	MasterAccountName string    `yaml:"master-account-name"`
	RootFolderID      string    `yaml:"root-folder-id"`
	Folders           []Folder  `yaml:"folders"`
	Members           []string  `yaml:"members"`
	MemberLimit       int       `yaml:"member-limit"`
	Contacts          []Contact `yaml:"contacts"`
	// FolderLimit and ContactLimit bound the directory's folders and
	// contacts (no page states them; unlimited when 0).
	FolderLimit  int `yaml:"folder-limit"`
	ContactLimit int `yaml:"contact-limit"`
	// ControlPolicy is the control-policy status (Disabled by default,
	// Enabled, or the pending Enabling and Disabling).
	ControlPolicy string `yaml:"control-policy"`
	// MemberDeletion is whether member accounts may be deleted (Enabled
	// by default, or Disabled).
	MemberDeletion string       `yaml:"member-deletion"`
	Policies       []Policy     `yaml:"policies"`
	Delegations    []Delegation `yaml:"delegated-administrators"`
	// PendingHandshakes are targets with an invitation already pending.
	PendingHandshakes []string `yaml:"pending-handshakes"`
}

// Contact is a message contact of a directory.
type Contact struct {
	ID     string `yaml:"id"`
	Status string `yaml:"status"`
	Name   string `yaml:"name"`
	Email  string `yaml:"email"`
	Phone  string `yaml:"phone"`
	// Pending is an e-mail address or phone number waiting for
	// verification (an update the contact has not confirmed).
	Pending string `yaml:"pending"`
	// Bound lists the objects the contact is already bound to.
	Bound []string `yaml:"bound"`
	// MemberLimit bounds how many objects the contact may be bound to.
	MemberLimit int `yaml:"member-limit"`
}

// Account is an Alibaba Cloud account the mock knows about.
type Account struct {
	ID          string `yaml:"id"`
	Email       string `yaml:"email"`
	Type        string `yaml:"type"` // enterprise (default) or personal
	LegalEntity string `yaml:"legal-entity"`
	// Directory is the directory the account belongs to, if any.
	Directory string `yaml:"directory"`
	// Conditions are facts about the account that the pages leave to the
	// account and no operation sets (a payer in arrears, a reseller, a
	// failed real-name verification …), each named after the state of a
	// trigger in the contract: an operation that documents a code with a
	// trigger of that state answers it when the request names the account
	// (or the caller is the account).
	Conditions []string `yaml:"conditions"`
	// MemberType is ResourceAccount (created in the directory, the
	// default) or CloudAccount (invited into it).
	MemberType  string `yaml:"member-type"`
	DisplayName string `yaml:"display-name"`
	// Status is the member's status (CreateSuccess by default).
	Status string `yaml:"status"`
	// Folder is the member's folder (the root by default).
	Folder string `yaml:"folder"`
	// EmailChange is an e-mail address the account is being changed to.
	EmailChange  string `yaml:"email-change"`
	SecureMobile string `yaml:"secure-mobile"`
	// Deletion is how far deleting the account went: checked or deleting.
	Deletion string `yaml:"deletion"`
	// Tags are the member's tags (key: value).
	Tags map[string]string `yaml:"tags"`
	// Payer is the account that pays for this one (its own financial
	// relationship), when another.
	Payer string `yaml:"payer"`
	// Record is the record ID of a creation or promotion waiting for the
	// e-mail's confirmation (status CreateVerifying or PromoteVerifying), or
	// of one that finished.
	Record string `yaml:"record"`
}

// MockLimits are the mock's business limits the pages do not state.
type MockLimits struct {
	ContactMembers     int           `yaml:"contact-members"`
	InvalidTargets     int           `yaml:"invalid-targets"`
	BindableStatuses   []string      `yaml:"bindable-statuses"`
	HoldTime           time.Duration `yaml:"hold-time"`
	LegalEntity        string        `yaml:"legal-entity"`
	DayTimeZoneOffsetH int           `yaml:"day-utc-offset-hours"`
	// VerificationCode is the code every verification message carries.
	VerificationCode string `yaml:"verification-code"`
	// CountryCodes are the phone country codes the site supports (any
	// when empty).
	CountryCodes []string `yaml:"country-codes"`
	// TrustedServices are the service principals that support delegated
	// administrators, and DelegatedAdministrators how many one may have.
	TrustedServices         []string `yaml:"trusted-services"`
	DelegatedAdministrators int      `yaml:"delegated-administrators"`
	// ResourceGroups bounds an account's resource groups (no page states
	// it; unlimited when 0).
	ResourceGroups int `yaml:"resource-groups"`
	// Policies, PolicyVersions and Roles bound an account's custom RAM
	// policies, one policy's versions and an account's roles (0:
	// unlimited).
	Policies       int `yaml:"policies"`
	PolicyVersions int `yaml:"policy-versions"`
	Roles          int `yaml:"roles"`
}

// secretHint explains a secret written into a target's credentials: the
// profile names environment variables, and secrets stay in them.
func secretHint(path []string, key string) string {
	if len(path) != 2 || path[0] != "credentials" {
		return ""
	}
	switch key {
	case "access-key-secret", "secret", "access-key-secret-id":
		return fmt.Sprintf("a secret is never written into a profile: put it in an environment variable and name the variable instead (credentials.%s.access-key-secret-env: MY_SECRET_VAR, then export MY_SECRET_VAR)", path[1])
	case "security-token", "token", "sts-token":
		return fmt.Sprintf("a security token is never written into a profile: put it in an environment variable and name the variable instead (credentials.%s.security-token-env: MY_TOKEN_VAR, then export MY_TOKEN_VAR)", path[1])
	}
	return ""
}

// Load reads a profile file. Unknown keys are errors, so a misspelt key is
// not a silently missing input.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errors.New("profile " + fsmsg.Describe(path, err))
	}
	return Parse(path, data)
}

// Parse reads a profile from bytes; name is used in messages.
func Parse(name string, data []byte) (*Profile, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("profile: %s: the file is empty", name)
	}
	p := &Profile{}
	if err := yamlcheck.Decode(name, data, p, secretHint); err != nil {
		return nil, fmt.Errorf("profile %w", err)
	}
	sum := sha256.Sum256(data)
	p.Digest, p.File = hex.EncodeToString(sum[:8]), name
	if p.Signature == "" {
		p.Signature = "v3"
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("profile: %s: %w", name, err)
	}
	return p, nil
}

func (p *Profile) check() error {
	var errs []string
	if p.Signature != "v1" && p.Signature != "v3" {
		errs = append(errs, fmt.Sprintf("signature %q: want v1 or v3", p.Signature))
	}
	if p.Site != "" && !slices.Contains(spec.Sites, p.Site) {
		errs = append(errs, fmt.Sprintf("site %q: want one of %s", p.Site, strings.Join(spec.Sites, ", ")))
	}
	if p.Endpoint != "" && !strings.HasPrefix(p.Endpoint, "http://") && !strings.HasPrefix(p.Endpoint, "https://") {
		errs = append(errs, fmt.Sprintf("endpoint %q: want an http:// or https:// URL", p.Endpoint))
	}
	for name, in := range p.Inputs {
		if in.Credentials != "" {
			if _, ok := p.Credentials[in.Credentials]; !ok {
				errs = append(errs, fmt.Sprintf("input %s names credentials %q, which the profile does not define", name, in.Credentials))
			}
		}
	}
	for name, c := range p.Credentials {
		for in, v := range c.Inputs {
			if v.Credentials != "" {
				if _, ok := p.Credentials[v.Credentials]; !ok {
					errs = append(errs, fmt.Sprintf("credentials %s: input %s names credentials %q, which the profile does not define", name, in, v.Credentials))
				}
			}
		}
		if c.AccessKeyID == "" && c.AccessKeyIDEnv == "" {
			errs = append(errs, fmt.Sprintf("credentials %s: give access-key-id or access-key-id-env", name))
		}
		if c.AccessKeySecretEnv == "" && p.Mock == nil {
			errs = append(errs, fmt.Sprintf("credentials %s: give access-key-secret-env (secrets are never written in a profile)", name))
		}
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// Resolve returns a credential set's keys: the ID and secret from their
// environment variables (getenv, os.Getenv when nil), or for a mock
// profile the secret of the mock caller with that key ID.
func (p *Profile) Resolve(name string, getenv func(string) string) (acs.Credentials, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c, ok := p.Credentials[name]
	if !ok {
		return acs.Credentials{}, fmt.Errorf("profile %s: no credentials %q", p.Name, name)
	}
	out := acs.Credentials{AccessKeyID: c.AccessKeyID}
	if c.AccessKeyIDEnv != "" {
		out.AccessKeyID = getenv(c.AccessKeyIDEnv)
	}
	if c.AccessKeySecretEnv != "" {
		out.AccessKeySecret = getenv(c.AccessKeySecretEnv)
	}
	if c.SecurityTokenEnv != "" {
		out.SecurityToken = getenv(c.SecurityTokenEnv)
	}
	if out.AccessKeySecret == "" && p.Mock != nil {
		for _, caller := range p.Mock.Callers {
			if caller.AccessKeyID == out.AccessKeyID {
				out.AccessKeySecret = caller.AccessKeySecret
				if out.SecurityToken == "" {
					out.SecurityToken = caller.SecurityToken
				}
			}
		}
	}
	switch {
	case out.AccessKeyID == "":
		return acs.Credentials{}, fmt.Errorf("profile %s: credentials %q: %s is not set", p.Name, name, c.AccessKeyIDEnv)
	case out.AccessKeySecret == "":
		return acs.Credentials{}, fmt.Errorf("profile %s: credentials %q: %s is not set", p.Name, name, c.AccessKeySecretEnv)
	}
	return out, nil
}

// Has reports whether the profile provides an input.
func (p *Profile) Has(name string) bool {
	in, ok := p.Inputs[name]
	return ok && (in.Value != "" || len(in.List) > 0 || in.Credentials != "")
}

// Missing returns the inputs of needs the profile lacks, sorted.
func (p *Profile) Missing(needs []string) []string {
	var out []string
	for _, n := range needs {
		if !p.Has(n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// decodeStrict decodes a mapping into the struct out points to, refusing
// keys the struct has no field for (what yamlcheck does for the types that
// do not read themselves).
func decodeStrict(n *yaml.Node, out any) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: want a mapping", n.Line)
	}
	t := reflect.TypeOf(out).Elem()
	var known []string
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); tag != "" {
			known = append(known, tag)
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(known, k.Value) {
			return fmt.Errorf("line %d: unknown key %q (want one of %s)", k.Line, k.Value, strings.Join(known, ", "))
		}
	}
	return n.Decode(out)
}
