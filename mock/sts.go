package mock

import (
	"context"

	sts "github.com/acsconform/acsconform/gen/sts"
)

// Security Token Service 2015-04-01 is served over the same callers:
// GetCallerIdentity answers who signed the request, so a tool that checks
// its credentials before anything else (Terraform's provider looks up its
// account ID this way) starts against the mock. A long-term key is its
// account's own (IdentityType Account, the account's root ARN); a key with
// a security token is a role session (AssumedRoleUser), the role named
// after the key since the profile names none. Which of the metadata's
// identity types a mock caller is, is our reading. The other operations
// (AssumeRole and its SAML and OIDC forms) answer their documented samples;
// every request must be signed, so the anonymous SAML and OIDC forms are
// refused as unsigned.

// callerIdentity is STS's own model: GetCallerIdentity from the backend's
// callers.
func callerIdentity(b *Backend) func(ctx context.Context, key string, req, out any) (bool, error) {
	return func(_ context.Context, key string, req, out any) (bool, error) {
		if _, ok := req.(*sts.GetCallerIdentityRequest); !ok {
			return false, nil
		}
		c := b.Caller(key)
		if c == nil {
			return true, sts.StateError("unknown-access-key")
		}
		token, _ := b.Token(c.AccessKeyID)
		v := map[string]any{"AccountId": c.AccountID, "IdentityType": "Account", "Arn": "acs:ram::" + c.AccountID + ":root",
			"PrincipalId": c.AccountID, "UserId": c.AccountID}
		if token != "" {
			v = map[string]any{"AccountId": c.AccountID, "IdentityType": "AssumedRoleUser",
				"Arn": "acs:ram::" + c.AccountID + ":assumed-role/" + c.AccessKeyID + "/session", "PrincipalId": c.AccessKeyID, "RoleId": c.AccessKeyID}
		}
		return true, fill(out, v)
	}
}
