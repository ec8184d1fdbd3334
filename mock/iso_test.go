package mock

import (
	"testing"
	"time"
)

// TestISO: the hand-written layout agrees with time.Format over times in
// every zone, with and without milliseconds, and the zero time is empty.
func TestISO(t *testing.T) {
	zone := time.FixedZone("x", 8*3600)
	for _, tm := range []time.Time{
		time.Date(2026, 12, 8, 2, 33, 12, 987654321, time.UTC),
		time.Date(2024, 2, 29, 23, 59, 59, 0, zone),
		time.Date(1, 1, 1, 0, 0, 0, 1e6, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := iso(tm), tm.UTC().Format(isoLayout); got != want {
			t.Errorf("iso(%v) = %s, want %s", tm, got, want)
		}
	}
	if iso(time.Time{}) != "" {
		t.Error("the zero time is not empty")
	}
}
