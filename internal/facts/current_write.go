package facts

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/parkdesk/parkdesk/internal/store"
)

// currentReadChunk is how many enterprises' current values one round of
// statements reads and writes.
const currentReadChunk = 1000

var (
	currentColumns     = []string{"enterprise_id", "facts"}
	currentRowsUpdated = store.Insert{Table: "current_fact_sets", Columns: currentColumns,
		Suffix: "ON CONFLICT (enterprise_id) DO UPDATE SET facts = excluded.facts", RowsPerStatement: currentReadChunk}
)

// mergeCurrentValues merges the newest values of a write, by enterprise
// and key, into the enterprises' current values, and counts what changed.
func (w *setWriter) mergeCurrentValues(ctx context.Context, newest map[int64]*newerValues) error {
	ids := slices.Sorted(maps.Keys(newest))
	postgres := w.tx.Dialect() == store.Postgres
	scanner := newCurrentScanner()
	for chunk := range slices.Chunk(ids, currentReadChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if postgres {
			// Two writers of one enterprise's values take turns: its
			// registry row is locked first, in id order as every writer
			// does, so that none waits for another holding what it needs.
			// (Locking the row of values alone would let two writers of a
			// new enterprise, which has none yet, both write the first.)
			if _, err := w.tx.Exec(ctx, "SELECT id FROM enterprises WHERE id IN ("+placeholders(len(chunk))+") ORDER BY id FOR NO KEY UPDATE", args...); err != nil {
				return fmt.Errorf("facts: lock the enterprises: %w", err)
			}
		}
		docs := make(map[int64][]byte, len(chunk))
		rows, err := w.tx.Query(ctx, "SELECT enterprise_id, facts FROM current_fact_sets WHERE enterprise_id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		for rows.Next() {
			var id int64
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return fmt.Errorf("facts: read current values: %w", err)
			}
			docs[id] = doc
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		// Enterprises without a row yet get theirs copied in (COPY on
		// PostgreSQL), the others updated.
		var fresh, updated [][]any
		for _, id := range chunk {
			var current []currentValue
			if doc, ok := docs[id]; ok {
				if current, err = scanner.decode(doc); err != nil {
					return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
				}
			}
			merged, n := mergeCurrent(current, newest[id].values)
			if n == 0 {
				continue
			}
			doc, err := encodeCurrent(merged)
			if err != nil {
				return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
			}
			w.result.Changed += n
			w.changed[id] = struct{}{}
			if _, ok := docs[id]; ok {
				updated = append(updated, []any{id, string(doc)})
			} else {
				fresh = append(fresh, []any{id, string(doc)})
			}
		}
		if _, err := w.tx.Copy(ctx, "current_fact_sets", currentColumns, slices.Values(fresh)); err != nil {
			return fmt.Errorf("facts: write current values: %w", describeAppendError(err))
		}
		if _, err := w.tx.InsertRows(ctx, currentRowsUpdated, slices.Values(updated)); err != nil {
			return fmt.Errorf("facts: update current values: %w", describeAppendError(err))
		}
	}
	return nil
}
