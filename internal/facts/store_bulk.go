package facts

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/parkdesk/parkdesk/internal/store"
)

// BulkAppend records facts as AppendFacts does — every fact in the history
// with its provenance, the newest value of each key its current value, an
// equal value leaving the current one as it was, an older one going to the
// history only — by the database's bulk path: for every 50,000 facts, a
// fact set per enterprise copied in (COPY on PostgreSQL) and found again by
// its batch, then the current values of their enterprises merged, instead
// of rounds of a thousand facts with RETURNING. It needs an import batch
// (Provenance.BatchID). Facts must name their enterprise by id, and their
// values be valid for their fields (the importers check both); the fields
// are checked once per 50,000 facts, the enterprises by the sets' key. Run
// it in the import's transaction to write all or nothing.
func BulkAppend(ctx context.Context, tx *store.Tx, prov Provenance, facts iter.Seq[Fact]) (Appended, error) {
	if prov.Source == "" || prov.BatchID == 0 {
		return Appended{}, errors.New("facts: bulk append: the provenance needs a source and a batch")
	}
	w := newSetWriter(tx, prov)
	chunk := make([]textFact, 0, writeChunk)
	fields := map[string]struct{}{}
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if err := checkFields(ctx, tx, fields); err != nil {
			return err
		}
		err := w.write(ctx, chunk, nil)
		chunk = chunk[:0]
		return err
	}
	for f := range facts {
		if f.EnterpriseID == 0 {
			return Appended{}, fmt.Errorf("facts: bulk append: fact %s %s names no enterprise id", f.Field, f.Period)
		}
		fields[f.Field] = struct{}{}
		chunk = append(chunk, textOf(&f, prov.Source))
		if len(chunk) == writeChunk {
			if err := flush(); err != nil {
				return Appended{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return Appended{}, err
	}
	if err := w.finish(ctx); err != nil {
		return Appended{}, err
	}
	return w.appended(), nil
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
