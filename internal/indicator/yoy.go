package indicator

import (
	"github.com/cockroachdb/apd/v3"
)

// exact is the context of the indicators' arithmetic: far more digits than
// any sum of amounts has, so that nothing is rounded before the end.
var exact = apd.BaseContext.WithPrecision(50)

// halfUp rounds half away from zero, as the statistics bureaus do.
var halfUp = func() *apd.Context {
	c := exact
	c.Rounding = apd.RoundHalfUp
	return c
}()

var hundred = apd.New(100, 0)

// YoYPct is (value − base) / base × 100, rounded half-up to one decimal;
// ok is false when the base is absent or zero, where no change can be
// given.
func YoYPct(value, base *apd.Decimal) (string, bool) {
	if value == nil || base == nil || base.IsZero() {
		return "", false
	}
	var diff, ratio, pct apd.Decimal
	exact.Sub(&diff, value, base)
	exact.Quo(&ratio, &diff, base)
	exact.Mul(&pct, &ratio, hundred)
	return round(&pct, 1), true
}

// ratioPct is num / den × 100 rounded half-up to two decimals.
func ratioPct(num, den *apd.Decimal) (*apd.Decimal, bool) {
	if den.IsZero() {
		return nil, false
	}
	var q, pct apd.Decimal
	exact.Quo(&q, num, den)
	exact.Mul(&pct, &q, hundred)
	out := new(apd.Decimal)
	halfUp.Quantize(out, &pct, -2)
	return out, true
}

// round writes d rounded half-up to places decimals, never "-0.0".
func round(d *apd.Decimal, places int32) string {
	var r apd.Decimal
	halfUp.Quantize(&r, d, -places)
	if r.IsZero() {
		r.Negative = false
	}
	return r.Text('f')
}
