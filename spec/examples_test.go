package spec

import "testing"

// TestExamplesValidate guards that every example in the contract — parameter,
// nested schema, and each page's sample success body — satisfies its schema.
func TestExamplesValidate(t *testing.T) {
	api := mustLoad(t)
	refs := api.Examples()
	if len(refs) < 30 {
		t.Fatalf("found only %d examples; the enumeration is missing parts of the contract", len(refs))
	}
	samples := 0
	for _, e := range refs {
		if err := e.Validate(); err != nil {
			t.Errorf("%s: %v", e.Pos, err)
		}
		if e.Schema == api.Operation("InviteAccountToResourceDirectory").Response {
			samples++
		}
	}
	if samples != 1 {
		t.Errorf("InviteAccountToResourceDirectory: %d sample bodies enumerated, want 1 (p003's)", samples)
	}
}

const validRequestID = "95060F1D-6990-4645-8920-A81D1BBFE992"

// TestExampleValidationCatchesBadValues proves the check can fail: a sample
// with the wrong date layout, a missing or renamed field, an unknown enum value.
func TestExampleValidationCatchesBadValues(t *testing.T) {
	api := mustLoad(t)
	assoc := api.Operation("AssociateMembers")
	invite := api.Operation("InviteAccountToResourceDirectory")
	binding := func(k, date string) map[string]any {
		return map[string]any{"RequestId": validRequestID, "Members": []any{map[string]any{k: "c-a", "MemberId": "fd-1", "ModifyDate": date}}}
	}
	handshake := func(status, created string) map[string]any {
		return map[string]any{"RequestId": validRequestID, "Handshake": map[string]any{
			"HandshakeId": "h-1", "Status": status, "TargetEntity": "a@b.c", "TargetType": "Email", "ResourceDirectoryId": "rd-1",
			"MasterAccountId": "1", "MasterAccountName": "A", "CreateTime": created, "ModifyTime": created, "ExpireTime": "2018-08-24T09:55:41Z"}}
	}
	if err := (ExampleRef{Schema: assoc.Response, Value: binding("ContactId", "2023-03-27 17:19:21")}).Validate(); err != nil {
		t.Fatalf("the well-formed baseline fails: %v", err)
	}
	if err := (ExampleRef{Schema: invite.Response, Value: handshake("Pending", "2018-08-10T09:55:41Z")}).Validate(); err != nil {
		t.Fatalf("the well-formed baseline fails: %v", err)
	}
	cases := []struct {
		name  string
		op    *Operation
		value map[string]any
	}{
		{"ISO date where yyyy-MM-dd HH:mm:ss is documented", assoc, binding("ContactId", "2023-03-27T17:19:21Z")},
		{"missing RequestId", assoc, map[string]any{"Members": []any{}}},
		{"renamed field", assoc, binding("ContactID", "2023-03-27 17:19:21")},
		{"status outside the enum", invite, handshake("pending", "2018-08-10T09:55:41Z")},
		{"time with an offset instead of Z", invite, handshake("Pending", "2018-08-10T09:55:41+08:00")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := ExampleRef{Where: c.name, Schema: c.op.Response, Value: c.value}
			if err := ref.Validate(); err == nil {
				t.Fatalf("a response with a %s validated", c.name)
			}
		})
	}
}

func TestUnmask(t *testing.T) {
	got := Unmask(map[string]any{"a": "fd-ZDNPiT****", "b": []any{"x*y", 3.0}})
	m := got.(map[string]any)
	if m["a"] != "fd-ZDNPiT0000" || m["b"].([]any)[0] != "x*y" || m["b"].([]any)[1] != 3.0 {
		t.Fatalf("Unmask = %#v", got)
	}
}
