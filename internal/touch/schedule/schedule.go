package schedule

import (
	"cmp"
	"slices"
)

// Solve plans the problem's on-site requests into joint visits; see the
// package documentation for how. The problem is checked first; an invalid
// one is an apperr.Invalid error naming what is wrong.
func Solve(p *Problem) (*Plan, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	h := newHorizon(p)
	s := &scheduler{p: p, h: h, plan: &Plan{From: p.From, To: p.To, Stats: Stats{Unmet: map[Reason]int{}}}}
	s.gather()
	for _, st := range s.sites {
		s.coverSite(st)
	}
	s.placeOnDesks()
	for _, st := range s.sites {
		s.takeAlong(st)
	}
	s.finish()
	return s.plan, nil
}

type scheduler struct {
	p     *Problem
	h     *horizon
	plan  *Plan
	sites []*siteState // by enterprise id
	// changed marks enterprises whose served requests are no longer those
	// of their cover (refusals, splits): their minimum is computed again.
	changed map[*siteState]bool
}

// gather groups the demands by enterprise and sorts out those that cannot
// be planned at all.
func (s *scheduler) gather() {
	s.changed = map[*siteState]bool{}
	order := make([]int, len(s.p.Demands))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(s.p.Demands[a].Enterprise, s.p.Demands[b].Enterprise), cmp.Compare(a, b))
	})
	for start := 0; start < len(order); {
		end := start
		ent := s.p.Demands[order[start]].Enterprise
		for end < len(order) && s.p.Demands[order[end]].Enterprise == ent {
			end++
		}
		s.gatherSite(ent, order[start:end])
		start = end
	}
}

func (s *scheduler) gatherSite(ent int64, demands []int) {
	p, h := s.p, s.h
	site := p.Sites[ent]
	st := &siteState{id: ent}
	if site != nil {
		st.commissioner = site.Commissioner
		st.rules = site.Rules
		st.quiet = h.quietDays(site.Rules)
	}
	for _, i := range demands {
		d := &p.Demands[i]
		switch {
		case d.Latest < p.From:
			s.unmet(d.ID, ent, ReasonExpired, nil)
			continue
		case d.Earliest > p.To:
			s.plan.Deferred = append(s.plan.Deferred, d.ID)
			continue
		}
		due := d.Latest <= p.To
		if due {
			s.plan.Stats.Due++
		}
		if st.commissioner == 0 {
			if due {
				s.unmet(d.ID, ent, ReasonNoCommissioner, nil)
			} else {
				s.plan.Deferred = append(s.plan.Deferred, d.ID)
			}
			continue
		}
		st.items = append(st.items, item{
			demand: i, id: d.ID, exempt: d.Exempt, due: due, minutes: d.Minutes,
			s: h.index(max(d.Earliest, p.From)), e: h.index(min(d.Latest, p.To)),
		})
	}
	if len(st.items) == 0 {
		return
	}
	st.locate(h)
	if st.rules.Capped() {
		st.quota = newQuota(h, st, site.Booked)
	}
	s.sites = append(s.sites, st)
}

func (s *scheduler) unmet(id, ent int64, r Reason, proof *CapProof) {
	s.plan.Unmet = append(s.plan.Unmet, Unmet{Request: id, Enterprise: ent, Reason: r, Proof: proof})
	s.plan.Stats.Unmet[r]++
}

// coverSite finds the enterprise's fewest visits and fits them to its caps.
func (s *scheduler) coverSite(st *siteState) {
	h := s.h
	var due, routine []int
	for i := range st.items {
		it := &st.items[i]
		if !it.due {
			continue
		}
		if it.last < 0 {
			if st.hasWorkday(h, it) {
				s.unmet(it.id, st.id, ReasonQuiet, nil)
			} else {
				s.unmet(it.id, st.id, ReasonNoWorkday, nil)
			}
			continue
		}
		due = append(due, i)
		if !it.exempt {
			routine = append(routine, i)
		}
	}
	if len(due) == 0 {
		return
	}
	days, serve, proven := cover(h, st, due)
	if !proven {
		s.plan.Unproven++
	}
	groups := make([][]int, len(days))
	for k, i := range due {
		groups[serve[k]] = append(groups[serve[k]], i)
	}
	var capped []*visit
	var cappedDays []int
	for k, g := range groups {
		v := newVisit(st, g)
		st.visits = append(st.visits, v)
		if v.routine && st.quota != nil {
			capped = append(capped, v)
			cappedDays = append(cappedDays, days[k])
		}
	}
	if st.quota == nil {
		return
	}
	left := assignMonths(h, st, capped, cappedDays)
	var refused []refusal
	for _, v := range left {
		refused = append(refused, s.refuseForCap(st, v, routine)...)
	}
	if slices.ContainsFunc(refused, func(r refusal) bool { return r.proof == nil }) {
		// A refusal without proof may come from how the cover grouped
		// the requests: look for a plan of the routine requests that fits
		// the caps from the start.
		if days, ok := replanRoutine(h, st, routine); ok {
			s.rebuildCapped(st, due, routine, days)
			return
		}
	}
	for _, r := range refused {
		s.unmet(st.items[r.item].id, st.id, ReasonCap, r.proof)
	}
}

// refusal is a routine item the caps leave without a visit, with the
// proof that no plan could avoid it when there is one.
type refusal struct {
	item  int
	proof *CapProof
}

// rebuildCapped replaces the enterprise's visits by routine visits on the
// days replanRoutine found, each held to its month, and visits for the
// exempt items that no routine visit can take.
func (s *scheduler) rebuildCapped(st *siteState, due, routine []int, days []int) {
	h := s.h
	for _, v := range st.visits {
		if v.routine && v.month >= 0 {
			st.quota.give(h, v.month)
		}
	}
	st.visits = nil
	groups := make([][]int, len(days))
	for _, i := range routine {
		k := latestServing(h, st, &st.items[i], days)
		groups[k] = append(groups[k], i)
	}
	for k, g := range groups {
		if len(g) == 0 {
			continue
		}
		v := newVisit(st, g)
		v.month = h.month[days[k]]
		st.quota.take(h, v.month)
		clipToMonth(h, v)
		st.visits = append(st.visits, v)
	}
	var exempt []int
	for _, i := range due {
		it := &st.items[i]
		if !it.exempt {
			continue
		}
		if w := joinable(h, st, it); w != nil {
			w.items = append(w.items, i)
			w.lo, w.hi = max(w.lo, it.first), min(w.hi, it.last)
			continue
		}
		exempt = append(exempt, i)
	}
	if len(exempt) > 0 {
		days, serve, _ := cover(h, st, exempt)
		groups := make([][]int, len(days))
		for k, i := range exempt {
			groups[serve[k]] = append(groups[serve[k]], i)
		}
		for _, g := range groups {
			st.visits = append(st.visits, newVisit(st, g))
		}
	}
	s.changed[st] = true
}

// refuseForCap handles a routine visit the caps leave no month for. Its
// requests often permit more days than the joint visit did: each routine
// request joins another routine visit that can take it, or gets a visit of
// its own in a month of its window that still has allowance, or is
// returned as refused; its exempt requests keep a visit of their own.
func (s *scheduler) refuseForCap(st *siteState, v *visit, routine []int) []refusal {
	h := s.h
	s.changed[st] = true
	st.visits = slices.DeleteFunc(st.visits, func(w *visit) bool { return w == v })
	items := slices.Clone(v.items)
	slices.SortFunc(items, func(a, b int) int { return st.items[a].last - st.items[b].last })
	var exempt []int
	var refused []refusal
	for _, i := range items {
		it := &st.items[i]
		if it.exempt {
			exempt = append(exempt, i)
			continue
		}
		if w := joinable(h, st, it); w != nil {
			w.items = append(w.items, i)
			w.lo, w.hi = max(w.lo, it.first), min(w.hi, it.last)
			continue
		}
		if u := ownMonth(h, st, i); u != nil {
			st.visits = append(st.visits, u)
			continue
		}
		refused = append(refused, refusal{item: i, proof: capProof(h, st, it, routine)})
	}
	if len(exempt) > 0 {
		st.visits = append(st.visits, newVisit(st, exempt))
	}
	return refused
}

// ownMonth returns a visit for the routine item alone, held to the latest
// month of its window that the caps still allow, or nil.
func ownMonth(h *horizon, st *siteState, i int) *visit {
	u := newVisit(st, []int{i})
	for d := u.hi; d >= u.lo; d-- {
		if m := h.month[d]; st.open(h, d) && st.quota.has(h, m) {
			u.month = m
			st.quota.take(h, m)
			clipToMonth(h, u)
			return u
		}
	}
	return nil
}

// joinable returns a routine visit held to a month whose range overlaps the
// routine item's permitted days, or nil.
func joinable(h *horizon, st *siteState, it *item) *visit {
	for _, w := range st.visits {
		if !w.routine || w.month < 0 {
			continue
		}
		lo, hi := max(w.lo, it.first), min(w.hi, it.last)
		for d := lo; d <= hi; d++ {
			if w.allows(h, d) {
				return w
			}
		}
	}
	return nil
}

// placeOnDesks gives every visit a day within its commissioner's capacity.
func (s *scheduler) placeOnDesks() {
	byDesk := map[int64][]*visit{}
	var commissioners []int64
	for _, st := range s.sites {
		for _, v := range st.visits {
			if _, ok := byDesk[st.commissioner]; !ok {
				commissioners = append(commissioners, st.commissioner)
			}
			byDesk[st.commissioner] = append(byDesk[st.commissioner], v)
		}
	}
	slices.Sort(commissioners)
	for _, c := range commissioners {
		dk := newDesk(s.h, s.p, c)
		for _, v := range dk.placeAll(byDesk[c]) {
			if !dk.augment(v) {
				s.split(dk, v)
			}
		}
	}
}

// split handles a joint visit the commissioner has no day for: each of its
// requests joins another visit of the enterprise on a day it permits, or
// gets a visit of its own if a day can be found, or is refused.
func (s *scheduler) split(dk *desk, v *visit) {
	h, st := s.h, v.site
	s.plan.Stats.Split++
	s.changed[st] = true
	st.visits = slices.DeleteFunc(st.visits, func(w *visit) bool { return w == v })
	if v.routine && v.month >= 0 && !v.floating {
		st.quota.give(h, v.month)
	}
	items := slices.Clone(v.items)
	slices.SortFunc(items, func(a, b int) int { return st.items[a].last - st.items[b].last })
	for _, i := range items {
		it := &st.items[i]
		if w := placedFor(h, st, it); w != nil {
			w.items = append(w.items, i)
			continue
		}
		u := newVisit(st, []int{i})
		u.floating = u.routine && st.quota != nil
		if dk.augment(u) {
			st.visits = append(st.visits, u)
			continue
		}
		s.unmet(it.id, st.id, ReasonCapacity, nil)
	}
}

// placedFor returns a placed visit of the enterprise that the request can
// join without breaking a rule: on a day it permits, and routine already
// if the request is routine. A visit it joins keeps its day; its range
// narrows to the request's.
func placedFor(h *horizon, st *siteState, it *item) *visit {
	for _, w := range st.visits {
		if w.day < it.first || w.day > it.last || !st.permits(h, it, w.day) {
			continue
		}
		if !it.exempt && !w.routine {
			continue
		}
		w.lo, w.hi = max(w.lo, it.first), min(w.hi, it.last)
		return w
	}
	return nil
}

// takeAlong puts requests not yet due on planned visits that fall in their
// windows; the others wait for a later plan.
func (s *scheduler) takeAlong(st *siteState) {
	h := s.h
	for i := range st.items {
		it := &st.items[i]
		if it.due {
			continue
		}
		joined := false
		if it.last >= 0 {
			for _, w := range st.visits {
				if w.day >= it.first && w.day <= it.last && st.permits(h, it, w.day) && (it.exempt || w.routine) {
					// The visit may then move only where this request can follow.
					w.items = append(w.items, i)
					w.lo, w.hi = max(w.lo, it.first), min(w.hi, it.last)
					joined = true
					s.plan.Stats.RideAlong++
					break
				}
			}
		}
		if !joined {
			s.plan.Deferred = append(s.plan.Deferred, it.id)
		}
	}
}

// finish writes the visits, the lower bound and the counts into the plan.
func (s *scheduler) finish() {
	h, plan := s.h, s.plan
	for _, st := range s.sites {
		routineIn := map[int]int{} // planned routine visits by horizon month
		routineYear := map[int]int{}
		for _, v := range st.visits {
			if v.routine {
				routineIn[h.month[v.day]]++
				routineYear[h.months[h.month[v.day]].Year()]++
			}
		}
		var served []int
		for _, v := range st.visits {
			out := Visit{Enterprise: st.id, Commissioner: st.commissioner, Day: h.date(v.day), ExemptOnly: !v.routine}
			lo, hi := v.day, v.day
			for d := v.day - 1; d >= v.lo && d >= 0; d-- {
				if v.allows(h, d) {
					lo = d
				}
			}
			for d := v.day + 1; d <= v.hi && d < h.days(); d++ {
				if v.allows(h, d) {
					hi = d
				}
			}
			out.Earliest, out.Latest = h.date(lo), h.date(hi)
			for _, i := range v.items {
				it := &st.items[i]
				out.Requests = append(out.Requests, it.id)
				out.Minutes += it.minutes
				if it.due {
					served = append(served, i)
				}
			}
			slices.Sort(out.Requests)
			if !v.routine {
				plan.Stats.ExemptOnly++
				out.Quiet = st.quiet != nil && st.quiet[v.day]
				out.OverCap = s.overCap(st, v.day, routineIn, routineYear)
				if out.Quiet {
					plan.Stats.QuietBreak++
				}
				if out.OverCap {
					plan.Stats.CapBreak++
				}
			}
			plan.Visits = append(plan.Visits, out)
		}
		plan.Stats.Served += len(served)
		if !s.changed[st] {
			plan.LowerBound += len(st.visits)
			continue
		}
		if len(served) > 0 {
			days, _, proven := cover(h, st, served)
			plan.LowerBound += len(days)
			if !proven {
				plan.Unproven++
			}
		}
	}
	slices.SortFunc(plan.Visits, func(a, b Visit) int {
		return cmp.Or(cmp.Compare(a.Commissioner, b.Commissioner), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Enterprise, b.Enterprise))
	})
	slices.SortFunc(plan.Unmet, func(a, b Unmet) int { return cmp.Compare(a.Request, b.Request) })
	slices.Sort(plan.Deferred)
}

// overCap reports whether an exempt visit on day d lands in a month or year
// whose routine visits, booked and planned, already reach the cap.
func (s *scheduler) overCap(st *siteState, d int, routineIn, routineYear map[int]int) bool {
	if st.quota == nil {
		return false
	}
	h, r, q := s.h, st.rules, st.quota
	m := h.month[d]
	y := h.months[m].Year()
	if r.MonthlyCap > 0 && q.monthBooked[m]+routineIn[m] >= r.MonthlyCap {
		return true
	}
	return r.YearlyCap > 0 && q.yearBooked[y]+routineYear[y] >= r.YearlyCap
}
