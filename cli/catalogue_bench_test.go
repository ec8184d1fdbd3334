package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/acsconform/acsconform/conformance/plan"
	"github.com/acsconform/acsconform/internal/codegen"
	"github.com/acsconform/acsconform/internal/lint"
	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
	"github.com/acsconform/acsconform/spec/metaimport"
)

// largestTraining is the biggest product of the training catalogue beside
// the clone (Rds 2014-08-15, 286 APIs), the size issue 27 asks to be fast.
var largestTraining = filepath.Join("..", "..", "shared", "metadata", "products", "rds-2014-08-15.api-docs.json")

// BenchmarkLargestProduct measures each step of taking the largest training
// product through the pipeline: import (the vendor's file to a standalone
// contract), load (parse and validate the contract), lint, generate (the Go
// package's source), plan (every case of the suite for the embedded mock's
// profile) and compile (go build of the generated package alone, its
// dependencies cached). make bench prints them.
func BenchmarkLargestProduct(b *testing.B) {
	data, err := os.ReadFile(largestTraining)
	if err != nil {
		b.Skipf("no training catalogue beside the clone: %v", err)
	}
	base, err := spec.Load()
	if err != nil {
		b.Fatal(err)
	}
	importOnce := func() []byte {
		doc, err := metaimport.Parse(largestTraining, data)
		if err != nil {
			b.Fatal(err)
		}
		res, err := metaimport.Import(doc, metaimport.Options{File: "rds.json", Fallback: metaimport.FallbackFrom(base)})
		if err != nil {
			b.Fatal(err)
		}
		out, err := withGateway(res.Document, base.ClockSkew)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	contract := importOnce()
	api, err := spec.Parse("rds.yaml", contract)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("import", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			importOnce()
		}
		b.ReportMetric(float64(len(api.Operations)), "apis")
	})
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := spec.Parse("rds.yaml", contract); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("lint", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			lint.Run(api)
		}
	})
	var files map[string][]byte
	b.Run("generate", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if files, err = codegen.Generate(api, "rds"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plan", func(b *testing.B) {
		p, err := profile.Load(filepath.Join("..", "fixtures", "targets", "mock.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			cs, err := plan.Plan(api, p, plan.PlanOptions{Embedded: true})
			if err != nil {
				b.Fatal(err)
			}
			n = len(cs)
		}
		b.ReportMetric(float64(n), "cases")
	})
	b.Run("compile", func(b *testing.B) {
		dir := b.TempDir()
		root, _ := filepath.Abs("..")
		gomod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
		goVersion := regexp.MustCompile(`(?m)^go \S+$`).Find(gomod)
		sum, _ := os.ReadFile(filepath.Join(root, "go.sum"))
		write := func(name string, data []byte) {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				b.Fatal(err)
			}
		}
		write("go.mod", fmt.Appendf(nil, "module rds\n\n%s\n\nrequire github.com/acsconform/acsconform v0.0.0\n\nreplace github.com/acsconform/acsconform => %s\n", goVersion, root))
		write("go.sum", sum)
		for name, src := range files {
			write(name, src)
		}
		build := func() {
			cmd := exec.Command("go", "build", "./...")
			cmd.Dir, cmd.Env = dir, append(os.Environ(), "GOFLAGS=-mod=mod")
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("go build: %v\n%s", err, out)
			}
		}
		build() // the dependencies, cached
		i := 0
		for b.Loop() {
			// A changed file: the package alone is compiled again.
			i++
			write("zz_bench.go", fmt.Appendf(nil, "package rds\n\nconst benchRound = %d\n", i))
			build()
		}
	})
}
