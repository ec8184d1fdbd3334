package resourcedirectorymaster_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

// contacts is a tiny Server that knows one contact.
type contacts struct{ rdm.Unimplemented }

func (contacts) AssociateMembers(_ context.Context, r *rdm.AssociateMembersRequest) (*rdm.AssociateMembersResponse, error) {
	if r.ContactId != "c-qL4HqKONzOM7abcd" {
		return nil, rdm.NewError("AssociateMembers", rdm.CodeEntityNotExistsContact)
	}
	out := &rdm.AssociateMembersResponse{}
	for _, m := range r.Members {
		out.Members = append(out.Members, rdm.ContactBinding{ContactId: r.ContactId, MemberId: m, ModifyDate: "2023-03-27 17:19:21"})
	}
	return out, nil
}

// A client call, a documented business error, and a request refused by the
// client's validation before it is sent.
func Example() {
	creds := acs.Credentials{AccessKeyID: "LTAIexample", AccessKeySecret: "example-secret"}
	verifier := rdm.NewVerifier(func(id string) (string, bool) { return creds.AccessKeySecret, id == creds.AccessKeyID }, nil)
	srv := httptest.NewServer(rdm.NewHandler(contacts{}, rdm.HandlerOptions{Verifier: verifier}))
	defer srv.Close()

	client, err := rdm.NewClient(creds, rdm.WithEndpoint(srv.URL))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	resp, err := client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{
		ContactId: "c-qL4HqKONzOM7abcd",
		Members:   []string{"fd-ZDNPiT0000"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Members[0].MemberId, resp.Members[0].ModifyDate)

	var apiErr *acs.APIError
	_, err = client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-someoneelse", Members: []string{"fd-ZDNPiT0000"}})
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Code, apiErr.Message)
	}

	_, err = client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-qL4HqKONzOM7abcd", Members: []string{"fd-ZDNPiT0000", "fd-ZDNPiT0000"}})
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.Code, apiErr.Message)
	}
	// Output:
	// fd-ZDNPiT0000 2023-03-27 17:19:21
	// 404 EntityNotExists.Contact This Contact does not exist.
	// 400 InvalidParameter.Members.Duplicate The Members contains duplicate values.
}
