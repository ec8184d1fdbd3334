package acs

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDecodeErrorJSONAndXML(t *testing.T) {
	want := &APIError{HTTPStatus: 404, RequestID: "R-1", HostID: "resourcedirectory.aliyuncs.com", Code: "EntityNotExists.Contact", Message: "This Contact does not exist.", Recommend: "https://api.aliyun.com/troubleshoot?q=x"}
	for _, xml := range []bool{false, true} {
		body := EncodeError(want, xml)
		got, err := DecodeError(404, body)
		if err != nil || *got != *want {
			t.Errorf("xml=%v: %s\n→ %+v, %v", xml, body, got, err)
		}
	}
	if !strings.HasPrefix(string(EncodeError(want, true)), "<?xml") || !strings.Contains(string(EncodeError(want, true)), "<Error><RequestId>R-1</RequestId>") {
		t.Errorf("XML body: %s", EncodeError(want, true))
	}
	var err error = fmt.Errorf("call: %w", want)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "EntityNotExists.Contact" {
		t.Error("errors.As does not find the APIError")
	}
}

func TestDecodeErrorRefusesGarbage(t *testing.T) {
	cases := map[string]string{
		"":                                   "empty body",
		"<html><body>502 Bad Gateway</body>": "not an error document",
		`{"message":"nope"}`:                 "has no Code",
		"\x00\x01garbage":                    "not an error document",
	}
	for body, want := range cases {
		_, err := DecodeError(502, []byte(body))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "HTTP 502") {
			t.Errorf("%q: %v", body, err)
		}
	}
}

func FuzzDecodeError(f *testing.F) {
	f.Add([]byte(`{"Code":"X","Message":"m","RequestId":"r"}`))
	f.Add([]byte(`<Error><Code>X</Code></Error>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeError(400, b)
		if err == nil && (e == nil || e.Code == "") {
			t.Fatal("decoded an error without a code")
		}
	})
}
