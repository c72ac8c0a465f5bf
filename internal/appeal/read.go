package appeal

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

const appealColumns = `a.id, a.enterprise_id, e.name, COALESCE(e.park_id, 0), a.category, a.title, a.body, a.source, a.contact_name, a.contact_phone,
a.status, COALESCE(a.department_code, ''), a.owner, a.received_at, COALESCE(a.accepted_at, ''), COALESCE(a.ack_due_at, ''),
COALESCE(a.due_at, ''), a.budget_minutes, a.used_minutes, a.level, COALESCE(a.replied_at, ''), a.reply, a.on_time,
COALESCE(a.closed_at, ''), COALESCE(a.rating, ''), a.rating_comment, a.reopened, COALESCE(a.merged_into, 0),
COALESCE(a.meeting_id, 0), COALESCE(a.team_id, 0), a.updated_at, COALESCE(a.clock_from, '')`

func scanAppeal(sc interface{ Scan(...any) error }, actor auth.Principal, now time.Time) (Appeal, error) {
	var a Appeal
	var park int64
	var source, status, received, accepted, ackDue, due, replied, closed, rating, updated, clockFrom string
	var onTime sql.NullBool
	err := sc.Scan(&a.ID, &a.EnterpriseID, &a.Enterprise, &park, &a.Category, &a.Title, &a.Body, &source, &a.ContactName, &a.ContactPhone,
		&status, &a.Department, &a.Owner, &received, &accepted, &ackDue, &due, &a.BudgetMin, &a.UsedMin, &a.Level, &replied, &a.Reply, &onTime,
		&closed, &rating, &a.Comment, &a.Reopened, &a.MergedInto, &a.MeetingID, &a.TeamID, &updated, &clockFrom)
	if err != nil {
		return a, err
	}
	a.Source, a.Status, a.Rating = Source(source), Status(status), Rating(rating)
	for _, f := range []struct {
		dst *time.Time
		src string
	}{{&a.ReceivedAt, received}, {&a.AcceptedAt, accepted}, {&a.AckDue, ackDue}, {&a.Due, due}, {&a.RepliedAt, replied}, {&a.ClosedAt, closed}, {&a.UpdatedAt, updated}} {
		if *f.dst, err = optTime(f.src); err != nil {
			return a, err
		}
	}
	if onTime.Valid {
		v := onTime.Bool
		a.OnTime = &v
	}
	running := clockFrom != ""
	if running && a.Due.IsZero() {
		a.DueProblem = "no calendar"
	}
	a.Overdue = a.Status.Open() && !a.Due.IsZero() && now.After(a.Due)
	a.ContactPhone = auth.MaskContact(actor, auth.Enterprise(a.EnterpriseID, park), a.ContactPhone)
	return a, nil
}

// Get returns one appeal with its timeline and co-handlers, to whoever may
// see it; to anyone else it does not exist.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Appeal, error) {
	if _, err := loadRow(ctx, s.DB, actor, id); err != nil {
		return Appeal{}, err
	}
	a, err := scanAppeal(s.DB.QueryRow(ctx, "SELECT "+appealColumns+" FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id = ?", id), actor, s.now())
	if err != nil {
		return a, fmt.Errorf("appeal: read %d: %w", id, err)
	}
	if a.Cohandlers, err = cohandlers(ctx, s.DB, id); err != nil {
		return a, err
	}
	rows, err := s.DB.Query(ctx, "SELECT at, actor, kind, note, COALESCE(department_code, '') FROM appeal_events WHERE appeal_id = ? ORDER BY id", id)
	if err != nil {
		return a, fmt.Errorf("appeal: timeline: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var at string
		if err := rows.Scan(&at, &e.Actor, &e.Kind, &e.Note, &e.Department); err != nil {
			return a, err
		}
		if e.At, err = store.ParseTime(at); err != nil {
			return a, err
		}
		if actor.Role == auth.RoleEnterprise {
			e.Actor = "" // staff names stay inside the administration
		}
		a.Events = append(a.Events, e)
	}
	return a, rows.Err()
}

func cohandlers(ctx context.Context, q store.Queryer, id int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT department_code FROM appeal_cohandlers WHERE appeal_id = ? ORDER BY department_code", id)
	if err != nil {
		return nil, fmt.Errorf("appeal: co-handlers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Filter narrows a list of appeals.
type Filter struct {
	EnterpriseID int64
	Status       Status // "" any; "open" is every open status
	Department   string
	Overdue      bool
	Limit        int
	Offset       int
}

// OpenStatuses is the Filter.Status of every open appeal.
const OpenStatuses Status = "open"

// List returns the appeals the actor may see, most urgent first (the
// earliest deadline), then the newest: a department's work list, an
// enterprise's own appeals, an officer's queue. total counts them all.
func (s *Service) List(ctx context.Context, actor auth.Principal, f Filter) (list []Appeal, total int, err error) {
	// The status condition, also pushed into the department's subquery
	// so that it runs on the (department, status, deadline) index.
	var status string
	var statusArgs []any
	switch f.Status {
	case "":
	case OpenStatuses:
		status = " AND a.status IN ('received', 'assigned', 'in_progress', 'waiting')"
	default:
		status, statusArgs = " AND a.status = ?", []any{string(f.Status)}
	}
	lead := auth.Scope(actor, auth.ViewAppeal, auth.Columns{Enterprise: "a.enterprise_id", Department: "a.department_code"})
	where := []string{lead.SQL + status}
	args := append(append([]any{}, lead.Args...), statusArgs...)
	from := "appeals a"
	if actor.Role == auth.RoleDepartment {
		// Its own appeals and those it co-handles: a union of two
		// indexed lookups, not an OR that would scan every appeal.
		co := auth.Scope(actor, auth.ViewAppeal, auth.Columns{Enterprise: "a.enterprise_id", Department: "ch.department_code"})
		// The ids drive the join (CROSS JOIN keeps SQLite from scanning
		// every appeal to test membership).
		from = "(SELECT a.id, a.due_at FROM appeals a WHERE " + lead.SQL + status +
			" UNION SELECT ch.appeal_id, a.due_at FROM appeal_cohandlers ch JOIN appeals a ON a.id = ch.appeal_id WHERE " + co.SQL + status +
			") ids CROSS JOIN appeals a"
		where = []string{"a.id = ids.id"}
		args = append(append(append(append([]any{}, lead.Args...), statusArgs...), co.Args...), statusArgs...)
	}
	if f.EnterpriseID != 0 {
		where, args = append(where, "a.enterprise_id = ?"), append(args, f.EnterpriseID)
	}
	if f.Department != "" {
		where, args = append(where, "a.department_code = ?"), append(args, f.Department)
	}
	now := s.now()
	if f.Overdue {
		where = append(where, "a.status IN ('received', 'assigned', 'in_progress', 'waiting') AND a.due_at < ?")
		args = append(args, store.FormatTime(now))
	}
	cond := strings.Join(where, " AND ")
	plain := strings.HasSuffix(from, ") ids CROSS JOIN appeals a") && len(where) == 1
	counted := "SELECT COUNT(*) FROM " + from + " WHERE " + cond
	if plain {
		counted = "SELECT COUNT(*) FROM " + strings.TrimSuffix(from, " CROSS JOIN appeals a")
	}
	if err := s.DB.QueryRow(ctx, counted, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("appeal: count: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	// The page's ids first, sorted on the deadline the department index
	// holds, then only those rows read whole: a department with thousands
	// of open appeals reads fifty.
	order := " ORDER BY CASE WHEN a.due_at IS NULL THEN 1 ELSE 0 END, a.due_at, a.id DESC"
	page := "SELECT a.id FROM " + from + " WHERE " + cond + order + " LIMIT ? OFFSET ?"
	if plain {
		// Only the department's scope: the ids and deadlines come from the
		// union alone, never touching the appeals' rows to sort.
		ids := strings.TrimSuffix(from, " CROSS JOIN appeals a")
		page = "SELECT ids.id FROM " + ids + " ORDER BY CASE WHEN ids.due_at IS NULL THEN 1 ELSE 0 END, ids.due_at, ids.id DESC LIMIT ? OFFSET ?"
	}
	rows, err := s.DB.Query(ctx, "SELECT "+appealColumns+" FROM appeals a JOIN enterprises e ON e.id = a.enterprise_id WHERE a.id IN ("+page+")"+order,
		append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("appeal: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAppeal(rows, actor, now)
		if err != nil {
			return nil, 0, fmt.Errorf("appeal: list: %w", err)
		}
		list = append(list, a)
	}
	return list, total, rows.Err()
}

// Duplicates suggests the open appeals of the same enterprise that look
// like this one, for the officer to merge.
func (s *Service) Duplicates(ctx context.Context, actor auth.Principal, id int64) ([]Appeal, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !a.Status.Open() {
		return nil, nil
	}
	others, _, err := s.List(ctx, actor, Filter{EnterpriseID: a.EnterpriseID, Status: OpenStatuses, Limit: 200})
	if err != nil {
		return nil, err
	}
	mine := terms(a.Title + " " + a.Body)
	var out []Appeal
	for _, o := range others {
		if o.ID == a.ID {
			continue
		}
		if similarity(mine, terms(o.Title+" "+o.Body)) >= 0.4 || o.Category == a.Category && similarity(terms(a.Title), terms(o.Title)) >= 0.3 {
			out = append(out, o)
		}
	}
	return out, nil
}

// ParseStatus reads a status from a query string: "" is any, "open" every open one.
func ParseStatus(s string) (Status, error) {
	if s == "" || Status(s) == OpenStatuses {
		return Status(s), nil
	}
	for _, v := range Statuses {
		if string(v) == s {
			return v, nil
		}
	}
	return "", apperr.InvalidInput("not a status", apperr.Problem{Field: "status", Reason: fmt.Sprintf("%q is not a status", s)})
}
