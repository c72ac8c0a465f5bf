package facts_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestLoadFreshMatchesAppendFacts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustSeed(t, db)
		loaded, appended := mustEnterprise(t, db, 1), mustEnterprise(t, db, 2)
		dict := facts.Builtin()
		revenue, _ := dict.Field("revenue")
		value := func(s string) facts.Value {
			v, err := revenue.ParseValue(s)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		factsFor := func(id int64) []facts.Fact {
			return []facts.Fact{
				{EnterpriseID: id, Field: "revenue", Period: facts.Year(2022), Value: value("100")},
				{EnterpriseID: id, Field: "revenue", Period: facts.Year(2023), Value: value("200")},
				// The same key again: the later value becomes current.
				{EnterpriseID: id, Field: "revenue", Period: facts.Year(2022), Value: value("150")},
			}
		}
		at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		batch, err := facts.NewBatch(ctx, db, "demo", "system")
		if err != nil {
			t.Fatal(err)
		}
		n, err := facts.LoadFresh(ctx, db, facts.Provenance{Source: "demo", Actor: "system", BatchID: batch, At: at}, slices.Values(factsFor(loaded.ID)))
		if err != nil {
			t.Fatalf("LoadFresh: %v", err)
		}
		if n != 3 {
			t.Errorf("LoadFresh wrote %d history rows, want 3", n)
		}
		if _, err := facts.AppendFacts(ctx, db, facts.Provenance{Source: "demo", Actor: "system", At: at}, slices.Values(factsFor(appended.ID))); err != nil {
			t.Fatal(err)
		}
		got, err := facts.Current(ctx, db, loaded.ID)
		if err != nil {
			t.Fatal(err)
		}
		want, err := facts.Current(ctx, db, appended.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []facts.Period{facts.Year(2022), facts.Year(2023)} {
			if got["revenue"][p].String() != want["revenue"][p].String() {
				t.Errorf("revenue %s: LoadFresh made %s current, AppendFacts %s", p, got["revenue"][p], want["revenue"][p])
			}
		}
		if got["revenue"][facts.Year(2022)].String() != "150" {
			t.Errorf("the later value of a repeated key must be current, got %s", got["revenue"][facts.Year(2022)])
		}
		history, err := facts.History(ctx, db, loaded.ID, "revenue")
		if err != nil {
			t.Fatal(err)
		}
		if len(history) != 3 {
			t.Errorf("history has %d rows, want 3", len(history))
		}
		if _, err := facts.LoadFresh(ctx, db, facts.Provenance{Source: "demo"}, slices.Values(factsFor(loaded.ID))); err == nil {
			t.Error("LoadFresh without a batch must fail")
		}
	})
}
