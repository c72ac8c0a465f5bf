package store_test

import (
	"context"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestCounters advances change counters: once per transaction however many
// writes in it bump, once per lone statement, and a rolled-back bump is not
// seen.
func TestCounters(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		read := func() store.Counters {
			t.Helper()
			c, err := store.ReadCounters(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		if c := read(); c.Key(store.CounterFacts) != 0 {
			t.Fatalf("a fresh database: %v", c)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			for range 3 {
				if err := store.Bump(ctx, tx, store.CounterFacts, store.CounterRegistry); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := store.Bump(ctx, db, store.CounterFacts); err != nil {
			t.Fatal(err)
		}
		_ = db.InTx(ctx, func(tx *store.Tx) error {
			if err := store.Bump(ctx, tx, store.CounterFacts); err != nil {
				return err
			}
			return context.Canceled // rolled back
		})
		c := read()
		if c[store.CounterFacts] != 2 || c[store.CounterRegistry] != 1 || c.Key(store.CounterFacts, store.CounterRegistry) != 3 {
			t.Errorf("counters %v: want facts 2, registry 1", c)
		}
	})
}
