package web

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// Amounts stay decimal text from the database to the page; these add and
// compare them exactly where a page needs to (a total of a few results).

var decimalCtx = apd.BaseContext.WithPrecision(40)

// addDecimal returns a + b; text that is not a decimal counts as zero.
func addDecimal(a, b string) string {
	x, _, errA := apd.NewFromString(a)
	y, _, errB := apd.NewFromString(b)
	switch {
	case errA != nil && errB != nil:
		return "0"
	case errA != nil:
		return y.Text('f')
	case errB != nil:
		return x.Text('f')
	}
	var sum apd.Decimal
	if _, err := decimalCtx.Add(&sum, x, y); err != nil {
		return x.Text('f')
	}
	return sum.Text('f')
}

// compareDecimal orders decimal text; text that is not a decimal comes first.
func compareDecimal(a, b string) int {
	x, _, errA := apd.NewFromString(a)
	y, _, errB := apd.NewFromString(b)
	switch {
	case errA != nil && errB != nil:
		return 0
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	return x.Cmp(y)
}

// parseDecimalText reads decimal text as a float, for display only.
func parseDecimalText(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}
