package web

import (
	"context"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// The pages and the API read results through match.Results, the one read
// model of stored results: it decides who may see them, withholds the
// values of fields the reader may not see, and adds amounts like to like.
// What is here only shapes its answers for the pages.

// enterpriseResults returns the results of one enterprise as the pages
// show them.
func (s *Server) enterpriseResults(ctx context.Context, l *i18n.Localizer, p auth.Principal, id int64, dict []fieldRow) (resultsView, match.EnterpriseResults, error) {
	er, err := s.results.Enterprise(ctx, p, id, match.Explain{})
	if err != nil {
		return resultsView{}, er, err
	}
	return buildResults(l, s.library(), er, fieldLabels(l, dict)), er, nil
}

// fieldLabels maps field names to their labels in the reader's language.
func fieldLabels(l *i18n.Localizer, dict []fieldRow) map[string]string {
	labels := make(map[string]string, len(dict))
	for _, f := range dict {
		labels[f.Name] = l.Pick(f.LabelZh, f.LabelEn)
	}
	return labels
}

// totalsByPolicy returns, per policy id, what matching found in the
// reader's park (or every park).
func (s *Server) totalsByPolicy(ctx context.Context, p auth.Principal) (map[string]policyTotals, error) {
	park, err := s.results.Park(ctx, p)
	if err != nil {
		return nil, err
	}
	out := make(map[string]policyTotals, len(park.Policies))
	for _, f := range park.Policies {
		out[f.Policy] = policyTotals{Eligible: f.Eligible, Undetermined: f.Undetermined, Ineligible: f.Ineligible,
			NearMiss: f.NearMiss, Amount: f.Amount, Value: f.Value, Benefit: string(f.Benefit)}
	}
	return out, nil
}
