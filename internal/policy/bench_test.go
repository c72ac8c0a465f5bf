package policy

import (
	"testing"
	"time"
)

// BenchmarkEvaluateLibrary evaluates one enterprise with facts for every
// shipped policy against the whole library, as matching does per enterprise.
func BenchmarkEvaluateLibrary(b *testing.B) {
	lib := shippedLibrary(b)
	rec := recordFromFile(b, "testdata/enterprise.json")
	on := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	ev := lib.NewEvaluator()
	ent := FromRecord(&rec)
	var inForce []*Policy
	for _, p := range lib.Policies() {
		if p.InForce(on) {
			inForce = append(inForce, p)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range inForce {
			ev.Evaluate(p, ent, on)
		}
	}
	b.ReportMetric(float64(len(inForce)), "policies")
}

// BenchmarkDecideLibrary is BenchmarkEvaluateLibrary without building the
// explanations (Decide instead of Evaluate).
func BenchmarkDecideLibrary(b *testing.B) {
	lib := shippedLibrary(b)
	rec := recordFromFile(b, "testdata/enterprise.json")
	on := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	ev := lib.NewEvaluator()
	ent := FromRecord(&rec)
	var inForce []*Policy
	for _, p := range lib.Policies() {
		if p.InForce(on) {
			inForce = append(inForce, p)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range inForce {
			ev.Decide(p, ent, on)
		}
	}
}
