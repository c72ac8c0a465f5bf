package touch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

const visitColumns = `v.id, v.enterprise_id, e.name, v.commissioner_id, u.display_name, v.day, v.earliest, v.latest, v.status,
	v.exempt_only, v.quiet_break, v.cap_break, v.asked_day, v.asked_note, v.log_note, v.created_at, v.done_at`

const visitFrom = ` FROM touch_visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN users u ON u.id = v.commissioner_id`

func scanVisit(row interface{ Scan(...any) error }) (JointVisit, error) {
	var v JointVisit
	var day, earliest, latest, status string
	var asked sql.NullString
	err := row.Scan(&v.ID, &v.EnterpriseID, &v.EnterpriseName, &v.CommissionerID, &v.Commissioner, &day, &earliest, &latest, &status,
		&v.ExemptOnly, &v.QuietBreak, &v.CapBreak, &asked, &v.AskedNote, &v.LogNote, store.ScanTime(&v.CreatedAt), store.ScanTime(&v.DoneAt))
	if err != nil {
		return v, err
	}
	v.Status = VisitStatus(status)
	for _, f := range []struct {
		dst *workday.Date
		src string
	}{{&v.Day, day}, {&v.Earliest, earliest}, {&v.Latest, latest}, {&v.AskedDay, asked.String}} {
		if f.src == "" {
			continue
		}
		if *f.dst, err = workday.ParseDate(f.src); err != nil {
			return v, err
		}
	}
	return v, nil
}

// visitAction is the action that decides who sees a principal's visits:
// liaisons those of their enterprise, the others those they manage.
func visitAction(p auth.Principal) auth.Action {
	if p.Role == auth.RoleEnterprise {
		return auth.ConfirmVisit
	}
	return auth.ManageVisits
}

// Visit returns a visit the principal may see, with its requests and the
// problems raised at it.
func (s *Service) Visit(ctx context.Context, actor auth.Principal, id int64) (JointVisit, error) {
	var v JointVisit
	err := s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		var err error
		if v, err = loadVisit(ctx, tx, id); err != nil {
			return err
		}
		res, err := auth.EnterpriseResource(ctx, tx, v.EnterpriseID)
		if err != nil {
			return err
		}
		if !auth.Allowed(actor, visitAction(actor), res) {
			return apperr.Errorf(apperr.NotFound, "no such visit")
		}
		return nil
	})
	return v, err
}

// loadVisit reads a visit with its requests and problems, unchecked.
func loadVisit(ctx context.Context, q store.Queryer, id int64) (JointVisit, error) {
	v, err := scanVisit(q.QueryRow(ctx, "SELECT "+visitColumns+visitFrom+" WHERE v.id = ?", id))
	if err != nil {
		return v, notFoundAs(err, "no such visit")
	}
	rows, err := q.Query(ctx, "SELECT "+requestColumns+requestFrom+" WHERE r.visit_id = ? ORDER BY r.department_code, r.id", id)
	if err != nil {
		return v, fmt.Errorf("touch: read the visit's requests: %w", err)
	}
	var ids []int64
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			rows.Close()
			return v, fmt.Errorf("touch: read the visit's requests: %w", err)
		}
		v.Requests = append(v.Requests, r)
		ids = append(ids, r.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return v, err
	}
	items, err := itemsOf(ctx, q, ids)
	if err != nil {
		return v, err
	}
	for i := range v.Requests {
		v.Requests[i].Items = items[v.Requests[i].ID]
	}
	rows, err = q.Query(ctx, `SELECT id, visit_id, department_code, text, raised_by, raised_at, appeal_id
FROM touch_problems WHERE visit_id = ? ORDER BY id`, id)
	if err != nil {
		return v, fmt.Errorf("touch: read the visit's problems: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p RaisedProblem
		var dept sql.NullString
		var appeal sql.NullInt64
		if err := rows.Scan(&p.ID, &p.VisitID, &dept, &p.Text, &p.RaisedBy, store.ScanTime(&p.RaisedAt), &appeal); err != nil {
			return v, err
		}
		p.Department, p.AppealID = dept.String, appeal.Int64
		v.Problems = append(v.Problems, p)
	}
	return v, rows.Err()
}

// VisitFilter selects visits to list.
type VisitFilter struct {
	EnterpriseID   int64
	CommissionerID int64
	Open           bool // only visits still to be made
	From, To       workday.Date
	Limit          int // 0: 200
}

// Visits lists the visits the principal may see, by day.
func (s *Service) Visits(ctx context.Context, actor auth.Principal, f VisitFilter) ([]JointVisit, error) {
	scope := auth.Scope(actor, visitAction(actor), auth.Columns{Enterprise: "v.enterprise_id"})
	where, args := []string{scope.SQL}, append([]any(nil), scope.Args...)
	if f.EnterpriseID != 0 {
		where, args = append(where, "v.enterprise_id = ?"), append(args, f.EnterpriseID)
	}
	if f.CommissionerID != 0 {
		where, args = append(where, "v.commissioner_id = ?"), append(args, f.CommissionerID)
	}
	if f.Open {
		where = append(where, "v.status IN ('proposed', 'confirmed', 'reschedule')")
	}
	if f.From != 0 {
		where, args = append(where, "v.day >= ?"), append(args, f.From.String())
	}
	if f.To != 0 {
		where, args = append(where, "v.day <= ?"), append(args, f.To.String())
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	var out []JointVisit
	err := s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+visitColumns+visitFrom+" WHERE "+strings.Join(where, " AND ")+
			fmt.Sprintf(" ORDER BY v.day, v.id LIMIT %d", limit), args...)
		if err != nil {
			return fmt.Errorf("touch: list visits: %w", err)
		}
		for rows.Next() {
			v, err := scanVisit(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("touch: list visits: %w", err)
			}
			out = append(out, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			full, err := loadVisit(ctx, tx, out[i].ID)
			if err != nil {
				return err
			}
			out[i] = full
		}
		return nil
	})
	return out, err
}

// changeVisit loads a visit in a write transaction, checks that the
// principal may do action on it and that it is in one of the statuses, and
// runs fn.
func (s *Service) changeVisit(ctx context.Context, actor auth.Principal, id int64, action auth.Action, statuses []VisitStatus,
	fn func(tx *store.Tx, v *JointVisit) error) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		v, err := loadVisit(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := auth.EnterpriseResource(ctx, tx, v.EnterpriseID)
		if err != nil {
			return err
		}
		if !auth.Allowed(actor, auth.ConfirmVisit, res) && !auth.Allowed(actor, auth.ManageVisits, res) {
			return apperr.Errorf(apperr.NotFound, "no such visit")
		}
		if err := auth.Can(actor, action, res); err != nil {
			return err
		}
		if !slices.Contains(statuses, v.Status) {
			return apperr.Errorf(apperr.Conflict, "the visit is %s", v.Status)
		}
		return fn(tx, &v)
	})
}

// Confirm is the liaison confirming the proposed day of a visit.
func (s *Service) Confirm(ctx context.Context, actor auth.Principal, visitID int64) error {
	return s.changeVisit(ctx, actor, visitID, auth.ConfirmVisit, []VisitStatus{VisitProposed}, func(tx *store.Tx, v *JointVisit) error {
		return s.setVisitStatus(ctx, tx, actor, v, VisitConfirmed, "visit.confirm", nil)
	})
}

// AskAnotherDay is the liaison asking to move a visit to another working
// day within the days the visit may take.
func (s *Service) AskAnotherDay(ctx context.Context, actor auth.Principal, visitID int64, day workday.Date, note string) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxNoteRunes {
		return apperr.InvalidInput("the note is too long", apperr.Problem{Field: "note", Reason: fmt.Sprintf("longer than %d characters", maxNoteRunes)})
	}
	return s.changeVisit(ctx, actor, visitID, auth.ConfirmVisit, []VisitStatus{VisitProposed, VisitConfirmed}, func(tx *store.Tx, v *JointVisit) error {
		cal, err := LoadCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := v.checkDay(cal, day, s.today()); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE touch_visits SET status = 'reschedule', asked_day = ?, asked_note = ?, updated_at = ? WHERE id = ?",
			day.String(), note, store.FormatTime(s.now()), v.ID); err != nil {
			return fmt.Errorf("touch: ask another day: %w", err)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "visit.ask_another_day", ObjectType: "touch_visit",
			ObjectID: strconv.FormatInt(v.ID, 10), Before: map[string]any{"day": v.Day.String()},
			After: map[string]any{"asked_day": day.String(), "note": note}, At: s.now()})
	})
}

// checkDay refuses a day the visit may not move to.
func (v *JointVisit) checkDay(cal *workday.Calendar, day, today workday.Date) error {
	problem := func(reason string) error {
		return apperr.InvalidInput("the visit cannot be on "+day.String(), apperr.Problem{Field: "day", Reason: reason})
	}
	switch {
	case day < today:
		return problem("the day has passed")
	case day < v.Earliest || day > v.Latest:
		return problem(fmt.Sprintf("the requests on the visit allow %s to %s", v.Earliest, v.Latest))
	case !cal.IsWorkday(day):
		return problem("not a working day")
	}
	return nil
}

// Reschedule is the commissioner moving a visit: to the day the liaison
// asked for, which confirms it, or to another, which the liaison then
// confirms. The day must keep the quiet rules, the caps and the
// commissioner's capacity.
func (s *Service) Reschedule(ctx context.Context, actor auth.Principal, visitID int64, day workday.Date) error {
	return s.changeVisit(ctx, actor, visitID, auth.ManageVisits, []VisitStatus{VisitProposed, VisitConfirmed, VisitReschedule}, func(tx *store.Tx, v *JointVisit) error {
		cal, err := LoadCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := v.checkDay(cal, day, s.today()); err != nil {
			return err
		}
		if err := s.checkRulesAndCapacity(ctx, tx, v, day); err != nil {
			return err
		}
		status := VisitProposed
		if v.AskedDay == day {
			status = VisitConfirmed
		}
		if _, err := tx.Exec(ctx, "UPDATE touch_visits SET day = ?, status = ?, asked_day = NULL, updated_at = ? WHERE id = ?",
			day.String(), string(status), store.FormatTime(s.now()), v.ID); err != nil {
			return fmt.Errorf("touch: reschedule: %w", err)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "visit.reschedule", ObjectType: "touch_visit",
			ObjectID: strconv.FormatInt(v.ID, 10), Before: map[string]any{"day": v.Day.String(), "status": v.Status},
			After: map[string]any{"day": day.String(), "status": status}, At: s.now()})
	})
}

// checkRulesAndCapacity refuses a day that breaks the enterprise's quiet
// rules or caps (unless the visit is exempt) or the commissioner's
// capacity.
func (s *Service) checkRulesAndCapacity(ctx context.Context, tx *store.Tx, v *JointVisit, day workday.Date) error {
	problem := func(reason string) error {
		return apperr.InvalidInput("the visit cannot be on "+day.String(), apperr.Problem{Field: "day", Reason: reason})
	}
	var park sql.NullInt64
	if err := tx.QueryRow(ctx, "SELECT park_id FROM enterprises WHERE id = ?", v.EnterpriseID).Scan(&park); err != nil {
		return err
	}
	rulesOf, err := effectiveRules(ctx, tx)
	if err != nil {
		return err
	}
	rules := rulesOf(v.EnterpriseID, park.Int64)
	if !v.ExemptOnly && rules.Quiet(day) {
		return problem("the day is in the enterprise's quiet period")
	}
	if !v.ExemptOnly && rules.Capped() {
		month := day.Month()
		var inMonth, inYear int
		y := month.Year()
		if err := tx.QueryRow(ctx, `SELECT
	COALESCE(SUM(CASE WHEN day >= ? AND day <= ? THEN 1 ELSE 0 END), 0), COUNT(*)
FROM touch_visits WHERE enterprise_id = ? AND id <> ? AND status <> 'cancelled' AND NOT exempt_only AND day >= ? AND day <= ?`,
			month.First().String(), month.Last().String(), v.EnterpriseID, v.ID,
			fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)).Scan(&inMonth, &inYear); err != nil {
			return fmt.Errorf("touch: count visits: %w", err)
		}
		if rules.MonthlyCap > 0 && inMonth >= rules.MonthlyCap {
			return problem(fmt.Sprintf("the enterprise already has %d visits in %s, its monthly cap", inMonth, month))
		}
		if rules.YearlyCap > 0 && inYear >= rules.YearlyCap {
			return problem(fmt.Sprintf("the enterprise already has %d visits in %d, its yearly cap", inYear, y))
		}
	}
	capacity := s.defaultCapacity()
	err = tx.QueryRow(ctx, "SELECT daily_capacity FROM commissioner_capacity WHERE user_id = ?", v.CommissionerID).Scan(&capacity)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var taken int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM touch_visits
WHERE commissioner_id = ? AND day = ? AND id <> ? AND status IN ('proposed', 'confirmed', 'reschedule', 'done')`,
		v.CommissionerID, day.String(), v.ID).Scan(&taken); err != nil {
		return err
	}
	if taken >= capacity {
		return problem(fmt.Sprintf("the commissioner already has %d visits that day", taken))
	}
	return nil
}

func (s *Service) setVisitStatus(ctx context.Context, tx *store.Tx, actor auth.Principal, v *JointVisit, status VisitStatus, action string, after map[string]any) error {
	if _, err := tx.Exec(ctx, "UPDATE touch_visits SET status = ?, updated_at = ? WHERE id = ?",
		string(status), store.FormatTime(s.now()), v.ID); err != nil {
		return fmt.Errorf("touch: %s: %w", action, err)
	}
	if after == nil {
		after = map[string]any{}
	}
	after["status"] = status
	return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: action, ObjectType: "touch_visit",
		ObjectID: strconv.FormatInt(v.ID, 10), Before: map[string]any{"status": v.Status, "day": v.Day.String()}, After: after, At: s.now()})
}

// Outcome is what became of one request at a visit.
type Outcome struct {
	Done bool
	Note string
}

// ProblemSpec is a problem the enterprise raised at the visit.
type ProblemSpec struct {
	Department string // the department it concerns, "" when unknown
	Text       string
}

// VisitLog is the commissioner's record of a visit made: each request's
// outcome, a note, and the problems raised.
type VisitLog struct {
	Outcomes map[int64]Outcome // by request id: every request on the visit
	Note     string
	Problems []ProblemSpec
}

// Log records a visit made: each department's request done or not with a
// note, the visit's note, and the problems the enterprise raised, which
// the appeals capability takes up. The visit must have taken place.
func (s *Service) Log(ctx context.Context, actor auth.Principal, visitID int64, log VisitLog) error {
	return s.changeVisit(ctx, actor, visitID, auth.ManageVisits, []VisitStatus{VisitProposed, VisitConfirmed, VisitReschedule}, func(tx *store.Tx, v *JointVisit) error {
		var problems []apperr.Problem
		if v.Day > s.today() {
			problems = append(problems, apperr.Problem{Field: "day", Reason: "the visit is on " + v.Day.String() + ", not yet made"})
		}
		for _, r := range v.Requests {
			if _, ok := log.Outcomes[r.ID]; !ok {
				problems = append(problems, apperr.Problem{Record: int(r.ID), Field: "outcome", Reason: fmt.Sprintf("say whether request %d was done", r.ID)})
			}
		}
		for id, o := range log.Outcomes {
			if !slices.ContainsFunc(v.Requests, func(r Request) bool { return r.ID == id }) {
				problems = append(problems, apperr.Problem{Record: int(id), Field: "outcome", Reason: fmt.Sprintf("request %d is not on this visit", id)})
			}
			if utf8.RuneCountInString(o.Note) > maxNoteRunes {
				problems = append(problems, apperr.Problem{Record: int(id), Field: "note", Reason: fmt.Sprintf("longer than %d characters", maxNoteRunes)})
			}
		}
		if utf8.RuneCountInString(log.Note) > maxNoteRunes {
			problems = append(problems, apperr.Problem{Field: "note", Reason: fmt.Sprintf("longer than %d characters", maxNoteRunes)})
		}
		var raised []ProblemSpec
		for _, p := range log.Problems {
			p.Text = strings.TrimSpace(p.Text)
			switch n := utf8.RuneCountInString(p.Text); {
			case n == 0:
				continue
			case n > 4000:
				problems = append(problems, apperr.Problem{Field: "problems", Reason: "a problem is longer than 4000 characters"})
			}
			raised = append(raised, p)
		}
		if len(problems) > 0 {
			return apperr.InvalidInput("the visit log is not complete", problems...)
		}
		now := store.FormatTime(s.now())
		outcomes := map[string]any{}
		for _, r := range v.Requests {
			o := log.Outcomes[r.ID]
			status, answer := StatusDone, AnswerDone
			if !o.Done {
				status, answer = StatusNotDone, AnswerNotDone
			}
			if _, err := tx.Exec(ctx, "UPDATE touch_requests SET status = ?, outcome_note = ?, updated_at = ? WHERE id = ?",
				string(status), strings.TrimSpace(o.Note), now, r.ID); err != nil {
				return fmt.Errorf("touch: log request %d: %w", r.ID, err)
			}
			if _, err := tx.Exec(ctx, "UPDATE touch_items SET answer = ?, answered_at = ? WHERE request_id = ? AND field IS NULL AND answer IS NULL",
				string(answer), now, r.ID); err != nil {
				return fmt.Errorf("touch: log request %d: %w", r.ID, err)
			}
			outcomes[strconv.FormatInt(r.ID, 10)] = status
		}
		for _, p := range raised {
			if _, err := tx.Exec(ctx, `INSERT INTO touch_problems (visit_id, enterprise_id, department_code, text, raised_by, raised_at)
VALUES (?, ?, ?, ?, ?, ?)`, v.ID, v.EnterpriseID, nullText(p.Department), p.Text, actor.Label, now); err != nil {
				if errors.Is(err, store.ErrReferenced) {
					return apperr.InvalidInput("the visit log is not valid", apperr.Problem{Field: "problems", Reason: "no department " + p.Department})
				}
				return fmt.Errorf("touch: record problem: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE touch_visits SET status = 'done', log_note = ?, done_at = ?, updated_at = ? WHERE id = ?",
			strings.TrimSpace(log.Note), now, now, v.ID); err != nil {
			return fmt.Errorf("touch: log visit: %w", err)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "visit.log", ObjectType: "touch_visit",
			ObjectID: strconv.FormatInt(v.ID, 10), Before: map[string]any{"status": v.Status},
			After: map[string]any{"status": VisitDone, "outcomes": outcomes, "problems": len(raised)}, At: s.now()})
	})
}

// Withdraw is the filing department taking a request back. A visit left
// with no request is cancelled.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, requestID int64) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		r, err := GetRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		res, err := auth.EnterpriseResource(ctx, tx, r.EnterpriseID)
		if err != nil {
			return err
		}
		res.Department = r.Department
		if !auth.Allowed(actor, auth.ViewTouchRequest, res) {
			return apperr.Errorf(apperr.NotFound, "no such touch request")
		}
		if err := auth.Can(actor, auth.FileTouchRequest, res); err != nil {
			return err
		}
		if r.Status != StatusPending && r.Status != StatusPlanned {
			return apperr.Errorf(apperr.Conflict, "the request is %s", r.Status)
		}
		now := store.FormatTime(s.now())
		if _, err := tx.Exec(ctx, "UPDATE touch_requests SET status = 'withdrawn', visit_id = NULL, updated_at = ? WHERE id = ?", now, r.ID); err != nil {
			return fmt.Errorf("touch: withdraw: %w", err)
		}
		if r.VisitID != 0 {
			if _, err := tx.Exec(ctx, `UPDATE touch_visits SET status = 'cancelled', updated_at = ?
WHERE id = ? AND status IN ('proposed', 'confirmed', 'reschedule') AND NOT EXISTS (SELECT 1 FROM touch_requests WHERE visit_id = touch_visits.id)`,
				now, r.VisitID); err != nil {
				return fmt.Errorf("touch: withdraw: %w", err)
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "touch_request.withdraw", ObjectType: "touch_request",
			ObjectID: strconv.FormatInt(r.ID, 10), Before: map[string]any{"status": r.Status, "visit_id": r.VisitID},
			After: map[string]any{"status": StatusWithdrawn}, At: s.now()})
	})
}
