package facts

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// LoadFresh records facts of enterprises that have no facts yet — a demo
// park, a first migration from another system — with the same history and
// current values as AppendFacts, several times faster: the history rows are
// copied in (COPY on PostgreSQL) without RETURNING, and the current values
// are then copied from them in one statement per call, instead of a round
// of comparisons per chunk. The
// provenance needs a batch (NewBatch), which is how the copy finds the rows.
// When a key appears twice, the later fact becomes current, as with
// AppendFacts. It returns the number of history rows written.
func LoadFresh(ctx context.Context, q store.Queryer, prov Provenance, facts iter.Seq[Fact]) (int, error) {
	if prov.Source == "" || prov.BatchID == 0 {
		return 0, errors.New("facts: load: the provenance needs a source and a batch")
	}
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	recorded := store.FormatTime(at)
	var rows int64
	err := store.WithTx(ctx, q, func(tx *store.Tx) error {
		// The rows this call writes have ids above every row before it.
		var after int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM facts").Scan(&after); err != nil {
			return err
		}
		row := make([]any, len(historyColumns))
		var bad error
		history := func(yield func([]any) bool) {
			for f := range facts {
				if f.EnterpriseID == 0 {
					bad = fmt.Errorf("facts: load: fact %s %s names no enterprise id", f.Field, f.Period)
					return
				}
				row[0], row[1], row[2], row[3] = f.EnterpriseID, f.Field, f.Period.String(), f.Value.String()
				row[4], row[5], row[6], row[7] = prov.Source, prov.Actor, prov.BatchID, recorded
				if !yield(row) {
					return
				}
			}
		}
		n, err := tx.Copy(ctx, "facts", historyColumns, history)
		if err != nil {
			return fmt.Errorf("facts: load history: %w", describeAppendError(err))
		}
		if bad != nil {
			return bad
		}
		if err := checkWritten(ctx, tx, after, prov.BatchID); err != nil {
			return err
		}
		rows = n
		// Only the newest row of each key is copied: PostgreSQL refuses to
		// update one row twice in a statement.
		if _, err := tx.Exec(ctx, `INSERT INTO current_facts (enterprise_id, field, period, value, fact_id, recorded_at)
SELECT f.enterprise_id, f.field, f.period, f.value, f.id, f.recorded_at FROM facts f
WHERE f.id > ? AND f.batch_id = ? AND NOT EXISTS (
	SELECT 1 FROM facts later
	WHERE later.enterprise_id = f.enterprise_id AND later.field = f.field AND later.period = f.period AND later.id > f.id)
ON CONFLICT (enterprise_id, field, period) DO UPDATE
SET value = excluded.value, fact_id = excluded.fact_id, recorded_at = excluded.recorded_at
WHERE current_facts.fact_id < excluded.fact_id`, after, prov.BatchID); err != nil {
			return fmt.Errorf("facts: load current values: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", rows, prov.BatchID); err != nil {
			return fmt.Errorf("facts: count the rows of batch %d: %w", prov.BatchID, err)
		}
		return store.Bump(ctx, tx, store.CounterFacts)
	})
	return int(rows), err
}
