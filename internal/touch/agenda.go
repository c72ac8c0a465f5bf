package touch

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// Agenda is a commissioner's work as they sign in: the visits of today
// and of the rest of the week, and the to-do — visits past their day and
// not logged, days the liaison asked to move, visits still waiting for the
// liaison, and requests waiting for a plan.
type Agenda struct {
	Today       workday.Date
	WeekEnd     workday.Date // the Sunday of today's week
	TodayVisits []JointVisit
	WeekVisits  []JointVisit // after today, to WeekEnd
	ToLog       []JointVisit // before today, not logged
	Reschedule  []JointVisit // the liaison asked for another day
	Unconfirmed []JointVisit // proposed, from today on, not confirmed yet
	Pending     []Request    // waiting for a visit or answers
}

// Todo counts the items of the to-do.
func (a Agenda) Todo() int {
	return len(a.ToLog) + len(a.Reschedule) + len(a.Unconfirmed) + len(a.Pending)
}

// Agenda returns the principal's agenda: a commissioner's own visits and
// the requests of their portfolio (an officer's: every visit they manage).
func (s *Service) Agenda(ctx context.Context, actor auth.Principal) (Agenda, error) {
	if actor.Role != auth.RoleCommissioner && actor.Role != auth.RoleOfficer {
		return Agenda{}, apperr.Errorf(apperr.Forbidden, "you may not manage visits")
	}
	today := s.today()
	a := Agenda{Today: today, WeekEnd: today + workday.Date((7-int(today.Weekday()))%7)}
	f := VisitFilter{Open: true, Limit: 500}
	if actor.Role == auth.RoleCommissioner {
		f.CommissionerID = actor.UserID
	}
	open, err := s.Visits(ctx, actor, f)
	if err != nil {
		return Agenda{}, err
	}
	for _, v := range open {
		switch {
		case v.Status == VisitReschedule:
			a.Reschedule = append(a.Reschedule, v)
		case v.Day < today:
			a.ToLog = append(a.ToLog, v)
		case v.Day == today:
			a.TodayVisits = append(a.TodayVisits, v)
		case v.Day <= a.WeekEnd:
			a.WeekVisits = append(a.WeekVisits, v)
		}
		if v.Status == VisitProposed && v.Day >= today {
			a.Unconfirmed = append(a.Unconfirmed, v)
		}
	}
	if a.Pending, err = s.Requests(ctx, actor, RequestFilter{Status: StatusPending, Limit: 100}); err != nil {
		return Agenda{}, err
	}
	return a, nil
}
