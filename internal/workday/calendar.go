package workday

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Entry is one exception to the working week: a day off that would be a
// working day (a public holiday), or a working day that would be a day off
// (a make-up working day, 调休).
type Entry struct {
	Date    Date
	Working bool   // true: a make-up working day; false: a holiday
	Name    string // e.g. "春节", "国庆节调休"; may be empty
}

// Calendar answers whether a day is a working day. The zero value is not
// usable; build one with New or ParseCalendar. A Calendar is immutable and safe for
// concurrent use.
type Calendar struct {
	exceptions map[Date]Entry
	// years are the years whose official schedule the calendar holds, with
	// the notice of each. nil means the calendar is not bounded by years (the
	// plain working week, or a test's calendar): every date is answered.
	// Otherwise a date outside them is an error, never a guess.
	years map[int]Year
}

// Year is one year's official holiday schedule: the State Council's notice
// (放假安排) that set it.
type Year struct {
	Year   int
	Notice string // e.g. "国办发明电〔2025〕7号"
}

// New returns the calendar of the working week with the exceptions given. A
// date may be listed once: a day cannot be both a holiday and a working day.
func New(entries ...Entry) (*Calendar, error) {
	c := &Calendar{exceptions: make(map[Date]Entry, len(entries))}
	for _, e := range entries {
		if prev, dup := c.exceptions[e.Date]; dup {
			if prev.Working != e.Working {
				return nil, fmt.Errorf("%s is listed both as a holiday and as a working day", e.Date)
			}
			return nil, fmt.Errorf("%s is listed twice", e.Date)
		}
		c.exceptions[e.Date] = e
	}
	return c, nil
}

// Weekends returns the calendar of the plain working week: Monday to Friday
// work, Saturday and Sunday off, no holidays.
func Weekends() *Calendar { return &Calendar{exceptions: map[Date]Entry{}} }

// IsWorkday reports whether d is a working day.
func (c *Calendar) IsWorkday(d Date) bool {
	if e, ok := c.exceptions[d]; ok {
		return e.Working
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Exception returns the entry that makes d differ from the working week, if
// any: its holiday or make-up working day.
func (c *Calendar) Exception(d Date) (Entry, bool) {
	e, ok := c.exceptions[d]
	return e, ok
}

// Entries returns the exceptions in date order.
func (c *Calendar) Entries() []Entry {
	dates := slices.Sorted(maps.Keys(c.exceptions))
	out := make([]Entry, len(dates))
	for i, d := range dates {
		out[i] = c.exceptions[d]
	}
	return out
}

// Last returns the latest working day in [from, to], and false when the
// range holds none.
func (c *Calendar) Last(from, to Date) (Date, bool) {
	for d := to; d >= from; d-- {
		if c.IsWorkday(d) {
			return d, true
		}
	}
	return 0, false
}

// First returns the earliest working day in [from, to], and false when the
// range holds none.
func (c *Calendar) First(from, to Date) (Date, bool) {
	for d := from; d <= to; d++ {
		if c.IsWorkday(d) {
			return d, true
		}
	}
	return 0, false
}

// Count returns the number of working days in [from, to].
func (c *Calendar) Count(from, to Date) int {
	n := 0
	for d := from; d <= to; d++ {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Add returns the n-th working day after d for n > 0, and before d for
// n < 0; d itself is not counted. Add(d, 0) is d. This is how deadlines "in
// N working days" are computed: a request received on a Friday with three
// working days to answer is due on Wednesday.
func (c *Calendar) Add(d Date, n int) Date {
	step := Date(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}
