package facts_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestBulkAppendMatchesAppendFacts applies the same rounds of facts — new
// keys, repeats within a round, values equal to the current ones, values
// recorded before the current ones — with AppendFacts to one set of
// enterprises and with BulkAppend to another, and compares what each
// reported and what each left current, round after round.
func TestBulkAppendMatchesAppendFacts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		const n = 12
		var plain, bulk []int64
		for i := range n {
			plain = append(plain, mustEnterprise(t, db, uint64(100+i)).ID)
			bulk = append(bulk, mustEnterprise(t, db, uint64(200+i)).ID)
		}
		dict := facts.Builtin()
		revenue, _ := dict.Field("revenue")
		rng := rand.New(rand.NewPCG(1, 2))
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		for round := range 6 {
			// A round's facts by enterprise index, so that both sides get the
			// same ones; every third round is recorded before the previous.
			at := base.Add(time.Duration(round) * time.Hour)
			if round%3 == 2 {
				at = base.Add(-time.Hour)
			}
			type f struct {
				ent   int
				year  int
				value string
			}
			var round_ []f
			for range 40 {
				round_ = append(round_, f{rng.IntN(n), 2020 + rng.IntN(4), strconv.Itoa(100 * rng.IntN(4))})
			}
			seq := func(ids []int64) func(func(facts.Fact) bool) {
				return func(yield func(facts.Fact) bool) {
					for _, x := range round_ {
						v, err := revenue.ParseValue(x.value)
						if err != nil {
							t.Fatal(err)
						}
						if !yield(facts.Fact{EnterpriseID: ids[x.ent], Field: "revenue", Period: facts.Year(x.year), Value: v}) {
							return
						}
					}
				}
			}
			got, want := facts.Appended{}, facts.Appended{}
			err := db.InTx(ctx, func(tx *store.Tx) error {
				batch, err := facts.NewBatch(ctx, tx, "import:bulk.csv", "t")
				if err != nil {
					return err
				}
				got, err = facts.BulkAppend(ctx, tx, facts.Provenance{Source: "import:bulk.csv", Actor: "t", BatchID: batch, At: at}, seq(bulk))
				return err
			})
			if err != nil {
				t.Fatalf("round %d: BulkAppend: %v", round, err)
			}
			want, err = facts.AppendFacts(ctx, db, facts.Provenance{Source: "import:plain.csv", Actor: "t", At: at}, seq(plain))
			if err != nil {
				t.Fatal(err)
			}
			index := func(ids, of []int64) []int {
				var out []int
				for _, id := range of {
					out = append(out, slices.Index(ids, id))
				}
				return out
			}
			if got.Rows != want.Rows || got.Changed != want.Changed || !slices.Equal(index(bulk, got.Enterprises), index(plain, want.Enterprises)) {
				t.Errorf("round %d: BulkAppend %+v, AppendFacts %+v", round, got, want)
			}
			for i := range n {
				a, err := facts.Current(ctx, db, bulk[i])
				if err != nil {
					t.Fatal(err)
				}
				b, err := facts.Current(ctx, db, plain[i])
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("round %d, enterprise %d: bulk %v, plain %v", round, i, a, b)
				}
			}
		}
		// Every current value names the fact it came from: its key and value.
		var strays int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM current_facts c LEFT JOIN facts f
	ON f.id = c.fact_id AND f.enterprise_id = c.enterprise_id AND f.field = c.field AND f.period = c.period AND f.value = c.value
WHERE f.id IS NULL`).Scan(&strays); err != nil || strays != 0 {
			t.Errorf("%d current values name no fact of their key and value (%v)", strays, err)
		}
		var histBulk, histPlain int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM facts WHERE source = 'import:bulk.csv'").Scan(&histBulk)
		db.QueryRow(ctx, "SELECT COUNT(*) FROM facts WHERE source = 'import:plain.csv'").Scan(&histPlain)
		if histBulk != histPlain || histBulk != 6*40 {
			t.Errorf("history rows: bulk %d, plain %d, want %d each", histBulk, histPlain, 6*40)
		}
	})
}

// A bulk append that names an enterprise or a field the database lacks
// writes nothing; an unknown field is named.
func TestBulkAppendRefusesUnknownKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		e := mustEnterprise(t, db, 1)
		revenue, _ := facts.Builtin().Field("revenue")
		v, _ := revenue.ParseValue("100")
		for _, tc := range []struct {
			name  string
			bad   facts.Fact
			names string // what the error must name, if anything
		}{
			{"enterprise", facts.Fact{EnterpriseID: e.ID + 999, Field: "revenue", Period: facts.Year(2023), Value: v}, ""},
			{"field", facts.Fact{EnterpriseID: e.ID, Field: "no_such_field", Period: facts.Year(2023), Value: v}, `"no_such_field"`},
		} {
			err := db.InTx(ctx, func(tx *store.Tx) error {
				batch, err := facts.NewBatch(ctx, tx, "import:x.csv", "t")
				if err != nil {
					return err
				}
				_, err = facts.BulkAppend(ctx, tx, facts.Provenance{Source: "import:x.csv", Actor: "t", BatchID: batch}, slices.Values([]facts.Fact{
					{EnterpriseID: e.ID, Field: "revenue", Period: facts.Year(2023), Value: v}, tc.bad,
				}))
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tc.names) {
				t.Fatalf("a fact of an unknown %s: %v, want an error naming %s", tc.name, err, tc.names)
			}
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM facts").Scan(&n); err != nil || n != 0 {
				t.Errorf("unknown %s: %d facts written (%v), want none", tc.name, n, err)
			}
		}
	})
}
