// Package testbin builds the acsconform binary once per test process, for
// the tests that run it as a user does (the suite in a subprocess, the
// mock's printed hints, a kill -9): one build, shared, never per test.
package testbin

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// Path builds acsconform (the first time) and returns the binary's path.
var Path = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "acsconform-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "acsconform")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/acsconform/acsconform/cmd/acsconform").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})
