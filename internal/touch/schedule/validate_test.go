package schedule

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// checkPlan verifies every rule a plan must keep, whatever the problem:
// each due request is served once or reported, each visit is on a working
// day of every request's window, on an open day unless all its requests are
// exempt, within its commissioner's capacity and its enterprise's caps, and
// never fewer visits than the lower bound.
func checkPlan(t *testing.T, p *Problem, plan *Plan) {
	t.Helper()
	demand := map[int64]*Demand{}
	for i := range p.Demands {
		demand[p.Demands[i].ID] = &p.Demands[i]
	}
	seen := map[int64]string{}
	mark := func(id int64, where string) {
		if prev, dup := seen[id]; dup {
			t.Errorf("request %d is both %s and %s", id, prev, where)
		}
		seen[id] = where
	}
	perDay := map[[2]int64]int{} // commissioner, day → visits
	routineMonth := map[[2]int64]int{}
	routineYear := map[[2]int64]int{}
	for _, v := range plan.Visits {
		if !p.Calendar.IsWorkday(v.Day) {
			t.Errorf("visit to %d on %s, not a working day", v.Enterprise, v.Day)
		}
		if v.Day < v.Earliest || v.Day > v.Latest {
			t.Errorf("visit to %d on %s outside its own range %s..%s", v.Enterprise, v.Day, v.Earliest, v.Latest)
		}
		site := p.Sites[v.Enterprise]
		quiet := site.Rules.Quiet(v.Day)
		allExempt := true
		for _, id := range v.Requests {
			d := demand[id]
			mark(id, "visited")
			if d.Enterprise != v.Enterprise {
				t.Errorf("request %d of %d on a visit to %d", id, d.Enterprise, v.Enterprise)
			}
			if v.Day < d.Earliest || v.Day > d.Latest {
				t.Errorf("request %d (window %s..%s) visited on %s", id, d.Earliest, d.Latest, v.Day)
			}
			allExempt = allExempt && d.Exempt
		}
		if allExempt != v.ExemptOnly {
			t.Errorf("visit to %d on %s: ExemptOnly %v, requests all exempt %v", v.Enterprise, v.Day, v.ExemptOnly, allExempt)
		}
		if quiet && !allExempt {
			t.Errorf("routine visit to %d on quiet day %s", v.Enterprise, v.Day)
		}
		if quiet != v.Quiet && v.ExemptOnly {
			t.Errorf("visit to %d on %s: Quiet flag %v, day quiet %v", v.Enterprise, v.Day, v.Quiet, quiet)
		}
		if v.Commissioner != site.Commissioner {
			t.Errorf("visit to %d by commissioner %d, not %d", v.Enterprise, v.Commissioner, site.Commissioner)
		}
		perDay[[2]int64{v.Commissioner, int64(v.Day)}]++
		if !v.ExemptOnly {
			routineMonth[[2]int64{v.Enterprise, int64(v.Day.Month())}]++
			routineYear[[2]int64{v.Enterprise, int64(v.Day.Month().Year())}]++
		}
	}
	for key, n := range perDay {
		c := workday.Date(key[1])
		if limit := p.capacityOf(key[0]) - p.takenOn(key[0], c); n > limit {
			t.Errorf("commissioner %d has %d visits on %s, capacity %d", key[0], n, c, limit)
		}
	}
	for ent, site := range p.Sites {
		if !site.Rules.Capped() {
			continue
		}
		booked := map[int64]int{}
		bookedYear := map[int64]int{}
		for _, d := range site.Booked {
			booked[int64(d.Month())]++
			bookedYear[int64(d.Month().Year())]++
		}
		for key, n := range routineMonth {
			if key[0] == ent && site.Rules.MonthlyCap > 0 && n+booked[key[1]] > site.Rules.MonthlyCap {
				t.Errorf("enterprise %d: %d routine visits and %d booked in %s, cap %d", ent, n, booked[key[1]], workday.Month(key[1]), site.Rules.MonthlyCap)
			}
		}
		for key, n := range routineYear {
			if key[0] == ent && site.Rules.YearlyCap > 0 && n+bookedYear[key[1]] > site.Rules.YearlyCap {
				t.Errorf("enterprise %d: %d routine visits and %d booked in %d, cap %d", ent, n, bookedYear[key[1]], key[1], site.Rules.YearlyCap)
			}
		}
	}
	for _, u := range plan.Unmet {
		mark(u.Request, "unmet ("+string(u.Reason)+")")
		if u.Proof != nil {
			checkProof(t, p, u)
		}
	}
	for _, id := range plan.Deferred {
		mark(id, "deferred")
		if demand[id].Latest <= p.To && demand[id].Latest >= p.From && demand[id].Earliest <= p.To {
			if site := p.Sites[demand[id].Enterprise]; site != nil && site.Commissioner != 0 {
				t.Errorf("due request %d deferred", id)
			}
		}
	}
	for id := range demand {
		if _, ok := seen[id]; !ok {
			t.Errorf("request %d is neither visited, unmet nor deferred", id)
		}
	}
	if len(plan.Visits) < plan.LowerBound {
		t.Errorf("%d visits, fewer than the lower bound %d", len(plan.Visits), plan.LowerBound)
	}
}

// checkProof verifies a cap proof independently: the requests lie inside
// the span, their permitted days are pairwise disjoint, and they outnumber
// the allowance.
func checkProof(t *testing.T, p *Problem, u Unmet) {
	t.Helper()
	pr := u.Proof
	if len(pr.Disjoint) <= pr.Allowed {
		t.Errorf("request %d: proof lists %d requests for an allowance of %d", u.Request, len(pr.Disjoint), pr.Allowed)
	}
	site := p.Sites[u.Enterprise]
	type span struct{ first, last workday.Date }
	var spans []span
	for _, id := range pr.Disjoint {
		var d *Demand
		for i := range p.Demands {
			if p.Demands[i].ID == id {
				d = &p.Demands[i]
			}
		}
		if d == nil || d.Exempt || d.Enterprise != u.Enterprise {
			t.Fatalf("request %d: proof names request %d, not a routine request of the enterprise", u.Request, id)
		}
		var first, last workday.Date = -1, -1
		for day := max(d.Earliest, p.From); day <= min(d.Latest, p.To); day++ {
			if p.Calendar.IsWorkday(day) && !site.Rules.Quiet(day) {
				if first < 0 {
					first = day
				}
				last = day
			}
		}
		if first.Month() < pr.From || last.Month() > pr.To {
			t.Errorf("request %d: proof request %d (%s..%s) is not inside %s..%s", u.Request, id, first, last, pr.From, pr.To)
		}
		for _, o := range spans {
			if first <= o.last && o.first <= last {
				t.Errorf("request %d: proof requests overlap", u.Request)
			}
		}
		spans = append(spans, span{first, last})
	}
}
