package touch

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// LoadCalendar returns the working-day calendar kept in the database: the
// working week with the holidays and make-up working days loaded.
func LoadCalendar(ctx context.Context, q store.Queryer) (*workday.Calendar, error) {
	rows, err := q.Query(ctx, "SELECT day, working, name FROM workday_exceptions ORDER BY day")
	if err != nil {
		return nil, fmt.Errorf("touch: load the calendar: %w", err)
	}
	defer rows.Close()
	var entries []workday.Entry
	for rows.Next() {
		var day, name string
		var working bool
		if err := rows.Scan(&day, &working, &name); err != nil {
			return nil, fmt.Errorf("touch: load the calendar: %w", err)
		}
		d, err := workday.ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("touch: calendar day %q: %w", day, err)
		}
		entries = append(entries, workday.Entry{Date: d, Working: working, Name: name})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("touch: load the calendar: %w", err)
	}
	return workday.New(entries...)
}

// ImportCalendar reads a calendar file (workday.ParseCalendar) and records
// its days, replacing what was recorded for those days; days it does not
// name are left as they were. It needs ManageSettings.
func (s *Service) ImportCalendar(ctx context.Context, actor auth.Principal, r io.Reader, file string) (int, error) {
	if err := auth.Can(actor, auth.ManageSettings, auth.Resource{}); err != nil {
		return 0, err
	}
	cal, err := workday.ParseCalendar(r, file)
	if err != nil {
		return 0, err
	}
	entries := cal.Entries()
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, e := range entries {
			if _, err := tx.Exec(ctx, `INSERT INTO workday_exceptions (day, working, name) VALUES (?, ?, ?)
ON CONFLICT (day) DO UPDATE SET working = excluded.working, name = excluded.name`, e.Date.String(), e.Working, e.Name); err != nil {
				return fmt.Errorf("touch: record calendar day %s: %w", e.Date, err)
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "calendar.import", ObjectType: "calendar",
			ObjectID: file, After: map[string]any{"days": strconv.Itoa(len(entries))}, At: s.now()})
	})
	return len(entries), err
}
