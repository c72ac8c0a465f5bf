package match

import (
	"context"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// incrementalLimit is how many changed enterprises an import may bring
// before one batch run is cheaper than evaluating each of them again: a
// batch reads the population in columns, an incremental evaluation reads
// one enterprise at a time.
const incrementalLimit = 2000

// AfterImport brings the stored results of date on up to date after an
// import changed the current facts of the enterprises changed, in the
// fields given: each enterprise again for the policies that read those
// fields, or, for a large import, one batch run (which also rewrites only
// what changed, and needs m.Jobs). It returns the results written.
func (m *Matcher) AfterImport(ctx context.Context, db *store.DB, on time.Time, changed []int64, fields []string) (int, error) {
	if len(changed) == 0 {
		return 0, nil
	}
	if len(changed) > incrementalLimit {
		p, err := m.Run(ctx, db, RunOptions{On: on})
		return int(p.Written), err
	}
	written := 0
	for _, id := range changed {
		stats, err := m.Reevaluate(ctx, db, on, id, fields)
		if err != nil {
			return written, err
		}
		written += stats.Written
	}
	return written, nil
}
