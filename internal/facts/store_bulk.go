package facts

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// bulkFlush is how many facts BulkAppend gathers before it writes them: the
// set-based statements that follow each flush cost about the same for ten
// or fifty thousand rows, and fifty thousand facts are a few megabytes.
const bulkFlush = 50_000

// BulkAppend records facts as AppendFacts does — every fact a history row
// with its provenance, the newest value of each key its current value, an
// equal value leaving the current one as it was, an older one going to the
// history only — by the database's bulk path: the history rows are copied
// in (COPY on PostgreSQL), and the current values merged from them in one
// set-based statement per flush, instead of a round of comparisons per
// thousand rows. It needs an import batch (Provenance.BatchID): the merge
// finds the rows it just wrote by it. Facts must name their enterprise by
// id, and their values be valid for their fields (the importers check
// both); the database's keys refuse the rest. Run it in the import's
// transaction to write all or nothing.
func BulkAppend(ctx context.Context, tx *store.Tx, prov Provenance, facts iter.Seq[Fact]) (Appended, error) {
	var result Appended
	if prov.Source == "" || prov.BatchID == 0 {
		return result, errors.New("facts: bulk append: the provenance needs a source and a batch")
	}
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	b := bulkAppender{tx: tx, prov: prov, at: store.FormatTime(at), changed: map[int64]struct{}{}}
	chunk := make([]Fact, 0, bulkFlush)
	for f := range facts {
		chunk = append(chunk, f)
		if len(chunk) == bulkFlush {
			if err := b.flush(ctx, chunk); err != nil {
				return result, err
			}
			chunk = chunk[:0]
		}
	}
	if err := b.flush(ctx, chunk); err != nil {
		return result, err
	}
	if b.rows > 0 {
		if _, err := tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", b.rows, prov.BatchID); err != nil {
			return result, fmt.Errorf("facts: count the rows of batch %d: %w", prov.BatchID, err)
		}
		if err := store.Bump(ctx, tx, store.CounterFacts); err != nil {
			return result, err
		}
	}
	result.Rows, result.Changed = b.rows, b.changedRows
	result.Enterprises = make([]int64, 0, len(b.changed))
	for id := range b.changed {
		result.Enterprises = append(result.Enterprises, id)
	}
	slices.Sort(result.Enterprises)
	return result, nil
}

type bulkAppender struct {
	tx          *store.Tx
	prov        Provenance
	at          string
	rows        int
	changedRows int
	changed     map[int64]struct{}
}

var historyColumns = []string{"enterprise_id", "field", "period", "value", "source", "actor", "batch_id", "recorded_at"}

func (b *bulkAppender) flush(ctx context.Context, chunk []Fact) error {
	if len(chunk) == 0 {
		return nil
	}
	var after int64
	if err := b.tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM facts").Scan(&after); err != nil {
		return fmt.Errorf("facts: bulk append: %w", err)
	}
	row := make([]any, len(historyColumns))
	history := func(yield func([]any) bool) {
		for i := range chunk {
			f := &chunk[i]
			if f.EnterpriseID == 0 {
				return // resolved by the caller: see the check after the copy
			}
			row[0], row[1], row[2], row[3] = f.EnterpriseID, f.Field, f.Period.String(), f.Value.String()
			row[4], row[5], row[6], row[7] = b.prov.Source, b.prov.Actor, b.prov.BatchID, b.at
			if !yield(row) {
				return
			}
		}
	}
	n, err := b.tx.Copy(ctx, "facts", historyColumns, history)
	if err != nil {
		return fmt.Errorf("facts: bulk append history: %w", describeAppendError(err))
	}
	if int(n) != len(chunk) {
		return errors.New("facts: bulk append: a fact names no enterprise id")
	}
	if err := checkWritten(ctx, b.tx, after, b.prov.BatchID); err != nil {
		return err
	}
	b.rows += int(n)
	changed, changedRows, err := mergeCurrent(ctx, b.tx, after, b.prov.BatchID, false)
	if err != nil {
		return err
	}
	for _, id := range changed {
		b.changed[id] = struct{}{}
	}
	b.changedRows += changedRows
	return nil
}

// mergeCurrent makes the newest history row of each key that batch wrote
// after the fact id after the current value, unless the current value is
// equal or newer, in one set-based statement. It returns the enterprises
// whose current values changed, ascending, and how many values changed.
// The id range finds the rows by the primary key; batch_id keeps out any
// row another transaction wrote in the range meanwhile. (WHERE true: SQLite
// would read ON CONFLICT as the join's constraint without it.)
//
// distinct says the rows hold each key once (an import that gave no fact
// twice): every row is then the newest of its key, and the grouping that
// finds the newest — a sort of the whole chunk, about a quarter of the
// merge's time on SQLite — is left out.
func mergeCurrent(ctx context.Context, tx *store.Tx, after, batch int64, distinct bool) ([]int64, int, error) {
	from := `FROM facts f JOIN (
	SELECT MAX(id) AS id FROM facts WHERE id > ? AND batch_id = ? GROUP BY enterprise_id, field, period
) newest ON newest.id = f.id
WHERE true`
	if distinct {
		from = "FROM facts f WHERE f.id > ? AND f.batch_id = ?"
	}
	rows, err := tx.Query(ctx, `INSERT INTO current_facts (enterprise_id, field, period, value, fact_id, recorded_at)
SELECT f.enterprise_id, f.field, f.period, f.value, f.id, f.recorded_at
`+from+`
ON CONFLICT (enterprise_id, field, period) DO UPDATE
SET value = excluded.value, fact_id = excluded.fact_id, recorded_at = excluded.recorded_at
WHERE current_facts.value <> excluded.value AND current_facts.recorded_at <= excluded.recorded_at
RETURNING enterprise_id`, after, batch)
	if err != nil {
		return nil, 0, fmt.Errorf("facts: merge the current values: %w", err)
	}
	defer rows.Close()
	seen := map[int64]struct{}{}
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, 0, fmt.Errorf("facts: merge the current values: %w", err)
		}
		seen[id] = struct{}{}
		n++
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("facts: merge the current values: %w", err)
	}
	return slices.Sorted(maps.Keys(seen)), n, nil
}

// checkWritten finds a history row of the batch written after id after that
// names an enterprise or a field the database does not hold, in one
// set-based query: on PostgreSQL the fact tables carry no foreign keys,
// whose check row by row would cost more than the copy itself.
//
// SQLite keeps the foreign keys (migration 0008), which have checked every
// row already: the query is asked of PostgreSQL only.
func checkWritten(ctx context.Context, tx *store.Tx, after, batch int64) error {
	if tx.Dialect() == store.SQLite {
		return nil
	}
	var id int64
	var field string
	err := tx.QueryRow(ctx, `SELECT f.enterprise_id, f.field FROM facts f
WHERE f.id > ? AND f.batch_id = ?
  AND (NOT EXISTS (SELECT 1 FROM enterprises e WHERE e.id = f.enterprise_id)
       OR NOT EXISTS (SELECT 1 FROM fields d WHERE d.name = f.field))
LIMIT 1`, after, batch).Scan(&id, &field)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("facts: check the facts written: %w", err)
	}
	return fmt.Errorf("facts: a fact names enterprise %d and field %q, and the database lacks one of them: %w", id, field, store.ErrReferenced)
}

// checkReferences checks that the enterprises and fields exist before a
// few facts are written (AppendFacts), for the same reason.
func checkReferences(ctx context.Context, tx *store.Tx, chunk []Fact) error {
	ids := map[int64]bool{}
	fields := map[string]bool{}
	for _, f := range chunk {
		ids[f.EnterpriseID], fields[f.Field] = true, true
	}
	idList := make([]any, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	var n int
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises WHERE id IN ("+placeholders(len(idList))+")", idList...).Scan(&n); err != nil {
		return fmt.Errorf("facts: check the enterprises: %w", err)
	}
	if n != len(idList) {
		return fmt.Errorf("facts: a fact names an enterprise the database does not hold: %w", store.ErrReferenced)
	}
	fieldList := make([]any, 0, len(fields))
	for f := range fields {
		fieldList = append(fieldList, f)
	}
	if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM fields WHERE name IN ("+placeholders(len(fieldList))+")", fieldList...).Scan(&n); err != nil {
		return fmt.Errorf("facts: check the fields: %w", err)
	}
	if n != len(fieldList) {
		return fmt.Errorf("facts: a fact names a field the dictionary does not hold: %w", store.ErrReferenced)
	}
	return nil
}
