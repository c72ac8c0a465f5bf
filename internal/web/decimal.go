package web

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// Amounts stay decimal text from the database to the page; these compare
// them exactly where a page needs to (sorting a few results).

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
