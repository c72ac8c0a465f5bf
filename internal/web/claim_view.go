package web

import (
	"context"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/match"
	"time"

	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// claimView is how the enterprise gets one benefit, from the policy's
// claim mode: what it does (nothing, confirm, apply, or declare it in its
// own tax filing), where, and by when. A refund dated by filing period is
// claimed in the filing period of the result, which is said as a month.
type claimView struct {
	Mode         string // a policy.Mode
	Where, By    string // the policy's own words, in the reader's language
	FilingPeriod string // "2022年8月", for a regime dated by filing period
	TaxMonth     string
}

// claimOf reads the claim of the result's policy; the zero view when the
// policy is not in the library (the template then says nothing).
func claimOf(l *i18n.Localizer, pol *policy.Policy, on time.Time, r *policy.Result) claimView {
	c := pol.Claim()
	lang := string(l.Lang())
	v := claimView{Mode: string(c.Mode), Where: c.Where.In(lang), By: c.By.In(lang)}
	if v.Mode == "" {
		v.Mode = string(pol.Mode())
	}
	filing, month := r.FilingPeriod, r.TaxMonth
	if filing == "" {
		filing, month = pol.ClaimPeriods(on)
	}
	if filing != "" {
		v.FilingPeriod, v.TaxMonth = l.Period(filing), l.Period(month)
	}
	return v
}

// claimStep is what the claim-step template gets.
type claimStep struct {
	L         *i18n.Localizer
	C         claimView
	Materials []string
	Deadline  string
}

// Step is the result's next step for the claim-step template.
func (r resultView) Step(l *i18n.Localizer) claimStep {
	return claimStep{L: l, C: r.Claim, Materials: r.Materials, Deadline: r.Deadline}
}

// nearGuideView is what the near-guide template gets: one near miss, said
// once from its parts (the criterion, the values, the gap, the money the
// gap stands for and what meeting it is worth), never from the engine's
// sentence, which the explanation and the criteria table already hold.
type nearGuideView struct {
	L *i18n.Localizer
	N *nearMissView
}

func newNearGuide(l *i18n.Localizer, n *nearMissView) nearGuideView {
	return nearGuideView{L: l, N: n}
}

// enterpriseResultsNear is enterpriseResults with the near misses
// explained by the policy engine (their worth and the money of their gap).
func (s *Server) enterpriseResultsNear(ctx context.Context, l *i18n.Localizer, p auth.Principal, id int64, dict []fieldRow) (resultsView, error) {
	er, err := s.results.Enterprise(ctx, p, id, match.Explain{NearMisses: true})
	if err != nil {
		return resultsView{}, err
	}
	return buildResults(l, s.library(), er, fieldLabels(l, dict)), nil
}
