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

// BulkAppend records facts as AppendFacts does — every fact in the history
// with its provenance, the newest value of each key its current value, an
// equal value leaving the current one as it was, an older one going to the
// history only — by the database's bulk path: the fact sets are copied in
// (COPY on PostgreSQL), and the current values merged from them in one
// set-based statement per flush, instead of a round of comparisons per
// thousand facts. It needs an import batch (Provenance.BatchID): the merge
// finds the sets it just wrote by it. Facts must name their enterprise by
// id, and their values be valid for their fields (the importers check
// both); the fields are checked once per flush, the enterprises by the
// sets' key. Run it in the import's transaction to write all or nothing.
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

func (b *bulkAppender) flush(ctx context.Context, chunk []Fact) error {
	if len(chunk) == 0 {
		return nil
	}
	fields := map[string]struct{}{}
	for i := range chunk {
		if chunk[i].EnterpriseID == 0 {
			return errors.New("facts: bulk append: a fact names no enterprise id")
		}
		fields[chunk[i].Field] = struct{}{}
	}
	if err := checkFields(ctx, b.tx, fields); err != nil {
		return err
	}
	after, err := latestSet(ctx, b.tx)
	if err != nil {
		return err
	}
	sets := groupSets(chunk)
	n, distinct, err := copySets(ctx, b.tx, b.prov, b.at, slices.Values(sets))
	if err != nil {
		return fmt.Errorf("facts: bulk append history: %w", describeAppendError(err))
	}
	b.rows += n
	changed, changedRows, err := mergeCurrent(ctx, b.tx, after, b.prov.BatchID, distinct)
	if err != nil {
		return err
	}
	for _, id := range changed {
		b.changed[id] = struct{}{}
	}
	b.changedRows += changedRows
	return nil
}

// copySets writes the sets with prov (whose BatchID the merge after it
// finds them by) and returns how many facts they hold and whether no
// (enterprise, field, period) is given twice among them.
func copySets(ctx context.Context, tx *store.Tx, prov Provenance, at string, sets iter.Seq[*factSet]) (facts int, distinct bool, err error) {
	distinct = true
	seen := map[int64]bool{} // enterprises with a set already
	row := make([]any, len(setColumns))
	var encodeErr error
	rows := func(yield func([]any) bool) {
		for s := range sets {
			text, err := s.encode()
			if err != nil {
				encodeErr = err
				return
			}
			if distinct && (seen[s.enterprise] || s.repeats()) {
				distinct = false
			}
			seen[s.enterprise] = true
			facts += len(s.facts)
			row[0], row[1], row[2], row[3], row[4], row[5] = s.enterprise, prov.Source, prov.Actor, prov.BatchID, at, text
			if !yield(row) {
				return
			}
		}
	}
	if _, err := tx.Copy(ctx, "fact_sets", setColumns, rows); err != nil {
		return 0, false, err
	}
	return facts, distinct, encodeErr
}

// mergeCurrent makes the newest fact of each key in the sets that batch
// wrote after the set id after the current value, unless the current value
// is equal or newer, in one set-based statement. It returns the enterprises
// whose current values changed, ascending, and how many values changed.
// The id range finds the sets by the primary key; batch_id keeps out any
// set another transaction wrote in the range meanwhile.
//
// distinct says the sets hold each key once (an import that gave no fact
// twice): every fact is then the newest of its key, and the grouping that
// finds the newest — a sort of every fact, about a quarter of the merge's
// time on SQLite — is left out.
func mergeCurrent(ctx context.Context, tx *store.Tx, after, batch int64, distinct bool) ([]int64, int, error) {
	from := "(" + factsOfSets(tx.Dialect()) + ") f WHERE true"
	if !distinct {
		from = `(SELECT f.*, row_number() OVER (PARTITION BY f.enterprise_id, f.field, f.period ORDER BY f.fact_id DESC) AS newest
	FROM (` + factsOfSets(tx.Dialect()) + `) f) f
WHERE f.newest = 1`
	}
	rows, err := tx.Query(ctx, `INSERT INTO current_facts (enterprise_id, field, period, value, fact_id, recorded_at)
SELECT f.enterprise_id, f.field, f.period, f.value, f.fact_id, f.recorded_at
FROM `+from+`
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
