package web

import (
	"net/http"

	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// touchTodayPage is where a commissioner lands: today's and this week's
// visits, and the to-do (touch.Agenda).
type touchTodayPage struct {
	Page
	A touch.Agenda
}

// agendaList is one list of the agenda for the agenda-visits template.
type agendaList struct {
	L      *i18n.Localizer
	ID     string
	Visits []touch.JointVisit
}

// List wraps one of the agenda's lists for the template.
func (p touchTodayPage) List(id string, visits []touch.JointVisit) agendaList {
	return agendaList{L: p.L, ID: id, Visits: visits}
}

// touchToday: GET /touch/today.
func (s *Server) touchToday(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	a, err := s.touchService().Agenda(r.Context(), p)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "touch_today", touchTodayPage{Page: s.newPage(r, "/touch/today"), A: a})
	return nil
}
