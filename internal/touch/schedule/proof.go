package schedule

import (
	"slices"
)

// capProof looks for the proof that a cap refusal could not be avoided: a
// span of months around the refused item's permitted days holding more
// pairwise disjoint routine requests (each needs a routine visit of its
// own, inside the span) than the caps allow there. It tries the shortest
// spans first and returns nil when no span proves it: then the refusal
// follows from how the cover grouped the requests, not from the caps alone.
func capProof(h *horizon, st *siteState, it *item, routine []int) *CapProof {
	q := st.quota
	lo, hi := h.month[it.first], h.month[it.last]
	// The routine requests by last permitted day, for the disjoint sets.
	sorted := slices.Clone(routine)
	slices.SortFunc(sorted, func(a, b int) int { return st.items[a].last - st.items[b].last })
	for width := hi - lo + 1; width <= len(h.months); width++ {
		for a := max(0, hi-width+1); a <= lo && a+width-1 < len(h.months); a++ {
			b := a + width - 1
			allowed, booked := spanAllowance(h, q, a, b)
			if allowed >= unlimited {
				continue
			}
			var disjoint []int64
			end := -1
			for _, i := range sorted {
				r := &st.items[i]
				if h.month[r.first] < a || h.month[r.last] > b || r.first <= end {
					continue
				}
				disjoint = append(disjoint, r.id)
				end = r.last
			}
			if len(disjoint) > allowed {
				slices.Sort(disjoint)
				return &CapProof{From: h.months[a], To: h.months[b], Allowed: allowed, Booked: booked, Disjoint: disjoint}
			}
		}
	}
	return nil
}

// spanAllowance returns how many routine visits the caps allowed in the
// horizon months a..b before planning, and the booked visits that the
// binding cap counted.
func spanAllowance(h *horizon, q *quota, a, b int) (allowed, booked int) {
	byMonth, bookedMonths := 0, 0
	for m := a; m <= b; m++ {
		byMonth = min(unlimited, byMonth+q.monthAllowed[m])
		bookedMonths += q.monthBooked[m]
	}
	byYear, bookedYears := 0, 0
	var years []int
	for m := a; m <= b; m++ {
		if y := h.months[m].Year(); !slices.Contains(years, y) {
			years = append(years, y)
			byYear = min(unlimited, byYear+q.yearAllowed[y])
			bookedYears += q.yearBooked[y]
		}
	}
	if byYear < byMonth {
		return byYear, bookedYears
	}
	return byMonth, bookedMonths
}
