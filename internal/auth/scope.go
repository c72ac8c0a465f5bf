package auth

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/store"
)

// EnterpriseVisible reports whether p may see the enterprise at all. An
// enterprise that does not exist is not visible, so that a handler answers
// "not found" alike for another's enterprise and for none: an id edited in
// a URL reveals nothing.
func EnterpriseVisible(ctx context.Context, q store.Queryer, p Principal, enterpriseID int64) (bool, error) {
	res, err := EnterpriseResource(ctx, q, enterpriseID)
	if isNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return Allowed(p, ViewEnterprise, res), nil
}

// EnterpriseResource returns the resource of an enterprise with its park
// filled in, for Can; store.ErrNotFound when there is no such enterprise.
func EnterpriseResource(ctx context.Context, q store.Queryer, enterpriseID int64) (Resource, error) {
	var park sql.NullInt64
	err := q.QueryRow(ctx, "SELECT park_id FROM enterprises WHERE id = ?", enterpriseID).Scan(&park)
	if err != nil {
		if isNotFound(err) {
			return Resource{}, err
		}
		return Resource{}, fmt.Errorf("auth: read enterprise %d: %w", enterpriseID, err)
	}
	return Enterprise(enterpriseID, park.Int64), nil
}

// Filter is a condition for a WHERE clause, with its arguments, that keeps
// the rows a principal may see.
type Filter struct {
	SQL  string
	Args []any
}

// Columns name, in a list query, the columns Scope filters on: the row's
// enterprise id, and (for requests and appeals) its department code.
type Columns struct {
	Enterprise string // e.g. "e.id" or "r.enterprise_id"
	Department string // e.g. "r.department_code"; "" when the rows have none
}

// Scope returns the SQL form of Can's rule for action a over a list of
// rows, so that a list shows exactly the rows Can would allow one by one
// (a test holds the two to each other). The column names are the
// caller's own SQL, never user input.
//
//	f := auth.Scope(p, auth.ViewEnterprise, auth.Columns{Enterprise: "e.id"})
//	rows, err := db.Query(ctx, "SELECT … FROM enterprises e WHERE "+f.SQL+" AND e.name LIKE ?", append(f.Args, pattern)...)
//
// The field conditions of ViewField and EditFacts are not rows but
// columns: check those with FieldVisible and Can per field.
func Scope(p Principal, a Action, cols Columns) Filter {
	deny := Filter{SQL: "1 = 0"}
	if p.system {
		return Filter{SQL: "1 = 1"}
	}
	r, ok := rules[a]
	if !p.Authenticated() || !ok || (r.personOnly && !p.IsUser()) {
		return deny
	}
	g, ok := r.grants[p.Role]
	if !ok {
		return deny
	}
	if g.scope == anyResource {
		return Filter{SQL: "1 = 1"}
	}
	if cols.Enterprise == "" {
		return deny
	}
	f := Filter{SQL: cols.Enterprise + " > 0"}
	and := func(cond string, args ...any) {
		f.SQL += " AND " + cond
		f.Args = append(f.Args, args...)
	}
	if p.ParkID != 0 {
		and(cols.Enterprise+" IN (SELECT id FROM enterprises WHERE park_id = ?)", p.ParkID)
	}
	switch g.scope {
	case parkEnterprise:
	case portfolioEnterprise:
		and(cols.Enterprise+" IN (SELECT enterprise_id FROM commissioner_enterprises WHERE user_id = ?)", p.UserID)
	case ownEnterprise:
		if p.EnterpriseID <= 0 {
			return deny
		}
		and(cols.Enterprise+" = ?", p.EnterpriseID)
	case ownDepartment:
		if p.Department == "" || cols.Department == "" {
			return deny
		}
		and(cols.Department+" = ?", p.Department)
	default:
		return deny
	}
	return f
}
