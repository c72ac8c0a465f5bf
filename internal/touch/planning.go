package touch

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/touch/schedule"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// PlanResult is what Service.Plan did.
type PlanResult struct {
	From, To workday.Date
	// Joined counts requests that joined a visit already planned: the
	// enterprise's door opens once for them too.
	Joined int
	// NewVisits counts the joint visits proposed; Planned the requests on
	// them.
	NewVisits int
	Planned   int
	Plan      *schedule.Plan // the scheduler's plan of the requests not joined
	// Clipped says why the horizon ends before the day asked: the
	// calendar holds no schedule for the year after ("no calendar for
	// 2027"), and a visit is never planned on a guessed working day.
	Clipped string
}

// pendingRow is a pending on-site request read for planning.
type pendingRow struct {
	id, enterprise, park int64
	earliest, latest     workday.Date
	exempt               bool
	minutes              int
}

// openVisit is a visit still to be made, read for planning.
type openVisit struct {
	id, enterprise, commissioner int64
	day, earliest, latest        workday.Date
	exemptOnly                   bool
}

// Plan plans the pending on-site requests the principal manages (an
// officer's park, a commissioner's portfolio, everything from the command
// line) over the horizon: each first joins a visit of its enterprise
// already planned on a day it permits, and the rest are scheduled
// (Schedule) into new proposed visits, within the visits already planned
// or made, which take capacity and count against caps. Requests the plan
// cannot serve stay pending with the reason. All in one transaction.
func (s *Service) Plan(ctx context.Context, actor auth.Principal, from, to workday.Date) (PlanResult, error) {
	result := PlanResult{From: from, To: to}
	if !actor.IsSystem() && actor.Role != auth.RoleOfficer && actor.Role != auth.RoleCommissioner {
		return result, apperr.Errorf(apperr.Forbidden, "you may not plan visits")
	}
	if to < from {
		return result, apperr.InvalidInput("the horizon is not valid", apperr.Problem{Field: "to", Reason: "ends before it starts"})
	}
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		cal, err := LoadCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := cal.Check(from); err != nil {
			return apperr.InvalidInput("the horizon is not valid", apperr.Problem{Field: "from", Reason: err.Error()})
		}
		if last := lastCovered(cal, from); last < to {
			result.Clipped = cal.Check(last + 1).Error()
			to, result.To = last, last
		}
		rulesOf, err := effectiveRules(ctx, tx)
		if err != nil {
			return err
		}
		pending, err := pendingRequests(ctx, tx, actor, to)
		if err != nil {
			return err
		}
		open, err := openVisits(ctx, tx)
		if err != nil {
			return err
		}
		now := store.FormatTime(s.now())
		rest := pending[:0:0]
		for _, r := range pending {
			if v := joinableVisit(cal, rulesOf(r.enterprise, r.park), open[r.enterprise], r); v != nil {
				if err := joinVisit(ctx, tx, v, r, now); err != nil {
					return err
				}
				result.Joined++
				continue
			}
			rest = append(rest, r)
		}
		p, err := s.problem(ctx, tx, cal, rulesOf, rest, open, from, to)
		if err != nil {
			return err
		}
		plan, err := schedule.Solve(p)
		if err != nil {
			return err
		}
		result.Plan = plan
		if err := writePlan(ctx, tx, plan, now); err != nil {
			return err
		}
		result.NewVisits = len(plan.Visits)
		for _, v := range plan.Visits {
			result.Planned += len(v.Requests)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "touch.plan", ObjectType: "plan",
			ObjectID: from.String() + ".." + to.String(), After: map[string]any{
				"joined": result.Joined, "visits": result.NewVisits, "planned": result.Planned,
				"lower_bound": plan.LowerBound, "unmet": plan.Stats.Unmet}, At: s.now()})
	})
	return result, err
}

// lastCovered returns the last day of the run of years from from's year
// that the calendar holds.
func lastCovered(cal *workday.Calendar, from workday.Date) workday.Date {
	y, _, _ := from.Civil()
	for cal.Covers(y+1) && y < 9998 {
		y++
	}
	return workday.FromCivil(y, time.December, 31)
}

// pendingRequests reads the pending on-site requests the actor manages
// whose window starts by the end of the horizon.
func pendingRequests(ctx context.Context, tx *store.Tx, actor auth.Principal, to workday.Date) ([]pendingRow, error) {
	scope := auth.Scope(actor, auth.ManageVisits, auth.Columns{Enterprise: "r.enterprise_id"})
	rows, err := tx.Query(ctx, `SELECT r.id, r.enterprise_id, COALESCE(e.park_id, 0), r.earliest, r.latest, r.exemption, r.minutes
FROM touch_requests r JOIN enterprises e ON e.id = r.enterprise_id
WHERE r.status = 'pending' AND r.on_site AND r.earliest <= ? AND `+scope.SQL+` ORDER BY r.id`,
		append([]any{to.String()}, scope.Args...)...)
	if err != nil {
		return nil, fmt.Errorf("touch: read pending requests: %w", err)
	}
	defer rows.Close()
	var out []pendingRow
	for rows.Next() {
		var r pendingRow
		var earliest, latest, exemption string
		if err := rows.Scan(&r.id, &r.enterprise, &r.park, &earliest, &latest, &exemption, &r.minutes); err != nil {
			return nil, fmt.Errorf("touch: read pending requests: %w", err)
		}
		if r.earliest, err = workday.ParseDate(earliest); err != nil {
			return nil, err
		}
		if r.latest, err = workday.ParseDate(latest); err != nil {
			return nil, err
		}
		r.exempt = exemption != ""
		out = append(out, r)
	}
	return out, rows.Err()
}

// openVisits reads every visit still to be made, by enterprise.
func openVisits(ctx context.Context, tx *store.Tx) (map[int64][]*openVisit, error) {
	rows, err := tx.Query(ctx, `SELECT id, enterprise_id, commissioner_id, day, earliest, latest, exempt_only FROM touch_visits
WHERE status IN ('proposed', 'confirmed', 'reschedule') ORDER BY day, id`)
	if err != nil {
		return nil, fmt.Errorf("touch: read open visits: %w", err)
	}
	defer rows.Close()
	out := map[int64][]*openVisit{}
	for rows.Next() {
		v := &openVisit{}
		var day, earliest, latest string
		if err := rows.Scan(&v.id, &v.enterprise, &v.commissioner, &day, &earliest, &latest, &v.exemptOnly); err != nil {
			return nil, fmt.Errorf("touch: read open visits: %w", err)
		}
		if v.day, err = workday.ParseDate(day); err != nil {
			return nil, err
		}
		if v.earliest, err = workday.ParseDate(earliest); err != nil {
			return nil, err
		}
		if v.latest, err = workday.ParseDate(latest); err != nil {
			return nil, err
		}
		out[v.enterprise] = append(out[v.enterprise], v)
	}
	return out, rows.Err()
}

// joinableVisit returns an open visit of the request's enterprise on a day
// the request permits: in its window, and open unless the request is
// exempt. A routine request does not join a visit of exempt requests only,
// which would then count against the caps.
func joinableVisit(cal *workday.Calendar, rules *QuietRules, visits []*openVisit, r pendingRow) *openVisit {
	for _, v := range visits {
		if v.day < r.earliest || v.day > r.latest || !cal.IsWorkday(v.day) {
			continue
		}
		if !r.exempt && (v.exemptOnly || rules.Quiet(v.day)) {
			continue
		}
		return v
	}
	return nil
}

func joinVisit(ctx context.Context, tx *store.Tx, v *openVisit, r pendingRow, now string) error {
	v.earliest, v.latest = max(v.earliest, r.earliest), min(v.latest, r.latest)
	if _, err := tx.Exec(ctx, "UPDATE touch_visits SET earliest = ?, latest = ?, updated_at = ? WHERE id = ?",
		v.earliest.String(), v.latest.String(), now, v.id); err != nil {
		return fmt.Errorf("touch: join visit %d: %w", v.id, err)
	}
	if _, err := tx.Exec(ctx, `UPDATE touch_requests SET status = 'planned', visit_id = ?, unmet_reason = NULL, unmet_proof = NULL, updated_at = ?
WHERE id = ?`, v.id, now, r.id); err != nil {
		return fmt.Errorf("touch: join visit %d: %w", v.id, err)
	}
	return nil
}

// problem builds the scheduling problem of the pending requests: their
// enterprises with commissioner, rules and booked routine visits, and the
// commissioners' capacity less the visits they already have.
func (s *Service) problem(ctx context.Context, tx *store.Tx, cal *workday.Calendar, rulesOf func(int64, int64) *QuietRules,
	pending []pendingRow, open map[int64][]*openVisit, from, to workday.Date) (*schedule.Problem, error) {
	p := &schedule.Problem{From: from, To: to, Calendar: cal, Sites: map[int64]*schedule.Site{}, DailyCapacity: s.defaultCapacity(),
		Commissioners: map[int64]*schedule.Commissioner{}}
	for _, r := range pending {
		p.Demands = append(p.Demands, schedule.Demand{ID: r.id, Enterprise: r.enterprise, Earliest: r.earliest, Latest: r.latest,
			Exempt: r.exempt, Minutes: r.minutes})
		if _, ok := p.Sites[r.enterprise]; !ok {
			p.Sites[r.enterprise] = &schedule.Site{Enterprise: r.enterprise, Rules: rulesOf(r.enterprise, r.park)}
		}
	}
	if len(p.Sites) == 0 {
		return p, nil
	}
	// Commissioners of the enterprises.
	rows, err := tx.Query(ctx, "SELECT enterprise_id, user_id FROM commissioner_enterprises")
	if err != nil {
		return nil, fmt.Errorf("touch: read portfolios: %w", err)
	}
	for rows.Next() {
		var ent, user int64
		if err := rows.Scan(&ent, &user); err != nil {
			rows.Close()
			return nil, err
		}
		if site, ok := p.Sites[ent]; ok {
			site.Commissioner = user
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Capacity, and the slots open visits take.
	rows, err = tx.Query(ctx, "SELECT user_id, daily_capacity FROM commissioner_capacity")
	if err != nil {
		return nil, fmt.Errorf("touch: read capacity: %w", err)
	}
	for rows.Next() {
		var user int64
		var capacity int
		if err := rows.Scan(&user, &capacity); err != nil {
			rows.Close()
			return nil, err
		}
		p.Commissioners[user] = &schedule.Commissioner{DailyCapacity: capacity, Taken: map[workday.Date]int{}}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, visits := range open {
		for _, v := range visits {
			c, ok := p.Commissioners[v.commissioner]
			if !ok {
				c = &schedule.Commissioner{DailyCapacity: p.DailyCapacity, Taken: map[workday.Date]int{}}
				p.Commissioners[v.commissioner] = c
			}
			c.Taken[v.day]++
		}
	}
	// Routine visits planned or made in the years the horizon touches
	// count against the caps.
	firstYear, _, _ := from.Civil()
	lastYear, _, _ := to.Civil()
	rows, err = tx.Query(ctx, `SELECT enterprise_id, day FROM touch_visits
WHERE status <> 'cancelled' AND NOT exempt_only AND day >= ? AND day <= ?`,
		fmt.Sprintf("%04d-01-01", firstYear), fmt.Sprintf("%04d-12-31", lastYear))
	if err != nil {
		return nil, fmt.Errorf("touch: read booked visits: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var ent int64
		var day string
		if err := rows.Scan(&ent, &day); err != nil {
			return nil, err
		}
		site, ok := p.Sites[ent]
		if !ok {
			continue
		}
		d, err := workday.ParseDate(day)
		if err != nil {
			return nil, err
		}
		site.Booked = append(site.Booked, d)
	}
	return p, rows.Err()
}

// writePlan records the plan's visits as proposed, puts their requests on
// them, and records why the others could not be served.
func writePlan(ctx context.Context, tx *store.Tx, plan *schedule.Plan, now string) error {
	for _, v := range plan.Visits {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO touch_visits
	(enterprise_id, commissioner_id, day, earliest, latest, status, exempt_only, quiet_break, cap_break, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?, ?) RETURNING id`,
			v.Enterprise, v.Commissioner, v.Day.String(), v.Earliest.String(), v.Latest.String(),
			v.ExemptOnly, v.Quiet, v.OverCap, now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("touch: record visit: %w", err)
		}
		args := []any{id, now}
		for _, r := range v.Requests {
			args = append(args, r)
		}
		if _, err := tx.Exec(ctx, `UPDATE touch_requests SET status = 'planned', visit_id = ?, unmet_reason = NULL, unmet_proof = NULL, updated_at = ?
WHERE id IN (`+placeholders(len(v.Requests))+`)`, args...); err != nil {
			return fmt.Errorf("touch: put requests on visit %d: %w", id, err)
		}
	}
	for _, u := range plan.Unmet {
		var proof sql.NullString
		if u.Proof != nil {
			b, err := json.Marshal(u.Proof)
			if err != nil {
				return err
			}
			proof = sql.NullString{String: string(b), Valid: true}
		}
		if _, err := tx.Exec(ctx, "UPDATE touch_requests SET unmet_reason = ?, unmet_proof = ?, updated_at = ? WHERE id = ?",
			string(u.Reason), proof, now, u.Request); err != nil {
			return fmt.Errorf("touch: record why request %d is unmet: %w", u.Request, err)
		}
	}
	return nil
}
