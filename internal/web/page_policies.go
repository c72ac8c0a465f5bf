package web

import (
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// policiesPage lists the policies of the library with what matching found
// for each.
type policiesPage struct {
	Page
	Policies    []policyRow
	On          time.Time
	CanSimulate bool
}

// policyRow is one policy of the list.
type policyRow struct {
	ID, Title, Summary string
	Mode               policy.Mode
	Verified           bool
	InForce            bool
	HasAmount          bool
	Totals             policyTotals
}

// policyTotals is what matching found for a policy, as far as the reader
// may see: counts by status and the total amount of the eligible.
type policyTotals struct {
	Eligible, Undetermined, Ineligible, NearMiss int
	Amount                                       string
	Benefit                                      string // the kind of the amount
	Value                                        string // what it is worth in money
}

func (s *Server) policies(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return err
	}
	page := policiesPage{Page: s.newPage(r, "/policies"), On: s.now(), CanSimulate: auth.Allowed(p, auth.ManagePolicies, auth.Resource{})}
	totals, err := s.totalsByPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	for _, pol := range s.policyList() {
		page.Policies = append(page.Policies, policyRow{ID: pol.ID(), Title: pol.Title().In(string(page.L.Lang())),
			Summary: pol.Summary().In(string(page.L.Lang())), Mode: pol.Mode(), Verified: pol.Verified(),
			InForce: pol.InForce(page.On), HasAmount: pol.HasAmount(), Totals: totals[pol.ID()]})
	}
	s.render(w, r, http.StatusOK, "policies", page)
	return nil
}
