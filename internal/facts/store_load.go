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
// current values as AppendFacts, several times faster: the fact sets are
// copied in (COPY on PostgreSQL) without RETURNING, a set per run of facts
// of one enterprise, and the current values are then merged from them in
// one statement per call, instead of a round of comparisons per chunk. The
// provenance needs a batch (NewBatch), which is how the merge finds the
// sets. When a key appears twice, the later fact becomes current, as with
// AppendFacts. It returns the number of facts written.
func LoadFresh(ctx context.Context, q store.Queryer, prov Provenance, facts iter.Seq[Fact]) (int, error) {
	if prov.Source == "" || prov.BatchID == 0 {
		return 0, errors.New("facts: load: the provenance needs a source and a batch")
	}
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	recorded := store.FormatTime(at)
	var rows int
	err := store.WithTx(ctx, q, func(tx *store.Tx) error {
		// The sets this call writes have ids above every set before it.
		after, err := latestSet(ctx, tx)
		if err != nil {
			return err
		}
		fields := map[string]struct{}{}
		var bad error
		// A set per run of facts of one enterprise: memory holds one set,
		// however many facts the sequence gives.
		sets := func(yield func(*factSet) bool) {
			var s *factSet
			for f := range facts {
				if f.EnterpriseID == 0 {
					bad = fmt.Errorf("facts: load: fact %s %s names no enterprise id", f.Field, f.Period)
					return
				}
				fields[f.Field] = struct{}{}
				if s != nil && (s.enterprise != f.EnterpriseID || len(s.facts) == setCapacity) {
					if !yield(s) {
						return
					}
					s = nil
				}
				if s == nil {
					s = &factSet{enterprise: f.EnterpriseID}
				}
				s.add(&f)
			}
			if s != nil {
				yield(s)
			}
		}
		n, distinct, err := copySets(ctx, tx, prov, recorded, sets)
		if err != nil {
			return fmt.Errorf("facts: load history: %w", describeAppendError(err))
		}
		if bad != nil {
			return bad
		}
		if err := checkFields(ctx, tx, fields); err != nil {
			return err
		}
		rows = n
		if _, _, err := mergeCurrent(ctx, tx, after, prov.BatchID, distinct); err != nil {
			return fmt.Errorf("facts: load current values: %w", err)
		}
		if _, err := tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", rows, prov.BatchID); err != nil {
			return fmt.Errorf("facts: count the rows of batch %d: %w", prov.BatchID, err)
		}
		return store.Bump(ctx, tx, store.CounterFacts)
	})
	return rows, err
}
