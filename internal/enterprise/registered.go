package enterprise

import (
	"fmt"
	"time"
)

// The plausible registration dates: none of a park's enterprises was
// registered before 1900, and none is registered after today. Dates outside
// are typing mistakes (0000-…, 3000-01-01) or placeholders (9999-12-31);
// the database would refuse most of them with a bare CHECK, so the rule is
// checked here, where the problem can name the row and the field.
var earliestRegistration = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// ParseRegistrationDate parses a registration date written YYYY-MM-DD and
// checks that it is plausible. now is the clock; a day of grace after it
// covers a registration made today in a time zone ahead of the server's.
func ParseRegistrationDate(s string, now time.Time) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	if d.Before(earliestRegistration) {
		return time.Time{}, fmt.Errorf("%s is before %s: no registration date is that early", s, earliestRegistration.Format(time.DateOnly))
	}
	latest := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
	if d.After(latest) {
		return time.Time{}, fmt.Errorf("%s is in the future: a registration date is a day that has passed", s)
	}
	return d, nil
}
