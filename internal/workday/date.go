package workday

import (
	"fmt"
	"time"
)

// Date is a calendar day, counted in days from 1970-01-01. A plain integer
// makes the day arithmetic of scheduling (next day, days between, index into
// a horizon) one machine instruction and keeps dates free of time zones: a
// date in the park is the same date everywhere.
type Date int32

// Layout is how dates are written: ISO 8601, as the database stores them.
const Layout = "2006-01-02"

// unixEpochWeekday is the weekday of Date(0), 1970-01-01.
const unixEpochWeekday = time.Thursday

// Of returns the date of t in t's own location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return FromCivil(y, m, d)
}

// FromCivil returns the date of year y, month m, day d; out-of-range values
// are normalised as time.Date does (January 32 is February 1).
func FromCivil(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(Layout, s)
	if err != nil || len(s) != len(Layout) {
		return 0, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Of(t), nil
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String writes the date YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(Layout) }

// Civil returns the year, month and day of the date.
func (d Date) Civil() (year int, month time.Month, day int) { return d.Time().Date() }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Weekday((int(unixEpochWeekday) + int(d%7) + 7) % 7)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Month returns the calendar month holding the date.
func (d Date) Month() Month {
	y, m, _ := d.Civil()
	return MonthOf(y, m)
}

// Month is a calendar month, counted from January of year 0, so that months
// compare and subtract as integers.
type Month int32

// MonthOf returns month m of year y.
func MonthOf(y int, m time.Month) Month { return Month(y*12 + int(m) - 1) }

// Year returns the month's year.
func (m Month) Year() int { return int(m) / 12 }

// Civil returns the month's year and month of the year.
func (m Month) Civil() (int, time.Month) { return int(m) / 12, time.Month(int(m)%12 + 1) }

// First returns the first day of the month.
func (m Month) First() Date {
	y, mm := m.Civil()
	return FromCivil(y, mm, 1)
}

// Last returns the last day of the month.
func (m Month) Last() Date { return (m + 1).First() - 1 }

// String writes the month YYYY-MM, the period form of monthly facts.
func (m Month) String() string {
	y, mm := m.Civil()
	return fmt.Sprintf("%04d-%02d", y, int(mm))
}

// MarshalText writes the date YYYY-MM-DD, so that JSON holds it as a string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes the month YYYY-MM.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a month written YYYY-MM.
func (m *Month) UnmarshalText(b []byte) error {
	d, err := ParseDate(string(b) + "-01")
	if err != nil || len(b) != 7 {
		return fmt.Errorf("%q is not a month of the form YYYY-MM", b)
	}
	*m = d.Month()
	return nil
}
