package appeal

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// levelWords are the timeline's words for each level reached.
var levelWords = map[Level]string{
	LevelHalf:  "已用时过半，提醒承办部门",
	LevelLate:  "已用时80%，再次提醒承办部门",
	LevelHead:  "已到期，升级至部门负责人",
	LevelDuban: "逾期一个工作日，报管委会领导督办",
}

// SweepReport is what one sweep did.
type SweepReport struct {
	Recomputed int // open deadlines recomputed because the calendar changed
	Reminded   int // reminders at 50 % and 80 %
	Escalated  int // escalations to the department head and to the leader
	TakenUp    int // visit problems that became appeals
}

// Sweep is the periodic work of appeals, run by the server every minute
// and safe to run on several instances at once (each change is one
// transaction that re-reads the row): it recomputes open deadlines when
// the calendar changed, raises the levels of appeals whose time has come
// (reminders, escalations), and takes up visit problems not yet appeals.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	actor := auth.System("appeal-sweep")
	n, err := s.recomputeIfChanged(ctx, actor)
	if err != nil {
		return rep, err
	}
	rep.Recomputed = n
	if rep.TakenUp, err = s.TakeUpVisitProblems(ctx, actor, 0); err != nil {
		return rep, err
	}
	now := s.now()
	for {
		ids, err := dueIDs(ctx, s.DB, now, 200)
		if err != nil {
			return rep, err
		}
		if len(ids) == 0 {
			return rep, nil
		}
		for _, id := range ids {
			reminded, escalated, err := s.raise(ctx, actor, id, now)
			if err != nil {
				return rep, err
			}
			rep.Reminded += reminded
			rep.Escalated += escalated
		}
		if len(ids) < 200 {
			return rep, nil
		}
	}
}

func dueIDs(ctx context.Context, q store.Queryer, now time.Time, limit int) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT id FROM appeals WHERE next_event_at IS NOT NULL AND next_event_at <= ? ORDER BY next_event_at LIMIT ?",
		store.FormatTime(now), limit)
	if err != nil {
		return nil, fmt.Errorf("appeal: due events: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// raise moves one appeal through every level whose instant has passed.
func (s *Service) raise(ctx context.Context, actor auth.Principal, id int64, now time.Time) (reminded, escalated int, err error) {
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadRow(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		cal, err := workday.Load(ctx, tx)
		if err != nil {
			return err
		}
		start := r.level
		for r.level+1 < levelCeiling && !r.clockFrom.IsZero() {
			_, next := r.plan(cal)
			if next.IsZero() || next.After(now) {
				break
			}
			r.level++
			if err := event(ctx, tx, r.id, next, actor.Label, "level", levelWords[r.level], r.department); err != nil {
				return err
			}
			if r.level <= LevelLate {
				reminded++
			} else {
				escalated++
			}
		}
		if err := r.saveClock(ctx, tx, cal, now); err != nil {
			return err
		}
		if r.level == start {
			return nil
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.level", ObjectType: "appeal", ObjectID: strconv.FormatInt(r.id, 10),
			Before: map[string]any{"level": int(start)}, After: map[string]any{"level": int(r.level), "department": r.department}, At: now})
	})
	return reminded, escalated, err
}

// recomputeIfChanged recomputes the open deadlines when the calendar is
// not the one they were computed on, whichever way it changed (this
// program's console or command line, or another instance).
func (s *Service) recomputeIfChanged(ctx context.Context, actor auth.Principal) (int, error) {
	var n int
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		cal, err := workday.Load(ctx, tx)
		if err != nil {
			return err
		}
		var last string
		err = tx.QueryRow(ctx, "SELECT calendar FROM appeal_clock WHERE id = 1").Scan(&last)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("appeal: read the clock: %w", err)
		}
		if last == cal.Fingerprint() {
			return nil
		}
		n, err = recompute(ctx, tx, actor, cal, s.now())
		return err
	})
	return n, err
}

// recompute gives every open appeal its deadline and next event on cal,
// and records cal as the calendar of the deadlines.
func recompute(ctx context.Context, tx *store.Tx, actor auth.Principal, cal *workday.Calendar, now time.Time) (int, error) {
	rows, err := tx.Query(ctx, `SELECT `+rowColumns+`, COALESCE(c.ack_hours, 2), COALESCE(a.ack_due_at, '') FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id
LEFT JOIN appeal_categories c ON c.code = a.category
WHERE a.status IN ('received', 'assigned', 'in_progress', 'waiting')`)
	if err != nil {
		return 0, fmt.Errorf("appeal: open appeals: %w", err)
	}
	type open struct {
		r     *row
		ack   int
		noAck bool
	}
	var all []open
	for rows.Next() {
		var o open
		var ackDue string
		var r row
		var status, received, clockFrom, due string
		if err := rows.Scan(&r.id, &r.enterprise, &r.park, &r.category, &r.title, &status, &r.department,
			&received, &r.budget, &r.used, &clockFrom, &due, &r.level, &r.reopened, &o.ack, &ackDue); err != nil {
			rows.Close()
			return 0, err
		}
		r.status = Status(status)
		if r.receivedAt, err = store.ParseTime(received); err == nil {
			r.clockFrom, err = optTime(clockFrom)
		}
		if err != nil {
			rows.Close()
			return 0, err
		}
		o.r, o.noAck = &r, ackDue == ""
		all = append(all, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// Prepared once: a park's open appeals are thousands; a prepared
	// statement keeps the recompute within a few seconds.
	upd := `UPDATE appeals SET due_at = ?, next_event_at = ? WHERE id = ?`
	for _, o := range all {
		due, next := o.r.plan(cal)
		if _, err := tx.Exec(ctx, upd, nullTime(due), nullTime(next), o.r.id); err != nil {
			return 0, fmt.Errorf("appeal: recompute %d: %w", o.r.id, err)
		}
		if o.noAck {
			if ack, err := addWork(cal, o.r.receivedAt, o.ack*60); err == nil {
				if _, err := tx.Exec(ctx, "UPDATE appeals SET ack_due_at = ? WHERE id = ?", store.FormatTime(ack), o.r.id); err != nil {
					return 0, err
				}
			}
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO appeal_clock (id, calendar) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET calendar = excluded.calendar`, cal.Fingerprint()); err != nil {
		return 0, fmt.Errorf("appeal: record the clock: %w", err)
	}
	if err := auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.recompute", ObjectType: "calendar", ObjectID: cal.Fingerprint(),
		After: map[string]any{"open": len(all)}, At: now}); err != nil {
		return 0, err
	}
	return len(all), nil
}
