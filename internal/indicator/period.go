package indicator

import (
	"fmt"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// span is a period as the ranges the queries need.
type span struct {
	period facts.Period
	// from and to are dates, to exclusive: "2023-01-01", "2023-04-01".
	from, to string
	// firstMonth and lastMonth are months, inclusive: "2023-01", "2023-03".
	firstMonth, lastMonth string
}

// parsePeriod reads a reporting period: YYYY, YYYYQn or YYYY-MM.
func parsePeriod(s string) (facts.Period, error) {
	p, err := facts.ParsePeriod(s)
	if err != nil {
		return p, err
	}
	if p.Shape == facts.Timeless {
		return p, fmt.Errorf("give a period: YYYY, YYYYQn or YYYY-MM")
	}
	if p.Year < 1900 || p.Year > 2999 {
		return p, fmt.Errorf("period %q: the year is out of range", s)
	}
	return p, nil
}

func spanOf(p facts.Period) span {
	var first, months int
	switch p.Shape {
	case facts.Annual:
		first, months = 1, 12
	case facts.Quarterly:
		first, months = (p.Sub-1)*3+1, 3
	default:
		first, months = p.Sub, 1
	}
	start := facts.Month(p.Year, first)
	last := start.AddMonths(months - 1)
	next := start.AddMonths(months)
	return span{
		period:     p,
		from:       start.String() + "-01",
		to:         next.String() + "-01",
		firstMonth: start.String(),
		lastMonth:  last.String(),
	}
}

// yearEarlier is the same period a year before.
func yearEarlier(p facts.Period) facts.Period {
	p.Year--
	return p
}

// ytd is the span from January to the end of the period.
func (s span) ytd() span {
	out := s
	out.firstMonth = fmt.Sprintf("%04d-01", s.period.Year)
	out.from = out.firstMonth + "-01"
	return out
}
