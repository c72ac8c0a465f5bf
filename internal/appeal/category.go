package appeal

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

const categoryColumns = "code, name_zh, name_en, COALESCE(department_code, ''), ack_hours, resolve_days, position, active"

func scanCategory(sc interface{ Scan(...any) error }) (Category, error) {
	var c Category
	err := sc.Scan(&c.Code, &c.NameZH, &c.NameEN, &c.Department, &c.AckHours, &c.ResolveDays, &c.Position, &c.Active)
	return c, err
}

func getCategory(ctx context.Context, q store.Queryer, code string) (Category, error) {
	c, err := scanCategory(q.QueryRow(ctx, "SELECT "+categoryColumns+" FROM appeal_categories WHERE code = ?", strings.TrimSpace(code)))
	if errors.Is(err, store.ErrNotFound) {
		return c, fmt.Errorf("no category %q", code)
	}
	return c, err
}

// Categories returns the categories in their order; anyone signed in may
// read them (the liaison picks one when filing).
func (s *Service) Categories(ctx context.Context, actor auth.Principal) ([]Category, error) {
	if !actor.Authenticated() {
		return nil, apperr.Errorf(apperr.Unauthorized, "sign in first")
	}
	rows, err := s.DB.Query(ctx, "SELECT "+categoryColumns+" FROM appeal_categories ORDER BY position, code")
	if err != nil {
		return nil, fmt.Errorf("appeal: categories: %w", err)
	}
	defer rows.Close()
	var out []Category
	for rows.Next() {
		c, err := scanCategory(rows)
		if err != nil {
			return nil, fmt.Errorf("appeal: categories: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCategory adds or changes a category: its names, lead department and
// deadlines. It needs ManageSettings. Open appeals keep the time they were
// given when filed.
func (s *Service) SaveCategory(ctx context.Context, actor auth.Principal, c Category) error {
	if err := auth.Can(actor, auth.ManageSettings, auth.Resource{}); err != nil {
		return err
	}
	c.Code, c.NameZH, c.NameEN = strings.TrimSpace(c.Code), strings.TrimSpace(c.NameZH), strings.TrimSpace(c.NameEN)
	var problems []apperr.Problem
	if c.Code == "" || len(c.Code) > 64 || strings.ContainsAny(c.Code, " /?#") {
		problems = append(problems, apperr.Problem{Field: "code", Reason: "a short code without spaces"})
	}
	if c.NameZH == "" {
		problems = append(problems, apperr.Problem{Field: "name_zh", Reason: "the Chinese name is required"})
	}
	if c.AckHours < 1 || c.AckHours > 80 {
		problems = append(problems, apperr.Problem{Field: "ack_hours", Reason: "between 1 and 80 working hours"})
	}
	if c.ResolveDays < 1 || c.ResolveDays > 120 {
		problems = append(problems, apperr.Problem{Field: "resolve_days", Reason: "between 1 and 120 working days"})
	}
	if len(problems) > 0 {
		return apperr.InvalidInput("the category is not valid", problems...)
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO appeal_categories (code, name_zh, name_en, department_code, ack_hours, resolve_days, position, active)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
department_code = excluded.department_code, ack_hours = excluded.ack_hours, resolve_days = excluded.resolve_days,
position = excluded.position, active = excluded.active`,
			c.Code, c.NameZH, c.NameEN, nullText(c.Department), c.AckHours, c.ResolveDays, c.Position, c.Active)
		if errors.Is(err, store.ErrReferenced) {
			return apperr.InvalidInput("the category is not valid", apperr.Problem{Field: "department", Reason: "no department " + c.Department})
		}
		if err != nil {
			return fmt.Errorf("appeal: save category: %w", err)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "appeal.category", ObjectType: "appeal_category", ObjectID: c.Code,
			After: map[string]any{"department": c.Department, "ack_hours": c.AckHours, "resolve_days": c.ResolveDays, "active": c.Active}, At: s.now()})
	})
}
