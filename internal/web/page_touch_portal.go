package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/touch"
)

// touchPortalPage is the liaison's side of the commissioner system: the
// visits to confirm, and the one form that asks everything the
// departments want and the registry cannot answer.
type touchPortalPage struct {
	Page
	E      enterpriseProfile
	Visits []touch.JointVisit
	Done   []touch.JointVisit
	Form   []formQuestion
	Items  []touch.FormItem
	Saved  bool
	FormError
}

// formQuestion is one field of the one form, as the page writes it.
type formQuestion struct {
	touch.FormField
	Name       string // the input's name
	Label      string
	Unit       string
	PeriodText string
	Input      string
	Choices    []string
	Value      string
}

func (s *Server) portalVisits(w http.ResponseWriter, r *http.Request) error {
	return s.renderPortalVisits(w, r, http.StatusOK, touchPortalPage{Saved: r.URL.Query().Get("saved") != ""})
}

func (s *Server) renderPortalVisits(w http.ResponseWriter, r *http.Request, status int, page touchPortalPage) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	svc := s.touchService()
	visits, err := svc.Visits(ctx, p, touch.VisitFilter{EnterpriseID: e.ID})
	if err != nil {
		return err
	}
	for _, v := range visits {
		switch v.Status {
		case touch.VisitProposed, touch.VisitConfirmed, touch.VisitReschedule:
			page.Visits = append(page.Visits, v)
		case touch.VisitDone:
			page.Done = append(page.Done, v)
		}
	}
	form, err := svc.Form(ctx, p, e.ID)
	if err != nil {
		return err
	}
	fields, err := loadFields(ctx, s.deps.Store)
	if err != nil {
		return err
	}
	byName := map[string]fieldRow{}
	for _, f := range fields {
		byName[f.Name] = f
	}
	typed := page.Form // what was typed, after a refused submission
	page.Form = nil
	page.Page = s.newPage(r, "/portal/visits")
	for _, ff := range form.Fields {
		f := byName[ff.Field]
		q := formQuestion{FormField: ff, Name: "f:" + ff.Field + ":" + ff.Period, Label: page.L.Pick(f.LabelZh, f.LabelEn),
			Unit: f.Unit, PeriodText: page.L.Period(ff.Period)}
		q.Input, q.Choices = inputFor(f)
		for _, t := range typed {
			if t.Name == q.Name {
				q.Value = t.Value
			}
		}
		page.Form = append(page.Form, q)
	}
	page.Items, page.E = form.Items, e
	s.render(w, r, status, "touch_portal", page)
	return nil
}

func (s *Server) portalConfirm(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.touchService().Confirm(r.Context(), p, id); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalVisits(w, r, status, touchPortalPage{FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/visits", http.StatusSeeOther)
	return nil
}

func (s *Server) portalAsk(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	day, problem := formDate(r, "day")
	if problem == nil && day == 0 {
		problem = &apperr.Problem{Field: "day", Reason: "give the day you would like"}
	}
	if problem == nil {
		err = s.touchService().AskAnotherDay(r.Context(), p, id, day, r.PostFormValue("note"))
	} else {
		err = apperr.InvalidInput("the day is not valid", *problem)
	}
	if err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalVisits(w, r, status, touchPortalPage{FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/visits", http.StatusSeeOther)
	return nil
}

// portalForm records the answers of the one form, all or nothing.
func (s *Server) portalForm(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	answers := touch.FormAnswers{Fields: map[touch.FieldWant]string{}, Items: map[int64]string{}}
	var typed []formQuestion
	for key, values := range r.PostForm {
		if len(values) != 1 {
			continue
		}
		if rest, ok := strings.CutPrefix(key, "f:"); ok {
			field, period, _ := strings.Cut(rest, ":")
			answers.Fields[touch.FieldWant{Field: field, Period: period}] = values[0]
			typed = append(typed, formQuestion{Name: key, Value: values[0]})
		}
		if rest, ok := strings.CutPrefix(key, "i:"); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				answers.Items[id] = values[0]
			}
		}
	}
	if err := s.touchService().SubmitForm(r.Context(), p, e.ID, answers); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderPortalVisits(w, r, status, touchPortalPage{Form: typed, FormError: fe})
		})
	}
	http.Redirect(w, r, "/portal/visits?saved=1", http.StatusSeeOther)
	return nil
}
