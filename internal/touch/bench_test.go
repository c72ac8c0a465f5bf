package touch

import "testing"

func TestSyntheticLoadPlansCleanly(t *testing.T) {
	load := Synthetic(1, 3000, 600)
	plan, err := Schedule(load.Problem)
	if err != nil {
		t.Fatal(err)
	}
	checkPlan(t, load.Problem, plan)
	if len(plan.Visits) == 0 || plan.LowerBound == 0 {
		t.Fatalf("no visits planned: %+v", plan.Stats)
	}
	if gap := plan.GapPercent(); gap > 2 {
		t.Errorf("gap %.2f%%, above 2%%", gap)
	}
	again, _ := Schedule(Synthetic(1, 3000, 600).Problem)
	if len(again.Visits) != len(plan.Visits) || again.LowerBound != plan.LowerBound {
		t.Error("the same seed planned differently")
	}
}

func BenchmarkSchedule(b *testing.B) {
	load := Synthetic(1, 100_000, 20_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Schedule(load.Problem); err != nil {
			b.Fatal(err)
		}
	}
}
