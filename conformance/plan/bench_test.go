package plan

import (
	"path/filepath"
	"testing"

	"github.com/acsconform/acsconform/profile"
	"github.com/acsconform/acsconform/spec"
)

// BenchmarkPlan plans every case of each built-in product for the
// embedded mock's profile: what a run spends before its first request
// (the contract is loaded once, outside the loop).
func BenchmarkPlan(b *testing.B) {
	p, err := profile.Load(filepath.Join("..", "..", "fixtures", "targets", "mock.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for _, product := range spec.Products {
		api, err := spec.LoadProduct(product)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(product, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				cs, err := Plan(api, p, PlanOptions{Embedded: true})
				if err != nil {
					b.Fatal(err)
				}
				n = len(cs)
			}
			b.ReportMetric(float64(n), "cases")
		})
	}
}
