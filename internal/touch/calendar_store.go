package touch

import (
	"context"
	"io"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// LoadCalendar returns the working-day calendar in force (workday.Load):
// the official schedules with what administrators loaded.
func LoadCalendar(ctx context.Context, q store.Queryer) (*workday.Calendar, error) {
	return workday.Load(ctx, q)
}

// ImportCalendar reads a calendar file (workday.ParseCalendar) and records
// it (workday.Store): declared years whole, other days as corrections. It
// needs ManageSettings.
func (s *Service) ImportCalendar(ctx context.Context, actor auth.Principal, r io.Reader, file string) (int, error) {
	if err := auth.Can(actor, auth.ManageSettings, auth.Resource{}); err != nil {
		return 0, err
	}
	cal, err := workday.ParseCalendar(r, file)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		loaded, err := workday.Store(ctx, tx, cal, file, actor.Label, s.now())
		if err != nil {
			return err
		}
		n = loaded.Days
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "calendar.import", ObjectType: "calendar",
			ObjectID: file, After: map[string]any{"days": strconv.Itoa(n), "years": len(loaded.Years)}, At: s.now()})
	})
	return n, err
}
