package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tourPaths returns the paths a README's tables name in their first column
// (each backticked token that looks like a path), with the line naming it.
func tourPaths(t *testing.T, readme string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	tick := regexp.MustCompile("`([^`]+)`")
	out := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(strings.TrimPrefix(line, "|"), "|", 2)[0]
		for _, m := range tick.FindAllStringSubmatch(first, -1) {
			p := m[1]
			if strings.ContainsAny(p, " <>*") || !(strings.Contains(p, "/") || strings.Contains(p, ".")) {
				continue // a command, a key or a placeholder, not a path
			}
			out[p] = i + 1
		}
	}
	return out
}

// TestTourPathsExist: every path the README's tour and spec/README.md's
// tables name exists, so the map cannot drift from the house; and the tour
// names every floor's packages that are folders of their own.
func TestTourPathsExist(t *testing.T) {
	for _, readme := range []string{"../README.md", "../spec/README.md"} {
		paths := tourPaths(t, readme)
		if len(paths) < 5 {
			t.Fatalf("%s: found %d paths in its tables; the tour is gone?", readme, len(paths))
		}
		for p, line := range paths {
			candidates := []string{filepath.Join("..", p), filepath.Join(filepath.Dir(readme), p)}
			found := false
			for _, c := range candidates {
				if _, err := os.Stat(c); err == nil {
					found = true
				}
			}
			if !found {
				t.Errorf("%s:%d names %s, which does not exist", readme, line, p)
			}
		}
	}
	tour := tourPaths(t, "../README.md")
	for _, dir := range []string{"acs/", "spec/", "profile/", "mock/", "cli/", "conformance/", "conformance/plan/", "conformance/run/", "conformance/judge/", "conformance/report/", "internal/layers/", "interop/", "docs/", "fixtures/"} {
		if _, ok := tour[dir]; !ok {
			t.Errorf("README.md's tour has no row for %s", dir)
		}
	}
}
