package ghannotate

import (
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	defer func(f func(string) bool) { Exists = f }(Exists)
	Exists = func(string) bool { return true }
	var b strings.Builder
	Write(&b, Error, "spec/a,b.yaml", 12, 3, "acsconform: Op/rule:x", "got 100%\nwant 0")
	Write(&b, Warning, "", 0, 0, "", "plain")
	want := "::error file=spec/a%2Cb.yaml,line=12,col=3,title=acsconform%3A Op/rule%3Ax::got 100%25%0Awant 0\n::warning ::plain\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// TestWriteMissingFile: a position in a file the checkout does not have (the
// embedded contract in a user's repository) moves into the message.
func TestWriteMissingFile(t *testing.T) {
	var b strings.Builder
	Write(&b, Error, "embedded:spec/none.yaml", 7, 2, "t", "m")
	Write(&b, Warning, "ghannotate.go", 3, 0, "", "here")
	want := "::error title=t::embedded:spec/none.yaml:7: m\n::warning file=ghannotate.go,line=3::here\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}
