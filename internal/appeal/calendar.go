package appeal

import (
	"context"
	"io"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// CalendarLoad is what LoadCalendar did.
type CalendarLoad struct {
	workday.Loaded
	Recomputed int // open appeals whose deadlines were recomputed
}

// LoadCalendar records a calendar file (a new year's official schedule, or
// corrections) and recomputes the deadlines of every open appeal on the
// new calendar, in one transaction: no appeal is ever due by a calendar
// that is no longer in force. It needs ManageSettings.
func (s *Service) LoadCalendar(ctx context.Context, actor auth.Principal, r io.Reader, file string) (CalendarLoad, error) {
	var out CalendarLoad
	if err := auth.Can(actor, auth.ManageSettings, auth.Resource{}); err != nil {
		return out, err
	}
	cal, err := workday.ParseCalendar(r, file)
	if err != nil {
		return out, err
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		loaded, err := workday.Store(ctx, tx, cal, file, actor.Label, now)
		if err != nil {
			return err
		}
		out.Loaded = loaded
		years := make([]int, 0, len(loaded.Years))
		for _, y := range loaded.Years {
			years = append(years, y.Year)
		}
		if err := auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "calendar.import", ObjectType: "calendar", ObjectID: file,
			After: map[string]any{"days": loaded.Days, "years": years}, At: now}); err != nil {
			return err
		}
		inForce, err := workday.Load(ctx, tx)
		if err != nil {
			return err
		}
		out.Recomputed, err = recompute(ctx, tx, actor, inForce, now)
		return err
	})
	return out, err
}

// Calendar returns the calendar in force, for the console's calendar page.
func (s *Service) Calendar(ctx context.Context, actor auth.Principal) (*workday.Calendar, error) {
	if err := auth.Can(actor, auth.ManageSettings, auth.Resource{}); err != nil {
		return nil, err
	}
	return workday.Load(ctx, s.DB)
}
