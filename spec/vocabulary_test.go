package spec

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVocabularyHasOneHome: outside package spec no Go source names an
// x-acs-* key as a string literal; importers and the generator use the
// constants of vocabulary.go, so the vocabulary has one home.
func TestVocabularyHasOneHome(t *testing.T) {
	// The contract's keys (x-acs-date and the like are wire headers).
	src, err := os.ReadFile("vocabulary.go")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range regexp.MustCompile(`= "(x-acs-[a-z-]+)"`).FindAllStringSubmatch(string(src), -1) {
		keys = append(keys, regexp.QuoteMeta(m[1]))
	}
	literal := regexp.MustCompile(`"(` + strings.Join(keys, "|") + `)"`)
	root := ".."
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "_gen.go") {
			return nil
		}
		if filepath.Dir(path) == filepath.Join(root, "spec") {
			return nil // package spec itself
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if m := literal.FindString(line); m != "" {
				t.Errorf("%s:%d: %s: name it through the constants of spec/vocabulary.go", path, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestPlaceholdersIn: names in braces are placeholders; JSON braces and
// quoted keys in a policy document are text.
func TestPlaceholdersIn(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"{FolderId}", []string{"FolderId"}},
		{"{unique}@example.com and {answer.Handshake.HandshakeId}", []string{"unique", "answer.Handshake.HandshakeId"}},
		{"{DeletePolicy.PolicyName}", []string{"DeletePolicy.PolicyName"}},
		{`{"Statement":[{"Action":"oss:*"}],"Version":"1"}`, nil},
		{`{"Principal":{"RAM":["acs:ram::{accountId}:root"]}}`, []string{"accountId"}},
		{"{1abc} {} {a b}", nil},
	} {
		got := PlaceholdersIn(c.in)
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("PlaceholdersIn(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
