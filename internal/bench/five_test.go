package bench

import (
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
)

// BenchmarkFivePass measures the evaluation pass of the OpenFisca five over
// a prebuilt chunk of a generated population, on one goroutine: the figure
// `parkdesk bench match --openfisca` compares per core.
func BenchmarkFivePass(b *testing.B) {
	set, err := vector.LoadPolicies("../../policies", facts.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	on := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	prog, err := vector.Compile(set.Subset(OpenFiscaFive...), on)
	if err != nil {
		b.Fatal(err)
	}
	const n = 1 << 16
	g, err := demo.New(demo.Options{Seed: 1, Enterprises: n, On: on})
	if err != nil {
		b.Fatal(err)
	}
	c := DemoChunk(prog, g, 0, n)
	src := DemoRecords{G: g}
	b.ResetTimer()
	cpu0 := processCPU()
	for b.Loop() {
		ev, err := prog.Evaluate(c, src, 1)
		if err != nil {
			b.Fatal(err)
		}
		ev.Release()
	}
	cpu := processCPU() - cpu0
	evals := float64(n*len(prog.Policies)) * float64(b.N)
	b.ReportMetric(evals/b.Elapsed().Seconds(), "evals/s")
	// On a machine others load, the CPU time the pass took says more than
	// the wall time.
	b.ReportMetric(evals/cpu.Seconds(), "evals/cpu-s")
}
