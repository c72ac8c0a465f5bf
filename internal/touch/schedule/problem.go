package schedule

import (
	"fmt"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// Problem is what Solve plans: the on-site requests pending, the
// enterprises they concern, the commissioners, and the horizon.
type Problem struct {
	// From and To bound the horizon, inclusive. Requests whose window ends
	// in it are due and get visits; requests whose window ends later join a
	// planned visit when one falls in their window, and wait otherwise.
	From, To workday.Date
	Calendar *workday.Calendar
	Demands  []Demand
	// Sites holds the enterprises by id. A demand whose enterprise is
	// missing, or has no commissioner, cannot be planned.
	Sites map[int64]*Site
	// DailyCapacity is how many visits a commissioner makes a day, unless
	// Commissioners says otherwise for one.
	DailyCapacity int
	Commissioners map[int64]*Commissioner
}

// Demand is an on-site request as the scheduler sees it.
type Demand struct {
	ID               int64
	Enterprise       int64
	Earliest, Latest workday.Date
	Exempt           bool
	Minutes          int
}

// Site is an enterprise as the scheduler sees it.
type Site struct {
	Enterprise   int64
	Commissioner int64 // 0: none assigned
	Rules        *QuietRules
	// Booked holds the days of routine on-site visits already fixed
	// (confirmed or made) in the months and years the horizon touches: they
	// count against the caps.
	Booked []workday.Date
}

// Commissioner is a commissioner's capacity.
type Commissioner struct {
	DailyCapacity int
	// Taken counts the visits already fixed on a day, which use capacity.
	Taken map[workday.Date]int
}

// maxHorizonDays bounds a plan: two years is far beyond any request window,
// and the per-day tables stay small.
const maxHorizonDays = 2*366 + 1

func (p *Problem) check() error {
	var problems []apperr.Problem
	add := func(field, format string, args ...any) {
		problems = append(problems, apperr.Problem{Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.To < p.From:
		add("to", "the horizon ends (%s) before it starts (%s)", p.To, p.From)
	case int(p.To-p.From) >= maxHorizonDays:
		add("to", "the horizon %s..%s is longer than two years", p.From, p.To)
	}
	if p.Calendar == nil {
		add("calendar", "no calendar given")
	}
	if p.DailyCapacity < 0 {
		add("daily_capacity", "must not be negative")
	}
	for id, c := range p.Commissioners {
		if c.DailyCapacity < 0 {
			add("daily_capacity", "commissioner %d: must not be negative", id)
		}
	}
	for _, s := range p.Sites {
		if s.Rules != nil {
			if err := s.Rules.Check(); err != nil {
				add("quiet_rules", "enterprise %d: %v", s.Enterprise, err)
			}
		}
	}
	for _, d := range p.Demands {
		if d.Latest < d.Earliest {
			problems = append(problems, apperr.Problem{Record: int(d.ID), Field: "window",
				Reason: fmt.Sprintf("request %d: window ends (%s) before it starts (%s)", d.ID, d.Latest, d.Earliest)})
		}
	}
	if len(problems) > 0 {
		return apperr.InvalidInput("the scheduling problem is not valid", problems...)
	}
	return nil
}

func (p *Problem) capacityOf(commissioner int64) int {
	if c, ok := p.Commissioners[commissioner]; ok {
		return c.DailyCapacity
	}
	return p.DailyCapacity
}

func (p *Problem) takenOn(commissioner int64, d workday.Date) int {
	if c, ok := p.Commissioners[commissioner]; ok {
		return c.Taken[d]
	}
	return 0
}
