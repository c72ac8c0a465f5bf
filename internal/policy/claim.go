package policy

import (
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// ClaimPeriods returns, for a regime dated by filing period (the monthly
// VAT refunds), the filing period a result evaluated on the date is for
// and the tax month it read, as YYYY-MM: the refund is applied for within
// that filing period, so "by when" is that month, not the policy's end.
// Other policies return "", "".
func (p *Policy) ClaimPeriods(on time.Time) (filingPeriod, taxMonth string) {
	if !p.inForce.byFilingPeriod || on.IsZero() {
		return "", ""
	}
	f := facts.Month(on.Year(), int(on.Month()))
	return f.String(), f.AddMonths(-1).String()
}
