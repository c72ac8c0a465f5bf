package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestBatch sends a batch of inserts, an update and a counter's advance in
// a transaction: all are applied in order, a failing statement fails the
// batch, and its transaction then writes nothing.
func TestBatch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ins := store.Insert{Table: "change_counters", Columns: []string{"name", "value"}, RowsPerStatement: 2}
		rows := func(names ...string) func(func([]any) bool) {
			return func(yield func([]any) bool) {
				row := make([]any, 2)
				for i, n := range names {
					row[0], row[1] = n, int64(10*(i+1))
					if !yield(row) {
						return
					}
				}
			}
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			var b store.Batch
			b.QueueInsert(tx.Dialect(), ins, rows("a", "b", "c"))
			b.Queue("UPDATE change_counters SET value = value + 1 WHERE name = ?", "c")
			tx.QueueBump(&b, "a", "a")
			if b.Len() != 4 {
				t.Errorf("%d statements queued, want 4 (two inserts, the update, one advance)", b.Len())
			}
			return tx.SendBatch(ctx, &b)
		}); err != nil {
			t.Fatal(err)
		}
		c, err := store.ReadCounters(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if c["a"] != 11 || c["b"] != 20 || c["c"] != 31 {
			t.Errorf("counters %v: want a 11, b 20, c 31", c)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			var b store.Batch
			b.Queue("UPDATE change_counters SET value = 0 WHERE name = ?", "b")
			b.QueueInsert(tx.Dialect(), ins, rows("a")) // a duplicate key
			return tx.SendBatch(ctx, &b)
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Errorf("a batch with a duplicate key: %v, want a conflict", err)
		}
		if c, _ := store.ReadCounters(ctx, db); c["b"] != 20 {
			t.Errorf("after a failed batch b is %d, want 20", c["b"])
		}
	})
}
