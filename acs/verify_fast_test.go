package acs

import (
	"testing"
	"time"
)

// TestParseUTC: the hand-written reader agrees with time.Parse on every
// timestamp it takes, and leaves the rest to time.Parse.
func TestParseUTC(t *testing.T) {
	for _, ts := range []string{"2026-12-08T02:33:12Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"} {
		got, ok := parseUTC(ts)
		want, err := time.Parse(TimeLayout, ts)
		if !ok || err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v, want %v %v", ts, got, ok, want, err)
		}
	}
	for _, ts := range []string{"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-08T24:00:00Z", "2026-12-08 02:33:12Z", "2026-12-08T02:33:12", "2026-12-08T02:33:1xZ", "+026-12-08T02:33:12Z", ""} {
		if _, ok := parseUTC(ts); ok {
			t.Errorf("%q read, want it left to time.Parse", ts)
		}
	}
}

// FuzzParseUTC: whatever parseUTC takes, time.Parse reads the same.
func FuzzParseUTC(f *testing.F) {
	f.Add("2026-12-08T02:33:12Z")
	f.Add("2026-02-30T00:00:00Z")
	f.Fuzz(func(t *testing.T, ts string) {
		got, ok := parseUTC(ts)
		if !ok {
			return
		}
		want, err := time.Parse(TimeLayout, ts)
		if err != nil || !got.Equal(want) {
			t.Fatalf("%q: %v, time.Parse %v %v", ts, got, want, err)
		}
	})
}
