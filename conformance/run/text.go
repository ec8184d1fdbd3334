package run

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SentText renders the request of an answer for the report.
func SentText(a *Answer) string {
	x := a.Exchange
	if x == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", x.Method, x.URL)
	writeHeader(&b, x.Header)
	if x.Body != "" {
		fmt.Fprintf(&b, "\n%s\n", Snippet(x.Body, 8<<10))
	}
	return b.String()
}

// ReceivedText renders what came back.
func ReceivedText(a *Answer) string {
	if a.TransportErr != nil {
		return "no answer: " + a.TransportErr.Error()
	}
	x := a.Exchange
	if x == nil {
		return Describe(a)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d\n", x.Status)
	writeHeader(&b, x.RespHeader)
	fmt.Fprintf(&b, "\n%s\n", Snippet(x.RespBody, 8<<10))
	return b.String()
}

func writeHeader(b *strings.Builder, h map[string][]string) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
}

// Describe says in one line what came back.
func Describe(a *Answer) string {
	switch {
	case a == nil:
		return "no answer"
	case a.TransportErr != nil:
		return "no answer: " + a.TransportErr.Error()
	case a.Err != nil:
		return fmt.Sprintf("HTTP %d %s %q (RequestId %q)", a.Status, a.Err.Code, a.Err.Message, a.Err.RequestID)
	case a.Garbage != "":
		return fmt.Sprintf("HTTP %d, %s", a.Status, a.Garbage)
	}
	return fmt.Sprintf("HTTP %d %s", a.Status, Snippet(string(a.Body), 200))
}

// Snippet is the start of s, at most n bytes, escaped.
func Snippet(s string, n int) string {
	if len(s) > n {
		s = s[:n] + "…"
	}
	return EscapeText(s)
}

// EscapeText keeps received bytes printable: control characters and
// invalid UTF-8 are shown as Go escapes, never written raw.
func EscapeText(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], string(utf8.RuneError)):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r) || r == 0x7f:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// EscapedSnippet quotes the start of a body for a one-line message.
func EscapedSnippet(body []byte, n int) string {
	if len(body) == 0 {
		return "an empty body"
	}
	s := string(body)
	if len(s) > n {
		s = s[:n]
	}
	return "a body starting " + strconv.Quote(strings.ToValidUTF8(s, "\uFFFD"))
}
