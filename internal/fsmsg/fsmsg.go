// Package fsmsg says what is wrong with a file the user named, in their
// words: "x.yaml: no such file" rather than Go's "open x.yaml: no such file
// or directory", so every command reports an unreadable input alike.
package fsmsg

import (
	"errors"
	"io/fs"
)

// Describe is path and what is wrong with it, from an error of reading it.
func Describe(path string, err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path + ": no such file"
	case errors.Is(err, fs.ErrPermission):
		return path + ": permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return path + ": " + pe.Err.Error()
	}
	return path + ": " + err.Error()
}
