package schedule

// visit is a joint visit being planned.
type visit struct {
	site  *siteState
	items []int // indices in site.items, due requests first
	// lo and hi bound the days the visit may take: every due item on it
	// permits the days between that are open (or working, for a visit of
	// exempt items only).
	lo, hi  int
	routine bool // carries a non-exempt request: counts against caps
	// month is the horizon month the caps hold a routine visit to, -1 when
	// it is free to move; floating visits take their month's allowance
	// when placed instead (visits made when a joint visit is split).
	month    int
	floating bool
	day      int // -1 until placed
	onPath   bool
}

func newVisit(st *siteState, items []int) *visit {
	v := &visit{site: st, items: items, lo: 0, hi: never, month: -1, day: -1}
	for _, i := range items {
		it := &st.items[i]
		v.lo = max(v.lo, it.first)
		v.hi = min(v.hi, it.last)
		if !it.exempt {
			v.routine = true
		}
	}
	return v
}

// allows reports whether the visit may be held on day d, its month's
// allowance aside for a floating visit.
func (v *visit) allows(h *horizon, d int) bool {
	if d < v.lo || d > v.hi || !h.work[d] {
		return false
	}
	if v.routine && !v.site.open(h, d) {
		return false
	}
	if v.month >= 0 && !v.floating && h.month[d] != v.month {
		return false
	}
	if v.floating && !(v.day >= 0 && h.month[v.day] == h.month[d]) && !v.site.quota.has(h, h.month[d]) {
		return false
	}
	return true
}

// splittable reports whether the visit carries several requests and one of
// them permits days outside the visit's range.
func (v *visit) splittable() bool {
	if len(v.items) < 2 {
		return false
	}
	for _, i := range v.items {
		if it := &v.site.items[i]; it.first < v.lo || it.last > v.hi {
			return true
		}
	}
	return false
}
