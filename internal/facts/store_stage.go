package facts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

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
// by USCC, field and period. When usccs is not nil only the facts of those
// enterprises are compared: the candidates an importer's filter flagged,
// which spares the grouping of every staged row. When it is nil, every
// staged fact is compared. It only reads.
func StagedConflicts(ctx context.Context, q store.Queryer, run int64, limit int, usccs []string) ([]Conflict, error) {
	if usccs == nil {
		return stagedConflicts(ctx, q, run, limit, "", nil)
	}
	const perQuery = 1000
	var conflicts []Conflict
	for chunk := range slices.Chunk(usccs, perQuery) {
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = u
		}
		found, err := stagedConflicts(ctx, q, run, limit-len(conflicts), " AND uscc IN ("+placeholders(len(chunk))+")", args)
		if err != nil {
			return nil, err
		}
		conflicts = append(conflicts, found...)
		if len(conflicts) >= limit {
			break
		}
	}
	return conflicts, nil
}

// stagedConflicts groups the staged facts of run, narrowed by where, and
// keeps up to limit groups of more than one value.
func stagedConflicts(ctx context.Context, q store.Queryer, run int64, limit int, where string, whereArgs []any) ([]Conflict, error) {
	args := append([]any{run}, whereArgs...)
	rows, err := q.Query(ctx, `SELECT uscc, field, period, count(DISTINCT value), min(value), max(value), min(source), max(source)
FROM import_run_facts WHERE run_id = ?`+where+`
GROUP BY uscc, field, period HAVING count(DISTINCT value) > 1 ORDER BY uscc, field, period LIMIT `+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, fmt.Errorf("facts: look for conflicting facts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		if err := rows.Scan(&c.USCC, &c.Field, &c.Period, &c.Values, &c.Low, &c.High, &c.Source1, &c.Source2); err != nil {
			return nil, fmt.Errorf("facts: look for conflicting facts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CommitStaged records the staged facts of the run numbered from from up to
// (not including) to, in tx, as BulkAppend does — the facts in the history
// with their source and prov's actor, batch and time, a fact set per
// enterprise and file; the newest value of each key current, unless the
// current one is equal or newer. Their enterprises must exist by then;
// Appended.Rows says how many facts found theirs, which the caller compares
// with what it staged.
//
// The fields are not checked again: the importers checked every fact
// against the dictionary, and nothing deletes a field.
func CommitStaged(ctx context.Context, tx *store.Tx, run, from, to int64, prov Provenance) (Appended, error) {
	if prov.BatchID == 0 {
		return Appended{}, errors.New("facts: commit staged facts: the provenance needs a batch")
	}
	if to-from > writeChunk {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %d at once, more than %d", to-from, writeChunk)
	}
	rows, err := tx.Query(ctx, `SELECT e.id, s.source, s.field, s.period, s.value
FROM import_run_facts s JOIN enterprises e ON e.uscc = s.uscc
WHERE s.run_id = ? AND s.seq >= ? AND s.seq < ?
ORDER BY s.seq`, run, from, to)
	if err != nil {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
	}
	chunk := make([]textFact, 0, to-from)
	for rows.Next() {
		var f textFact
		if err := rows.Scan(&f.enterprise, &f.source, &f.field, &f.period, &f.value); err != nil {
			rows.Close()
			return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
		}
		chunk = append(chunk, f)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
	}
	w := newSetWriter(tx, prov)
	if err := w.write(ctx, chunk); err != nil {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
	}
	if err := w.finish(ctx); err != nil {
		return Appended{}, err
	}
	return w.appended(), nil
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
