package web

import (
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/touch"
)

// What the staff can do about a result left undetermined for lack of data,
// on the result's page: ask the enterprise for it on its one form (a data
// request of the commissioner system), or enter the value themselves with
// where it comes from. Without them the page would name the missing data
// and stop there.

// missingActions is the result page's missing-data section.
type missingActions struct {
	Asks     []dataAsk
	Askable  []bool // per ask: the enterprise may report it on its form
	CanAsk   bool   // the principal may file a data request
	CanEnter bool   // some value may be entered by the principal
	Base     string // the result's URL, where the forms post
	Asked    bool   // a request was just filed
	Entered  bool   // values were just recorded
}

// AnyAskable reports whether some missing value can be asked of the enterprise.
func (m *missingActions) AnyAskable() bool { return slices.Contains(m.Askable, true) }

// missingFor builds the section for the result of one policy, nil when it
// lacks no data or the reader is the liaison (whose portal has its form).
func (s *Server) missingFor(r *http.Request, p auth.Principal, e enterpriseProfile, policyID string) (*missingActions, error) {
	if p.Role == auth.RoleEnterprise {
		return nil, nil
	}
	ctx := r.Context()
	er, err := s.results.Enterprise(ctx, p, e.ID, match.Explain{Policies: []string{policyID}})
	if err != nil {
		return nil, err
	}
	on, results := er.On, er.Results
	i := slices.IndexFunc(results, func(res policy.Result) bool { return res.Policy == policyID })
	if i < 0 || results[i].Status != policy.Undetermined {
		return nil, nil
	}
	one := results[i : i+1]
	dict, err := s.fields(ctx)
	if err != nil {
		return nil, err
	}
	page := portalPage{Page: Page{L: localizer(r)}, Results: resultsView{On: on}}
	asks := dataAsks(page, p, e, one, dict)
	if len(asks) == 0 {
		return nil, nil
	}
	liaison := auth.Principal{Role: auth.RoleEnterprise, EnterpriseID: e.ID, UserID: -1}
	m := &missingActions{Asks: asks, Base: "/enterprises/" + strconv.FormatInt(e.ID, 10) + "/results/" + url.PathEscape(policyID),
		CanAsk: auth.Allowed(p, auth.FileTouchRequest, auth.Resource{EnterpriseID: e.ID, ParkID: e.ParkID, Department: p.Department})}
	for _, a := range asks {
		m.CanEnter = m.CanEnter || a.Editable
		m.Askable = append(m.Askable, auth.Allowed(liaison, auth.EditFacts, auth.Resource{EnterpriseID: e.ID, ParkID: e.ParkID, Field: a.Field.authField()}))
	}
	q := r.URL.Query()
	m.Asked, m.Entered = q.Get("asked") != "", q.Get("entered") != ""
	return m, nil
}

// missingAsk: POST /enterprises/{id}/results/{policy}/ask files a data
// request for the values checked.
func (s *Server) missingAsk(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	var wants []touch.FieldWant
	for _, v := range r.PostForm["want"] {
		field, period, _ := strings.Cut(v, ":")
		wants = append(wants, touch.FieldWant{Field: field, Period: period})
	}
	l := localizer(r)
	title := r.PathValue("policy")
	if pol, ok := s.library().Policy(title); ok {
		title = pol.Title().In(string(l.Lang()))
	}
	if _, err := s.touchService().AskData(r.Context(), p, id, wants, l.T("missing.ask.basis", title)); err != nil {
		return err
	}
	http.Redirect(w, r, "/enterprises/"+r.PathValue("id")+"/results/"+url.PathEscape(r.PathValue("policy"))+"?asked=1", http.StatusSeeOther)
	return nil
}

// missingEnter: POST /enterprises/{id}/results/{policy}/enter records the
// values typed, with their source as provenance.
func (s *Server) missingEnter(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	if p.Role == auth.RoleEnterprise {
		return apperr.Errorf(apperr.Forbidden, "a liaison reports its data on the portal's form")
	}
	source := strings.TrimSpace(r.PostFormValue("source"))
	if source == "" {
		return apperr.InvalidInput("say where the values come from", apperr.Problem{Field: "source", Reason: "is empty: name the document or the person the values come from"})
	}
	if len([]rune(source)) > 200 {
		return apperr.InvalidInput("the source is too long", apperr.Problem{Field: "source", Reason: "at most 200 characters"})
	}
	dict, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	body := formFacts(r, dict)
	if _, err := s.facts.Report(r.Context(), p, facts.Report{EnterpriseID: id, Source: "manual:" + source, JSON: body}); err != nil {
		return err
	}
	http.Redirect(w, r, "/enterprises/"+r.PathValue("id")+"/results/"+url.PathEscape(r.PathValue("policy"))+"?entered=1", http.StatusSeeOther)
	return nil
}
