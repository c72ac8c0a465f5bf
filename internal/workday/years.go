package workday

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// ErrNoCalendar is the error of a date in a year whose official schedule the
// calendar does not hold: the working days of a year are set by the State
// Council's notice, so without the notice the answer is unknown, not "the
// working week".
var ErrNoCalendar = errors.New("no calendar")

// NoCalendarError names the year without a schedule.
type NoCalendarError struct{ Year int }

func (e *NoCalendarError) Error() string { return "no calendar for " + strconv.Itoa(e.Year) }

// Is makes errors.Is(err, ErrNoCalendar) true.
func (e *NoCalendarError) Is(target error) bool { return target == ErrNoCalendar }

// Bounded returns a calendar of the years given, each a complete official
// schedule, with the exceptions given: a date in any other year is an error
// for the checked methods (Working, After, Check).
func Bounded(years []Year, entries ...Entry) (*Calendar, error) {
	c, err := New(entries...)
	if err != nil {
		return nil, err
	}
	c.years = make(map[int]Year, len(years))
	for _, y := range years {
		if _, dup := c.years[y.Year]; dup {
			return nil, fmt.Errorf("the year %d is declared twice", y.Year)
		}
		c.years[y.Year] = y
	}
	return c, nil
}

// Years returns the years the calendar holds, in order; nil for a calendar
// not bounded by years.
func (c *Calendar) Years() []Year {
	if c.years == nil {
		return nil
	}
	out := make([]Year, 0, len(c.years))
	for _, y := range slices.Sorted(maps.Keys(c.years)) {
		out = append(out, c.years[y])
	}
	return out
}

// Covers reports whether the calendar answers for dates of year y.
func (c *Calendar) Covers(y int) bool {
	if c.years == nil {
		return true
	}
	_, ok := c.years[y]
	return ok
}

// Check returns a *NoCalendarError when d is in a year the calendar does
// not hold.
func (c *Calendar) Check(d Date) error {
	y, _, _ := d.Civil()
	if !c.Covers(y) {
		return &NoCalendarError{Year: y}
	}
	return nil
}

// Working reports whether d is a working day, or an error for a year
// without a schedule.
func (c *Calendar) Working(d Date) (bool, error) {
	if err := c.Check(d); err != nil {
		return false, err
	}
	return c.IsWorkday(d), nil
}

// After returns the working day n working days after d (before it for
// negative n; d itself not counted), or an error when the count passes
// through a year without a schedule.
func (c *Calendar) After(d Date, n int) (Date, error) {
	if err := c.Check(d); err != nil {
		return 0, err
	}
	step := Date(1)
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d += step
		if err := c.Check(d); err != nil {
			return 0, err
		}
		if c.IsWorkday(d) {
			n--
		}
	}
	return d, nil
}

// Overlay returns the calendar c with changes loaded on top: each year in
// years replaces c's schedule of that year whole (its exceptions dropped,
// its notice replaced), then every entry replaces c's answer for its day.
// This is how an administrator's files sit over the official data shipped
// with the program.
func (c *Calendar) Overlay(years []Year, entries []Entry) (*Calendar, error) {
	replaced := map[int]bool{}
	for _, y := range years {
		replaced[y.Year] = true
	}
	byDay := make(map[Date]Entry, len(c.exceptions)+len(entries))
	for d, e := range c.exceptions {
		if y, _, _ := d.Civil(); !replaced[y] {
			byDay[d] = e
		}
	}
	for _, e := range entries {
		byDay[e.Date] = e
	}
	out := &Calendar{exceptions: byDay}
	if c.years != nil || len(years) > 0 {
		out.years = maps.Clone(c.years)
		if out.years == nil {
			out.years = map[int]Year{}
		}
		for _, y := range years {
			out.years[y.Year] = y
		}
	}
	return out, nil
}

// Fingerprint is a digest of what the calendar answers: equal calendars
// have equal fingerprints, so that a consumer that computed deadlines on
// one can tell when the calendar has changed.
func (c *Calendar) Fingerprint() string {
	h := sha256.New()
	for _, y := range c.Years() {
		fmt.Fprintf(h, "year %d %s\n", y.Year, y.Notice)
	}
	for _, e := range c.Entries() {
		fmt.Fprintf(h, "%s %t %s\n", e.Date, e.Working, e.Name)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
