package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// touchVisitsPage is a commissioner's (or an officer's) joint visits, with
// the form that plans the pending requests and what the last plan did.
type touchVisitsPage struct {
	Page
	Open     []touch.JointVisit
	Done     []touch.JointVisit
	OpenList visitList
	DoneList visitList
	From, To string // the planning form's horizon
	Result   *touch.PlanResult
	Unmet    []touch.Unmet
	FormError
}

// visitList is a table of visits for the touch-visit-list template.
type visitList struct {
	L      *i18n.Localizer
	Visits []touch.JointVisit
	Kind   string // "open" or "done": the table's id
}

// managesVisits reports whether p plans and logs visits.
func managesVisits(p auth.Principal) bool {
	return p.Role == auth.RoleCommissioner || p.Role == auth.RoleOfficer
}

func (s *Server) touchVisits(w http.ResponseWriter, r *http.Request) error {
	today := workday.Of(s.now())
	return s.renderTouchVisits(w, r, http.StatusOK, touchVisitsPage{From: today.String(), To: (today + 90).String()})
}

func (s *Server) renderTouchVisits(w http.ResponseWriter, r *http.Request, status int, page touchVisitsPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if !managesVisits(p) {
		return apperr.Errorf(apperr.Forbidden, "you may not manage visits")
	}
	svc := s.touchService()
	if page.Open, err = svc.Visits(r.Context(), p, touch.VisitFilter{Open: true}); err != nil {
		return err
	}
	today := workday.Of(s.now())
	all, err := svc.Visits(r.Context(), p, touch.VisitFilter{From: today - 90, To: today})
	if err != nil {
		return err
	}
	for _, v := range all {
		if v.Status == touch.VisitDone {
			page.Done = append(page.Done, v)
		}
	}
	page.Page = s.newPage(r, "/touch/visits")
	page.OpenList = visitList{L: page.L, Visits: page.Open, Kind: "open"}
	page.DoneList = visitList{L: page.L, Visits: page.Done, Kind: "done"}
	s.render(w, r, status, "touch_visits", page)
	return nil
}

// touchPlan plans the pending requests the principal manages over the
// horizon of the form and shows what it did.
func (s *Server) touchPlan(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if !managesVisits(p) {
		return apperr.Errorf(apperr.Forbidden, "you may not plan visits")
	}
	page := touchVisitsPage{From: r.PostFormValue("from"), To: r.PostFormValue("to")}
	from, fromProblem := formDate(r, "from")
	to, toProblem := formDate(r, "to")
	var problems []apperr.Problem
	for _, problem := range []*apperr.Problem{fromProblem, toProblem} {
		if problem != nil {
			problems = append(problems, *problem)
		}
	}
	if len(problems) == 0 && (from == 0 || to == 0) {
		problems = append(problems, apperr.Problem{Field: "to", Reason: "give the first and the last day"})
	}
	err = apperr.InvalidInput("the horizon is not valid", problems...)
	if len(problems) == 0 {
		var res touch.PlanResult
		if res, err = s.touchService().Plan(r.Context(), p, from, to); err == nil {
			page.Result = &res
			page.Unmet = res.Plan.Unmet
			return s.renderTouchVisits(w, r, http.StatusOK, page)
		}
	}
	return rerender(err, func(status int, fe FormError) error {
		page.FormError = fe
		return s.renderTouchVisits(w, r, status, page)
	})
}

// touchVisitPage is one visit: its requests, and the forms that move it
// and log it.
type touchVisitPage struct {
	Page
	V         touch.JointVisit
	CanManage bool
	CanLog    bool // the day has come
	FormError
}

func (s *Server) touchVisit(w http.ResponseWriter, r *http.Request) error {
	return s.renderTouchVisit(w, r, http.StatusOK, touchVisitPage{})
}

func (s *Server) renderTouchVisit(w http.ResponseWriter, r *http.Request, status int, page touchVisitPage) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	if page.V, err = s.touchService().Visit(r.Context(), p, id); err != nil {
		return err
	}
	open := page.V.Status == touch.VisitProposed || page.V.Status == touch.VisitConfirmed || page.V.Status == touch.VisitReschedule
	page.CanManage = open && managesVisits(p)
	page.CanLog = page.CanManage && page.V.Day <= workday.Of(s.now())
	page.Page = s.newPage(r, "/touch/visits")
	s.render(w, r, status, "touch_visit", page)
	return nil
}

// touchLog records the visit made: each request done or not, the note,
// and the problems raised, one a line.
func (s *Server) touchLog(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	log := touch.VisitLog{Outcomes: map[int64]touch.Outcome{}, Note: r.PostFormValue("note")}
	for key, values := range r.PostForm {
		rest, ok := strings.CutPrefix(key, "outcome:")
		if !ok || len(values) != 1 || values[0] == "" {
			continue
		}
		reqID, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			continue
		}
		log.Outcomes[reqID] = touch.Outcome{Done: values[0] == "done", Note: r.PostFormValue("note:" + rest)}
	}
	for _, line := range strings.Split(r.PostFormValue("problems"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			log.Problems = append(log.Problems, touch.ProblemSpec{Department: r.PostFormValue("problem_department"), Text: line})
		}
	}
	if err := s.touchService().Log(r.Context(), p, id, log); err != nil {
		return rerender(err, s.refuseOnVisit(w, r))
	}
	// The problems raised become appeals now rather than at the next
	// sweep, so that the commissioner finds them in the work list at once.
	if len(log.Problems) > 0 {
		if _, err := s.appealService().TakeUpVisitProblems(r.Context(), p, id); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/touch/visits/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// touchReschedule moves the visit to the day of the form.
func (s *Server) touchReschedule(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	day, problem := formDate(r, "day")
	if problem == nil && day == 0 {
		problem = &apperr.Problem{Field: "day", Reason: "give the day"}
	}
	if problem == nil {
		err = s.touchService().Reschedule(r.Context(), p, id, day)
	} else {
		err = apperr.InvalidInput("the day is not valid", *problem)
	}
	if err != nil {
		return rerender(err, s.refuseOnVisit(w, r))
	}
	http.Redirect(w, r, "/touch/visits/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// refuseOnVisit shows a refused form on the visit's page.
func (s *Server) refuseOnVisit(w http.ResponseWriter, r *http.Request) func(int, FormError) error {
	return func(status int, fe FormError) error {
		return s.renderTouchVisit(w, r, status, touchVisitPage{FormError: fe})
	}
}
