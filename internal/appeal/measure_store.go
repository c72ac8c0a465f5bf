package appeal

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// counts is a change to the running measures of one month, department and
// category.
type counts struct {
	received, replied, onTime, workMinutes, closed, rated, satisfied, reopened int
}

// bump adds c to the measures of the month of now, in the caller's
// transaction, so that the measures are always those of the appeals.
func bump(ctx context.Context, tx *store.Tx, now time.Time, department, category string, c counts) error {
	month := now.In(parkZone).Format("2006-01")
	_, err := tx.Exec(ctx, `INSERT INTO appeal_measures (month, department_code, category, received, replied, on_time, work_minutes, closed, rated, satisfied, reopened)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (month, department_code, category) DO UPDATE SET
received = appeal_measures.received + excluded.received, replied = appeal_measures.replied + excluded.replied,
on_time = appeal_measures.on_time + excluded.on_time, work_minutes = appeal_measures.work_minutes + excluded.work_minutes,
closed = appeal_measures.closed + excluded.closed, rated = appeal_measures.rated + excluded.rated,
satisfied = appeal_measures.satisfied + excluded.satisfied, reopened = appeal_measures.reopened + excluded.reopened`,
		month, department, category, c.received, c.replied, c.onTime, c.workMinutes, c.closed, c.rated, c.satisfied, c.reopened)
	if err != nil {
		return fmt.Errorf("appeal: measures: %w", err)
	}
	return nil
}
