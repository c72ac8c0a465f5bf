package vector

import (
	"testing"
	"time"
)

// BenchmarkEvaluate measures the evaluation pass over a prebuilt chunk of
// a generated park, on one goroutine: every shipped policy in force.
func BenchmarkEvaluate(b *testing.B) {
	set := mustPolicies(b)
	on := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	prog := mustCompile(b, set, on)
	const n = 32768
	recs := generated(b, 7, n, on)
	c := prog.RecordsChunk(recs)
	src := Records(recs)
	b.ResetTimer()
	for b.Loop() {
		if _, err := prog.Evaluate(c, src, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*len(prog.Policies))*float64(b.N)/b.Elapsed().Seconds(), "evals/s")
}
