package resourcedirectorymaster

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/acsconform/acsconform/acs"
)

// pagingServer holds 7 accounts and 5 tag keys, and counts the calls.
type pagingServer struct {
	Unimplemented
	calls    atomic.Int32
	failPage int64
}

func (s *pagingServer) ListAccounts(_ context.Context, r *ListAccountsRequest) (*ListAccountsResponse, error) {
	s.calls.Add(1)
	page, size := int64(1), int64(3)
	if r.PageNumber != nil {
		page = *r.PageNumber
	}
	if page == s.failPage {
		return nil, NewError("ListAccounts", CodeEntityNotExistsResourceDirectory)
	}
	out := &ListAccountsResponse{PageNumber: page, PageSize: size, TotalCount: 7}
	for i := (page - 1) * size; i < page*size && i < 7; i++ {
		out.Accounts.Account = append(out.Accounts.Account, ListAccountsResponseAccountsAccount{AccountId: strconv.FormatInt(i, 10)})
	}
	return out, nil
}

func (s *pagingServer) ListTagKeys(_ context.Context, r *ListTagKeysRequest) (*ListTagKeysResponse, error) {
	s.calls.Add(1)
	n := 0
	if r.NextToken != "" {
		n, _ = strconv.Atoi(r.NextToken[1:])
	}
	out := &ListTagKeysResponse{}
	for i := n; i < n+2 && i < 5; i++ {
		out.Tags = append(out.Tags, ListTagKeysResponseTags{Key: fmt.Sprintf("k%d", i)})
	}
	if n+2 < 5 {
		out.NextToken = fmt.Sprintf("t%d", n+2)
	}
	return out, nil
}

func pagingClient(t *testing.T, s *pagingServer) *Client {
	t.Helper()
	v := NewVerifier(func(id string) (string, bool) { return creds.AccessKeySecret, id == creds.AccessKeyID }, nil)
	srv := httptest.NewServer(NewHandler(s, HandlerOptions{Verifier: v}))
	t.Cleanup(srv.Close)
	c, err := NewClient(creds, WithEndpoint(srv.URL), WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPagesByPageNumber: the iterator walks PageNumber until PageNumber ×
// PageSize reaches TotalCount, stops when the loop does, ends on an error,
// and leaves the caller's request alone.
func TestPagesByPageNumber(t *testing.T) {
	s := &pagingServer{}
	c := pagingClient(t, s)
	var ids []string
	for out, err := range c.ListAccountsPages(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Accounts.Account {
			ids = append(ids, a.AccountId)
		}
	}
	if fmt.Sprint(ids) != "[0 1 2 3 4 5 6]" || s.calls.Load() != 3 {
		t.Fatalf("got %v in %d calls, want 7 accounts in 3 pages", ids, s.calls.Load())
	}

	two := int64(2)
	req := &ListAccountsRequest{PageNumber: &two}
	s.calls.Store(0)
	for out, err := range c.ListAccountsPages(context.Background(), req) {
		if err != nil || out.PageNumber != 2 {
			t.Fatalf("first page %v, %v: want page 2", out, err)
		}
		break
	}
	if s.calls.Load() != 1 || *req.PageNumber != 2 {
		t.Fatalf("%d calls after an early break, request PageNumber now %d", s.calls.Load(), *req.PageNumber)
	}

	s.failPage = 2
	s.calls.Store(0)
	var errs []error
	for _, err := range c.ListAccountsPages(context.Background(), nil) {
		errs = append(errs, err)
	}
	var ae *acs.APIError
	if len(errs) != 2 || errs[0] != nil || !errors.As(errs[1], &ae) || ae.Code != CodeEntityNotExistsResourceDirectory {
		t.Fatalf("got %v, want a page then the documented error, and no more", errs)
	}
}

// TestPagesByNextToken: the iterator follows NextToken until an answer
// carries none.
func TestPagesByNextToken(t *testing.T) {
	s := &pagingServer{}
	c := pagingClient(t, s)
	var keys []string
	for out, err := range c.ListTagKeysPages(context.Background(), &ListTagKeysRequest{ResourceType: ResourceTypeAccount}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range out.Tags {
			keys = append(keys, k.Key)
		}
	}
	if fmt.Sprint(keys) != "[k0 k1 k2 k3 k4]" || s.calls.Load() != 3 {
		t.Fatalf("got %v in %d calls, want 5 keys in 3 pages", keys, s.calls.Load())
	}
}
