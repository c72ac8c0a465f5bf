package facts

import (
	"context"
	"fmt"
	"iter"

	"github.com/parkdesk/parkdesk/internal/store"
)

// LoadFresh records facts of enterprises that have no facts yet — a demo
// park, a first migration from another system — by BulkAppend, in the
// caller's transaction or one of its own. The provenance needs a batch
// (NewBatch). When a key appears twice, the later fact becomes current, as
// with AppendFacts. It returns the number of facts written.
func LoadFresh(ctx context.Context, q store.Queryer, prov Provenance, facts iter.Seq[Fact]) (int, error) {
	var written Appended
	err := store.WithTx(ctx, q, func(tx *store.Tx) (err error) {
		written, err = BulkAppend(ctx, tx, prov, facts)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("facts: load: %w", err)
	}
	return written.Rows, nil
}
