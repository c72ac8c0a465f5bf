package facts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Fact is one value to record: an enterprise's value of a field for a
// period (the zero Period for a timeless field).
type Fact struct {
	// EnterpriseID names the enterprise; when it is 0, USCC does.
	EnterpriseID int64
	USCC         string
	Field        string
	Period       Period
	Value        Value
}

// Provenance says where appended facts came from: it is kept with every
// fact set of the history.
type Provenance struct {
	Source  string    // "import:file.csv", "api", "self-report", "department" …
	Actor   string    // who: a login, or "system"
	BatchID int64     // the import batch (see NewBatch), 0 for none
	At      time.Time // when the values were recorded; zero means now
}

// Appended reports what AppendFacts did.
type Appended struct {
	Rows int // facts written to the history
	// Changed counts the current values that were new or differed from
	// the current value before.
	Changed int
	// Enterprises are the enterprises with a changed current value, in
	// ascending order: those whose policy results may have changed.
	Enterprises []int64
}

// appendChunk is how many facts one round of statements writes: two
// multi-row statements (fact sets, then current values) per chunk.
const appendChunk = 1000

// NewBatch records an import batch and returns its id, for the BatchID of
// the facts it brings.
func NewBatch(ctx context.Context, q store.Queryer, source, actor string) (int64, error) {
	if source == "" {
		return 0, errors.New("facts: a batch needs a source")
	}
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO import_batches (source, actor, created_at) VALUES (?, ?, ?) RETURNING id",
		source, actor, store.FormatTime(time.Now())).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("facts: new batch: %w", err)
	}
	return id, nil
}

// AppendFacts records facts with their provenance: every fact goes to the
// history (a fact set per enterprise and chunk), and the newest value of each (enterprise, field, period)
// becomes its current value. A value equal to the current one is recorded
// in the history but leaves the current value, and its recorded_at, as they
// were; a value recorded (Provenance.At) before the current one goes to the
// history only. Facts are written a thousand at a time, so that memory stays
// flat however long the sequence; run it in the caller's transaction to
// write all or nothing. Values must already be valid for their fields (the
// importers check them against the dictionary); the database refuses
// unknown fields and enterprises.
func AppendFacts(ctx context.Context, q store.Queryer, prov Provenance, facts iter.Seq[Fact]) (Appended, error) {
	var result Appended
	if prov.Source == "" {
		return result, errors.New("facts: append: the provenance needs a source")
	}
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	a := appender{prov: prov, at: store.FormatTime(at), changed: map[int64]struct{}{}}
	err := store.WithTx(ctx, q, func(tx *store.Tx) error {
		a.tx = tx
		chunk := make([]Fact, 0, appendChunk)
		for f := range facts {
			chunk = append(chunk, f)
			if len(chunk) == appendChunk {
				if err := a.write(ctx, chunk); err != nil {
					return err
				}
				chunk = chunk[:0]
			}
		}
		if err := a.write(ctx, chunk); err != nil {
			return err
		}
		if prov.BatchID != 0 && a.rows > 0 {
			if _, err := tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", a.rows, prov.BatchID); err != nil {
				return fmt.Errorf("facts: count the rows of batch %d: %w", prov.BatchID, err)
			}
		}
		if a.rows == 0 {
			return nil
		}
		return store.Bump(ctx, tx, store.CounterFacts)
	})
	if err != nil {
		return result, err
	}
	result.Rows, result.Changed = a.rows, a.changedRows
	result.Enterprises = make([]int64, 0, len(a.changed))
	for id := range a.changed {
		result.Enterprises = append(result.Enterprises, id)
	}
	slices.Sort(result.Enterprises)
	return result, nil
}

type appender struct {
	tx          *store.Tx
	prov        Provenance
	at          string
	rows        int
	changedRows int
	changed     map[int64]struct{}
}

var (
	setInsert = store.Insert{Table: "fact_sets", Columns: setColumns,
		Suffix: "RETURNING id, enterprise_id", RowsPerStatement: appendChunk}
	// The WHERE keeps an equal value from rewriting the current one and an
	// older value from replacing a newer one; RETURNING then names only the
	// rows that changed.
	currentUpsert = store.Insert{Table: "current_facts",
		Columns: []string{"enterprise_id", "field", "period", "value", "fact_id", "recorded_at"},
		Suffix: `ON CONFLICT (enterprise_id, field, period) DO UPDATE
SET value = excluded.value, fact_id = excluded.fact_id, recorded_at = excluded.recorded_at
WHERE current_facts.value <> excluded.value AND current_facts.recorded_at <= excluded.recorded_at
RETURNING enterprise_id`, RowsPerStatement: appendChunk}
)

type factKey struct {
	enterprise int64
	field      string
	period     string
}

type historyRow struct {
	id    int64
	value string
}

func (a *appender) write(ctx context.Context, chunk []Fact) error {
	if len(chunk) == 0 {
		return nil
	}
	if err := a.resolveUSCCs(ctx, chunk); err != nil {
		return err
	}
	if err := checkReferences(ctx, a.tx, chunk); err != nil {
		return fmt.Errorf("facts: append history: %w", describeAppendError(err))
	}
	batch := any(nil)
	if a.prov.BatchID != 0 {
		batch = a.prov.BatchID
	}
	// A chunk is far smaller than a set may be: one set per enterprise.
	sets := groupSets(chunk)
	bySet := make(map[int64]*factSet, len(sets))
	row := make([]any, len(setColumns))
	var encodeErr error
	history := func(yield func([]any) bool) {
		for _, s := range sets {
			text, err := s.encode()
			if err != nil {
				encodeErr = err
				return
			}
			bySet[s.enterprise] = s
			row[0], row[1], row[2], row[3], row[4], row[5] = s.enterprise, a.prov.Source, a.prov.Actor, batch, a.at, text
			if !yield(row) {
				return
			}
		}
	}
	// The newest fact of each key in the chunk is the candidate current
	// value. Set ids come from RETURNING rather than from the order of the
	// VALUES, which neither database promises to keep.
	newest := make(map[factKey]historyRow, len(chunk))
	err := a.tx.InsertRowsReturning(ctx, setInsert, history, func(r *sql.Rows) error {
		var id, enterpriseID int64
		if err := r.Scan(&id, &enterpriseID); err != nil {
			return err
		}
		s := bySet[enterpriseID]
		for place, f := range s.facts {
			// Later places overwrite earlier ones: the last fact of a key
			// is its newest.
			newest[factKey{enterpriseID, f[0], f[1]}] = historyRow{id: factID(id, place), value: f[2]}
		}
		a.rows += len(s.facts)
		return nil
	})
	if err == nil {
		err = encodeErr
	}
	if err != nil {
		return fmt.Errorf("facts: append history: %w", describeAppendError(err))
	}
	current := func(yield func([]any) bool) {
		row := make([]any, len(currentUpsert.Columns))
		for k, h := range newest {
			row[0], row[1], row[2], row[3], row[4], row[5] = k.enterprise, k.field, k.period, h.value, h.id, a.at
			if !yield(row) {
				return
			}
		}
	}
	err = a.tx.InsertRowsReturning(ctx, currentUpsert, current, func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		a.changed[id] = struct{}{}
		a.changedRows++
		return nil
	})
	if err != nil {
		return fmt.Errorf("facts: update current values: %w", err)
	}
	return nil
}

// resolveUSCCs fills the EnterpriseID of facts that name their enterprise
// by USCC.
func (a *appender) resolveUSCCs(ctx context.Context, chunk []Fact) error {
	var usccs []string
	for _, f := range chunk {
		if f.EnterpriseID == 0 {
			usccs = append(usccs, f.USCC)
		}
	}
	if len(usccs) == 0 {
		return nil
	}
	slices.Sort(usccs)
	ids, err := enterprise.IDsByUSCC(ctx, a.tx, slices.Compact(usccs))
	if err != nil {
		return err
	}
	for i := range chunk {
		if chunk[i].EnterpriseID != 0 {
			continue
		}
		id, ok := ids[chunk[i].USCC]
		if !ok {
			return fmt.Errorf("facts: append: no enterprise with USCC %q", chunk[i].USCC)
		}
		chunk[i].EnterpriseID = id
	}
	return nil
}

// describeAppendError names the likely cause of a refused fact set: the
// caller's mistake, not the user's, but worth a clear message.
func describeAppendError(err error) error {
	switch {
	case errors.Is(err, store.ErrReferenced):
		return fmt.Errorf("a fact names an enterprise, field or batch that does not exist: %w", err)
	case errors.Is(err, store.ErrCheck):
		return fmt.Errorf("a fact has an empty source or a malformed period: %w", err)
	}
	return err
}

// decodeStored turns a stored canonical text back into a value of the
// field. It does not re-check the field's bounds: a value valid when it was
// recorded stays readable after an admin narrows them.
func decodeStored(f *Field, text string) (Value, error) {
	v := Value{Type: f.Type}
	switch {
	case f.Type.Numeric():
		d, err := Decimal(text)
		if err != nil {
			return v, fmt.Errorf("field %s: stored value %w", f.Name, err)
		}
		v.Num = d
	case f.Type == Bool:
		switch text {
		case "true":
			v.Bool = true
		case "false":
		default:
			return v, fmt.Errorf("field %s: stored value %q is not a boolean", f.Name, text)
		}
	default:
		v.Text = text
	}
	return v, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
