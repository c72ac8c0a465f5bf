package schedule

// item is one demand of an enterprise, in horizon days.
type item struct {
	demand int // index in Problem.Demands
	id     int64
	s, e   int // the window clipped to the horizon
	exempt bool
	due    bool
	// first and last are the earliest and latest permitted days in [s, e]
	// (working days, and not quiet unless exempt); last is -1 when there is
	// none. lastOpen is the latest open day in [s, e] for exempt requests,
	// -1 when none: the other day an exempt request's visit may be
	// usefully placed on, where non-exempt requests can join it.
	first, last int
	lastOpen    int
	minutes     int
}

// siteState is an enterprise being planned.
type siteState struct {
	id           int64
	commissioner int64
	rules        *QuietRules
	quiet        []bool // nil: no quiet day in the horizon
	items        []item
	quota        *quota // nil: no caps
	visits       []*visit
}

// open reports whether day d is a working day outside the quiet windows.
func (st *siteState) open(h *horizon, d int) bool {
	return h.work[d] && (st.quiet == nil || !st.quiet[d])
}

// permits reports whether the request may be visited on day d.
func (st *siteState) permits(h *horizon, it *item, d int) bool {
	if it.exempt {
		return h.work[d]
	}
	return st.open(h, d)
}

// locate fills the permitted days of every item.
func (st *siteState) locate(h *horizon) {
	for i := range st.items {
		it := &st.items[i]
		it.first, it.last, it.lastOpen = -1, -1, -1
		for d := it.e; d >= it.s; d-- {
			if st.permits(h, it, d) {
				it.last = d
				break
			}
		}
		if it.last < 0 {
			continue
		}
		for d := it.s; d <= it.last; d++ {
			if st.permits(h, it, d) {
				it.first = d
				break
			}
		}
		if it.exempt {
			for d := it.last; d >= it.s; d-- {
				if st.open(h, d) {
					it.lastOpen = d
					break
				}
			}
		}
	}
}

// hasWorkday reports whether the item's window holds a working day at all.
func (st *siteState) hasWorkday(h *horizon, it *item) bool {
	for d := it.s; d <= it.e; d++ {
		if h.work[d] {
			return true
		}
	}
	return false
}
