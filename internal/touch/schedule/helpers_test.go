package schedule

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/workday"
)

func mustDate(t testing.TB, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// fixture builds a scheduling problem in Go, one call per fact.
type fixture struct {
	t      *testing.T
	p      *Problem
	nextID int64
}

func newFixture(t *testing.T, from, to string) *fixture {
	t.Helper()
	return &fixture{t: t, p: &Problem{
		From: mustDate(t, from), To: mustDate(t, to), Calendar: workday.Weekends(),
		Sites: map[int64]*Site{}, DailyCapacity: 10, Commissioners: map[int64]*Commissioner{},
	}}
}

func (f *fixture) site(ent, commissioner int64, rules *QuietRules, booked ...string) {
	f.t.Helper()
	s := &Site{Enterprise: ent, Commissioner: commissioner, Rules: rules}
	for _, b := range booked {
		s.Booked = append(s.Booked, mustDate(f.t, b))
	}
	f.p.Sites[ent] = s
}

func (f *fixture) request(ent int64, earliest, latest string, exempt bool) int64 {
	f.t.Helper()
	f.nextID++
	f.p.Demands = append(f.p.Demands, Demand{ID: f.nextID, Enterprise: ent,
		Earliest: mustDate(f.t, earliest), Latest: mustDate(f.t, latest), Exempt: exempt, Minutes: 60})
	return f.nextID
}

func (f *fixture) schedule() *Plan {
	f.t.Helper()
	plan, err := Solve(f.p)
	if err != nil {
		f.t.Fatal(err)
	}
	checkPlan(f.t, f.p, plan)
	return plan
}

func unmetOf(plan *Plan, id int64) (Unmet, bool) {
	for _, u := range plan.Unmet {
		if u.Request == id {
			return u, true
		}
	}
	return Unmet{}, false
}

func visitOf(plan *Plan, id int64) (Visit, bool) {
	for _, v := range plan.Visits {
		for _, r := range v.Requests {
			if r == id {
				return v, true
			}
		}
	}
	return Visit{}, false
}
