package schedule

import (
	"container/heap"
	"slices"
)

// desk is a commissioner's days over the horizon: free slots, and the
// visits placed on each day.
type desk struct {
	h     *horizon
	free  []int
	on    [][]*visit
	seen  []int // search stamp per day
	stamp int
}

func newDesk(h *horizon, p *Problem, commissioner int64) *desk {
	dk := &desk{h: h, free: make([]int, h.days()), on: make([][]*visit, h.days()), seen: make([]int, h.days())}
	capacity := p.capacityOf(commissioner)
	for d := range dk.free {
		dk.free[d] = max(0, capacity-p.takenOn(commissioner, h.date(d)))
	}
	return dk
}

func (dk *desk) place(v *visit, d int) {
	if v.floating && (v.day < 0 || dk.h.month[v.day] != dk.h.month[d]) {
		if v.day >= 0 {
			v.site.quota.give(dk.h, dk.h.month[v.day])
		}
		v.site.quota.take(dk.h, dk.h.month[d])
	}
	if v.day >= 0 {
		dk.free[v.day]++
		dk.on[v.day] = slices.DeleteFunc(dk.on[v.day], func(w *visit) bool { return w == v })
	}
	v.day = d
	dk.free[d]--
	dk.on[d] = append(dk.on[d], v)
}

// placeAll places the commissioner's visits latest first: sweeping the days
// backwards, each day takes, among the visits whose range reaches it, those
// whose range starts latest (earliest deadline first, in reverse time). On a
// calendar without holes this is optimal; quiet days differ between
// enterprises, so visits it leaves unplaced go to the augmenting search. It
// returns those.
func (dk *desk) placeAll(visits []*visit) (missed []*visit) {
	if len(visits) == 0 {
		return nil
	}
	slices.SortFunc(visits, func(a, b *visit) int { return b.hi - a.hi })
	lowest := visits[0].lo
	for _, v := range visits {
		lowest = min(lowest, v.lo)
	}
	var pending latestStart
	k := 0
	var aside []*visit
	for d := visits[0].hi; d >= lowest; d-- {
		for k < len(visits) && visits[k].hi >= d {
			heap.Push(&pending, visits[k])
			k++
		}
		if !dk.h.work[d] {
			continue
		}
		aside = aside[:0]
		for dk.free[d] > 0 && pending.Len() > 0 {
			v := heap.Pop(&pending).(*visit)
			switch {
			case v.lo > d:
				missed = append(missed, v)
			case !v.allows(dk.h, d):
				aside = append(aside, v)
			default:
				dk.place(v, d)
			}
		}
		for _, v := range aside {
			heap.Push(&pending, v)
		}
	}
	for pending.Len() > 0 {
		missed = append(missed, heap.Pop(&pending).(*visit))
	}
	return missed
}

// augment places v, moving placed visits to other days of their ranges as
// needed: an augmenting path of the bipartite graph of visits and day
// slots. It finds a place whenever any rearrangement of the placed visits
// would.
func (dk *desk) augment(v *visit) bool {
	dk.stamp++
	return dk.seat(v)
}

func (dk *desk) seat(v *visit) bool {
	v.onPath = true
	defer func() { v.onPath = false }()
	for d := v.hi; d >= v.lo; d-- {
		if dk.seen[d] == dk.stamp || d == v.day || !v.allows(dk.h, d) {
			continue
		}
		dk.seen[d] = dk.stamp
		if dk.free[d] > 0 {
			dk.place(v, d)
			return true
		}
		for _, w := range dk.on[d] {
			if w.onPath {
				continue
			}
			if dk.seat(w) { // w moved away: d has a free slot now
				dk.place(v, d)
				return true
			}
		}
	}
	return false
}

// latestStart is a max-heap of visits by the start of their range. Among
// visits starting alike, those that cannot be split come first: a joint
// visit whose requests have wider windows of their own can still be served
// by being split if it loses the day, a single request cannot.
type latestStart []*visit

func (s latestStart) Len() int { return len(s) }
func (s latestStart) Less(i, j int) bool {
	if s[i].lo != s[j].lo {
		return s[i].lo > s[j].lo
	}
	if a, b := s[i].splittable(), s[j].splittable(); a != b {
		return b
	}
	return s[i].hi-s[i].lo < s[j].hi-s[j].lo
}
func (s latestStart) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s *latestStart) Push(x any)   { *s = append(*s, x.(*visit)) }
func (s *latestStart) Pop() any {
	old := *s
	v := old[len(old)-1]
	*s = old[:len(old)-1]
	return v
}
