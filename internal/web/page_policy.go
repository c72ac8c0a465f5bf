package web

import (
	"net/http"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// policyPage is one policy: what it asks (criteria), its dated parameters
// and source documents, and the enterprises matching found eligible with
// their amounts and the totals by industry.
type policyPage struct {
	Page
	ID, Title, Summary string
	Version            string
	Mode               string
	Verified           bool
	Unverified         string
	InForce            bool
	From, To           string
	ByFilingMonth      bool
	AmountLabel        string
	Documents          []policy.Document
	Criteria           []criterionInfoView
	Parameters         []parameterView
	Materials          []string
	Totals             policyTotals
	Status             string // the list's filter
	Rows               []policyResultView
	Pager              Pager
	CanResults         bool // the reader may see enterprises' results (not only totals)
}

type criterionInfoView struct {
	ID, Label string
}

type parameterView struct {
	Name, Label string
	Values      []parameterValueView
}

type parameterValueView struct {
	From, Value string
	Verified    bool
}

type policyResultView struct {
	match.PolicyRow
	Industry string
	Missing  string
}

func (s *Server) policyPage(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return err
	}
	pol, ok := s.policyByID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	ctx := r.Context()
	page := policyPage{Page: s.newPage(r, "/policies")}
	lang := string(page.L.Lang())
	l := page.L
	page.ID, page.Title, page.Summary, page.Version = pol.ID(), pol.Title().In(lang), pol.Summary().In(lang), pol.Version()
	page.Mode, page.Verified, page.InForce = string(pol.Mode()), pol.Verified(), pol.InForce(s.now())
	page.AmountLabel, page.Documents = pol.AmountLabel().In(lang), pol.Documents()
	if note, _, ok := pol.UnverifiedNote(); ok {
		page.Unverified = note.In(lang)
	}
	from, to, byMonth := pol.InForceRange()
	page.From, page.ByFilingMonth = l.Date(from), byMonth
	if !to.IsZero() {
		page.To = l.Date(to)
	}
	for _, c := range pol.Criteria() {
		page.Criteria = append(page.Criteria, criterionInfoView{ID: c.ID, Label: c.Label.In(lang)})
	}
	for _, prm := range pol.Parameters() {
		v := parameterView{Name: prm.Name, Label: prm.Label.In(lang)}
		for _, pv := range prm.Values {
			v.Values = append(v.Values, parameterValueView{From: l.Date(pv.From), Value: showUnit(l, prm.Unit, pv.Value), Verified: pv.Verified})
		}
		page.Parameters = append(page.Parameters, v)
	}
	for _, m := range pol.Materials() {
		page.Materials = append(page.Materials, m.In(lang))
	}
	totals, err := s.totalsByPolicy(ctx, p)
	if err != nil {
		return err
	}
	page.Totals = totals[pol.ID()]
	page.Status = r.URL.Query().Get("status")
	switch page.Status {
	case "eligible", "undetermined", "ineligible":
	default:
		page.Status = "eligible"
	}
	// Leaders and admins see totals; whose results these are is for those
	// who may see each enterprise's results, and the list is scoped so.
	page.CanResults = p.Role == auth.RoleOfficer || p.Role == auth.RoleCommissioner
	if page.CanResults {
		paging := pagingOf(r.URL.Query())
		rows, total, err := s.results.Policy(ctx, p, pol.ID(), page.Status, paging.Per, paging.Offset())
		if err != nil {
			return err
		}
		labels := map[string]string{}
		if dict, err := s.fields(ctx); err == nil {
			for _, f := range dict {
				labels[f.Name] = l.Pick(f.LabelZh, f.LabelEn)
			}
		}
		for _, row := range rows {
			v := policyResultView{PolicyRow: row, Industry: industryName(l, row.IndustryCode)}
			var names []string
			for _, m := range row.Missing {
				names = append(names, labels[m])
			}
			v.Missing = l.Join(names)
			page.Rows = append(page.Rows, v)
		}
		page.Pager = newPager(r, paging, total, "#policy-results")
		if isHTMX(r) && r.Header.Get("HX-Target") == "policy-results" {
			s.renderFragment(w, r, http.StatusOK, "policy", "policy-results", page)
			return nil
		}
	}
	s.render(w, r, http.StatusOK, "policy", page)
	return nil
}
