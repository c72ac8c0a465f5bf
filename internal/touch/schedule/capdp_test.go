package schedule

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// bruteForceCapped returns the fewest days serving every window within a
// monthly cap, or -1 when no set of days does. days are the horizon's
// working days, in order; windows index them.
func bruteForceCapped(days []workday.Date, windows [][2]int, monthlyCap int) int {
	best := -1
	for set := uint32(1); set < 1<<len(days); set++ {
		n := bits.OnesCount32(set)
		if best >= 0 && n >= best {
			continue
		}
		perMonth := map[workday.Month]int{}
		ok := true
		for d := range days {
			if set&(1<<d) != 0 {
				perMonth[days[d].Month()]++
				if perMonth[days[d].Month()] > monthlyCap {
					ok = false
					break
				}
			}
		}
		for _, w := range windows {
			if !ok {
				break
			}
			mask := uint32(1<<(w[1]+1)-1) &^ uint32(1<<w[0]-1)
			ok = set&mask != 0
		}
		if ok {
			best = n
		}
	}
	return best
}

// TestCapsAgainstBruteForce plans random routine requests across a month's
// end under a monthly cap: when some set of days serves them all within the
// cap, the plan serves them all with as few visits; when none does, every
// refusal carries a proof.
func TestCapsAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 34))
	from, to := mustDate(t, "2025-03-24"), mustDate(t, "2025-04-10") // 14 working days over two months
	var days []workday.Date
	for d := from; d <= to; d++ {
		if workday.Weekends().IsWorkday(d) {
			days = append(days, d)
		}
	}
	feasible, infeasible := 0, 0
	for round := range 250 {
		f := newFixture(t, from.String(), to.String())
		f.p.DailyCapacity = 50
		cap := 1 + rng.IntN(2)
		f.site(1, 100, &QuietRules{MonthlyCap: cap})
		var windows [][2]int
		for range 2 + rng.IntN(5) {
			a := rng.IntN(len(days))
			b := min(len(days)-1, a+rng.IntN(8))
			windows = append(windows, [2]int{a, b})
			f.request(1, days[a].String(), days[b].String(), false)
		}
		want := bruteForceCapped(days, windows, cap)
		plan := f.schedule()
		if want < 0 {
			infeasible++
			if len(plan.Unmet) == 0 {
				t.Fatalf("round %d: no plan fits cap %d, yet all were served: %+v", round, cap, windows)
			}
			for _, u := range plan.Unmet {
				if u.Reason != ReasonCap || u.Proof == nil {
					t.Errorf("round %d: refusal %+v without a proof (windows %v, cap %d)", round, u, windows, cap)
				}
			}
			continue
		}
		feasible++
		if len(plan.Unmet) != 0 || len(plan.Visits) != want {
			t.Fatalf("round %d: %d visits and unmet %+v; brute force serves all with %d (windows %v, cap %d)",
				round, len(plan.Visits), plan.Unmet, want, windows, cap)
		}
	}
	if feasible == 0 || infeasible == 0 {
		t.Fatalf("the rounds were %d feasible and %d not: both kinds are needed", feasible, infeasible)
	}
}
