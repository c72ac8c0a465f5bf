package match

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// randomChange makes one random change to an enterprise's data, of the
// kind imports make: a new value for a fact the policies read (around its
// thresholds as often as not), or a new industry or registration date. It
// returns the name of what changed.
func randomChange(t *testing.T, ctx context.Context, db *store.DB, rng *rand.Rand, prog *vector.Program, id int64) string {
	t.Helper()
	if rng.IntN(12) == 0 {
		e, err := enterprise.Get(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		field := "industry_code"
		if rng.IntN(2) == 0 {
			e.IndustryCode = []string{"C3911", "F5123", "I6513", "K7010", "M7320", "C1610", ""}[rng.IntN(7)]
		} else {
			field = "registered_on"
			e.RegisteredOn = fmt.Sprintf("%04d-%02d-%02d", 2005+rng.IntN(20), 1+rng.IntN(12), 1+rng.IntN(28))
		}
		if err := enterprise.Update(ctx, db, &e); err != nil {
			t.Fatal(err)
		}
		return field
	}
	cols := prog.Reads()
	col := cols[rng.IntN(len(cols))]
	f := col.Field
	var text string
	switch {
	case f.Type == facts.Bool:
		text = strconv.FormatBool(rng.IntN(2) == 0)
	case f.Type == facts.Enum:
		text = f.Enum[rng.IntN(len(f.Enum))]
	case f.Type == facts.Integer:
		text = strconv.Itoa([]int{0, 1, 2, 3, 10, 30, 300, 301, 500}[rng.IntN(9)] + rng.IntN(3))
	case f.Type == facts.Ratio:
		text = fmt.Sprintf("%.4f", rng.Float64())
	default:
		text = fmt.Sprintf("%d.%02d", []int{0, 1, 500000, 3000000, 50000000, 200000000}[rng.IntN(6)]+rng.IntN(1000), rng.IntN(100))
	}
	v, err := f.ParseValue(text)
	if err != nil {
		// a bound of the dictionary (a ratio above 1, say): take the value 0
		if v, err = f.ParseValue("0"); err != nil {
			t.Fatal(err)
		}
	}
	per := col.Period // none for the derived size class: enterprise_size is timeless
	if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "test", Actor: "t"}, func(yield func(facts.Fact) bool) {
		yield(facts.Fact{EnterpriseID: id, Field: f.Name, Period: per, Value: v})
	}); err != nil {
		t.Fatalf("append %s %s = %s: %v", f.Name, per, text, err)
	}
	return f.Name
}

// TestIncrementalEqualsBatch is the property that incremental
// re-evaluation and batch matching agree: after random fact changes, each
// followed by Reevaluate for the changed field only, a full batch finds
// nothing to rewrite, and the stored results are those a batch computes.
func TestIncrementalEqualsBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ids := mustPark(t, db, 40, 11)
		m := mustMatcher(t)
		prog, err := m.Program(testOn, "")
		if err != nil {
			t.Fatal(err)
		}
		first, last := ids[0], ids[len(ids)-1]
		if _, err := m.MatchRange(ctx, db, prog, first, last, nil, nil); err != nil {
			t.Fatal(err)
		}
		for seed := uint64(1); seed <= 3; seed++ {
			rng := rand.New(rand.NewPCG(seed, 99))
			for range 40 {
				id := ids[rng.IntN(len(ids))]
				field := randomChange(t, ctx, db, rng, prog, id)
				if _, err := m.Reevaluate(ctx, db, testOn, id, []string{field}); err != nil {
					t.Fatalf("reevaluate %d after %s: %v", id, field, err)
				}
			}
			incremental := readAllResults(t, db)
			stats, err := m.MatchRange(ctx, db, prog, first, last, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			batch := readAllResults(t, db)
			if stats.Written != 0 {
				t.Errorf("seed %d: a batch after the incremental updates rewrote %d results", seed, stats.Written)
			}
			for k, b := range batch {
				if incremental[k] != b {
					t.Errorf("seed %d: %v incremental %+v, batch %+v", seed, k, incremental[k], b)
				}
			}
			if len(batch) != len(incremental) {
				t.Errorf("seed %d: %d results after the incremental updates, %d after the batch", seed, len(incremental), len(batch))
			}
		}
	})
}
