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

// TestErrorShape: keys in the given order, empty HostId and Recommend left
// out, '&' kept raw in JSON, XML text escaped and Recommend in CDATA (a
// "]]>" inside split so the document stays well formed); the body decodes
// back to the same error.
func TestErrorShape(t *testing.T) {
	shape := ErrorShape{KeyOrder: []string{"RequestId", "Message", "Recommend", "HostId", "Code"},
		XMLDeclaration: "<?xml version='1.0' encoding='UTF-8'?>", XMLOrder: []string{"RequestId", "HostId", "Code", "Message", "Recommend"}}
	e := &APIError{HTTPStatus: 400, RequestID: "R-1", Code: "Bad.Thing", Message: `a "<b>" & c`, Recommend: "https://x/?q=1&r=]]>"}
	if got, want := string(shape.Encode(e, false)), `{"RequestId":"R-1","Message":"a \"<b>\" & c","Recommend":"https://x/?q=1&r=]]>","Code":"Bad.Thing"}`; got != want {
		t.Errorf("JSON:\n%s\nwant\n%s", got, want)
	}
	x := string(shape.Encode(e, true))
	if want := `<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>R-1</RequestId><Code>Bad.Thing</Code><Message>a &#34;&lt;b&gt;&#34; &amp; c</Message><Recommend><![CDATA[https://x/?q=1&r=]]]]><![CDATA[>]]></Recommend></Error>`; x != want {
		t.Errorf("XML:\n%s\nwant\n%s", x, want)
	}
	for _, body := range [][]byte{shape.Encode(e, false), shape.Encode(e, true)} {
		back, err := DecodeError(400, body)
		if err != nil || *back != *e {
			t.Errorf("%s decodes to %+v, %v", body, back, err)
		}
	}
	if got := string((ErrorShape{}).Encode(e, false)); got != string(EncodeError(e, false)) {
		t.Errorf("an empty shape does not fall back: %s", got)
	}
}
