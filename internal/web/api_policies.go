package web

import (
	"net/http"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// fieldJSON is a field of the data dictionary in the API.
type fieldJSON struct {
	Name          string `json:"name"`
	Type          string `json:"type"`
	Unit          string `json:"unit,omitempty"`
	Shape         string `json:"shape"`
	Enum          string `json:"enum,omitempty"`
	Min           string `json:"min,omitempty"`
	Max           string `json:"max,omitempty"`
	Department    string `json:"department"`
	Sensitivity   string `json:"sensitivity"`
	FreshnessDays int    `json:"freshness_days,omitempty"`
	LabelZh       string `json:"label_zh"`
	LabelEn       string `json:"label_en"`
	Builtin       bool   `json:"builtin"`
}

func (s *Server) apiDictionary(w http.ResponseWriter, r *http.Request) error {
	if _, err := apiPrincipal(r); err != nil {
		return err
	}
	fields, err := s.fields(r.Context())
	if err != nil {
		return err
	}
	dept := r.URL.Query().Get("department")
	out := struct {
		Fields []fieldJSON `json:"fields"`
	}{Fields: []fieldJSON{}}
	for _, f := range fields {
		if dept != "" && f.Department != dept {
			continue
		}
		out.Fields = append(out.Fields, fieldJSON{Name: f.Name, Type: f.Type, Unit: f.Unit, Shape: f.Shape, Enum: f.Enum, Min: f.Min, Max: f.Max,
			Department: f.Department, Sensitivity: f.Sensitivity, FreshnessDays: f.FreshnessDays, LabelZh: f.LabelZh, LabelEn: f.LabelEn, Builtin: f.Builtin})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// policyJSON is a policy in the API: what it is, and what matching found.
type policyJSON struct {
	ID         string                 `json:"id"`
	Version    string                 `json:"version"`
	Title      policy.Texts           `json:"title"`
	Summary    policy.Texts           `json:"summary"`
	Mode       policy.Mode            `json:"mode"`
	Verified   bool                   `json:"verified"`
	InForce    bool                   `json:"in_force"`
	From       string                 `json:"in_force_from,omitempty"`
	To         string                 `json:"in_force_to,omitempty"`
	HasAmount  bool                   `json:"has_amount"`
	Documents  []policy.Document      `json:"documents,omitempty"`
	Criteria   []policy.CriterionInfo `json:"criteria,omitempty"`
	Parameters []policy.ParameterInfo `json:"parameters,omitempty"`
	Totals     totalsJSON             `json:"totals"`
}

type totalsJSON struct {
	Eligible     int    `json:"eligible"`
	Undetermined int    `json:"undetermined"`
	Ineligible   int    `json:"ineligible"`
	NearMiss     int    `json:"near_miss"`
	Amount       string `json:"amount"`
	// Benefit is the kind of the amount (cash, tax_saving, deduction,
	// qualification); Value is what the amount is worth in money (a
	// deduction's tax value, nothing for a qualification).
	Benefit string `json:"benefit"`
	Value   string `json:"value"`
}

func toPolicyJSON(pol *policy.Policy, on time.Time, t policyTotals, detail bool) policyJSON {
	out := policyJSON{ID: pol.ID(), Version: pol.Version(), Title: pol.Title(), Summary: pol.Summary(), Mode: pol.Mode(),
		Verified: pol.Verified(), InForce: pol.InForce(on), HasAmount: pol.HasAmount(),
		Totals: totalsJSON(t)}
	if out.Totals.Amount == "" {
		out.Totals.Amount = "0.00"
	}
	if out.Totals.Value == "" {
		out.Totals.Value = "0.00"
	}
	if out.Totals.Benefit == "" {
		out.Totals.Benefit = string(pol.Benefit().Kind)
	}
	from, to, _ := pol.InForceRange()
	if !from.IsZero() {
		out.From = from.Format(time.DateOnly)
	}
	if !to.IsZero() {
		out.To = to.Format(time.DateOnly)
	}
	if detail {
		out.Documents, out.Criteria, out.Parameters = pol.Documents(), pol.Criteria(), pol.Parameters()
	}
	return out
}

func (s *Server) apiPolicies(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return err
	}
	totals, err := s.totalsByPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	out := struct {
		Policies []policyJSON `json:"policies"`
	}{Policies: []policyJSON{}}
	on := s.now()
	for _, pol := range s.policyList() {
		out.Policies = append(out.Policies, toPolicyJSON(pol, on, totals[pol.ID()], false))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiPolicy(w http.ResponseWriter, r *http.Request) error {
	p := principal(r)
	if err := auth.Can(p, auth.ViewPolicies, auth.Resource{}); err != nil {
		return err
	}
	pol, ok := s.policyByID(r.PathValue("id"))
	if !ok {
		return errNotFound
	}
	totals, err := s.totalsByPolicy(r.Context(), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toPolicyJSON(pol, s.now(), totals[pol.ID()], true))
	return nil
}
