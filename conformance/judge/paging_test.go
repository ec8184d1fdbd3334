package judge

import (
	"fmt"
	"strings"
	"testing"
)

// TestFirstOfCapsFindings: a deviation found on many pages names the first
// ones and counts the rest, so a server that repeats one item forever
// gets a readable report.
func TestFirstOfCapsFindings(t *testing.T) {
	var many []string
	for i := 2; i <= 100; i++ {
		many = append(many, fmt.Sprintf("page %d repeats an item of page 1", i))
	}
	got := firstOf(many, 5)
	if len(got) != 6 || got[0] != "page 2 repeats an item of page 1" || got[5] != "and 94 more like these" {
		t.Errorf("firstOf(99 findings, 5) = %q", got)
	}
	few := []string{"a", "b"}
	if got := firstOf(few, 5); strings.Join(got, ",") != "a,b" {
		t.Errorf("firstOf(2 findings, 5) = %q, want them all", got)
	}
	if len(many) != 99 {
		t.Error("firstOf changed its input")
	}
}
