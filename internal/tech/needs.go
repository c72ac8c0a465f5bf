package tech

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// NeedSpec is a need as a liaison posts it or an officer records it.
type NeedSpec struct {
	EnterpriseID int64
	// USCC names the enterprise instead of EnterpriseID (an officer's form).
	USCC        string
	Title       string
	Description string
	Field       string
	Budget      string // as typed: 50万, 500000
	WantedBy    string // YYYY-MM-DD or ""
}

// PostNeed records a need of an enterprise: a liaison for its own, an
// officer or the enterprise's commissioner from a visit or an appeal. The
// code is made from the year and the id (XQ2026-000123).
func (s *Service) PostNeed(ctx context.Context, actor auth.Principal, spec NeedSpec) (Need, error) {
	if spec.EnterpriseID == 0 && strings.TrimSpace(spec.USCC) != "" {
		err := s.DB.QueryRow(ctx, "SELECT id FROM enterprises WHERE uscc = ?", strings.ToUpper(strings.TrimSpace(spec.USCC))).Scan(&spec.EnterpriseID)
		if errors.Is(err, store.ErrNotFound) {
			return Need{}, apperr.InvalidInput("the need cannot be posted", apperr.Problem{Field: "uscc", Reason: "no enterprise has this USCC"})
		}
		if err != nil {
			return Need{}, err
		}
	}
	res, err := auth.EnterpriseResource(ctx, s.DB, spec.EnterpriseID)
	if err != nil {
		return Need{}, notFound(err, "enterprise")
	}
	if actor.Authenticated() && !auth.Allowed(actor, auth.ViewEnterprise, res) {
		return Need{}, apperr.Errorf(apperr.NotFound, "no such enterprise")
	}
	if err := auth.Can(actor, auth.PostTechNeed, res); err != nil {
		return Need{}, err
	}
	source := SourceOfficer
	if actor.Role == auth.RoleEnterprise {
		source = SourcePortal
	}
	n := Need{Code: "XQ-new", EnterpriseID: spec.EnterpriseID, Title: strings.TrimSpace(spec.Title),
		Description: strings.TrimSpace(spec.Description), Field: ParseField(spec.Field), WantedBy: strings.TrimSpace(spec.WantedBy),
		Source: source, Status: StatusOpen}
	problems := n.check()
	budget, reason := ParseYuan(spec.Budget)
	if reason != "" {
		problems = append(problems, apperr.Problem{Field: "budget", Reason: reason})
	}
	n.Budget = budget
	if len(problems) > 0 {
		return Need{}, apperr.InvalidInput("the need cannot be posted", problems...)
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		var err error
		id, err = s.insertNeed(ctx, tx, actor, n)
		return err
	})
	if err != nil {
		return Need{}, err
	}
	return s.needByID(ctx, s.DB, id)
}

// insertNeed writes a need (a code of "XQ-new" is replaced by one made
// from its id) and audits it.
func (s *Service) insertNeed(ctx context.Context, tx *store.Tx, actor auth.Principal, n Need) (int64, error) {
	an, err := loadAnalyzer()
	if err != nil {
		return 0, err
	}
	rev, err := bumpCounter(ctx, tx, "needs")
	if err != nil {
		return 0, err
	}
	now := s.now()
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO tech_needs (code, enterprise_id, title, description, field, budget, wanted_by, source, status,
	terms, analyzer, revision, created_by, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?) RETURNING id`,
		n.Code, n.EnterpriseID, n.Title, n.Description, string(n.Field), nullText(n.Budget), nullText(n.WantedBy), string(n.Source),
		encodeTerms(an.needTerms(n)), analyzerVersion, rev, actor.Label, store.FormatTime(now), store.FormatTime(now)).Scan(&id)
	if errors.Is(err, store.ErrConflict) {
		return 0, apperr.InvalidInput("the need cannot be posted", apperr.Problem{Field: "code", Reason: "the code " + n.Code + " is taken"})
	}
	if err != nil {
		return 0, fmt.Errorf("tech: post need: %w", err)
	}
	if n.Code == "XQ-new" {
		n.Code = fmt.Sprintf("XQ%d-%06d", now.Year(), id)
		if _, err := tx.Exec(ctx, "UPDATE tech_needs SET code = ? WHERE id = ?", n.Code, id); err != nil {
			return 0, err
		}
	}
	return id, auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.need.post", ObjectType: "tech_need",
		ObjectID: strconv.FormatInt(id, 10), After: map[string]any{"code": n.Code, "enterprise_id": n.EnterpriseID, "title": n.Title,
			"description": n.Description, "field": n.Field, "budget": n.Budget, "wanted_by": n.WantedBy, "source": n.Source}, At: now})
}

// CloseNeed closes an open need (met, or given up).
func (s *Service) CloseNeed(ctx context.Context, actor auth.Principal, id int64) error {
	n, err := s.visibleNeed(ctx, actor, id, auth.PostTechNeed)
	if err != nil {
		return err
	}
	if n.Status == StatusClosed {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		rev, err := bumpCounter(ctx, tx, "needs")
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE tech_needs SET status = 'closed', revision = ?, updated_at = ? WHERE id = ?",
			rev, store.FormatTime(s.now()), id); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "tech.need.close", ObjectType: "tech_need",
			ObjectID: strconv.FormatInt(id, 10), Before: map[string]any{"status": n.Status}, After: map[string]any{"status": StatusClosed}, At: s.now()})
	})
}

// ImportNeeds reads a needs file (code,enterprise,title,description; the
// enterprise by its USCC or exact name) and records every row, all or
// nothing.
func (s *Service) ImportNeeds(ctx context.Context, actor auth.Principal, file string, data []byte, dryRun bool) (ImportReport, error) {
	if err := auth.Can(actor, auth.ManageTechCatalogue, auth.Resource{}); err != nil {
		return ImportReport{}, err
	}
	needs, ignored, err := ParseNeeds(file, data)
	if err != nil {
		return ImportReport{}, err
	}
	var problems []apperr.Problem
	for i := range needs {
		n := &needs[i]
		var id, park sql.NullInt64
		err := s.DB.QueryRow(ctx, "SELECT id, park_id FROM enterprises WHERE uscc = ? OR name = ? ORDER BY id LIMIT 1", n.Enterprise, n.Enterprise).Scan(&id, &park)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems = append(problems, apperr.Problem{File: file, Record: i + 1, Field: "enterprise", Reason: fmt.Sprintf("no enterprise with the USCC or name %q", n.Enterprise)})
			continue
		case err != nil:
			return ImportReport{}, err
		}
		if err := auth.Can(actor, auth.PostTechNeed, auth.Enterprise(id.Int64, park.Int64)); err != nil {
			problems = append(problems, apperr.Problem{File: file, Record: i + 1, Field: "enterprise", Reason: fmt.Sprintf("no enterprise with the USCC or name %q", n.Enterprise)})
			continue
		}
		n.EnterpriseID = id.Int64
		var taken int
		if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_needs WHERE code = ?", n.Code).Scan(&taken); err != nil {
			return ImportReport{}, err
		}
		if taken > 0 {
			problems = append(problems, apperr.Problem{File: file, Record: i + 1, Field: "code", Reason: "the code " + n.Code + " is taken"})
		}
	}
	if len(problems) > 0 {
		return ImportReport{}, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was imported", file, len(problems)), problems...)
	}
	rep := ImportReport{File: file, Rows: len(needs), Created: len(needs), Ignored: nonNilStrings(ignored), DryRun: dryRun}
	if dryRun {
		return rep, nil
	}
	err = s.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, n := range needs {
			if _, err := s.insertNeed(ctx, tx, actor, n); err != nil {
				return err
			}
		}
		return nil
	})
	return rep, err
}

const needColumns = `n.id, n.code, n.enterprise_id, e.name, e.uscc, COALESCE(e.park_id, 0), COALESCE(e.industry_code, ''), n.title, n.description,
	n.field, COALESCE(n.budget, ''), COALESCE(n.wanted_by, ''), n.source, n.status, n.created_at`

func scanNeed(row interface{ Scan(...any) error }) (Need, error) {
	var n Need
	err := row.Scan(&n.ID, &n.Code, &n.EnterpriseID, &n.Enterprise, &n.USCC, &n.ParkID, &n.Industry, &n.Title, &n.Description,
		&n.Field, &n.Budget, &n.WantedBy, &n.Source, &n.Status, store.ScanTime(&n.CreatedAt))
	return n, err
}

func (s *Service) needByID(ctx context.Context, q store.Queryer, id int64) (Need, error) {
	n, err := scanNeed(q.QueryRow(ctx, "SELECT "+needColumns+" FROM tech_needs n JOIN enterprises e ON e.id = n.enterprise_id WHERE n.id = ?", id))
	return n, notFound(err, "need")
}

// visibleNeed returns a need the actor may act on by a; one it may not see
// is "not found", as one that does not exist.
func (s *Service) visibleNeed(ctx context.Context, actor auth.Principal, id int64, a auth.Action) (Need, error) {
	n, err := s.needByID(ctx, s.DB, id)
	if err != nil {
		return Need{}, err
	}
	res := auth.Enterprise(n.EnterpriseID, n.ParkID)
	if !auth.Allowed(actor, auth.ViewTechNeed, res) {
		return Need{}, apperr.Errorf(apperr.NotFound, "no such need")
	}
	if err := auth.Can(actor, a, res); err != nil {
		return Need{}, err
	}
	return n, nil
}

// Need returns one need.
func (s *Service) Need(ctx context.Context, actor auth.Principal, id int64) (Need, error) {
	return s.visibleNeed(ctx, actor, id, auth.ViewTechNeed)
}

// NeedFilter narrows the needs' list.
type NeedFilter struct {
	EnterpriseID int64
	Status       Status
	Limit        int
	Offset       int
}

// Needs returns the needs the actor may see, newest first, and how many.
func (s *Service) Needs(ctx context.Context, actor auth.Principal, f NeedFilter) ([]Need, int, error) {
	scope := auth.Scope(actor, auth.ViewTechNeed, auth.Columns{Enterprise: "n.enterprise_id"})
	where := " WHERE " + scope.SQL
	args := append([]any{}, scope.Args...)
	if f.EnterpriseID != 0 {
		where += " AND n.enterprise_id = ?"
		args = append(args, f.EnterpriseID)
	}
	if f.Status != "" {
		where += " AND n.status = ?"
		args = append(args, string(f.Status))
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_needs n"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, "SELECT "+needColumns+" FROM tech_needs n JOIN enterprises e ON e.id = n.enterprise_id"+where+
		" ORDER BY n.id DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Need{}
	for rows.Next() {
		n, err := scanNeed(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, n)
	}
	return out, total, rows.Err()
}
