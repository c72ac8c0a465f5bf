package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/appeal"
	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// appealMeetingsPage is the meetings where problems were raised and the
// special service teams, for officers (who record them) and leaders.
type appealMeetingsPage struct {
	Page
	Meetings []appeal.Meeting
	Teams    []appeal.Team
	Depts    map[string]string
	Form     meetingForm
	Today    workday.Date
	FormError
}

type meetingForm struct{ Kind, Title, HeldOn, Minutes, Problems string }

func (s *Server) appealMeetings(w http.ResponseWriter, r *http.Request) error {
	return s.renderAppealMeetings(w, r, http.StatusOK, appealMeetingsPage{})
}

func (s *Server) renderAppealMeetings(w http.ResponseWriter, r *http.Request, status int, page appealMeetingsPage) error {
	p, ctx := principal(r), r.Context()
	svc := s.appealService()
	var err error
	if page.Meetings, err = svc.Meetings(ctx, p, 50); err != nil {
		return err
	}
	if page.Teams, err = svc.Teams(ctx, p); err != nil {
		return err
	}
	page.Page = s.newPage(r, "/appeals/meetings")
	page.Today = workday.Of(s.now())
	if page.Depts, _, err = s.deptNames(ctx, page.L); err != nil {
		return err
	}
	s.render(w, r, status, "appeal_meetings", page)
	return nil
}

// appealRecordMeeting records a meeting; each line of problems is
// "USCC title", filed as an appeal of that enterprise from the meeting.
func (s *Server) appealRecordMeeting(w http.ResponseWriter, r *http.Request) error {
	form := meetingForm{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), HeldOn: r.PostFormValue("held_on"),
		Minutes: r.PostFormValue("minutes"), Problems: r.PostFormValue("problems")}
	spec := appeal.MeetingSpec{Kind: appeal.MeetingKind(form.Kind), Title: form.Title, Minutes: form.Minutes}
	var problems []apperr.Problem
	if d, err := workday.ParseDate(strings.TrimSpace(form.HeldOn)); err == nil {
		spec.HeldOn = d
	} else {
		problems = append(problems, apperr.Problem{Field: "held_on", Reason: err.Error()})
	}
	for i, line := range strings.Split(form.Problems, "\n") {
		uscc, title, _ := strings.Cut(strings.TrimSpace(line), " ")
		if uscc == "" {
			continue
		}
		e, err := enterprise.GetByUSCC(r.Context(), s.deps.Store, uscc)
		if err != nil {
			if apperr.CodeOf(err) == apperr.Internal {
				return err
			}
			problems = append(problems, apperr.Problem{Row: i + 1, Field: "problems", Reason: "no enterprise has the USCC " + uscc})
			continue
		}
		spec.Raised = append(spec.Raised, appeal.Raised{EnterpriseID: e.ID, Category: "other", Title: strings.TrimSpace(title)})
		spec.Attendees = append(spec.Attendees, appeal.Attendee{Kind: "enterprise", EnterpriseID: e.ID})
	}
	err := error(nil)
	if len(problems) > 0 {
		err = apperr.InvalidInput("the meeting is not complete", problems...)
	} else {
		_, err = s.appealService().RecordMeeting(r.Context(), principal(r), spec)
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderAppealMeetings(w, r, status, appealMeetingsPage{Form: form, FormError: fe})
		})
	}
	http.Redirect(w, r, "/appeals/meetings", http.StatusSeeOther)
	return nil
}

func (s *Server) appealCompleteTask(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errNotFound
	}
	if err := s.appealService().CompleteTask(r.Context(), principal(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/appeals/meetings#teams", http.StatusSeeOther)
	return nil
}
