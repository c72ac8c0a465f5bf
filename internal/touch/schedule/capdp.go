package schedule

import (
	"slices"
)

// replanRoutine looks for the fewest routine visits that serve every one of
// the routine items (due, each with an open day) within the caps, deciding
// month by month, and returns their days, or false when the caps cannot
// hold them all.
//
// The cover-then-caps steps can fail where a plan exists: the cover groups
// requests before it knows the caps, and another grouping of the same size
// (or one more visit) may fit the months. This search fits them together.
// Routine items all use the open days, so what the months before leave
// open is captured by one number: the earliest last day among the items
// started but not yet visited (any later visit on or before it serves them
// all). In each month the items that end in it are covered greedily, latest
// day first, which is the fewest visits and leaves the fewest started items
// open; the only other choice worth making is one more visit on the month's
// last open day, which serves every started item. The states are (that
// number, the visits used in the year so far), few enough to search them
// all.
func replanRoutine(h *horizon, st *siteState, routine []int) ([]int, bool) {
	q := st.quota
	nm := len(h.months)
	start, end, lastOpen := make([]int, nm), make([]int, nm), make([]int, nm)
	for m := range nm {
		start[m], end[m], lastOpen[m] = -1, -1, -1
	}
	for d := range h.days() {
		m := h.month[d]
		if start[m] < 0 {
			start[m] = d
		}
		end[m] = d
		if st.open(h, d) {
			lastOpen[m] = d
		}
	}
	startingIn := make([][]int, nm)
	for _, i := range routine {
		it := &st.items[i]
		startingIn[h.month[it.first]] = append(startingIn[h.month[it.first]], i)
	}
	// A state is the earliest last day of the items left open (never for
	// none) and the visits used in the year so far.
	type state struct{ open, used int }
	type step struct {
		from state
		days []int
	}
	cost := map[state]int{{open: never}: 0}
	var trail []map[state]step // per month: how each state was reached
	for m := range nm {
		year := h.months[m].Year()
		newYear := m > 0 && h.months[m-1].Year() != year
		next := map[state]int{}
		how := map[state]step{}
		for s, c := range cost {
			if s.open < start[m] {
				continue // an item ended without a visit
			}
			used := s.used
			if newYear {
				used = 0
			}
			days, left := coverMonth(st, s.open, end[m], startingIn[m])
			options := []step{{from: s, days: days}}
			openAfter := []int{left}
			if lastOpen[m] >= 0 && (len(days) == 0 || lastOpen[m] > days[len(days)-1]) {
				options = append(options, step{from: s, days: append(slices.Clone(days), lastOpen[m])})
				openAfter = append(openAfter, never)
			}
			for o, opt := range options {
				k := len(opt.days)
				if k > q.monthAllowed[m] || used+k > q.yearAllowed[year] {
					continue
				}
				ns := state{open: openAfter[o], used: used + k}
				if q.yearAllowed[year] >= unlimited {
					ns.used = 0 // no yearly cap: the count does not matter
				}
				if old, ok := next[ns]; !ok || c+k < old || c+k == old && earlier(opt.days, opt.from.open, how[ns].days, how[ns].from.open) {
					next[ns] = c + k
					how[ns] = opt
				}
			}
		}
		cost = next
		trail = append(trail, how)
	}
	best, found := state{}, false
	for s, c := range cost {
		if s.open == never && (!found || c < cost[best] || c == cost[best] && s.used < best.used) {
			best, found = s, true
		}
	}
	if !found {
		return nil, false
	}
	var days []int
	for m := nm - 1; m >= 0; m-- {
		st := trail[m][best]
		days = append(days, st.days...)
		best = st.from
	}
	slices.Sort(days)
	return days, true
}

// earlier orders equal-cost steps, so that the plan does not depend on the
// order maps are walked in.
func earlier(a []int, aOpen int, b []int, bOpen int) bool {
	if c := slices.Compare(a, b); c != 0 {
		return c < 0
	}
	return aOpen < bOpen
}

// coverMonth covers, latest day first, what must be visited by the end of
// the month: the items left open before (when their earliest last day,
// open, falls in the month) and the items starting in the month that end
// in it. It returns the days and the earliest last day of the items it
// leaves open, never when none.
func coverMonth(st *siteState, open, monthEnd int, starting []int) ([]int, int) {
	type span struct{ first, last int }
	var required []span
	if open <= monthEnd {
		required = append(required, span{-1, open})
	}
	for _, i := range starting {
		if it := &st.items[i]; it.last <= monthEnd {
			required = append(required, span{it.first, it.last})
		}
	}
	slices.SortFunc(required, func(a, b span) int { return a.last - b.last })
	var days []int
	for _, r := range required {
		if n := len(days); n > 0 && r.first <= days[n-1] {
			continue
		}
		days = append(days, r.last)
	}
	left := never
	if open > monthEnd && len(days) == 0 {
		left = open
	}
	for _, i := range starting {
		it := &st.items[i]
		if it.last <= monthEnd {
			continue
		}
		if len(days) == 0 || it.first > days[len(days)-1] {
			left = min(left, it.last)
		}
	}
	return days, left
}
