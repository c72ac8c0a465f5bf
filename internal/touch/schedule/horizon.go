package schedule

import "github.com/parkdesk/parkdesk/internal/workday"

// horizon holds per-day tables over the planned days, so that the
// scheduler's inner loops index slices instead of asking the calendar. Days
// are indices from From.
type horizon struct {
	from, to workday.Date
	work     []bool
	month    []int // index of the day's month, 0 for From's month
	months   []workday.Month
	quiet    map[*QuietRules][]bool // quiet days by rules, shared by a park's enterprises
}

func newHorizon(p *Problem) *horizon {
	n := int(p.To-p.From) + 1
	h := &horizon{from: p.From, to: p.To, work: make([]bool, n), month: make([]int, n), quiet: map[*QuietRules][]bool{}}
	for i := range n {
		d := p.From + workday.Date(i)
		h.work[i] = p.Calendar.IsWorkday(d)
		m := d.Month()
		if len(h.months) == 0 || h.months[len(h.months)-1] != m {
			h.months = append(h.months, m)
		}
		h.month[i] = len(h.months) - 1
	}
	return h
}

func (h *horizon) days() int                    { return len(h.work) }
func (h *horizon) date(i int) workday.Date      { return h.from + workday.Date(i) }
func (h *horizon) index(d workday.Date) int     { return int(d - h.from) }
func (h *horizon) contains(d workday.Date) bool { return h.from <= d && d <= h.to }

// quietDays returns the quiet days of the rules over the horizon, or nil
// when the rules have no quiet window.
func (h *horizon) quietDays(r *QuietRules) []bool {
	if r == nil || len(r.Windows) == 0 {
		return nil
	}
	if q, ok := h.quiet[r]; ok {
		return q
	}
	q := make([]bool, h.days())
	for i := range q {
		q[i] = r.Quiet(h.date(i))
	}
	h.quiet[r] = q
	return q
}
