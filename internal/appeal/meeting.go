package appeal

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// MeetingKind is the kind of a meeting where problems are raised.
type MeetingKind string

// The kinds the parks hold.
const (
	Symposium      MeetingKind = "symposium" // 企业家座谈会
	BankMeeting    MeetingKind = "bank"      // 政企银座谈会
	ProjectMeeting MeetingKind = "project"   // 重点项目推进会
)

// Attendee is one who came: an enterprise, a department or a bank.
type Attendee struct {
	Kind         string // enterprise, department, bank
	EnterpriseID int64
	Department   string
	Name         string
}

// Raised is a problem raised at a meeting: it becomes an appeal of the
// enterprise that raised it.
type Raised struct {
	EnterpriseID int64
	Category     string
	Title        string
	Body         string
	Department   string // routed at once when given
}

// MeetingSpec is a meeting recorded after it was held.
type MeetingSpec struct {
	Kind      MeetingKind
	Title     string
	HeldOn    workday.Date
	Minutes   string
	Attendees []Attendee
	Raised    []Raised
}

// Meeting is a recorded meeting with the appeals it raised.
type Meeting struct {
	ID        int64
	Kind      MeetingKind
	Title     string
	HeldOn    string
	Minutes   string
	Attendees []Attendee
	Appeals   []int64
}

// RecordMeeting records a symposium, a bank meeting or a key-project
// meeting with its attendees and minutes, and files each problem raised as
// an appeal from the meeting. It needs ManageRoundtables; everything is
// one transaction, so a bad problem records nothing.
func (s *Service) RecordMeeting(ctx context.Context, actor auth.Principal, spec MeetingSpec) (int64, error) {
	if err := auth.Can(actor, auth.ManageRoundtables, auth.Resource{}); err != nil {
		return 0, err
	}
	spec.Title = strings.TrimSpace(spec.Title)
	var problems []apperr.Problem
	switch spec.Kind {
	case Symposium, BankMeeting, ProjectMeeting:
	default:
		problems = append(problems, apperr.Problem{Field: "kind", Reason: "symposium, bank or project"})
	}
	if spec.Title == "" || len([]rune(spec.Title)) > 200 {
		problems = append(problems, apperr.Problem{Field: "title", Reason: "a title of 1 to 200 characters"})
	}
	if spec.HeldOn == 0 {
		problems = append(problems, apperr.Problem{Field: "held_on", Reason: "the day it was held"})
	}
	for i, a := range spec.Attendees {
		if a.Kind != "enterprise" && a.Kind != "department" && a.Kind != "bank" {
			problems = append(problems, apperr.Problem{Record: i + 1, Field: "attendees", Reason: "an enterprise, a department or a bank"})
		}
	}
	if len(problems) > 0 {
		return 0, apperr.InvalidInput("the meeting is not complete", problems...)
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		if err := tx.QueryRow(ctx, `INSERT INTO appeal_meetings (kind, title, held_on, minutes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			string(spec.Kind), spec.Title, spec.HeldOn.String(), strings.TrimSpace(spec.Minutes), actor.Label, store.FormatTime(now)).Scan(&id); err != nil {
			return fmt.Errorf("appeal: record meeting: %w", err)
		}
		for _, a := range spec.Attendees {
			if _, err := tx.Exec(ctx, `INSERT INTO appeal_meeting_attendees (meeting_id, kind, enterprise_id, department_code, name) VALUES (?, ?, ?, ?, ?)`,
				id, a.Kind, nullID(a.EnterpriseID), nullText(a.Department), strings.TrimSpace(a.Name)); err != nil {
				return apperr.InvalidInput("an attendee is not valid", apperr.Problem{Field: "attendees", Reason: "no such enterprise or department"})
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.meeting", ObjectType: "appeal_meeting", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"kind": spec.Kind, "title": spec.Title, "attendees": len(spec.Attendees), "raised": len(spec.Raised)}, At: now})
	})
	if err != nil {
		return 0, err
	}
	// Each problem is filed as its own appeal, as the liaison's would be;
	// the meeting stands even when one is refused, and says so.
	for i, r := range spec.Raised {
		if _, err := s.File(ctx, actor, Spec{EnterpriseID: r.EnterpriseID, Category: r.Category, Title: r.Title, Body: r.Body,
			Source: FromMeeting, Department: r.Department, MeetingID: id}); err != nil {
			return id, fmt.Errorf("problem %d of the meeting: %w", i+1, err)
		}
	}
	return id, nil
}

// Meetings returns the meetings, newest first, with their attendees and
// the appeals raised; for officers and those who see dashboards.
func (s *Service) Meetings(ctx context.Context, actor auth.Principal, limit int) ([]Meeting, error) {
	if !auth.Allowed(actor, auth.ManageRoundtables, auth.Resource{}) && !auth.Allowed(actor, auth.ViewDashboard, auth.Resource{}) {
		return nil, auth.Can(actor, auth.ManageRoundtables, auth.Resource{})
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.DB.Query(ctx, "SELECT id, kind, title, held_on, minutes FROM appeal_meetings ORDER BY held_on DESC, id DESC LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("appeal: meetings: %w", err)
	}
	var out []Meeting
	for rows.Next() {
		var m Meeting
		var kind string
		if err := rows.Scan(&m.ID, &kind, &m.Title, &m.HeldOn, &m.Minutes); err != nil {
			rows.Close()
			return nil, err
		}
		m.Kind = MeetingKind(kind)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		ar, err := s.DB.Query(ctx, `SELECT a.kind, COALESCE(a.enterprise_id, 0), COALESCE(a.department_code, ''),
CASE WHEN a.name <> '' THEN a.name ELSE COALESCE(e.name, '') END FROM appeal_meeting_attendees a LEFT JOIN enterprises e ON e.id = a.enterprise_id
WHERE a.meeting_id = ? ORDER BY a.id`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for ar.Next() {
			var a Attendee
			if err := ar.Scan(&a.Kind, &a.EnterpriseID, &a.Department, &a.Name); err != nil {
				ar.Close()
				return nil, err
			}
			out[i].Attendees = append(out[i].Attendees, a)
		}
		ar.Close()
		ids, err := s.DB.Query(ctx, "SELECT id FROM appeals WHERE meeting_id = ? ORDER BY id", out[i].ID)
		if err != nil {
			return nil, err
		}
		for ids.Next() {
			var id int64
			if err := ids.Scan(&id); err != nil {
				ids.Close()
				return nil, err
			}
			out[i].Appeals = append(out[i].Appeals, id)
		}
		ids.Close()
	}
	return out, nil
}

// Task is a task or milestone of a special service team.
type Task struct {
	ID         int64
	Title      string
	Department string
	Milestone  bool
	Due        workday.Date
	DoneAt     time.Time
}

// TeamSpec is a special service team (专班) for a key enterprise.
type TeamSpec struct {
	Name         string
	EnterpriseID int64
	Lead         string // who leads it, e.g. "管委会副主任 王某"
	Goal         string
	Departments  []string // members from several departments
	Tasks        []Task
}

// Team is a special service team with its tasks, tracked like appeals: a
// task past its day and not done is overdue.
type Team struct {
	ID           int64
	Name         string
	EnterpriseID int64
	Enterprise   string
	Lead, Goal   string
	Departments  []string
	Tasks        []Task
	Overdue      int
}

// FormTeam sets up a special service team. It needs ManageRoundtables.
func (s *Service) FormTeam(ctx context.Context, actor auth.Principal, spec TeamSpec) (int64, error) {
	if err := auth.Can(actor, auth.ManageRoundtables, auth.Resource{}); err != nil {
		return 0, err
	}
	spec.Name, spec.Lead = strings.TrimSpace(spec.Name), strings.TrimSpace(spec.Lead)
	var problems []apperr.Problem
	if spec.Name == "" {
		problems = append(problems, apperr.Problem{Field: "name", Reason: "required"})
	}
	if spec.Lead == "" {
		problems = append(problems, apperr.Problem{Field: "lead", Reason: "say who leads the team"})
	}
	if len(spec.Departments) < 2 {
		problems = append(problems, apperr.Problem{Field: "departments", Reason: "a team has members from at least two departments"})
	}
	for i, t := range spec.Tasks {
		if strings.TrimSpace(t.Title) == "" || t.Due == 0 {
			problems = append(problems, apperr.Problem{Record: i + 1, Field: "tasks", Reason: "a task has a title and a day"})
		}
	}
	if len(problems) > 0 {
		return 0, apperr.InvalidInput("the team is not complete", problems...)
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		if err := tx.QueryRow(ctx, `INSERT INTO appeal_teams (name, enterprise_id, lead, goal, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			spec.Name, spec.EnterpriseID, spec.Lead, strings.TrimSpace(spec.Goal), actor.Label, store.FormatTime(now)).Scan(&id); err != nil {
			return apperr.InvalidInput("the team is not valid", apperr.Problem{Field: "enterprise", Reason: "no such enterprise"})
		}
		for _, d := range spec.Departments {
			if _, err := tx.Exec(ctx, "INSERT INTO appeal_team_members (team_id, department_code) VALUES (?, ?) ON CONFLICT DO NOTHING", id, d); err != nil {
				return apperr.InvalidInput("the team is not valid", apperr.Problem{Field: "departments", Reason: "no department " + d})
			}
		}
		for _, t := range spec.Tasks {
			if _, err := tx.Exec(ctx, "INSERT INTO appeal_team_tasks (team_id, title, department_code, milestone, due_on) VALUES (?, ?, ?, ?, ?)",
				id, strings.TrimSpace(t.Title), nullText(t.Department), t.Milestone, t.Due.String()); err != nil {
				return apperr.InvalidInput("the team is not valid", apperr.Problem{Field: "tasks", Reason: "no department " + t.Department})
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.team", ObjectType: "appeal_team", ObjectID: strconv.FormatInt(id, 10),
			After: map[string]any{"name": spec.Name, "enterprise": spec.EnterpriseID, "departments": spec.Departments, "tasks": len(spec.Tasks)}, At: now})
	})
	return id, err
}

// CompleteTask marks a team's task done. It needs ManageRoundtables.
func (s *Service) CompleteTask(ctx context.Context, actor auth.Principal, taskID int64) error {
	if err := auth.Can(actor, auth.ManageRoundtables, auth.Resource{}); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		now := s.now()
		res, err := tx.Exec(ctx, "UPDATE appeal_team_tasks SET done_at = ? WHERE id = ? AND done_at IS NULL", store.FormatTime(now), taskID)
		if err != nil {
			return fmt.Errorf("appeal: complete task: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.Errorf(apperr.NotFound, "no such open task")
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.task", ObjectType: "appeal_team_task", ObjectID: strconv.FormatInt(taskID, 10),
			After: map[string]any{"done": true}, At: now})
	})
}

// Teams returns the special service teams with their tasks; for officers
// and those who see dashboards.
func (s *Service) Teams(ctx context.Context, actor auth.Principal) ([]Team, error) {
	if !auth.Allowed(actor, auth.ManageRoundtables, auth.Resource{}) && !auth.Allowed(actor, auth.ViewDashboard, auth.Resource{}) {
		return nil, auth.Can(actor, auth.ManageRoundtables, auth.Resource{})
	}
	rows, err := s.DB.Query(ctx, `SELECT t.id, t.name, t.enterprise_id, e.name, t.lead, t.goal FROM appeal_teams t JOIN enterprises e ON e.id = t.enterprise_id ORDER BY t.id`)
	if err != nil {
		return nil, fmt.Errorf("appeal: teams: %w", err)
	}
	var out []Team
	for rows.Next() {
		var t Team
		if err := rows.Scan(&t.ID, &t.Name, &t.EnterpriseID, &t.Enterprise, &t.Lead, &t.Goal); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, t)
	}
	rows.Close()
	today := workday.Of(s.now().In(parkZone))
	for i := range out {
		out[i].Departments, err = teamDepartments(ctx, s.DB, out[i].ID)
		if err != nil {
			return nil, err
		}
		tr, err := s.DB.Query(ctx, "SELECT id, title, COALESCE(department_code, ''), milestone, due_on, COALESCE(done_at, '') FROM appeal_team_tasks WHERE team_id = ? ORDER BY due_on, id", out[i].ID)
		if err != nil {
			return nil, err
		}
		for tr.Next() {
			var t Task
			var due, done string
			if err := tr.Scan(&t.ID, &t.Title, &t.Department, &t.Milestone, &due, &done); err != nil {
				tr.Close()
				return nil, err
			}
			if t.Due, err = workday.ParseDate(due); err == nil {
				t.DoneAt, err = optTime(done)
			}
			if err != nil {
				tr.Close()
				return nil, err
			}
			if t.DoneAt.IsZero() && t.Due < today {
				out[i].Overdue++
			}
			out[i].Tasks = append(out[i].Tasks, t)
		}
		tr.Close()
	}
	return out, nil
}

func teamDepartments(ctx context.Context, q store.Queryer, id int64) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT department_code FROM appeal_team_members WHERE team_id = ? ORDER BY department_code", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
