package schedule

import (
	"slices"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// unlimited stands for "no cap" in allowance arithmetic.
const unlimited = 1 << 30

// quota is what an enterprise's caps still allow over the horizon.
type quota struct {
	monthLeft    []int       // by horizon month
	yearLeft     map[int]int // by year
	monthAllowed []int       // monthLeft before planning, for proofs
	yearAllowed  map[int]int
	monthBooked  []int
	yearBooked   map[int]int
}

func newQuota(h *horizon, st *siteState, booked []workday.Date) *quota {
	r := st.rules
	q := &quota{
		monthLeft:   make([]int, len(h.months)),
		yearLeft:    map[int]int{},
		monthBooked: make([]int, len(h.months)),
		yearBooked:  map[int]int{},
	}
	for _, d := range booked {
		y := d.Month().Year()
		q.yearBooked[y]++
		if h.contains(d) {
			q.monthBooked[h.month[h.index(d)]]++
		} else if i, ok := slices.BinarySearch(h.months, d.Month()); ok {
			q.monthBooked[i]++ // a day of a horizon month outside the horizon
		}
	}
	for i, m := range h.months {
		q.monthLeft[i] = unlimited
		if r.MonthlyCap > 0 {
			q.monthLeft[i] = max(0, r.MonthlyCap-q.monthBooked[i])
		}
		y := m.Year()
		if _, done := q.yearLeft[y]; !done {
			q.yearLeft[y] = unlimited
			if r.YearlyCap > 0 {
				q.yearLeft[y] = max(0, r.YearlyCap-q.yearBooked[y])
			}
		}
	}
	q.monthAllowed = slices.Clone(q.monthLeft)
	q.yearAllowed = make(map[int]int, len(q.yearLeft))
	for y, n := range q.yearLeft {
		q.yearAllowed[y] = n
	}
	return q
}

func (q *quota) has(h *horizon, m int) bool {
	return q != nil && q.monthLeft[m] > 0 && q.yearLeft[h.months[m].Year()] > 0
}

func (q *quota) take(h *horizon, m int) {
	if q != nil {
		q.monthLeft[m]--
		q.yearLeft[h.months[m].Year()]--
	}
}

func (q *quota) give(h *horizon, m int) {
	if q != nil {
		q.monthLeft[m]++
		q.yearLeft[h.months[m].Year()]++
	}
}

// assignMonths holds each routine visit to a month within the caps, as many
// as a maximum flow visit → month → year allows, preferring the month of
// the day the cover chose. It returns the visits that got no month.
func assignMonths(h *horizon, st *siteState, routine []*visit, chosen []int) []*visit {
	q := st.quota
	if len(routine) == 0 {
		return nil
	}
	need := len(routine)
	slack := true
	for m := range h.months {
		if q.monthLeft[m] < need || q.yearLeft[h.months[m].Year()] < need {
			slack = false
			break
		}
	}
	if slack {
		return nil // no cap can bind: the visits stay free to move
	}
	var years []int
	for _, m := range h.months {
		if y := m.Year(); !slices.Contains(years, y) {
			years = append(years, y)
		}
	}
	// Nodes: the visits, then the months, then the years, then the sink.
	nv, nm := len(routine), len(h.months)
	monthNode := func(m int) int { return nv + m }
	yearNode := func(y int) int { return nv + nm + slices.Index(years, y) }
	sink := nv + nm + len(years)
	g := newFlow(sink + 1)
	for k, v := range routine {
		prefer := h.month[chosen[k]]
		g.add(k, monthNode(prefer), 1)
		for d := v.lo; d <= v.hi; d++ {
			if m := h.month[d]; m != prefer && g.cap[k][monthNode(m)] == 0 && v.allows(h, d) {
				g.add(k, monthNode(m), 1)
			}
		}
	}
	for m, month := range h.months {
		g.add(monthNode(m), yearNode(month.Year()), min(q.monthLeft[m], nv))
	}
	for _, y := range years {
		g.add(yearNode(y), sink, min(q.yearLeft[y], nv))
	}
	var left []*visit
	for k, v := range routine {
		if !g.augment(k, sink) {
			left = append(left, v)
		}
	}
	for k, v := range routine {
		for m := range h.months {
			// Flow on visit → month shows as residual capacity back.
			if g.cap[monthNode(m)][k] > 0 {
				v.month = m
				q.take(h, m)
				clipToMonth(h, v)
			}
		}
	}
	return left
}

// clipToMonth narrows a visit's range to its month.
func clipToMonth(h *horizon, v *visit) {
	for v.lo <= v.hi && h.month[v.lo] != v.month {
		v.lo++
	}
	for v.hi >= v.lo && h.month[v.hi] != v.month {
		v.hi--
	}
}

// flow is a small flow network held as a residual capacity matrix.
type flow struct {
	cap  [][]int
	adj  [][]int
	seen []bool
}

func newFlow(n int) *flow {
	g := &flow{cap: make([][]int, n), adj: make([][]int, n), seen: make([]bool, n)}
	for i := range g.cap {
		g.cap[i] = make([]int, n)
	}
	return g
}

func (g *flow) add(u, v, c int) {
	if g.cap[u][v] == 0 && g.cap[v][u] == 0 {
		g.adj[u] = append(g.adj[u], v)
		g.adj[v] = append(g.adj[v], u)
	}
	g.cap[u][v] += c
}

// augment pushes one unit from u to t along a path of the residual
// network, if there is one. Started from each visit in turn, as in Kuhn's
// matching algorithm, it finds a maximum flow: a visit that finds no path
// never finds one later.
func (g *flow) augment(u, t int) bool {
	clear(g.seen)
	return g.dfs(u, t)
}

func (g *flow) dfs(u, t int) bool {
	if u == t {
		return true
	}
	g.seen[u] = true
	for _, v := range g.adj[u] {
		if g.seen[v] || g.cap[u][v] == 0 {
			continue
		}
		if g.dfs(v, t) {
			g.cap[u][v]--
			g.cap[v][u]++
			return true
		}
	}
	return false
}
