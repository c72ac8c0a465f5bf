package facts_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestConcurrentWritersOfANewEnterpriseAllLand: an enterprise's current
// values are one row, read, merged and written back. Eight writers giving
// a new enterprise (no row yet) different years at once must leave every
// year current: on PostgreSQL they take turns on the enterprise, where a
// merge of a row not yet there would let the last writer's row replace
// the others'.
func TestConcurrentWritersOfANewEnterpriseAllLand(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		e := mustEnterprise(t, db, 1)
		revenue, _ := facts.Builtin().Field("revenue")
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Go(func() {
				v, _ := revenue.ParseValue(fmt.Sprint(100 + i))
				_, errs[i] = facts.AppendFacts(ctx, db, facts.Provenance{Source: "api", Actor: "t"},
					func(yield func(facts.Fact) bool) {
						yield(facts.Fact{EnterpriseID: e.ID, Field: "revenue", Period: facts.Year(2000 + i), Value: v})
					})
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		current, err := facts.Current(ctx, db, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(current["revenue"]); got != writers {
			t.Errorf("%d years current after %d writers, want %d: %v", got, writers, writers, current["revenue"])
		}
	})
}
