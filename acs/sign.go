package acs

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// TimeLayout is the layout of v1 Timestamp and v3 x-acs-date (ISO 8601, UTC).
const TimeLayout = "2006-01-02T15:04:05Z"

// Signature algorithm names as they appear on the wire.
const (
	AlgorithmV1 = "HMAC-SHA1"
	AlgorithmV3 = "ACS3-HMAC-SHA256"
)

// NewNonce returns a random nonce (32 hex digits).
func NewNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// canonicalQuery renders params sorted by key (then value), each key and
// value percent-encoded, joined by '&'. skip names a key to leave out.
func canonicalQuery(params url.Values, skip string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		vals := append([]string(nil), params[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(PercentEncode(k))
			b.WriteByte('=')
			b.WriteString(PercentEncode(v))
		}
	}
	return b.String()
}

// StringToSignV1 is METHOD&%2F&enc(canonical params), over every parameter
// but Signature (query and form together).
func StringToSignV1(method string, params url.Values) string {
	return strings.ToUpper(method) + "&" + PercentEncode("/") + "&" + PercentEncode(canonicalQuery(params, "Signature"))
}

// SignatureV1 is Base64(HMAC-SHA1(secret+"&", stringToSign)).
func SignatureV1(stringToSign, secret string) string {
	h := hmac.New(sha1.New, []byte(secret+"&"))
	h.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// SignV1 adds the v1 common parameters (AccessKeyId, SignatureMethod,
// SignatureVersion, SignatureNonce, Timestamp, SecurityToken when set) to
// params and then Signature, computed over params for the given method.
// params must already hold Action, Version, Format and the operation's
// parameters, including any that will travel in a form body.
func SignV1(method string, params url.Values, c Credentials, now time.Time, nonce string) {
	params.Set("AccessKeyId", c.AccessKeyID)
	params.Set("SignatureMethod", AlgorithmV1)
	params.Set("SignatureVersion", "1.0")
	params.Set("SignatureNonce", nonce)
	params.Set("Timestamp", now.UTC().Format(TimeLayout))
	if c.SecurityToken != "" {
		params.Set("SecurityToken", c.SecurityToken)
	}
	params.Del("Signature")
	params.Set("Signature", SignatureV1(StringToSignV1(method, params), c.AccessKeySecret))
}

// HashHex is the lower-case hex SHA-256 of b.
func HashHex(b []byte) string {
	s := sha256.Sum256(b)
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], s[:])
	return string(out[:])
}

// v3Header reads a header for signing; "host" comes from Request.Host.
func v3Header(r *http.Request, name string) []string {
	if name == "host" {
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	}
	return r.Header.Values(name)
}

// CanonicalRequestV3 builds the canonical request over the given signed
// headers (lower case) and payload hash.
func CanonicalRequestV3(r *http.Request, signedHeaders []string, payloadHash string) string {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	var b strings.Builder
	b.Grow(512)
	b.WriteString(strings.ToUpper(r.Method))
	b.WriteByte('\n')
	b.WriteString(path)
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query(), ""))
	b.WriteByte('\n')
	for _, h := range signedHeaders {
		vals := v3Header(r, h)
		b.WriteString(h)
		b.WriteByte(':')
		if len(vals) == 1 {
			b.WriteString(strings.TrimSpace(vals[0])) // the usual case: no list to sort
		} else {
			trimmed := make([]string, len(vals))
			for i, v := range vals {
				trimmed[i] = strings.TrimSpace(v)
			}
			sort.Strings(trimmed)
			b.WriteString(strings.Join(trimmed, ","))
		}
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// StringToSignV3 is "ACS3-HMAC-SHA256\n"+hex(SHA256(canonicalRequest)).
func StringToSignV3(canonicalRequest string) string {
	return AlgorithmV3 + "\n" + HashHex([]byte(canonicalRequest))
}

// SignatureV3 is hex(HMAC-SHA256(secret, StringToSignV3(canonicalRequest))),
// computed without building the string to sign.
func SignatureV3(canonicalRequest, secret string) string {
	digest := sha256.New()
	_, _ = io.WriteString(digest, canonicalRequest)
	var sum [sha256.Size]byte
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], digest.Sum(sum[:0]))
	h := hmac.New(sha256.New, []byte(secret))
	_, _ = io.WriteString(h, AlgorithmV3+"\n")
	h.Write(hexSum[:])
	var mac [sha256.Size]byte
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], h.Sum(mac[:0]))
	return string(out[:])
}

// signedHeadersOf lists the headers v3 signs: host, content-type and every
// x-acs-* header present, lower case and sorted.
func signedHeadersOf(r *http.Request) []string {
	out := []string{"host"}
	for k := range r.Header {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "x-acs-") || lk == "content-type" {
			out = append(out, lk)
		}
	}
	sort.Strings(out)
	return out
}

// SignV3 signs r in place with ACS3-HMAC-SHA256: it sets x-acs-date,
// x-acs-signature-nonce, x-acs-content-sha256 (of body, which must be what
// r will send), x-acs-security-token when set, and Authorization. The caller
// sets x-acs-action and x-acs-version (and Content-Type) beforehand.
func SignV3(r *http.Request, body []byte, c Credentials, now time.Time, nonce string) {
	payload := HashHex(body)
	r.Header.Set("x-acs-date", now.UTC().Format(TimeLayout))
	r.Header.Set("x-acs-signature-nonce", nonce)
	r.Header.Set("x-acs-content-sha256", payload)
	if c.SecurityToken != "" {
		r.Header.Set("x-acs-security-token", c.SecurityToken)
	}
	signed := signedHeadersOf(r)
	sig := SignatureV3(CanonicalRequestV3(r, signed, payload), c.AccessKeySecret)
	r.Header.Set("Authorization", fmt.Sprintf("%s Credential=%s,SignedHeaders=%s,Signature=%s", AlgorithmV3, c.AccessKeyID, strings.Join(signed, ";"), sig))
}
