package acs

import (
	"encoding/binary"
	"unicode/utf8"
	"unsafe"
)

// LongerThan reports whether s holds more than n characters (runes, as
// utf8.RuneCountInString counts them: an invalid byte is one), the test of
// a maxLength rule. It answers from the byte length where that decides
// (n bytes or fewer; more than 4n), then from the count of bytes that start
// a character (a lower bound of the runes, exact for valid UTF-8) taken a
// word at a time, and counts runes one by one only where those leave it
// open. A refused request past a long limit costs little.
func LongerThan(s string, n int) bool {
	switch {
	case len(s) <= n:
		return false
	case n < 0 || len(s) > 4*n:
		return true
	case leadBytes(s) > n:
		return true
	}
	return utf8.RuneCountInString(s) > n
}

// ShorterThan reports whether s holds fewer than n characters, the test of
// a minLength rule, the same way as LongerThan.
func ShorterThan(s string, n int) bool {
	switch {
	case len(s) < n:
		return true
	case n <= 0 || len(s) >= 4*n:
		return false
	case leadBytes(s) >= n:
		return false
	}
	return utf8.RuneCountInString(s) < n
}

// leadBytes counts the bytes of s that are not UTF-8 continuation bytes
// (10xxxxxx), eight at a time: every rune RuneCountInString counts begins
// at one of them or is an invalid byte, so the count is at most the runes.
func leadBytes(s string) int {
	const ones = 0x0101010101010101
	// A read-only view of the string's bytes: nothing writes through it.
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	cont := 0
	i := 0
	for i+8 <= len(b) {
		// Per byte lane, 1 where the byte is a continuation byte (its top
		// bit set, the next one clear), summed in the lanes for at most
		// 255 words before a lane could overflow.
		var lanes uint64
		k := 0
		for ; k+4 <= 255 && i+32 <= len(b); k, i = k+4, i+32 {
			w := b[i : i+32 : i+32]
			w0, w1 := binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[8:])
			w2, w3 := binary.LittleEndian.Uint64(w[16:]), binary.LittleEndian.Uint64(w[24:])
			lanes += (w0&^(w0<<1))>>7&ones + (w1&^(w1<<1))>>7&ones + (w2&^(w2<<1))>>7&ones + (w3&^(w3<<1))>>7&ones
		}
		for ; k < 255 && i+8 <= len(b); k, i = k+1, i+8 {
			w := binary.LittleEndian.Uint64(b[i:])
			lanes += (w &^ (w << 1)) >> 7 & ones
		}
		// Fold the eight byte lanes (each at most 255) into four of 16
		// bits, then add those.
		pairs := lanes&0x00FF00FF00FF00FF + (lanes>>8)&0x00FF00FF00FF00FF
		cont += int((pairs * 0x0001000100010001) >> 48)
	}
	for ; i < len(b); i++ {
		if b[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return len(s) - cont
}
