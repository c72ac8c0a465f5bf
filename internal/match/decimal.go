package match

import "github.com/cockroachdb/apd/v3"

// The decimal contexts of the stored results' sums: the policy engine's
// (40 significant digits, half-up), and the fen rounding applied once at
// the end. They are package vector's own, repeated here until amounts have
// their one home (issue 12, point 6: internal/money).
var (
	arith = func() *apd.Context {
		c := apd.BaseContext.WithPrecision(40)
		c.Rounding = apd.RoundHalfUp
		return c
	}()
	fenContext = func() *apd.Context {
		c := apd.BaseContext.WithPrecision(44)
		c.Rounding = apd.RoundHalfUp
		return c
	}()
)

func roundDecimalFen(d *apd.Decimal) *apd.Decimal {
	var r apd.Decimal
	if _, err := fenContext.Quantize(&r, d, -2); err != nil {
		return nil
	}
	return &r
}
