package web

import (
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// apiEnterpriseResults: an enterprise's stored results, each as the data
// contract's result JSON with its explanation; ?status= narrows them.
func (s *Server) apiEnterpriseResults(w http.ResponseWriter, r *http.Request) error {
	id, p, err := s.visibleEnterprise(r)
	if err != nil {
		return err
	}
	er, err := s.results.Enterprise(r.Context(), p, id, match.Explain{All: true})
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	out := struct {
		Enterprise int64               `json:"enterprise"`
		On         string              `json:"on,omitempty"`
		Results    []policy.Result     `json:"results"`
		Totals     match.BenefitTotals `json:"totals"`
		// Withheld says values were left out: the caller may not see a
		// field they come from.
		Withheld bool `json:"withheld"`
	}{Enterprise: id, Results: []policy.Result{}, Totals: er.Totals, Withheld: er.Withheld}
	if !er.On.IsZero() {
		out.On = er.On.Format(time.DateOnly)
	}
	for _, res := range er.Results {
		if status == "" || string(res.Status) == status {
			out.Results = append(out.Results, res)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// policyResultJSON is one enterprise's result in a policy's list.
type policyResultJSON struct {
	Enterprise enterpriseRef `json:"enterprise"`
	Status     string        `json:"status"`
	Amount     *string       `json:"amount"`
	Missing    []string      `json:"missing"`
	NearMiss   bool          `json:"near_miss"`
	// Withheld says the amount was left out: the caller may not see a
	// field it comes from.
	Withheld bool `json:"withheld,omitempty"`
}

type enterpriseRef struct {
	ID   int64  `json:"id"`
	USCC string `json:"uscc"`
	Name string `json:"name"`
}

// apiPolicyResults: a policy's results over the enterprises the caller
// may see results of, paged, largest amounts first; ?status= filters.
func (s *Server) apiPolicyResults(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return err
	}
	pol, ok := s.policyByID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	paging := pagingOf(r.URL.Query())
	rows, total, err := s.results.Policy(r.Context(), p, pol.ID(), r.URL.Query().Get("status"), paging.Per, paging.Offset())
	if err != nil {
		return err
	}
	out := listJSON[policyResultJSON]{Items: []policyResultJSON{}, Page: paging.Page, Per: paging.Per, Total: total}
	for _, row := range rows {
		item := policyResultJSON{Enterprise: enterpriseRef{ID: row.EnterpriseID, USCC: row.USCC, Name: row.Name},
			Status: row.Status, Missing: row.Missing, NearMiss: row.NearMiss, Withheld: row.Withheld}
		if item.Missing == nil {
			item.Missing = []string{}
		}
		if row.Amount != "" {
			amount := row.Amount
			item.Amount = &amount
		}
		out.Items = append(out.Items, item)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
