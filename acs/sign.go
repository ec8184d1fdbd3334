package acs

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// TimeLayout is the layout of v1 Timestamp and v3 x-acs-date (ISO 8601, UTC).
const TimeLayout = "2006-01-02T15:04:05Z"

// Signature algorithm names as they appear on the wire.
const (
	AlgorithmV1 = "HMAC-SHA1"
	AlgorithmV3 = "ACS3-HMAC-SHA256"
)

// NewRequestID returns a random version-4 UUID in upper case, the form of
// the vendor's RequestIds, without fmt's formatting (a server makes one per
// request).
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	const digits = "0123456789ABCDEF"
	var out [36]byte
	j := 0
	for i, x := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = digits[x>>4], digits[x&15]
		j += 2
	}
	return string(out[:])
}

// NewNonce returns a random nonce (32 hex digits).
func NewNonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// canonicalQuery renders params sorted by key (then value), each key and
// value percent-encoded, joined by '&'. skip names a key to leave out.
func canonicalQuery(params url.Values, skip string) string {
	return string(appendCanonicalQuery(nil, params, skip))
}

// appendCanonicalQuery appends canonicalQuery's text to dst.
func appendCanonicalQuery(dst []byte, params url.Values, skip string) []byte {
	var small [16]string
	keys := small[:0]
	for k := range params {
		if k != skip {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	first := true
	for _, k := range keys {
		vals := params[k]
		if len(vals) > 1 {
			vals = append([]string(nil), vals...)
			sort.Strings(vals)
		}
		for _, v := range vals {
			if !first {
				dst = append(dst, '&')
			}
			first = false
			dst = appendPercentEncoded(dst, k)
			dst = append(dst, '=')
			dst = appendPercentEncoded(dst, v)
		}
	}
	return dst
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

// v3HeaderKeys are the canonical keys of the headers every v3 request
// signs, so reading them does not canonicalize (and allocate) each time.
var v3HeaderKeys = func() map[string]string {
	m := map[string]string{}
	for _, h := range []string{"content-type", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256", "x-acs-security-token"} {
		m[h] = http.CanonicalHeaderKey(h)
	}
	return m
}()

// v3Header reads a header for signing; "host" comes from Request.Host.
func v3Header(r *http.Request, name string) []string {
	if name == "host" {
		if r.Host != "" {
			return []string{r.Host}
		}
		return []string{r.URL.Host}
	}
	if key, ok := v3HeaderKeys[name]; ok {
		return r.Header[key]
	}
	return r.Header.Values(name)
}

// CanonicalRequestV3 builds the canonical request over the given signed
// headers (lower case) and payload hash.
func CanonicalRequestV3(r *http.Request, signedHeaders []string, payloadHash string) string {
	return string(appendCanonicalRequestV3(nil, r, r.URL.Query(), signedHeaders, payloadHash))
}

// appendCanonicalRequestV3 appends the canonical request to dst, taking the
// query parameters already parsed from r's URL.
func appendCanonicalRequestV3(dst []byte, r *http.Request, query url.Values, signedHeaders []string, payloadHash string) []byte {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	dst = appendUpper(dst, r.Method)
	dst = append(dst, '\n')
	dst = append(dst, path...)
	dst = append(dst, '\n')
	dst = appendCanonicalQuery(dst, query, "")
	dst = append(dst, '\n')
	for _, h := range signedHeaders {
		vals := v3Header(r, h)
		dst = append(dst, h...)
		dst = append(dst, ':')
		if len(vals) == 1 {
			dst = append(dst, strings.TrimSpace(vals[0])...) // the usual case: no list to sort
		} else {
			trimmed := make([]string, len(vals))
			for i, v := range vals {
				trimmed[i] = strings.TrimSpace(v)
			}
			sort.Strings(trimmed)
			dst = append(dst, strings.Join(trimmed, ",")...)
		}
		dst = append(dst, '\n')
	}
	dst = append(dst, '\n')
	for i, h := range signedHeaders {
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, h...)
	}
	dst = append(dst, '\n')
	return append(dst, payloadHash...)
}

// appendUpper appends s in upper case (ASCII; methods are ASCII).
func appendUpper(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// StringToSignV3 is "ACS3-HMAC-SHA256\n"+hex(SHA256(canonicalRequest)).
func StringToSignV3(canonicalRequest string) string {
	return AlgorithmV3 + "\n" + HashHex([]byte(canonicalRequest))
}

// SignatureV3 is hex(HMAC-SHA256(secret, StringToSignV3(canonicalRequest))),
// computed without building the string to sign.
func SignatureV3(canonicalRequest, secret string) string {
	out := signatureV3(sha256.Sum256([]byte(canonicalRequest)), secret)
	return string(out[:])
}

// algorithmV3Line is the string to sign's first line.
var algorithmV3Line = []byte(AlgorithmV3 + "\n")

// hmacScratch is one HMAC computation's digest and buffers, pooled: a
// server computes one per request, and hmac.New allocates two digests and
// two pads each time.
type hmacScratch struct {
	h          hash.Hash
	key, pad   [sha256.BlockSize]byte
	hexSum     [2 * sha256.Size]byte
	inner, mac [sha256.Size]byte
}

var hmacScratches = sync.Pool{New: func() any { return &hmacScratch{h: sha256.New()} }}

// signatureV3 is the hex HMAC-SHA256 of the string to sign whose canonical
// request hashes to sum, keyed by secret (RFC 2104).
func signatureV3(sum [sha256.Size]byte, secret string) [2 * sha256.Size]byte {
	s := hmacScratches.Get().(*hmacScratch)
	defer hmacScratches.Put(s)
	hex.Encode(s.hexSum[:], sum[:])
	h := s.h
	s.key = [sha256.BlockSize]byte{}
	if len(secret) > sha256.BlockSize {
		h.Reset()
		_, _ = io.WriteString(h, secret)
		h.Sum(s.key[:0])
	} else {
		copy(s.key[:], secret)
	}
	for i := range s.key {
		s.pad[i] = s.key[i] ^ 0x36
	}
	h.Reset()
	h.Write(s.pad[:])
	h.Write(algorithmV3Line)
	h.Write(s.hexSum[:])
	h.Sum(s.inner[:0])
	for i := range s.key {
		s.pad[i] = s.key[i] ^ 0x5c
	}
	h.Reset()
	h.Write(s.pad[:])
	h.Write(s.inner[:])
	h.Sum(s.mac[:0])
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], s.mac[:])
	return out
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
