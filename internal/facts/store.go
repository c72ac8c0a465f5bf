package facts

import (
	"context"
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

// appendChunk is how many facts one round of statements writes: the fact
// sets, then the current values of their enterprises.
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
	err := store.WithTx(ctx, q, func(tx *store.Tx) (err error) {
		result, err = newSetWriter(tx, prov).writeFacts(ctx, facts, appendChunk, func(chunk []Fact) error {
			if err := resolveUSCCs(ctx, tx, chunk); err != nil {
				return err
			}
			if err := checkReferences(ctx, tx, chunk); err != nil {
				return fmt.Errorf("facts: append: %w", describeAppendError(err))
			}
			return nil
		})
		return err
	})
	if err != nil {
		return Appended{}, err
	}
	return result, nil
}

// resolveUSCCs fills the EnterpriseID of facts that name their enterprise
// by USCC.
func resolveUSCCs(ctx context.Context, tx *store.Tx, chunk []Fact) error {
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
	ids, err := enterprise.IDsByUSCC(ctx, tx, slices.Compact(usccs))
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

// checkReferences checks that the enterprises and fields exist before a
// few facts are written (AppendFacts), so that a caller's mistake is named
// rather than found by a key.
func checkReferences(ctx context.Context, tx *store.Tx, chunk []Fact) error {
	ids := map[int64]bool{}
	fields := map[string]struct{}{}
	for _, f := range chunk {
		ids[f.EnterpriseID], fields[f.Field] = true, struct{}{}
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
	return checkFields(ctx, tx, fields)
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
