package schedule

import (
	"slices"
	"sort"
)

// maxExactGroup bounds the overlapping requests the exact search takes at
// once: it costs the cube of the candidate days, and a group this large
// under mixed permitted days is not a realistic enterprise.
const maxExactGroup = 300

// cover returns the fewest days that visit every item of idx (indices into
// st.items, each with a permitted day), ascending, and for each item of idx
// the index in days of the day serving it. proven is false when a group was
// too large for the exact search and was covered greedily.
func cover(h *horizon, st *siteState, idx []int) (days []int, serve []int, proven bool) {
	if !mixed(h, st, idx) {
		days, serve = coverUniform(st, idx)
		return days, serve, true
	}
	proven = true
	serve = make([]int, len(idx))
	var chosen []int
	for _, group := range overlapping(st, idx) {
		if len(group) > maxExactGroup {
			chosen = append(chosen, coverMixedGreedy(h, st, group)...)
			proven = false
			continue
		}
		chosen = append(chosen, coverMixedExact(h, st, group)...)
	}
	slices.Sort(chosen)
	for k, i := range idx {
		serve[k] = latestServing(h, st, &st.items[i], chosen)
	}
	return chosen, serve, proven
}

// mixed reports whether the items may use different days: some are exempt
// and may use a quiet working day of their window that the others may not.
func mixed(h *horizon, st *siteState, idx []int) bool {
	if st.quiet == nil {
		return false
	}
	routine, exemptOnQuiet := false, false
	for _, i := range idx {
		it := &st.items[i]
		if !it.exempt {
			routine = true
			continue
		}
		if !exemptOnQuiet {
			for d := it.first; d <= it.last; d++ {
				if h.work[d] && st.quiet[d] {
					exemptOnQuiet = true
					break
				}
			}
		}
	}
	return routine && exemptOnQuiet
}

// coverUniform is the greedy for items that all may use the same days:
// by last permitted day, a new visit on the last permitted day of each item
// the visits so far miss.
func coverUniform(st *siteState, idx []int) (days []int, serve []int) {
	order := make([]int, len(idx))
	for k := range order {
		order[k] = k
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := &st.items[idx[order[a]]], &st.items[idx[order[b]]]
		if x.last != y.last {
			return x.last < y.last
		}
		return x.first < y.first
	})
	serve = make([]int, len(idx))
	for _, k := range order {
		it := &st.items[idx[k]]
		if n := len(days); n > 0 && it.first <= days[n-1] {
			serve[k] = n - 1
			continue
		}
		days = append(days, it.last)
		serve[k] = len(days) - 1
	}
	return days, serve
}

// overlapping splits items into groups whose permitted spans [first, last]
// chain into each other; no day serves items of two groups.
func overlapping(st *siteState, idx []int) [][]int {
	sorted := slices.Clone(idx)
	slices.SortFunc(sorted, func(a, b int) int { return st.items[a].first - st.items[b].first })
	var groups [][]int
	end := -1
	for _, i := range sorted {
		it := &st.items[i]
		if len(groups) == 0 || it.first > end {
			groups = append(groups, nil)
			end = it.last
		}
		end = max(end, it.last)
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	return groups
}

const never = int(^uint(0) >> 1)

// coverMixedExact finds the fewest days for a group whose items may use
// different days: exempt items any working day of their window, the others
// only open days.
//
// Only a few days need to be considered: in a minimal cover, each day can be
// moved later, keeping every item it serves, until it is some item's last
// permitted day, or, for a day that stays open, an exempt item's last open
// day. Over those candidates, a cover is valid exactly when no exempt item
// falls between two consecutive chosen days and no other item falls between
// two consecutive chosen open days; the state after choosing a day is
// therefore the pair (last chosen day, last chosen open day), and a dynamic
// programme over the pairs finds the minimum in O(m³) for m candidates.
func coverMixedExact(h *horizon, st *siteState, group []int) []int {
	var cand []int
	for _, i := range group {
		it := &st.items[i]
		cand = append(cand, it.last)
		if it.exempt && it.lastOpen >= it.first {
			cand = append(cand, it.lastOpen)
		}
	}
	slices.Sort(cand)
	cand = slices.Compact(cand)
	m := len(cand)
	open := make([]bool, m)
	for c, d := range cand {
		open[c] = st.open(h, d)
	}
	// after[a+1]: the smallest last day of an item starting after candidate
	// a (a = -1: before every candidate), exempt and routine apart.
	exemptAfter := make([]int, m+1)
	routineAfter := make([]int, m+1)
	for a := -1; a < m; a++ {
		pos := -1
		if a >= 0 {
			pos = cand[a]
		}
		e, r := never, never
		for _, i := range group {
			it := &st.items[i]
			if it.first <= pos {
				continue
			}
			if it.exempt {
				e = min(e, it.last)
			} else {
				r = min(r, it.last)
			}
		}
		exemptAfter[a+1], routineAfter[a+1] = e, r
	}
	// State (a, b): a the last chosen candidate, b the last chosen open one,
	// each shifted by one so that 0 is "none yet".
	w := m + 1
	cost := make([]int32, w*w)
	from := make([]int32, w*w)
	for k := range cost {
		cost[k] = -1
	}
	cost[0] = 0
	best, bestState := int32(-1), -1
	for a := 0; a <= m; a++ {
		for b := 0; b <= a; b++ {
			s := a*w + b
			if cost[s] < 0 {
				continue
			}
			if exemptAfter[a] == never && routineAfter[b] == never && (best < 0 || cost[s] < best) {
				best, bestState = cost[s], s
			}
			limit := exemptAfter[a]
			for c := a; c < m && cand[c] <= limit; c++ { // candidate c is state index c+1
				next := (c+1)*w + b
				if open[c] {
					if routineAfter[b] < cand[c] {
						continue
					}
					next = (c+1)*w + c + 1
				}
				if cost[next] < 0 || cost[s]+1 < cost[next] {
					cost[next], from[next] = cost[s]+1, int32(s)
				}
			}
		}
	}
	var days []int
	for s := bestState; s > 0; s = int(from[s]) {
		days = append(days, cand[s/w-1])
	}
	slices.Reverse(days)
	return days
}

// coverMixedGreedy covers a group too large for the exact search: by last
// permitted day, each item a chosen day misses gets a visit on its last
// permitted day. It is a cover, not a proven minimum.
func coverMixedGreedy(h *horizon, st *siteState, group []int) []int {
	sorted := slices.Clone(group)
	slices.SortFunc(sorted, func(a, b int) int { return st.items[a].last - st.items[b].last })
	var days []int
	for _, i := range sorted {
		it := &st.items[i]
		if latestServing(h, st, it, days) < 0 {
			days = append(days, it.last)
			slices.Sort(days)
		}
	}
	return days
}

// latestServing returns the index of the latest day of days (ascending)
// that may serve it, or -1.
func latestServing(h *horizon, st *siteState, it *item, days []int) int {
	k, _ := slices.BinarySearch(days, it.last+1)
	for k--; k >= 0 && days[k] >= it.first; k-- {
		if st.permits(h, it, days[k]) {
			return k
		}
	}
	return -1
}
