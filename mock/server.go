package mock

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// server adapts the backend to the generated Server interface: it finds the
// caller from the verified access key and maps requests to backend calls.
// The operations the backend does not model yet answer their documented
// sample (the embedded Samples), after the generated handler has checked
// every rule of the contract.
type server struct {
	rdm.Samples
	b *Backend
}

var _ rdm.Server = server{}

func (s server) caller(ctx context.Context) (*Caller, error) {
	info, _ := rdm.RequestInfoFrom(ctx)
	key := info.AccessKeyID
	if key == "" {
		// Signatures are not checked: the caller is the one the request
		// claims to be (the profile's first when it claims none, or one
		// the profile does not know).
		key, _ = ctx.Value(claimedKey{}).(string)
	}
	c := s.b.Caller(key)
	if c == nil && info.AccessKeyID == "" {
		c = s.b.Caller("") // an unchecked request naming a key the profile lacks
	}
	if c == nil {
		return nil, rdm.StateError("unknown-access-key")
	}
	return c, nil
}

func (s server) AssociateMembers(ctx context.Context, r *rdm.AssociateMembersRequest) (*rdm.AssociateMembersResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	members, err := s.b.Associate(ctx, c, r.ContactId, r.Members)
	if err != nil {
		return nil, err
	}
	return &rdm.AssociateMembersResponse{Members: members}, nil
}

func (s server) DisassociateMembers(ctx context.Context, r *rdm.DisassociateMembersRequest) (*rdm.DisassociateMembersResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	members, err := s.b.Disassociate(c, r.ContactId, r.Members)
	if err != nil {
		return nil, err
	}
	return &rdm.DisassociateMembersResponse{Members: members}, nil
}

func (s server) InviteAccountToResourceDirectory(ctx context.Context, r *rdm.InviteAccountToResourceDirectoryRequest) (*rdm.InviteAccountToResourceDirectoryResponse, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	h, err := s.b.Invite(c, r)
	if err != nil {
		return nil, err
	}
	return &rdm.InviteAccountToResourceDirectoryResponse{Handshake: *h}, nil
}

// claimedKey is the context key of the access key ID a request claims,
// for a mock that does not check signatures.
type claimedKey struct{}

// claimedCredential is the access key ID a v3 Authorization header names
// (Credential=ID, up to a comma, a slash or a space), or "".
func claimedCredential(auth string) string {
	_, rest, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, ", \t\r\n\f\v/"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// withClaimedKey records the access key ID each request names (the v3
// Authorization header's Credential, or v1's AccessKeyId in the query or
// the form body) without verifying anything.
func withClaimedKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := ""
		if k := claimedCredential(r.Header.Get("Authorization")); k != "" {
			key = k
		} else if k := r.URL.Query().Get("AccessKeyId"); k != "" {
			key = k
		} else if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err == nil {
				r.Body = io.NopCloser(bytes.NewReader(body))
				if form, err := url.ParseQuery(string(body)); err == nil {
					key = form.Get("AccessKeyId")
				}
			}
		}
		if key != "" {
			r = r.WithContext(context.WithValue(r.Context(), claimedKey{}, key))
		}
		next.ServeHTTP(w, r)
	})
}
