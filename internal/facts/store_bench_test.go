package facts_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// BenchmarkAppendFacts appends 100,000 facts per operation (1,000
// enterprises × 100 months of a monthly money field) in one transaction, as
// an import does; every operation writes new values, so every fact changes a
// current value. -benchtime=10x writes a million.
func BenchmarkAppendFacts(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d.String(), func(b *testing.B) {
			ctx := context.Background()
			db := storetest.Open(b, d)
			if err := facts.SeedDictionary(ctx, db); err != nil {
				b.Fatal(err)
			}
			const enterprises, months = 1000, 100
			ids := make([]int64, enterprises)
			for i := range ids {
				e := enterprise.Enterprise{USCC: enterprise.MakeUSCC("330106", uint64(i)), Name: fmt.Sprint("企业", i)}
				if err := enterprise.Create(ctx, db, &e); err != nil {
					b.Fatal(err)
				}
				ids[i] = e.ID
			}
			field, _ := facts.Builtin().Field("vat_credit_end")
			start := facts.Month(2015, 1)
			b.ResetTimer()
			begin := time.Now()
			for n := range b.N {
				seq := func(yield func(facts.Fact) bool) {
					for _, id := range ids {
						for m := range months {
							v, _ := field.ParseValue(fmt.Sprint(n*1000 + m))
							if !yield(facts.Fact{EnterpriseID: id, Field: "vat_credit_end", Period: start.AddMonths(m), Value: v}) {
								return
							}
						}
					}
				}
				err := db.InTx(ctx, func(tx *store.Tx) error {
					_, err := facts.AppendFacts(ctx, tx, facts.Provenance{Source: "import:bench.csv", Actor: "bench"}, seq)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*enterprises*months)/time.Since(begin).Seconds(), "facts/s")
		})
	}
}
