package acs

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestEncodeJSONIsMarshal checks the pooled encoding gives json.Marshal's
// bytes (HTML escaped, no trailing newline), also after the buffer was
// reused for a longer answer.
func TestEncodeJSONIsMarshal(t *testing.T) {
	values := []any{
		map[string]any{"RequestId": "x", "Note": "<a&b>", "List": []int{1, 2, 3}},
		struct{ A string }{"short"},
		map[string]string{"Long": string(bytes.Repeat([]byte("z"), 5000))},
		struct{ B []string }{nil},
	}
	for i := 0; i < 3; i++ {
		for _, v := range values {
			want, _ := json.Marshal(v)
			b, err := EncodeJSON(v)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Bytes(); !bytes.Equal(got, want) {
				t.Errorf("EncodeJSON(%T) = %.60s, json.Marshal gives %.60s", v, got, want)
			}
			b.Release()
		}
	}
	if _, err := EncodeJSON(make(chan int)); err == nil {
		t.Error("EncodeJSON of a channel succeeded")
	}
}
