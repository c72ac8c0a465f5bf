package schedule

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// daysOneToTwenty is the quiet rule of the issue: no routine visit on days
// 1–20 of any month.
func daysOneToTwenty() *QuietRules {
	return &QuietRules{Windows: []QuietWindow{{FirstDay: 1, LastDay: 20}}}
}

func TestScheduleMergesOverlappingRequests(t *testing.T) {
	f := newFixture(t, "2025-03-03", "2025-03-31")
	f.site(1, 100, nil)
	a := f.request(1, "2025-03-03", "2025-03-14", false)
	b := f.request(1, "2025-03-10", "2025-03-21", false)
	c := f.request(1, "2025-03-24", "2025-03-28", false)
	plan := f.schedule()
	if len(plan.Visits) != 2 || plan.LowerBound != 2 {
		t.Fatalf("%d visits, lower bound %d; want 2 and 2", len(plan.Visits), plan.LowerBound)
	}
	first, _ := visitOf(plan, a)
	if !slices.Equal(first.Requests, []int64{a, b}) || first.Day != mustDate(t, "2025-03-14") {
		t.Errorf("first visit %+v, want requests %d and %d on 2025-03-14", first, a, b)
	}
	if second, _ := visitOf(plan, c); second.Day != mustDate(t, "2025-03-28") {
		t.Errorf("second visit on %s", second.Day)
	}
	if plan.GapPercent() != 0 {
		t.Errorf("gap %.2f%%", plan.GapPercent())
	}
}

func TestScheduleQuietWindows(t *testing.T) {
	tests := []struct {
		name       string
		exempt     bool
		earliest   string
		latest     string
		wantReason Reason // "" when visited
		wantDay    string
		wantQuiet  bool
	}{
		{"routine window inside the quiet days is refused", false, "2025-03-03", "2025-03-14", ReasonQuiet, "", false},
		{"routine window reaching past day 20 is visited after it", false, "2025-03-10", "2025-03-25", "", "2025-03-25", false},
		{"exempt window inside the quiet days is visited and flagged", true, "2025-03-03", "2025-03-14", "", "2025-03-14", true},
		{"window on a weekend only has no working day", false, "2025-03-22", "2025-03-23", ReasonNoWorkday, "", false},
		{"window over before the horizon has expired", false, "2025-02-03", "2025-02-28", ReasonExpired, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "2025-03-03", "2025-03-31")
			f.site(1, 100, daysOneToTwenty())
			id := f.request(1, tt.earliest, tt.latest, tt.exempt)
			plan := f.schedule()
			if tt.wantReason != "" {
				u, ok := unmetOf(plan, id)
				if !ok || u.Reason != tt.wantReason {
					t.Fatalf("unmet %+v (found %v), want reason %s", u, ok, tt.wantReason)
				}
				return
			}
			v, ok := visitOf(plan, id)
			if !ok {
				t.Fatalf("not visited: %+v", plan.Unmet)
			}
			if v.Day != mustDate(t, tt.wantDay) || v.Quiet != tt.wantQuiet {
				t.Errorf("visit on %s quiet %v, want %s quiet %v", v.Day, v.Quiet, tt.wantDay, tt.wantQuiet)
			}
			if tt.wantQuiet && plan.Stats.QuietBreak != 1 {
				t.Errorf("quiet breaks counted %d, want 1", plan.Stats.QuietBreak)
			}
		})
	}
}

func TestScheduleExemptVisitTakesRoutineRequestsOnlyOnOpenDays(t *testing.T) {
	f := newFixture(t, "2025-03-03", "2025-03-31")
	f.site(1, 100, daysOneToTwenty())
	accident := f.request(1, "2025-03-10", "2025-03-24", true)
	survey := f.request(1, "2025-03-17", "2025-03-28", false)
	plan := f.schedule()
	if len(plan.Visits) != 1 {
		t.Fatalf("%d visits, want one joint visit on an open day: %+v", len(plan.Visits), plan.Visits)
	}
	v := plan.Visits[0]
	if !slices.Equal(v.Requests, []int64{accident, survey}) || v.Quiet || v.ExemptOnly {
		t.Errorf("visit %+v", v)
	}
}

func TestScheduleCaps(t *testing.T) {
	t.Run("more disjoint requests in a month than the cap: refused with the proof", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-31")
		f.site(1, 100, &QuietRules{MonthlyCap: 1})
		a := f.request(1, "2025-03-03", "2025-03-07", false)
		b := f.request(1, "2025-03-10", "2025-03-14", false)
		c := f.request(1, "2025-03-17", "2025-03-21", false)
		plan := f.schedule()
		if len(plan.Visits) != 1 || plan.Stats.Unmet[ReasonCap] != 2 {
			t.Fatalf("%d visits, %d refused for the cap; want 1 and 2", len(plan.Visits), plan.Stats.Unmet[ReasonCap])
		}
		for _, u := range plan.Unmet {
			if u.Proof == nil {
				t.Fatalf("request %d refused without proof", u.Request)
			}
			if !slices.Equal(u.Proof.Disjoint, []int64{a, b, c}) || u.Proof.Allowed != 1 {
				t.Errorf("proof %+v", u.Proof)
			}
		}
	})
	t.Run("booked visits count against the cap", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-31")
		f.site(1, 100, &QuietRules{MonthlyCap: 2}, "2025-03-05")
		f.request(1, "2025-03-10", "2025-03-14", false)
		f.request(1, "2025-03-17", "2025-03-21", false)
		plan := f.schedule()
		if len(plan.Visits) != 1 || plan.Stats.Unmet[ReasonCap] != 1 {
			t.Fatalf("%d visits, %d refused; want 1 and 1", len(plan.Visits), plan.Stats.Unmet[ReasonCap])
		}
		if u := plan.Unmet[0]; u.Proof == nil || u.Proof.Booked != 1 || u.Proof.Allowed != 1 {
			t.Errorf("proof %+v", u.Proof)
		}
	})
	t.Run("a visit moves to an earlier month to keep both within the cap", func(t *testing.T) {
		f := newFixture(t, "2025-01-01", "2025-02-28")
		f.site(1, 100, &QuietRules{MonthlyCap: 1})
		a := f.request(1, "2025-01-20", "2025-02-10", false)
		b := f.request(1, "2025-02-11", "2025-02-20", false)
		plan := f.schedule()
		if len(plan.Unmet) != 0 || len(plan.Visits) != 2 {
			t.Fatalf("unmet %+v, %d visits", plan.Unmet, len(plan.Visits))
		}
		if v, _ := visitOf(plan, a); v.Day.Month() != mustDate(t, "2025-01-31").Month() {
			t.Errorf("request %d visited on %s, want January", a, v.Day)
		}
		_ = b
	})
	t.Run("the caps regroup requests the cover put in one month", func(t *testing.T) {
		// Quiet days 1–15 and one visit a month. The cover visits on the
		// 22nd of May (serving a, b, c) and the 30th (d): two in May. Only
		// regrouping serves all: a alone in late April, b, c and d together
		// at the end of May.
		f := newFixture(t, "2025-04-01", "2025-06-30")
		f.site(1, 100, &QuietRules{Windows: []QuietWindow{{FirstDay: 1, LastDay: 15}}, MonthlyCap: 1})
		a := f.request(1, "2025-04-14", "2025-05-22", false)
		f.request(1, "2025-05-14", "2025-06-14", false)
		f.request(1, "2025-05-22", "2025-06-15", false)
		d := f.request(1, "2025-05-24", "2025-06-03", false)
		plan := f.schedule()
		if len(plan.Unmet) != 0 || len(plan.Visits) != 2 {
			t.Fatalf("unmet %+v, %d visits", plan.Unmet, len(plan.Visits))
		}
		va, _ := visitOf(plan, a)
		vd, _ := visitOf(plan, d)
		if va.Day.Month() == vd.Day.Month() || len(vd.Requests) != 3 {
			t.Errorf("visits %+v and %+v", va, vd)
		}
	})
	t.Run("yearly cap across the new year", func(t *testing.T) {
		f := newFixture(t, "2024-12-02", "2025-01-31")
		f.site(1, 100, &QuietRules{YearlyCap: 1}, "2024-03-01")
		late := f.request(1, "2024-12-02", "2025-01-31", false)
		plan := f.schedule()
		v, ok := visitOf(plan, late)
		if !ok || v.Day.Month().Year() != 2025 {
			t.Fatalf("visit %+v (found %v), want one in 2025 since 2024's visit is booked", v, ok)
		}
	})
	t.Run("exempt visits do not count and are flagged over the cap", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-31")
		f.site(1, 100, &QuietRules{MonthlyCap: 1})
		routine := f.request(1, "2025-03-03", "2025-03-07", false)
		accident := f.request(1, "2025-03-17", "2025-03-21", true)
		plan := f.schedule()
		if len(plan.Unmet) != 0 || len(plan.Visits) != 2 {
			t.Fatalf("unmet %+v, %d visits", plan.Unmet, len(plan.Visits))
		}
		if v, _ := visitOf(plan, accident); !v.ExemptOnly || !v.OverCap {
			t.Errorf("exempt visit %+v, want flagged over the cap", v)
		}
		if v, _ := visitOf(plan, routine); v.OverCap || v.ExemptOnly {
			t.Errorf("routine visit %+v", v)
		}
		if plan.Stats.CapBreak != 1 {
			t.Errorf("cap breaks %d", plan.Stats.CapBreak)
		}
	})
}

func TestScheduleCapacity(t *testing.T) {
	t.Run("one slot, two enterprises wanting the same single day", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-31")
		f.p.DailyCapacity = 1
		f.site(1, 100, nil)
		f.site(2, 100, nil)
		f.request(1, "2025-03-12", "2025-03-12", false)
		f.request(2, "2025-03-12", "2025-03-12", false)
		plan := f.schedule()
		if len(plan.Visits) != 1 || plan.Stats.Unmet[ReasonCapacity] != 1 {
			t.Fatalf("%d visits, %d refused for capacity", len(plan.Visits), plan.Stats.Unmet[ReasonCapacity])
		}
	})
	t.Run("taken slots are respected", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-31")
		f.p.DailyCapacity = 2
		f.p.Commissioners[100] = &Commissioner{DailyCapacity: 2, Taken: map[workday.Date]int{mustDate(t, "2025-03-14"): 2}}
		f.site(1, 100, nil)
		id := f.request(1, "2025-03-10", "2025-03-14", false)
		plan := f.schedule()
		if v, _ := visitOf(plan, id); v.Day != mustDate(t, "2025-03-13") {
			t.Errorf("visit on %s, want 2025-03-13 (14th is full)", v.Day)
		}
	})
	t.Run("an augmenting path moves visits off a day another one needs", func(t *testing.T) {
		// Enterprise 1 is quiet from the 18th to the 21st, so its request
		// may only be visited on the 17th or the 24th. The backward sweep
		// gives the 24th to enterprise 2 and the 17th to enterprise 4; only
		// moving 3 to the 20th and 2 to the 21st frees the 24th for 1.
		f := newFixture(t, "2025-03-17", "2025-03-24")
		f.p.DailyCapacity = 1
		f.site(1, 100, &QuietRules{Windows: []QuietWindow{{From: mustDate(t, "2025-03-18"), To: mustDate(t, "2025-03-21")}}})
		f.site(2, 100, nil)
		f.site(3, 100, nil)
		f.site(4, 100, nil)
		one := f.request(1, "2025-03-17", "2025-03-24", false)
		f.request(2, "2025-03-18", "2025-03-24", false)
		f.request(3, "2025-03-18", "2025-03-24", false)
		f.request(4, "2025-03-17", "2025-03-17", false)
		plan := f.schedule()
		if len(plan.Unmet) != 0 || len(plan.Visits) != 4 {
			t.Fatalf("unmet %+v, %d visits", plan.Unmet, len(plan.Visits))
		}
		if v, _ := visitOf(plan, one); v.Day != mustDate(t, "2025-03-24") {
			t.Errorf("enterprise 1 visited on %s", v.Day)
		}
	})
	t.Run("a joint visit loses a contested day before a single request does, and is split", func(t *testing.T) {
		f := newFixture(t, "2025-03-03", "2025-03-14")
		f.p.DailyCapacity = 1
		f.site(1, 100, nil)
		f.site(2, 100, nil)
		// Enterprise 2 holds the 7th, the only day both of 1's requests share.
		f.request(2, "2025-03-07", "2025-03-07", false)
		a := f.request(1, "2025-03-03", "2025-03-07", false)
		b := f.request(1, "2025-03-07", "2025-03-14", false)
		plan := f.schedule()
		if len(plan.Unmet) != 0 {
			t.Fatalf("unmet %+v", plan.Unmet)
		}
		va, _ := visitOf(plan, a)
		vb, _ := visitOf(plan, b)
		if va.Day == vb.Day {
			t.Fatalf("both on %s", va.Day)
		}
		if len(plan.Visits) != 3 || plan.LowerBound != 2 || plan.Stats.Split != 1 {
			t.Errorf("%d visits, lower bound %d, splits %d; want 3, 2, 1", len(plan.Visits), plan.LowerBound, plan.Stats.Split)
		}
	})
}

func TestScheduleTakesAlongRequestsNotYetDue(t *testing.T) {
	f := newFixture(t, "2025-03-03", "2025-03-31")
	f.site(1, 100, nil)
	due := f.request(1, "2025-03-10", "2025-03-20", false)
	along := f.request(1, "2025-03-18", "2025-05-30", false)
	later := f.request(1, "2025-04-01", "2025-05-30", false)
	plan := f.schedule()
	v, _ := visitOf(plan, due)
	if !slices.Equal(v.Requests, []int64{due, along}) {
		t.Errorf("visit carries %v, want %d and %d", v.Requests, due, along)
	}
	if !slices.Equal(plan.Deferred, []int64{later}) || plan.Stats.RideAlong != 1 {
		t.Errorf("deferred %v, ride-alongs %d", plan.Deferred, plan.Stats.RideAlong)
	}
}

func TestScheduleWithoutCommissioner(t *testing.T) {
	f := newFixture(t, "2025-03-03", "2025-03-31")
	f.site(1, 0, nil)
	id := f.request(1, "2025-03-03", "2025-03-14", false)
	f.request(2, "2025-03-03", "2025-03-14", false) // no site at all
	plan := f.schedule()
	if u, ok := unmetOf(plan, id); !ok || u.Reason != ReasonNoCommissioner {
		t.Errorf("unmet %+v", u)
	}
	if plan.Stats.Unmet[ReasonNoCommissioner] != 2 {
		t.Errorf("counted %d", plan.Stats.Unmet[ReasonNoCommissioner])
	}
}

func TestScheduleRejectsInvalidProblems(t *testing.T) {
	tests := []struct {
		name   string
		change func(f *fixture)
	}{
		{"horizon backwards", func(f *fixture) { f.p.To = f.p.From - 1 }},
		{"horizon of three years", func(f *fixture) { f.p.To = f.p.From + 3*366 }},
		{"no calendar", func(f *fixture) { f.p.Calendar = nil }},
		{"negative capacity", func(f *fixture) { f.p.DailyCapacity = -1 }},
		{"window backwards", func(f *fixture) { f.p.Demands[0].Latest = f.p.Demands[0].Earliest - 1 }},
		{"quiet days out of range", func(f *fixture) {
			f.p.Sites[1].Rules = &QuietRules{Windows: []QuietWindow{{FirstDay: 0, LastDay: 40}}}
		}},
		{"negative cap", func(f *fixture) { f.p.Sites[1].Rules = &QuietRules{MonthlyCap: -2} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, "2025-03-03", "2025-03-31")
			f.site(1, 100, nil)
			f.request(1, "2025-03-03", "2025-03-14", false)
			tt.change(f)
			if _, err := Solve(f.p); apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
		})
	}
}

// TestScheduleRandomProblemsKeepEveryRule runs random problems with tight
// capacity, quiet windows and caps through the plan checker, and without
// capacity or cap pressure checks that the plan reaches the brute-force
// minimum of every enterprise.
func TestScheduleRandomProblemsKeepEveryRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	rules := []*QuietRules{
		nil,
		daysOneToTwenty(),
		{Windows: []QuietWindow{{FirstDay: 1, LastDay: 10}}, MonthlyCap: 2},
		{MonthlyCap: 1, YearlyCap: 3},
		{Windows: []QuietWindow{{From: mustDate(t, "2025-03-10"), To: mustDate(t, "2025-03-21")}}, YearlyCap: 2},
	}
	for round := range 150 {
		f := newFixture(t, "2025-02-03", "2025-04-30")
		f.p.DailyCapacity = 1 + rng.IntN(2)
		for e := int64(1); e <= 12; e++ {
			var booked []string
			if rng.IntN(4) == 0 {
				booked = append(booked, "2025-02-05")
			}
			f.site(e, 100+e%3, rules[rng.IntN(len(rules))], booked...)
			for range rng.IntN(6) {
				start := f.p.From + workday.Date(rng.IntN(100)) - 5
				end := start + workday.Date(rng.IntN(30))
				f.request(e, start.String(), end.String(), rng.IntN(5) == 0)
			}
		}
		plan, err := Solve(f.p)
		if err != nil {
			t.Fatal(err)
		}
		checkPlan(t, f.p, plan)
		if t.Failed() {
			t.Fatalf("round %d failed", round)
		}
	}
}

func TestScheduleReachesTheMinimumWhenNothingBinds(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	for round := range 100 {
		f := newFixture(t, "2025-03-03", "2025-03-16") // two weeks: brute force stays cheap
		f.p.DailyCapacity = 100
		for e := int64(1); e <= 5; e++ {
			var rules *QuietRules
			if e%2 == 0 {
				rules = &QuietRules{Windows: []QuietWindow{{FirstDay: 5, LastDay: 11}}}
			}
			f.site(e, 100, rules)
			for range 1 + rng.IntN(6) {
				start := f.p.From + workday.Date(rng.IntN(14))
				end := min(f.p.To, start+workday.Date(rng.IntN(8)))
				f.request(e, start.String(), end.String(), rng.IntN(3) == 0)
			}
		}
		plan := f.schedule()
		// The same sites through the brute force.
		h := newHorizon(f.p)
		want := 0
		for e := int64(1); e <= 5; e++ {
			st := &siteState{id: e, commissioner: 100, quiet: h.quietDays(f.p.Sites[e].Rules)}
			for _, d := range f.p.Demands {
				if d.Enterprise == e {
					st.items = append(st.items, item{id: d.ID, s: h.index(d.Earliest), e: h.index(d.Latest), exempt: d.Exempt, due: true})
				}
			}
			st.locate(h)
			var idx []int
			for i := range st.items {
				if st.items[i].last >= 0 {
					idx = append(idx, i)
				}
			}
			want += bruteForceMin(h, st, idx)
		}
		if len(plan.Visits) != want || plan.LowerBound != want {
			t.Fatalf("round %d: %d visits, lower bound %d; brute force %d", round, len(plan.Visits), plan.LowerBound, want)
		}
	}
}
