package enterprise

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Park is an area of the zone (园区) that enterprises belong to.
type Park struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en,omitempty"`
}

// Department is a functional department (职能部门): it owns data fields,
// files touch requests and answers appeals.
type Department struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en,omitempty"`
}

// Tag is a label officers put on enterprises ("key enterprise", "pre-IPO" …)
// to find and serve them as a group.
type Tag struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en,omitempty"`
}

// codeEntry is the common shape of parks, departments and tags: rows named
// by a stable code with a Chinese and an English name. The three types
// convert to and from it.
type codeEntry struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en,omitempty"`
}

// codeTable names one of the three tables and what its rows are called in
// messages.
type codeTable struct {
	table string
	noun  string
}

var (
	parks       = codeTable{"parks", "park"}
	departments = codeTable{"departments", "department"}
	tags        = codeTable{"tags", "tag"}
)

// CreatePark adds a park and sets its ID.
func CreatePark(ctx context.Context, q store.Queryer, p *Park) error {
	return parks.create(ctx, q, (*codeEntry)(p))
}

// UpdatePark changes the code and names of the park with p.ID.
func UpdatePark(ctx context.Context, q store.Queryer, p *Park) error {
	return parks.update(ctx, q, (*codeEntry)(p))
}

// GetPark returns the park with the code.
func GetPark(ctx context.Context, q store.Queryer, code string) (Park, error) {
	e, err := parks.get(ctx, q, code)
	return Park(e), err
}

// ListParks returns every park by code.
func ListParks(ctx context.Context, q store.Queryer) ([]Park, error) {
	return listAs[Park](ctx, q, parks)
}

// CreateDepartment adds a department and sets its ID.
func CreateDepartment(ctx context.Context, q store.Queryer, d *Department) error {
	return departments.create(ctx, q, (*codeEntry)(d))
}

// UpdateDepartment changes the code and names of the department with d.ID.
// Fields and users follow a new code.
func UpdateDepartment(ctx context.Context, q store.Queryer, d *Department) error {
	return departments.update(ctx, q, (*codeEntry)(d))
}

// GetDepartment returns the department with the code.
func GetDepartment(ctx context.Context, q store.Queryer, code string) (Department, error) {
	e, err := departments.get(ctx, q, code)
	return Department(e), err
}

// ListDepartments returns every department by code.
func ListDepartments(ctx context.Context, q store.Queryer) ([]Department, error) {
	return listAs[Department](ctx, q, departments)
}

// CreateTag adds a tag and sets its ID.
func CreateTag(ctx context.Context, q store.Queryer, t *Tag) error {
	return tags.create(ctx, q, (*codeEntry)(t))
}

// UpdateTag changes the code and names of the tag with t.ID.
func UpdateTag(ctx context.Context, q store.Queryer, t *Tag) error {
	return tags.update(ctx, q, (*codeEntry)(t))
}

// GetTag returns the tag with the code.
func GetTag(ctx context.Context, q store.Queryer, code string) (Tag, error) {
	e, err := tags.get(ctx, q, code)
	return Tag(e), err
}

// ListTags returns every tag by code.
func ListTags(ctx context.Context, q store.Queryer) ([]Tag, error) {
	return listAs[Tag](ctx, q, tags)
}

func (ct codeTable) validate(e *codeEntry) error {
	e.Code = strings.TrimSpace(e.Code)
	e.NameZh = strings.TrimSpace(e.NameZh)
	e.NameEn = strings.TrimSpace(e.NameEn)
	var problems []apperr.Problem
	if !validCode(e.Code) {
		problems = append(problems, apperr.Problem{Field: "code", Reason: "use 1 to 64 lower-case letters, digits, '-' and '_', starting with a letter or digit"})
	}
	if e.NameZh == "" {
		problems = append(problems, apperr.Problem{Field: "name_zh", Reason: "is required"})
	}
	if len(problems) > 0 {
		return apperr.InvalidInput("the "+ct.noun+" is not valid", problems...)
	}
	return nil
}

// validCode accepts the codes that appear in URLs, files and policy rules
// without quoting: lower-case ASCII letters, digits, '-' and '_'.
func validCode(s string) bool {
	if s == "" || len(s) > 64 || s[0] == '-' || s[0] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (ct codeTable) create(ctx context.Context, q store.Queryer, e *codeEntry) error {
	if err := ct.validate(e); err != nil {
		return err
	}
	err := q.QueryRow(ctx, "INSERT INTO "+ct.table+" (code, name_zh, name_en) VALUES (?, ?, ?) RETURNING id",
		e.Code, e.NameZh, e.NameEn).Scan(&e.ID)
	if errors.Is(err, store.ErrConflict) {
		return apperr.Errorf(apperr.Conflict, "a %s with code %s exists", ct.noun, e.Code)
	}
	if err != nil {
		return fmt.Errorf("enterprise: create %s %s: %w", ct.noun, e.Code, err)
	}
	return nil
}

func (ct codeTable) update(ctx context.Context, q store.Queryer, e *codeEntry) error {
	if err := ct.validate(e); err != nil {
		return err
	}
	res, err := q.Exec(ctx, "UPDATE "+ct.table+" SET code = ?, name_zh = ?, name_en = ? WHERE id = ?",
		e.Code, e.NameZh, e.NameEn, e.ID)
	if errors.Is(err, store.ErrConflict) {
		return apperr.Errorf(apperr.Conflict, "a %s with code %s exists", ct.noun, e.Code)
	}
	if err != nil {
		return fmt.Errorf("enterprise: update %s %d: %w", ct.noun, e.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return apperr.Errorf(apperr.NotFound, "no %s with id %d", ct.noun, e.ID)
	}
	return nil
}

func (ct codeTable) get(ctx context.Context, q store.Queryer, code string) (codeEntry, error) {
	var e codeEntry
	err := q.QueryRow(ctx, "SELECT id, code, name_zh, name_en FROM "+ct.table+" WHERE code = ?", code).
		Scan(&e.ID, &e.Code, &e.NameZh, &e.NameEn)
	if errors.Is(err, store.ErrNotFound) {
		return e, apperr.Errorf(apperr.NotFound, "no %s with code %s", ct.noun, code)
	}
	if err != nil {
		return e, fmt.Errorf("enterprise: get %s %s: %w", ct.noun, code, err)
	}
	return e, nil
}

func listAs[T ~struct {
	ID     int64  `json:"id"`
	Code   string `json:"code"`
	NameZh string `json:"name_zh"`
	NameEn string `json:"name_en,omitempty"`
}](ctx context.Context, q store.Queryer, ct codeTable) ([]T, error) {
	rows, err := q.Query(ctx, "SELECT id, code, name_zh, name_en FROM "+ct.table+" ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("enterprise: list %ss: %w", ct.noun, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var e codeEntry
		if err := rows.Scan(&e.ID, &e.Code, &e.NameZh, &e.NameEn); err != nil {
			return nil, fmt.Errorf("enterprise: list %ss: %w", ct.noun, err)
		}
		out = append(out, T(e))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("enterprise: list %ss: %w", ct.noun, err)
	}
	return out, nil
}
