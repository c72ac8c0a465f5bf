package exchange

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestRepeatFilter(t *testing.T) {
	r := newRepeatFilter()
	const n = 200_000
	for i := range n {
		r.add(factKey{USCC: testUSCC(i % 1000), Field: "vat_credit_end", Period: facts.Month(2000, 1).AddMonths(i / 1000)})
	}
	// Every key is distinct: what the filter keeps are false alarms, which
	// at this size are a handful at most.
	if len(r.repeats) > 20 || r.overflow {
		t.Errorf("%d false alarms in %d distinct keys", len(r.repeats), n)
	}
	repeated := factKey{USCC: testUSCC(7), Field: "vat_credit_end", Period: facts.Month(2000, 1)}
	r.add(repeated)
	if _, ok := r.repeats[repeated]; !ok {
		t.Error("a key added twice is not a candidate")
	}
}

// TestImportManyConflicts gives more repeated facts than the repeat filter
// keeps, so the whole import is checked in the database: the report still
// names the conflicts, at most maxConflicts of them.
func TestImportManyConflicts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		a := testUSCC(1)
		first, second := []string{factHeader}, []string{factHeader}
		for i := range maxRepeats + 1 {
			p := facts.Month(1900, 1).AddMonths(i).String()
			first = append(first, fmt.Sprintf("%s,vat_credit_end,%s,1", a, p))
			second = append(second, fmt.Sprintf("%s,vat_credit_end,%s,2", a, p))
		}
		before := tableCounts(t, db)
		rep, err := Import(context.Background(), db, []File{csvFile("e.csv", entHeader, a+",甲,,,,"), csvFile("one.csv", first...), csvFile("two.csv", second...)}, Options{})
		problems := apperr.ProblemsOf(err)
		if rep.ProblemsTotal != maxConflicts || len(problems) != maxConflicts {
			t.Fatalf("%d problems (%d kept), want %d", rep.ProblemsTotal, len(problems), maxConflicts)
		}
		if p := problems[0]; p.USCC != a || p.Field != "vat_credit_end" || !strings.Contains(p.Reason, "period 1900-01 is given 2 different values in this import (1 … 2, in one.csv and two.csv)") {
			t.Errorf("first problem = %+v", p)
		}
		if after := tableCounts(t, db); !sameCounts(before, after) {
			t.Errorf("a failed import wrote: %v, then %v", before, after)
		}
	})
}
