package indicator

import (
	"context"
	"errors"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Service computes and keeps the park's indicators on a database.
type Service struct {
	DB       *store.DB
	Projects *project.Service
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
}

// NewService returns the service on db.
func NewService(db *store.DB, projects *project.Service) *Service {
	return &Service{DB: db, Projects: projects}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// Park is a park as reports name it.
type Park struct {
	ID     int64  `json:"-"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en"`
}

// scope is the park a report covers: one, or every park (ID 0).
type scope struct {
	park Park
}

func (sc scope) filter(col string) (string, []any) {
	if sc.park.ID == 0 {
		return "1 = 1", nil
	}
	return col + " = ?", []any{sc.park.ID}
}

// resolvePark returns the park a principal asks about: the named one, or
// the principal's own when it is limited to one, or every park. A park
// the principal does not serve is not found.
func (s *Service) resolvePark(ctx context.Context, p auth.Principal, code string) (scope, error) {
	if code == "" {
		if p.ParkID == 0 || p.IsSystem() {
			return scope{}, nil
		}
		return s.parkByID(ctx, p.ParkID)
	}
	var pk Park
	err := s.DB.QueryRow(ctx, "SELECT id, code, name_zh, name_en FROM parks WHERE code = ?", code).Scan(&pk.ID, &pk.Code, &pk.NameZh, &pk.NameEn)
	if errors.Is(err, store.ErrNotFound) || err == nil && p.ParkID != 0 && !p.IsSystem() && pk.ID != p.ParkID {
		return scope{}, apperr.Errorf(apperr.NotFound, "no park %s", code)
	}
	return scope{park: pk}, err
}

func (s *Service) parkByID(ctx context.Context, id int64) (scope, error) {
	var pk Park
	err := s.DB.QueryRow(ctx, "SELECT id, code, name_zh, name_en FROM parks WHERE id = ?", id).Scan(&pk.ID, &pk.Code, &pk.NameZh, &pk.NameEn)
	return scope{park: pk}, err
}

// Parks lists the parks p may see.
func (s *Service) Parks(ctx context.Context, p auth.Principal) ([]Park, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return nil, err
	}
	where, args := "1 = 1", []any(nil)
	if p.ParkID != 0 && !p.IsSystem() {
		where, args = "id = ?", []any{p.ParkID}
	}
	rows, err := s.DB.Query(ctx, "SELECT id, code, name_zh, name_en FROM parks WHERE "+where+" ORDER BY code", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Park
	for rows.Next() {
		var pk Park
		if err := rows.Scan(&pk.ID, &pk.Code, &pk.NameZh, &pk.NameEn); err != nil {
			return nil, err
		}
		out = append(out, pk)
	}
	return out, rows.Err()
}

// fieldOf reads what visibility needs of a dictionary field; a field not
// in the dictionary is treated as confidential.
func fieldOf(ctx context.Context, q store.Queryer, name string) (auth.Field, error) {
	f := auth.Field{Name: name, Sensitivity: auth.Confidential}
	var sens, dept string
	err := q.QueryRow(ctx, "SELECT sensitivity, department_code FROM fields WHERE name = ?", name).Scan(&sens, &dept)
	if errors.Is(err, store.ErrNotFound) {
		return f, nil
	}
	if err != nil {
		return f, err
	}
	f.Sensitivity, f.Department = auth.Sensitivity(sens), dept
	return f, nil
}
