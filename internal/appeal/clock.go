package appeal

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// parkZone is China Standard Time: working hours are the park's, and China
// has kept UTC+8 without daylight saving since 1991, so a fixed zone needs
// no time-zone database in the binary.
var parkZone = time.FixedZone("CST", 8*3600)

// span is a stretch of working time in a day, in minutes after midnight.
type span struct{ from, to int }

// officeHours are the committee's office hours: 9:00–12:00 and 13:30–17:30,
// seven working hours a day. A working day of an appeal's deadline is this
// many minutes.
var officeHours = []span{{9 * 60, 12 * 60}, {13*60 + 30, 17*60 + 30}}

// dayMinutes is the working time of one working day.
const dayMinutes = 7 * 60

// addWork returns the instant m working minutes after t on the calendar
// (t itself when m is 0), or the calendar's error when the count reaches a
// year without a schedule. Time outside office hours and on days off does
// not count: an appeal received on Saturday starts on the next working
// day at 9:00.
func addWork(cal *workday.Calendar, t time.Time, m int) (time.Time, error) {
	if m <= 0 {
		return t, nil
	}
	local := t.In(parkZone)
	day := workday.Of(local)
	minute := local.Hour()*60 + local.Minute()
	sec := local.Second()
	for {
		ok, err := cal.Working(day)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			for _, s := range officeHours {
				if minute >= s.to {
					continue
				}
				start := max(minute, s.from)
				if start > minute {
					sec = 0
				}
				avail := s.to - start
				if m < avail || (m == avail && sec == 0) {
					return at(day, start+m, sec), nil
				}
				m -= avail
				if sec > 0 { // the part-minute already begun is not working time left
					m++
					sec = 0
				}
				minute = s.to
			}
		}
		day++
		minute, sec = 0, 0
	}
}

// at is the instant of minute m of day d in the park's zone.
func at(d workday.Date, m, sec int) time.Time {
	y, mo, dd := d.Civil()
	return time.Date(y, mo, dd, 0, m, sec, 0, parkZone).UTC()
}

// workBetween returns the working minutes from a to b (0 when b is not
// after a), or the calendar's error for a year without a schedule.
func workBetween(cal *workday.Calendar, a, b time.Time) (int, error) {
	if !b.After(a) {
		return 0, nil
	}
	la, lb := a.In(parkZone), b.In(parkZone)
	total := 0.0
	for day := workday.Of(la); day <= workday.Of(lb); day++ {
		ok, err := cal.Working(day)
		if err != nil {
			return 0, err
		}
		if !ok {
			continue
		}
		for _, s := range officeHours {
			from, to := at(day, s.from, 0), at(day, s.to, 0)
			if a.After(from) {
				from = a
			}
			if b.Before(to) {
				to = b
			}
			if to.After(from) {
				total += to.Sub(from).Minutes()
			}
		}
	}
	return int(total), nil
}
