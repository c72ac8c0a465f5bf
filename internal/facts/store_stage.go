package facts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// The facts of an import being read wait in import_run_facts (migration
// 0007), written a chunk at a time in transactions of their own, so that a
// large import never holds the database's one writer while it reads and
// checks its files. Once the whole import is valid, they are moved into the
// history and the current values a chunk at a time (CommitStaged), or they
// are dropped (DropStaged). Facts are staged by USCC: their enterprises may
// be created by the same import.

// StagedFact is one fact of an import run.
type StagedFact struct {
	USCC   string
	Field  string
	Period Period
	Value  Value
	Source string // the provenance source: the file it came from
}

var stagedColumns = []string{"run_id", "seq", "uscc", "field", "period", "value", "source"}

// StageFacts writes facts of the run numbered from seq on, in a transaction
// of its own.
func StageFacts(ctx context.Context, db *store.DB, run, seq int64, facts []StagedFact) error {
	if len(facts) == 0 {
		return nil
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		// The transaction that marks the run applying waits for the
		// flush, which makes the staged chunks durable with it.
		if err := tx.CommitWithoutFlush(ctx); err != nil {
			return err
		}
		row := make([]any, len(stagedColumns))
		rows := func(yield func([]any) bool) {
			for i := range facts {
				f := &facts[i]
				row[0], row[1], row[2], row[3] = run, seq+int64(i), f.USCC, f.Field
				row[4], row[5], row[6] = f.Period.String(), f.Value.String(), f.Source
				if !yield(row) {
					return
				}
			}
		}
		if _, err := tx.Copy(ctx, "import_run_facts", stagedColumns, rows); err != nil {
			return fmt.Errorf("facts: stage facts of import run %d: %w", run, err)
		}
		return nil
	})
}

// Conflict is a fact (enterprise, field, period) an import run gives
// different values: how many, the least and greatest, and the sources of
// the first and last.
type Conflict struct {
	USCC, Field, Period string
	Values              int
	Low, High           string
	Source1, Source2    string
}

// StagedConflicts returns up to limit facts the run gives different values,
// by USCC, field and period, and whether any fact is given more than once
// (with the same value or not). When usccs is not nil only the facts of
// those enterprises are compared: the candidates an importer's filter
// flagged, which spares the grouping of every staged row. When it is nil,
// every staged fact is compared and repeated is taken to be true (it is
// asked so when repeats are many). It only reads.
func StagedConflicts(ctx context.Context, q store.Queryer, run int64, limit int, usccs []string) (conflicts []Conflict, repeated bool, err error) {
	if usccs == nil {
		found, _, err := stagedConflicts(ctx, q, run, limit, "", nil, "count(DISTINCT value) > 1 ORDER BY uscc, field, period LIMIT "+strconv.Itoa(limit))
		return found, true, err
	}
	const perQuery = 1000
	for chunk := range slices.Chunk(usccs, perQuery) {
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = u
		}
		found, rep, err := stagedConflicts(ctx, q, run, limit-len(conflicts), " AND uscc IN ("+placeholders(len(chunk))+")", args, "count(*) > 1")
		if err != nil {
			return nil, false, err
		}
		conflicts, repeated = append(conflicts, found...), repeated || rep
		if len(conflicts) >= limit {
			break
		}
	}
	return conflicts, repeated, nil
}

// stagedConflicts groups the staged facts of run, narrowed by where, and
// keeps the groups of having.
func stagedConflicts(ctx context.Context, q store.Queryer, run int64, limit int, where string, whereArgs []any, having string) ([]Conflict, bool, error) {
	args := append([]any{run}, whereArgs...)
	rows, err := q.Query(ctx, `SELECT uscc, field, period, count(DISTINCT value), min(value), max(value), min(source), max(source)
FROM import_run_facts WHERE run_id = ?`+where+`
GROUP BY uscc, field, period HAVING `+having, args...)
	if err != nil {
		return nil, false, fmt.Errorf("facts: look for conflicting facts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	repeated := false
	for rows.Next() {
		var c Conflict
		if err := rows.Scan(&c.USCC, &c.Field, &c.Period, &c.Values, &c.Low, &c.High, &c.Source1, &c.Source2); err != nil {
			return nil, false, fmt.Errorf("facts: look for conflicting facts: %w", err)
		}
		repeated = true
		if c.Values > 1 && len(out) < limit {
			out = append(out, c)
		}
	}
	return out, repeated, rows.Err()
}

// CommitStaged records the staged facts of the run numbered from from up to
// (not including) to, in tx, as BulkAppend does — the facts in the history
// with their source and prov's actor, batch and time, a fact set per
// enterprise and file; the newest value of each key current, unless the
// current one is equal or newer — in set-based statements: no row goes
// through Go. Their enterprises must exist by then; Appended.Rows says how
// many facts found theirs, which the caller compares with what it staged.
// distinct says the run gives each (enterprise, field, period) once, which
// spares the merge a sort; false is always correct.
//
// The fields are not checked again: the importers checked every fact
// against the dictionary, and nothing deletes a field.
func CommitStaged(ctx context.Context, tx *store.Tx, run, from, to int64, prov Provenance, distinct bool) (Appended, error) {
	var result Appended
	if prov.BatchID == 0 {
		return result, errors.New("facts: commit staged facts: the provenance needs a batch")
	}
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	after, err := latestSet(ctx, tx)
	if err != nil {
		return result, err
	}
	// A set per enterprise and file, numbered in the order of their first
	// facts, so that of two sets giving one key the later one's is newest.
	// A chunk (exchange's factChunk) is far below a set's capacity.
	group := "json_group_array(json_array(s.field, s.period, s.value) ORDER BY s.seq)"
	if tx.Dialect() == store.Postgres {
		group = "json_agg(json_build_array(s.field, s.period, s.value) ORDER BY s.seq)"
	}
	if to-from > setCapacity {
		return result, fmt.Errorf("facts: commit staged facts: %d at once, more than a fact set holds", to-from)
	}
	rows, err := tx.Query(ctx, `INSERT INTO fact_sets (enterprise_id, source, actor, batch_id, recorded_at, facts)
SELECT e.id, s.source, ?, ?, ?, `+group+`
FROM import_run_facts s JOIN enterprises e ON e.uscc = s.uscc
WHERE s.run_id = ? AND s.seq >= ? AND s.seq < ?
GROUP BY e.id, s.source
ORDER BY MIN(s.seq)
RETURNING json_array_length(facts)`, prov.Actor, prov.BatchID, store.FormatTime(at), run, from, to)
	if err != nil {
		return result, fmt.Errorf("facts: commit staged facts: %w", describeAppendError(err))
	}
	var n int64
	for rows.Next() {
		var inSet int64
		if err := rows.Scan(&inSet); err != nil {
			rows.Close()
			return result, fmt.Errorf("facts: commit staged facts: %w", err)
		}
		n += inSet
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return result, fmt.Errorf("facts: commit staged facts: %w", describeAppendError(err))
	}
	result.Rows = int(n)
	changed, changedRows, err := mergeCurrent(ctx, tx, after, prov.BatchID, distinct)
	if err != nil {
		return result, err
	}
	result.Changed, result.Enterprises = changedRows, changed
	if n > 0 {
		if _, err := tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", n, prov.BatchID); err != nil {
			return result, fmt.Errorf("facts: count the rows of batch %d: %w", prov.BatchID, err)
		}
		if err := store.Bump(ctx, tx, store.CounterFacts); err != nil {
			return result, err
		}
	}
	return result, nil
}

// stagedDropChunk is how many staged rows one transaction of DropStaged
// deletes.
const stagedDropChunk = 20_000

// DropStaged deletes the staged facts of the run, a chunk per transaction.
func DropStaged(ctx context.Context, db *store.DB, run int64) error {
	return dropRunRows(ctx, db, "import_run_facts", run)
}

// dropRunRows deletes the rows of run from a staging table keyed by
// (run_id, seq), a chunk of seq per transaction.
func dropRunRows(ctx context.Context, db *store.DB, table string, run int64) error {
	var low, high int64
	err := db.QueryRow(ctx, "SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), -1) FROM "+table+" WHERE run_id = ?", run).Scan(&low, &high)
	if err != nil {
		return fmt.Errorf("facts: drop import run %d: %w", run, err)
	}
	for from := low; from <= high; from += stagedDropChunk {
		if _, err := db.Exec(ctx, "DELETE FROM "+table+" WHERE run_id = ? AND seq >= ? AND seq < ?", run, from, from+stagedDropChunk); err != nil {
			return fmt.Errorf("facts: drop import run %d: %w", run, err)
		}
	}
	return nil
}
