package acs

import (
	"bytes"
	"encoding/json"
	"sync"
)

// JSONBuffer holds one answer encoded as JSON in a buffer that goes back
// to a pool once the answer is written: a server encodes one per request,
// and json.Marshal's fresh slice for each is most of what answering costs
// the garbage collector.
type JSONBuffer struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonBuffers = sync.Pool{New: func() any {
	b := &JSONBuffer{}
	b.enc = json.NewEncoder(&b.buf)
	return b
}}

// EncodeJSON encodes v as json.Marshal would (HTML characters escaped) into
// a pooled buffer. The caller writes Bytes and then calls Release.
func EncodeJSON(v any) (*JSONBuffer, error) {
	b := jsonBuffers.Get().(*JSONBuffer)
	b.buf.Reset()
	if err := b.enc.Encode(v); err != nil {
		b.Release()
		return nil, err
	}
	return b, nil
}

// Bytes is the encoded value, without the newline the encoder ends it with.
// It is valid until Release.
func (b *JSONBuffer) Bytes() []byte {
	return bytes.TrimSuffix(b.buf.Bytes(), []byte("\n"))
}

// Release returns the buffer to the pool (one that grew past a megabyte is
// dropped, so one huge answer does not stay in memory).
func (b *JSONBuffer) Release() {
	if b.buf.Cap() > 1<<20 {
		return
	}
	jsonBuffers.Put(b)
}
