package acs

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
)

// APIError is an error answer of an RPC endpoint (or a request refused
// before sending by a generated Validate). Match it with errors.As.
type APIError struct {
	HTTPStatus int    `json:"-" xml:"-"`
	RequestID  string `json:"RequestId" xml:"RequestId"`
	HostID     string `json:"HostId,omitempty" xml:"HostId,omitempty"`
	Code       string `json:"Code" xml:"Code"`
	Message    string `json:"Message" xml:"Message"`
	Recommend  string `json:"Recommend,omitempty" xml:"Recommend,omitempty"`
}

var _ error = (*APIError)(nil)

func (e *APIError) Error() string {
	s := fmt.Sprintf("acs: %s (HTTP %d): %s", e.Code, e.HTTPStatus, e.Message)
	if e.RequestID != "" {
		s += " [RequestId " + e.RequestID + "]"
	}
	return s
}

// xmlError is the XML shape: <Error><RequestId>…</RequestId>…</Error>.
type xmlError struct {
	XMLName xml.Name `xml:"Error"`
	APIError
}

// DecodeError reads an error body (JSON, or XML when it starts with '<').
// A body that is neither, or lacks a Code, is an error describing what came
// back, so a caller can tell garbage from a documented answer.
func DecodeError(status int, body []byte) (*APIError, error) {
	trimmed := bytes.TrimSpace(body)
	e := &APIError{}
	var err error
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("acs: HTTP %d with an empty body", status)
	case trimmed[0] == '<':
		var x xmlError
		err = xml.Unmarshal(trimmed, &x)
		*e = x.APIError
	default:
		err = json.Unmarshal(trimmed, e)
	}
	if err != nil {
		return nil, fmt.Errorf("acs: HTTP %d with a body that is not an error document: %w (body starts %q)", status, err, snippet(trimmed))
	}
	if e.Code == "" {
		return nil, fmt.Errorf("acs: HTTP %d with an error body that has no Code (body starts %q)", status, snippet(trimmed))
	}
	e.HTTPStatus = status
	return e, nil
}

// EncodeError renders an error body as JSON, or XML when xmlFormat.
func EncodeError(e *APIError, xmlFormat bool) []byte {
	if xmlFormat {
		b, _ := xml.Marshal(xmlError{APIError: *e})
		return append([]byte(xml.Header), b...)
	}
	b, _ := json.Marshal(e)
	return b
}

// ErrorShape lays out error bodies as a gateway does: the JSON keys in a
// given order (json.Marshal follows the struct's), and the XML form with
// its own declaration, child order and Recommend in CDATA. An empty
// KeyOrder or XMLOrder falls back to EncodeError's layout.
type ErrorShape struct {
	KeyOrder       []string // of RequestId, Message, Recommend, HostId, Code
	XMLDeclaration string
	XMLOrder       []string
}

// Encode renders e as JSON, or XML when xmlFormat. HostId and Recommend
// are left out when empty.
func (s ErrorShape) Encode(e *APIError, xmlFormat bool) []byte {
	order := s.KeyOrder
	if xmlFormat {
		order = s.XMLOrder
	}
	if len(order) == 0 {
		return EncodeError(e, xmlFormat)
	}
	value := func(k string) (string, bool) {
		switch k {
		case "RequestId":
			return e.RequestID, true
		case "Message":
			return e.Message, true
		case "Code":
			return e.Code, true
		case "HostId":
			return e.HostID, e.HostID != ""
		case "Recommend":
			return e.Recommend, e.Recommend != ""
		}
		return "", false
	}
	var b bytes.Buffer
	if xmlFormat {
		decl := s.XMLDeclaration
		if decl == "" {
			decl = strings.TrimSpace(xml.Header)
		}
		b.WriteString(decl)
		b.WriteString("<Error>")
		for _, k := range order {
			v, ok := value(k)
			if !ok {
				continue
			}
			b.WriteString("<" + k + ">")
			if k == "Recommend" {
				b.WriteString("<![CDATA[" + strings.ReplaceAll(v, "]]>", "]]]]><![CDATA[>") + "]]>")
			} else {
				_ = xml.EscapeText(&b, []byte(v))
			}
			b.WriteString("</" + k + ">")
		}
		b.WriteString("</Error>")
		return b.Bytes()
	}
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // a Recommend URL keeps its '&'
	b.WriteByte('{')
	first := true
	for _, k := range order {
		v, ok := value(k)
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		_ = enc.Encode(k)
		b.Truncate(b.Len() - 1) // Encode ends each value with a newline
		b.WriteByte(':')
		_ = enc.Encode(v)
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes()
}

func snippet(b []byte) string {
	s := string(b)
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
