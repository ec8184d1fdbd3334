package fsmsg

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestDescribe(t *testing.T) {
	dir := t.TempDir()
	_, missing := os.ReadFile(filepath.Join(dir, "none"))
	_, isDir := os.ReadFile(dir)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{missing, "f: no such file"},
		{&os.PathError{Op: "open", Path: "x", Err: os.ErrPermission}, "f: permission denied"},
		{isDir, "f: is a directory"},
		{errors.New("odd"), "f: odd"},
	} {
		if got := Describe("f", tc.err); got != tc.want {
			t.Errorf("Describe(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}
