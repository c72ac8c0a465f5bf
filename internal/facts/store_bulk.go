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
	return newSetWriter(tx, prov).writeFacts(ctx, facts, writeChunk, func(chunk []Fact) error {
		fields := map[string]struct{}{}
		for i := range chunk {
			if chunk[i].EnterpriseID == 0 {
				return fmt.Errorf("facts: bulk append: fact %s %s names no enterprise id", chunk[i].Field, chunk[i].Period)
			}
			fields[chunk[i].Field] = struct{}{}
		}
		return checkFields(ctx, tx, fields)
	})
}
