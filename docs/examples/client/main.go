// Command client binds a contact to a folder and unbinds it again with the
// generated, validated client: the program docs/client.md walks through.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/acsconform/acsconform/acs"
	rdm "github.com/acsconform/acsconform/gen/resourcedirectorymaster"
)

func main() {
	endpoint := flag.String("endpoint", "", "endpoint URL (default: the public endpoint)")
	contact := flag.String("contact", "c-ActiveContact01", "contact ID")
	member := flag.String("member", "fd-a1b2c3d4e5", "folder, member or directory ID")
	flag.Parse()

	// Keys from ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET, or ~/.aliyun/config.json.
	creds, err := acs.DefaultCredentials()
	if err != nil {
		log.Fatal(err)
	}
	opts := []rdm.Option{
		rdm.WithRetry(acs.RetryPolicy{MaxAttempts: 4, BaseDelay: 200 * time.Millisecond}),
		rdm.WithObserver(func(x *acs.Exchange) { // every attempt, secrets redacted
			fmt.Fprintf(os.Stderr, "%s %s -> %d in %s\n", x.Method, x.Header.Get("X-Acs-Action"), x.Status, x.Duration.Round(time.Millisecond))
		}),
	}
	if *endpoint != "" {
		opts = append(opts, rdm.WithEndpoint(*endpoint))
	}
	client, err := rdm.NewClient(creds, opts...)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// Validation runs before anything is sent: six members break the
	// documented limit of five, and the error is the one the service answers.
	_, err = client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{
		ContactId: *contact, Members: []string{"rd-a", "rd-b", "rd-c", "rd-d", "rd-e", "rd-f"},
	})
	var apiErr *acs.APIError
	if errors.As(err, &apiErr) {
		fmt.Printf("refused before sending: %d %s: %s\n", apiErr.HTTPStatus, apiErr.Code, apiErr.Message)
	}

	bound, err := client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: *contact, Members: []string{*member}})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range bound.Members {
		fmt.Printf("bound %s to %s at %s (request %s)\n", m.ContactId, m.MemberId, m.ModifyDate, bound.RequestId)
	}
	unbound, err := client.DisassociateMembers(ctx, &rdm.DisassociateMembersRequest{ContactId: *contact, Members: []string{*member}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("unbound %d object(s)\n", len(unbound.Members))

	// A documented business error comes back typed, with the request ID.
	_, err = client.AssociateMembers(ctx, &rdm.AssociateMembersRequest{ContactId: "c-NoSuchContact00", Members: []string{*member}})
	if errors.As(err, &apiErr) && apiErr.Code == rdm.CodeEntityNotExistsContact {
		fmt.Printf("as documented: %d %s (request %s)\n", apiErr.HTTPStatus, apiErr.Code, apiErr.RequestID)
	}
}
