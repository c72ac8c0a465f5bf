package appeal

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// row is an appeal's stored state, as the flow reads and writes it.
type row struct {
	id, enterprise, park int64
	category, title      string
	status               Status
	department           string
	receivedAt           time.Time
	budget, used         int
	clockFrom            time.Time // zero: the clock is stopped
	due                  time.Time
	level                Level
	reopened             int
}

const rowColumns = `a.id, a.enterprise_id, COALESCE(e.park_id, 0), a.category, a.title, a.status, COALESCE(a.department_code, ''),
a.received_at, a.budget_minutes, a.used_minutes, COALESCE(a.clock_from, ''), COALESCE(a.due_at, ''), a.level, a.reopened`

func scanRow(sc interface{ Scan(...any) error }) (*row, error) {
	var r row
	var status, received, clockFrom, due string
	if err := sc.Scan(&r.id, &r.enterprise, &r.park, &r.category, &r.title, &status, &r.department,
		&received, &r.budget, &r.used, &clockFrom, &due, &r.level, &r.reopened); err != nil {
		return nil, err
	}
	r.status = Status(status)
	var err error
	if r.receivedAt, err = store.ParseTime(received); err != nil {
		return nil, err
	}
	if r.clockFrom, err = optTime(clockFrom); err != nil {
		return nil, err
	}
	if r.due, err = optTime(due); err != nil {
		return nil, err
	}
	return &r, nil
}

func optTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return store.ParseTime(s)
}

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: store.FormatTime(t), Valid: true}
}

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// loadRow reads an appeal for a change, hiding it as not found from one
// who may not see it.
func loadRow(ctx context.Context, q store.Queryer, actor auth.Principal, id int64) (*row, error) {
	r, err := scanRow(q.QueryRow(ctx, `SELECT `+rowColumns+` FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = ?`, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, apperr.Errorf(apperr.NotFound, "no such appeal")
	}
	if err != nil {
		return nil, fmt.Errorf("appeal: read %d: %w", id, err)
	}
	ok, err := visible(ctx, q, actor, r)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, apperr.Errorf(apperr.NotFound, "no such appeal")
	}
	return r, nil
}

// resource is the appeal as auth sees it, for its lead department.
func (r *row) resource(department string) auth.Resource {
	return auth.Resource{EnterpriseID: r.enterprise, ParkID: r.park, Department: department}
}

// visible applies ViewAppeal: the enterprise's own liaison, the
// commissioner of its portfolio, officers of its park, and the lead
// department or a co-handling one.
func visible(ctx context.Context, q store.Queryer, actor auth.Principal, r *row) (bool, error) {
	if auth.Allowed(actor, auth.ViewAppeal, r.resource(r.department)) {
		return true, nil
	}
	if actor.Role != auth.RoleDepartment || actor.Department == "" {
		return false, nil
	}
	var n int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM appeal_cohandlers WHERE appeal_id = ? AND department_code = ?", r.id, actor.Department).Scan(&n); err != nil {
		return false, fmt.Errorf("appeal: read co-handlers: %w", err)
	}
	return n > 0 && auth.Allowed(actor, auth.ViewAppeal, r.resource(actor.Department)), nil
}

// threshold is the working minutes of the budget at which level l is
// reached.
func (r *row) threshold(l Level) int {
	switch l {
	case LevelHalf:
		return r.budget / 2
	case LevelLate:
		return r.budget * 8 / 10
	case LevelHead:
		return r.budget
	case LevelDuban:
		return r.budget + dayMinutes
	}
	return -1
}

// plan computes, from the running clock, the deadline and the instant of
// the next level, on cal. A clock that cannot be computed (a year without
// a schedule) leaves both unknown; the sweep tries again when the calendar
// changes.
func (r *row) plan(cal *workday.Calendar) (due, next time.Time) {
	if r.clockFrom.IsZero() {
		return time.Time{}, time.Time{}
	}
	at := func(minutes int) (time.Time, error) {
		if minutes <= r.used {
			return r.clockFrom, nil
		}
		return addWork(cal, r.clockFrom, minutes-r.used)
	}
	due, err := at(r.budget)
	if err != nil {
		due = time.Time{}
	}
	if r.level+1 < levelCeiling {
		if n, err := at(r.threshold(r.level + 1)); err == nil {
			next = n
		}
	}
	return due, next
}

// stopClock adds the working time since the clock started to used.
func (r *row) stopClock(cal *workday.Calendar, now time.Time) error {
	if r.clockFrom.IsZero() {
		return nil
	}
	m, err := workBetween(cal, r.clockFrom, now)
	if err != nil {
		// The year has no schedule: count the time as working time, the
		// enterprise's side of the doubt.
		m = int(now.Sub(r.clockFrom).Minutes())
	}
	r.used += m
	r.clockFrom = time.Time{}
	return nil
}

// saveClock writes the clock and the deadlines it gives.
func (r *row) saveClock(ctx context.Context, tx *store.Tx, cal *workday.Calendar, now time.Time) error {
	due, next := r.plan(cal)
	r.due = due
	_, err := tx.Exec(ctx, `UPDATE appeals SET status = ?, department_code = ?, used_minutes = ?, clock_from = ?, due_at = ?, level = ?,
next_event_at = ?, reopened = ?, budget_minutes = ?, updated_at = ? WHERE id = ?`,
		string(r.status), nullText(r.department), r.used, nullTime(r.clockFrom), nullTime(due), int(r.level), nullTime(next),
		r.reopened, r.budget, store.FormatTime(now), r.id)
	if err != nil {
		return fmt.Errorf("appeal: save %d: %w", r.id, err)
	}
	return nil
}

// event appends a line to the timeline.
func event(ctx context.Context, tx *store.Tx, id int64, now time.Time, actor, kind, note, department string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO appeal_events (appeal_id, at, actor, kind, note, department_code) VALUES (?, ?, ?, ?, ?, ?)`,
		id, store.FormatTime(now), actor, kind, note, nullText(department)); err != nil {
		return fmt.Errorf("appeal: record event: %w", err)
	}
	return nil
}
