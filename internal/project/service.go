package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Service is the investment-project desk on a database.
type Service struct {
	DB *store.DB
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
}

// NewService returns the service on db.
func NewService(db *store.DB) *Service { return &Service{DB: db} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) today() string { return s.now().Format(time.DateOnly) }

// errNotFound answers alike for a project that does not exist and for one
// of a park the principal does not serve.
func errNotFound(code string) error {
	return apperr.Errorf(apperr.NotFound, "no project %s", code)
}

// parkFilter is the condition that keeps the projects of the principal's
// park, on the column col; every park when the principal has none.
func parkFilter(p auth.Principal, col string) (string, []any) {
	if p.ParkID == 0 || p.IsSystem() {
		return "1 = 1", nil
	}
	return col + " = ?", []any{p.ParkID}
}

// canSee checks that p may see the projects of park parkID.
func canSee(p auth.Principal, parkID int64) error {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return err
	}
	if p.ParkID != 0 && !p.IsSystem() && parkID != p.ParkID {
		return apperr.Errorf(apperr.NotFound, "no such project")
	}
	return nil
}

// canManage checks that p may change the projects of park parkID: an
// officer limited to a park edits that park's projects only.
func canManage(p auth.Principal, parkID int64) error {
	if err := auth.Can(p, auth.ManageProjects, auth.Resource{}); err != nil {
		return err
	}
	if p.ParkID != 0 && !p.IsSystem() && parkID != p.ParkID {
		return apperr.Errorf(apperr.Forbidden, "you may not change projects of another park")
	}
	return nil
}

// projectRef is what a change needs of a stored project.
type projectRef struct {
	id           int64
	parkID       int64
	stage        Stage
	lastActivity string
}

func lookup(ctx context.Context, q store.Queryer, code string) (projectRef, error) {
	var r projectRef
	var park sql.NullInt64
	err := q.QueryRow(ctx, "SELECT id, park_id, stage, last_activity FROM projects WHERE code = ?", code).Scan(&r.id, &park, &r.stage, &r.lastActivity)
	r.parkID = park.Int64
	return r, err
}

// SetStage moves a project to a stage on a date (today when ""), recorded
// in its history.
func (s *Service) SetStage(ctx context.Context, p auth.Principal, code string, stage Stage, on string) error {
	if stage.rank() < 0 {
		return apperr.InvalidInput("unknown stage", apperr.Problem{Field: "stage", Reason: fmt.Sprintf("%q is not a stage", stage)})
	}
	if err := auth.Can(p, auth.ManageProjects, auth.Resource{}); err != nil {
		return err
	}
	if on == "" {
		on = s.today()
	} else if _, err := time.Parse(time.DateOnly, on); err != nil {
		return apperr.InvalidInput("bad date", apperr.Problem{Field: "on", Reason: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", on)})
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		ref, err := lookup(ctx, tx, code)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound(code)
		}
		if err != nil {
			return err
		}
		if err := canSee(p, ref.parkID); err != nil {
			return errNotFound(code)
		}
		if err := canManage(p, ref.parkID); err != nil {
			return err
		}
		if ref.stage == stage {
			return nil
		}
		if err := s.moveStage(ctx, tx, p, ref, stage, on); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "project.stage", ObjectType: "project", ObjectID: code,
			Before: map[string]any{"stage": ref.stage}, After: map[string]any{"stage": stage, "on": on}, At: s.now()})
	})
}

// moveStage records a stage change of a stored project.
func (s *Service) moveStage(ctx context.Context, tx *store.Tx, p auth.Principal, ref projectRef, stage Stage, on string) error {
	last := max(ref.lastActivity, on)
	if _, err := tx.Exec(ctx, "UPDATE projects SET stage = ?, stage_since = ?, last_activity = ?, updated_at = ? WHERE id = ?",
		string(stage), on, last, store.FormatTime(s.now()), ref.id); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "INSERT INTO project_stages (project_id, stage, on_date, actor, created_at) VALUES (?, ?, ?, ?, ?)",
		ref.id, string(stage), on, label(p), store.FormatTime(s.now()))
	return err
}

func label(p auth.Principal) string {
	if p.Label != "" {
		return p.Label
	}
	return "unknown"
}

// AddMilestone adds a dated milestone to a project.
func (s *Service) AddMilestone(ctx context.Context, p auth.Principal, code string, m Milestone) error {
	prob := []apperr.Problem{}
	if m.Title == "" {
		prob = append(prob, apperr.Problem{Field: "title", Reason: "the milestone has no title"})
	}
	if _, err := time.Parse(time.DateOnly, m.DueOn); err != nil {
		prob = append(prob, apperr.Problem{Field: "due_on", Reason: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", m.DueOn)})
	}
	if len(prob) > 0 {
		return apperr.InvalidInput("the milestone is incomplete", prob...)
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		ref, err := lookup(ctx, tx, code)
		if errors.Is(err, store.ErrNotFound) {
			return errNotFound(code)
		}
		if err != nil {
			return err
		}
		if err := canSee(p, ref.parkID); err != nil {
			return errNotFound(code)
		}
		if err := canManage(p, ref.parkID); err != nil {
			return err
		}
		var done any
		if m.DoneOn != "" {
			done = m.DoneOn
		}
		if _, err := tx.Exec(ctx, "INSERT INTO project_milestones (project_id, title, due_on, done_on) VALUES (?, ?, ?, ?)", ref.id, m.Title, m.DueOn, done); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "project.milestone", ObjectType: "project", ObjectID: code, After: m, At: s.now()})
	})
}
