package facts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/parkdesk/parkdesk/internal/store"
)

// The facts of an import being read wait in import_run_sets (migration
// 0018), written a batch at a time in transactions of their own, so that a
// large import never holds the database's one writer while it reads and
// checks its files. Once the whole import is valid, they are moved into the
// history and the current values a chunk at a time (CommitStaged), or they
// are dropped (DropStaged). Facts are staged by USCC: their enterprises may
// be created by the same import. A staged row holds the facts of one
// enterprise and file in one batch, as the JSON array of the fact set
// they become (sets.go), so that a million facts are thousands of rows.

// StagedFact is one fact of an import run.
type StagedFact struct {
	USCC   string
	Field  string
	Period Period
	Value  Value
	Source string // the provenance source: the file it came from
}

// StagedSet is the facts of one enterprise and source of a batch, as they
// are staged.
type StagedSet struct {
	USCC, Source string
	facts        [][3]string
}

// Len is how many facts the set holds.
func (s *StagedSet) Len() int { return len(s.facts) }

// GroupStaged gathers a batch's facts into sets, one per enterprise and
// source in the order they first appear, each keeping its facts' order.
func GroupStaged(facts []StagedFact) []StagedSet {
	type key struct{ uscc, source string }
	index := map[key]int{}
	var sets []StagedSet
	for i := range facts {
		f := &facts[i]
		k := key{f.USCC, f.Source}
		at, ok := index[k]
		if !ok {
			at = len(sets)
			index[k] = at
			sets = append(sets, StagedSet{USCC: f.USCC, Source: f.Source})
		}
		sets[at].facts = append(sets[at].facts, [3]string{f.Field, f.Period.String(), f.Value.String()})
	}
	return sets
}

var stagedColumns = []string{"run_id", "seq", "uscc", "source", "facts", "n"}

// StageSets writes sets of the run numbered from seq on, in a transaction
// of its own.
func StageSets(ctx context.Context, db *store.DB, run, seq int64, sets []StagedSet) error {
	if len(sets) == 0 {
		return nil
	}
	return db.InTx(ctx, func(tx *store.Tx) error {
		// The transaction that marks the run applying waits for the
		// flush, which makes the staged chunks durable with it.
		if err := tx.CommitWithoutFlush(ctx); err != nil {
			return err
		}
		row := make([]any, len(stagedColumns))
		var encodeErr error
		rows := func(yield func([]any) bool) {
			for i := range sets {
				s := &sets[i]
				text, err := encodeSet(s.facts)
				if err != nil {
					encodeErr = fmt.Errorf("facts: stage the facts of %s: %w", s.USCC, err)
					return
				}
				row[0], row[1], row[2], row[3], row[4], row[5] = run, seq+int64(i), s.USCC, s.Source, string(text), int64(len(s.facts))
				if !yield(row) {
					return
				}
			}
		}
		if _, err := tx.Copy(ctx, "import_run_sets", stagedColumns, rows); err != nil {
			return fmt.Errorf("facts: stage facts of import run %d: %w", run, err)
		}
		return encodeErr
	})
}

// StagedChunks splits the staged sets of the run numbered from from up to
// to into ranges [from, to) of at most maxFacts facts each (a bigger set
// alone), the chunks CommitStaged writes.
func StagedChunks(ctx context.Context, q store.Queryer, run, from, to int64, maxFacts int) ([][2]int64, error) {
	rows, err := q.Query(ctx, "SELECT seq, n FROM import_run_sets WHERE run_id = ? AND seq >= ? AND seq < ? ORDER BY seq", run, from, to)
	if err != nil {
		return nil, fmt.Errorf("facts: chunks of import run %d: %w", run, err)
	}
	defer rows.Close()
	var chunks [][2]int64
	start, facts := from, 0
	for rows.Next() {
		var seq int64
		var n int
		if err := rows.Scan(&seq, &n); err != nil {
			return nil, fmt.Errorf("facts: chunks of import run %d: %w", run, err)
		}
		if facts > 0 && facts+n > maxFacts {
			chunks = append(chunks, [2]int64{start, seq})
			start, facts = seq, 0
		}
		facts += n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("facts: chunks of import run %d: %w", run, err)
	}
	if start < to {
		chunks = append(chunks, [2]int64{start, to})
	}
	return chunks, nil
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
		found, err := stagedConflicts(ctx, q, run, limit-len(conflicts), " AND s.uscc IN ("+placeholders(len(chunk))+")", args)
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
	expand, field, period, value := "json_each(s.facts) j", "j.value ->> 0", "j.value ->> 1", "j.value ->> 2"
	if q.Dialect() == store.Postgres {
		expand, field, period, value = "LATERAL json_array_elements(s.facts) AS j (f)", `(j.f ->> 0) COLLATE "C"`, `(j.f ->> 1) COLLATE "C"`, "j.f ->> 2"
	}
	rows, err := q.Query(ctx, `SELECT s.uscc, `+field+` AS field, `+period+` AS period, count(DISTINCT `+value+`), min(`+value+`), max(`+value+`), min(s.source), max(s.source)
FROM import_run_sets s CROSS JOIN `+expand+`
WHERE s.run_id = ?`+where+`
GROUP BY s.uscc, `+field+`, `+period+` HAVING count(DISTINCT `+value+`) > 1 ORDER BY s.uscc, 2, 3 LIMIT `+strconv.Itoa(limit), args...)
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

// CommitStaged records the staged sets of the run numbered from from up to
// (not including) to, at most writeChunk facts (StagedChunks), in tx, as BulkAppend does — the facts in the history
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
	rows, err := tx.Query(ctx, `SELECT e.id, s.source, s.facts
FROM import_run_sets s JOIN enterprises e ON e.uscc = s.uscc
WHERE s.run_id = ? AND s.seq >= ? AND s.seq < ?
ORDER BY s.seq`, run, from, to)
	if err != nil {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
	}
	var chunk []textFact
	// The staged text of each enterprise and source given by one staged
	// set ("" once a second one gives it too).
	staged := map[setKey]string{}
	var set [][3]string
	for rows.Next() {
		var id int64
		var source, doc string
		if err := rows.Scan(&id, &source, &doc); err != nil {
			rows.Close()
			return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
		}
		set = nil
		if err := json.Unmarshal([]byte(doc), &set); err != nil {
			rows.Close()
			return Appended{}, fmt.Errorf("facts: commit staged facts of enterprise %d: %w", id, err)
		}
		for _, f := range set {
			chunk = append(chunk, textFact{id, source, f[0], f[1], f[2]})
		}
		k := setKey{id, source}
		if _, seen := staged[k]; seen {
			staged[k] = ""
		} else {
			staged[k] = doc
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %w", err)
	}
	if len(chunk) > writeChunk {
		return Appended{}, fmt.Errorf("facts: commit staged facts: %d at once, more than %d", len(chunk), writeChunk)
	}
	w := newSetWriter(tx, prov)
	if err := w.write(ctx, chunk, staged); err != nil {
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
	return dropRunRows(ctx, db, "import_run_sets", run)
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
