// Package ghannotate writes GitHub Actions workflow annotations
// (::error file=…,line=…::message), so lint findings, breaking contract
// changes and conformance deviations show on the lines they are about in a
// pull request.
package ghannotate

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// Levels of an annotation.
const (
	Error   = "error"
	Warning = "warning"
	Notice  = "notice"
)

// escape escapes a message (%, CR, LF) or a property (also : and ,) as
// workflow commands require.
func escape(s string, property bool) string {
	s = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
	if property {
		s = strings.NewReplacer(":", "%3A", ",", "%2C").Replace(s)
	}
	return s
}

// Write writes one annotation at file:line:col (line 0 leaves the line
// out, an empty file the position).
//
// A file the checkout does not have (an embedded contract, reported as
// spec/… or embedded:spec/…, in a user's repository) cannot carry an
// annotation: GitHub would drop it. Such a position moves into the message
// and the annotation stands on the run instead.
func Write(w io.Writer, level, file string, line, col int, title, msg string) {
	if file != "" && !Exists(file) {
		at := file
		if line > 0 {
			at = fmt.Sprintf("%s:%d", file, line)
		}
		msg = at + ": " + msg
		file, line, col = "", 0, 0
	}
	var props []string
	if file != "" {
		props = append(props, "file="+escape(file, true))
		if line > 0 {
			props = append(props, fmt.Sprintf("line=%d", line))
			if col > 0 {
				props = append(props, fmt.Sprintf("col=%d", col))
			}
		}
	}
	if title != "" {
		props = append(props, "title="+escape(title, true))
	}
	fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escape(msg, false))
}

// Exists reports whether a file is in the working tree to annotate
// (a variable, so tests can stand in for the tree).
var Exists = func(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}
