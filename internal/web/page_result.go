package web

import (
	"net/http"
	"slices"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// resultPage is one result with its whole explanation: the part htmx
// swaps into an opened result, or, followed as a link, a page of its own.
type resultPage struct {
	Page
	E    enterpriseProfile
	Item resultItem
	Back string // the list the result belongs to
	// Missing offers what to do about missing data (the staff's page).
	Missing *missingActions
}

// explainedResult returns the stored result of one policy for an
// enterprise, with the policy engine's sentences when it agrees, as p may
// see it.
func (s *Server) explainedResult(r *http.Request, p auth.Principal, enterpriseID int64, policyID string, dict []fieldRow) (resultView, bool, error) {
	er, err := s.results.Enterprise(r.Context(), p, enterpriseID, match.Explain{Policies: []string{policyID}})
	if err != nil {
		return resultView{}, false, err
	}
	i := slices.IndexFunc(er.Results, func(res policy.Result) bool { return res.Policy == policyID })
	if i < 0 {
		return resultView{}, false, nil
	}
	l := localizer(r)
	return buildResult(l, s.library(), er.On, &er.Results[i], fieldLabels(l, dict)), true, nil
}

// enterpriseResult: GET /enterprises/{id}/results/{policy}.
func (s *Server) enterpriseResult(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	prof, err := s.profile(ctx, p, id)
	if err != nil {
		return err
	}
	if err := auth.Can(p, auth.ViewResults, auth.Enterprise(id, prof.ParkID)); err != nil {
		return err
	}
	return s.renderResult(w, r, prof, "/enterprises/"+r.PathValue("id"))
}

// portalResult: GET /portal/results/{policy}, the liaison's own.
func (s *Server) portalResult(w http.ResponseWriter, r *http.Request) error {
	_, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	return s.renderResult(w, r, e, "/portal")
}

func (s *Server) renderResult(w http.ResponseWriter, r *http.Request, e enterpriseProfile, back string) error {
	dict, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	rv, ok, err := s.explainedResult(r, principal(r), e.ID, r.PathValue("policy"), dict)
	if err != nil {
		return err
	}
	if !ok {
		return errNotFound
	}
	page := resultPage{Page: s.newPage(r, back), E: e, Back: back}
	page.E.Industry = industryName(page.L, e.IndustryCode)
	if back == "/portal" {
		rv = rv.forEnterprise()
	}
	page.Item = resultItem{L: page.L, R: rv, Open: true}
	if !isHTMX(r) {
		if page.Missing, err = s.missingFor(r, principal(r), e, r.PathValue("policy")); err != nil {
			return err
		}
	}
	if isHTMX(r) {
		s.renderFragment(w, r, http.StatusOK, "result", "result-body", page.Item)
		return nil
	}
	s.render(w, r, http.StatusOK, "result", page)
	return nil
}
