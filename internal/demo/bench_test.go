package demo

import (
	"testing"
)

// benchmarkPark generates a park of DefaultEnterprises enterprises per
// iteration on one goroutine, through generate, and reports values per
// enterprise, enterprises per second and the CPU seconds a park takes
// (garbage collection included).
func benchmarkPark(b *testing.B, generate func(g *Generator, i int) int) {
	g, err := New(Options{Seed: 1, Enterprises: DefaultEnterprises, On: testOn})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	values := 0
	cpu := processCPU()
	for b.Loop() {
		values = 0
		for i := range g.Len() {
			values += generate(g, i)
		}
	}
	b.ReportMetric(float64(values)/DefaultEnterprises, "values/enterprise")
	b.ReportMetric(float64(DefaultEnterprises*b.N)/b.Elapsed().Seconds(), "enterprises/s")
	b.ReportMetric((processCPU()-cpu).Seconds()/float64(b.N), "cpu-s/park")
}

// BenchmarkPark builds every enterprise's record, maps of facts included.
func BenchmarkPark(b *testing.B) {
	benchmarkPark(b, func(g *Generator, i int) int {
		values := 0
		for _, s := range g.Enterprise(i).Record.Facts {
			values += len(s)
		}
		return values
	})
}

// BenchmarkParkFacts generates the same park through EnterpriseFacts, which
// skips the record's maps: the cost of the draws alone.
func BenchmarkParkFacts(b *testing.B) {
	benchmarkPark(b, func(g *Generator, i int) int {
		values := 0
		g.EnterpriseFacts(i, func(Fact) { values++ })
		return values
	})
}
