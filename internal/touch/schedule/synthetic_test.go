package schedule_test

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/touch/schedule"
)

func TestSyntheticLoadPlansCleanly(t *testing.T) {
	load := bench.SyntheticSchedule(1, 3000, 600)
	plan, err := schedule.Solve(load.Problem)
	if err != nil {
		t.Fatal(err)
	}
	schedule.CheckPlan(t, load.Problem, plan)
	if len(plan.Visits) == 0 || plan.LowerBound == 0 {
		t.Fatalf("no visits planned: %+v", plan.Stats)
	}
	if gap := plan.GapPercent(); gap > 2 {
		t.Errorf("gap %.2f%%, above 2%%", gap)
	}
	again, _ := schedule.Solve(bench.SyntheticSchedule(1, 3000, 600).Problem)
	if len(again.Visits) != len(plan.Visits) || again.LowerBound != plan.LowerBound {
		t.Error("the same seed planned differently")
	}
}
