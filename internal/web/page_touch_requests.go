package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/touch"
)

// touchRequestsPage lists the touch requests a principal may see and, for
// those who file them, the form to file one.
type touchRequestsPage struct {
	Page
	Requests   []touch.Request
	CanFile    bool
	Depts      []option
	Fields     []fieldRow // the fields the principal may ask for
	Kinds      []touch.Kind
	Exemptions []touch.Exemption
	Form       touchForm
	FormError
}

// touchForm is what was typed into the filing form, shown again when it
// was not valid.
type touchForm struct {
	USCC, Department, Kind, Basis, Earliest, Latest, Minutes, Exemption, Note, CheckItems string
	OnSite                                                                                bool
	Fields                                                                                []string
}

// mayFile reports whether p files touch requests at all: departments for
// their own department, officers for any.
func mayFile(p auth.Principal) bool {
	return p.Role == auth.RoleDepartment || p.Role == auth.RoleOfficer
}

func (s *Server) touchRequests(w http.ResponseWriter, r *http.Request) error {
	return s.renderTouchRequests(w, r, http.StatusOK, touchRequestsPage{Form: touchForm{OnSite: true, Minutes: "60"}})
}

func (s *Server) renderTouchRequests(w http.ResponseWriter, r *http.Request, status int, page touchRequestsPage) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if !mayFile(p) && p.Role != auth.RoleCommissioner {
		return apperr.Errorf(apperr.Forbidden, "you may not see touch requests")
	}
	ctx := r.Context()
	page.Page = s.newPage(r, "/touch")
	if page.Requests, err = s.touchService().Requests(ctx, p, touch.RequestFilter{Status: touch.Status(r.URL.Query().Get("status"))}); err != nil {
		return err
	}
	page.CanFile = mayFile(p)
	if page.CanFile {
		if err := s.fillFilingChoices(ctx, p, &page); err != nil {
			return err
		}
	}
	s.render(w, r, status, "touch_requests", page)
	return nil
}

func (s *Server) fillFilingChoices(ctx context.Context, p auth.Principal, page *touchRequestsPage) error {
	var err error
	if page.Depts, err = s.departmentOptions(ctx); err != nil {
		return err
	}
	fields, err := loadFields(ctx, s.deps.Store)
	if err != nil {
		return err
	}
	for _, f := range fields {
		if auth.FieldVisible(p, f.authField()) {
			page.Fields = append(page.Fields, f)
		}
	}
	page.Kinds, page.Exemptions = touch.Kinds, touch.Exemptions
	return nil
}

// touchFile files a request from the form and shows it.
func (s *Server) touchFile(w http.ResponseWriter, r *http.Request) error {
	p, err := signedIn(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	form := touchForm{USCC: strings.TrimSpace(r.PostFormValue("uscc")), Department: r.PostFormValue("department"),
		Kind: r.PostFormValue("kind"), Basis: r.PostFormValue("basis"), Earliest: r.PostFormValue("earliest"),
		Latest: r.PostFormValue("latest"), Minutes: r.PostFormValue("minutes"), Exemption: r.PostFormValue("exemption"),
		Note: r.PostFormValue("note"), CheckItems: r.PostFormValue("check_items"), OnSite: r.PostFormValue("on_site") != "",
		Fields: r.PostForm["fields"]}
	spec := touch.RequestSpec{Department: form.Department, Kind: touch.Kind(form.Kind), Basis: form.Basis, OnSite: form.OnSite,
		Exemption: touch.Exemption(form.Exemption), Note: form.Note}
	if p.Role == auth.RoleDepartment {
		spec.Department = p.Department
	}
	var problems []apperr.Problem
	if e, err := enterprise.GetByUSCC(r.Context(), s.deps.Store, form.USCC); err == nil {
		spec.EnterpriseID = e.ID
	} else if apperr.CodeOf(err) == apperr.Internal {
		return err
	} else {
		problems = append(problems, apperr.Problem{Field: "uscc", Reason: "no enterprise has this USCC"})
	}
	for _, name := range []string{"earliest", "latest"} {
		d, problem := formDate(r, name)
		if problem != nil {
			problems = append(problems, *problem)
		}
		if name == "earliest" {
			spec.Earliest = d
		} else {
			spec.Latest = d
		}
	}
	if spec.Minutes, err = strconv.Atoi(strings.TrimSpace(form.Minutes)); err != nil {
		problems = append(problems, apperr.Problem{Field: "minutes", Reason: "is not a number of minutes"})
	}
	for _, f := range form.Fields {
		spec.Fields = append(spec.Fields, touch.FieldWant{Field: f})
	}
	spec.CheckItems = strings.Split(form.CheckItems, "\n")
	err = apperr.InvalidInput("the touch request is not valid", problems...)
	if len(problems) == 0 {
		var req touch.Request
		if req, err = s.touchService().File(r.Context(), p, spec); err == nil {
			http.Redirect(w, r, "/touch/requests/"+strconv.FormatInt(req.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	return rerender(err, func(status int, fe FormError) error {
		return s.renderTouchRequests(w, r, status, touchRequestsPage{Form: form, FormError: fe})
	})
}

// touchRequestPage is one request: its items with their answers and
// provenance, its visit and its outcome.
type touchRequestPage struct {
	Page
	R           touch.Request
	Fields      map[string]fieldRow
	CanWithdraw bool
}

func (s *Server) touchRequest(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	req, err := s.touchService().Request(r.Context(), p, id)
	if err != nil {
		return err
	}
	fields, err := loadFields(r.Context(), s.deps.Store)
	if err != nil {
		return err
	}
	page := touchRequestPage{Page: s.newPage(r, "/touch"), R: req, Fields: map[string]fieldRow{}}
	for _, f := range fields {
		page.Fields[f.Name] = f
	}
	res, err := auth.EnterpriseResource(r.Context(), s.deps.Store, req.EnterpriseID)
	if err != nil {
		return err
	}
	res.Department = req.Department
	page.CanWithdraw = (req.Status == touch.StatusPending || req.Status == touch.StatusPlanned) &&
		auth.Allowed(p, auth.FileTouchRequest, res)
	s.render(w, r, http.StatusOK, "touch_request", page)
	return nil
}

func (s *Server) touchWithdraw(w http.ResponseWriter, r *http.Request) error {
	p, id, err := signedInAt(r)
	if err != nil {
		return err
	}
	if err := s.touchService().Withdraw(r.Context(), p, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/touch/requests/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}
