package vector

import (
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
)

func mustPolicies(t testing.TB) *PolicySet {
	t.Helper()
	set, err := LoadPolicies("../../../policies", facts.Builtin())
	if err != nil {
		t.Fatalf("load the shipped policies: %v", err)
	}
	return set
}

func mustCompile(t testing.TB, set *PolicySet, on time.Time) *Program {
	t.Helper()
	p, err := Compile(set, on)
	if err != nil {
		t.Fatalf("compile for %s: %v", on.Format(time.DateOnly), err)
	}
	return p
}

func engineSummary(r *policy.Result) Summary {
	s := Summary{Status: r.Status, Missing: append([]string{}, r.Missing...)}
	slices.Sort(s.Missing)
	if r.Amount != nil {
		s.Amount = r.Amount.String()
	}
	if r.NearMiss != nil {
		s.NearMiss = r.NearMiss.Criterion
	}
	return s
}

// TestVectorMatchesEngine checks that the vector program gives exactly the
// policy engine's results (status, amount, missing fields, near miss) for
// every shipped policy on a generated park, on dates that put every policy
// in force at least once; 2022-05 has the stock refunds open by size, and
// 2026-02 the credit rating read before last year's is set.
func TestVectorMatchesEngine(t *testing.T) {
	set := mustPolicies(t)
	const n = 1500
	for _, day := range []string{"2022-05-15", "2022-08-15", "2024-05-31", "2025-07-10", "2025-10-15", "2026-02-10"} {
		t.Run(day, func(t *testing.T) {
			on, _ := time.Parse(time.DateOnly, day)
			prog := mustCompile(t, set, on)
			for _, pl := range prog.Policies {
				if pl.Fallback != "" {
					t.Errorf("policy %s falls back to the engine: %s", pl.ID, pl.Fallback)
				}
			}
			recs := generated(t, 7, n, on)
			c := prog.RecordsChunk(recs)
			ev, err := prog.Evaluate(c, Records(recs), 2)
			if err != nil {
				t.Fatal(err)
			}
			engine := set.Library.NewEvaluator()
			mismatches := 0
			for row := 0; row < n; row++ {
				rec := recs[row]
				for pi, pl := range prog.Policies {
					want := engineSummary(ptr(engine.Evaluate(pl.Policy, policy.FromRecord(&rec), on)))
					got := ev.Policies[pi].Summary(row)
					if got.Status != want.Status || got.Amount != want.Amount || !slices.Equal(got.Missing, want.Missing) || got.NearMiss != want.NearMiss {
						mismatches++
						if mismatches <= 10 {
							t.Errorf("%s row %d: vector %+v, engine %+v", pl.ID, row, got, want)
						}
					}
				}
			}
			t.Logf("%s: %d policies, %d nodes, %d columns; %d rows on the exact path, %d by the engine", day, len(prog.Policies), prog.Nodes(), prog.Columns(), ev.Pending, ev.Engine)
			if mismatches > 0 {
				t.Errorf("%d mismatches", mismatches)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// generated returns the records of a park made by the demo generator: a
// realistic population, with the gaps and oddities of real data.
func generated(t testing.TB, seed int64, n int, on time.Time) []facts.Record {
	t.Helper()
	g, err := demo.New(demo.Options{Seed: seed, Enterprises: n, On: on})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]facts.Record, n)
	for i := range recs {
		recs[i] = g.Enterprise(i).Record
	}
	return recs
}
