package acs

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestLengthTests: LongerThan and ShorterThan agree with counting runes on
// ASCII, multi-byte, mixed and invalid UTF-8 around every limit.
func TestLengthTests(t *testing.T) {
	samples := []string{"", "a", "ab", "中", "中文", "a中b", strings.Repeat("中", 9), strings.Repeat("x", 17), "\xff\xfe", "\x80\x80\x80", "中\x80文\xbf", "😀😀", strings.Repeat("é", 5) + "\xc3", strings.Repeat("a中😀\x80", 7)}
	// Past the 255 words one pass of lanes holds.
	long := []string{strings.Repeat("中", 4097), strings.Repeat("é\x80a", 3000), strings.Repeat("\x80", 9000)}
	for _, s := range long {
		runes := utf8.RuneCountInString(s)
		if got := leadBytes(s); got > runes || (utf8.ValidString(s) && got != runes) {
			t.Errorf("leadBytes of %d bytes = %d, runes %d", len(s), got, runes)
		}
		for _, n := range []int{runes - 1, runes, runes + 1, len(s) / 4, len(s) / 3} {
			if LongerThan(s, n) != (runes > n) || ShorterThan(s, n) != (runes < n) {
				t.Errorf("%d bytes, %d runes, limit %d: LongerThan %v, ShorterThan %v", len(s), runes, n, LongerThan(s, n), ShorterThan(s, n))
			}
		}
	}
	for _, s := range samples {
		runes := utf8.RuneCountInString(s)
		for n := 0; n <= len(s)+2; n++ {
			if got, want := LongerThan(s, n), runes > n; got != want {
				t.Errorf("LongerThan(%q, %d) = %v, want %v", s, n, got, want)
			}
			if got, want := ShorterThan(s, n), runes < n; got != want {
				t.Errorf("ShorterThan(%q, %d) = %v, want %v", s, n, got, want)
			}
		}
	}
}

func FuzzLengthTests(f *testing.F) {
	f.Add("中文", 1)
	f.Add("\xff\x80abc", 3)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 {
			n = -n
		}
		runes := utf8.RuneCountInString(s)
		if LongerThan(s, n) != (runes > n) || ShorterThan(s, n) != (runes < n) {
			t.Fatalf("%q, %d: LongerThan %v, ShorterThan %v, runes %d", s, n, LongerThan(s, n), ShorterThan(s, n), runes)
		}
	})
}

// BenchmarkLengthTests: a value one character past a 4096-character limit,
// in Chinese (the longest limits are on policy documents), by counting
// runes and by LongerThan.
func BenchmarkLengthTests(b *testing.B) {
	s := strings.Repeat("中", 4097)
	b.Run("RuneCountInString", func(b *testing.B) {
		for b.Loop() {
			_ = utf8.RuneCountInString(s) > 4096
		}
	})
	b.Run("LongerThan", func(b *testing.B) {
		for b.Loop() {
			_ = LongerThan(s, 4096)
		}
	})
}
