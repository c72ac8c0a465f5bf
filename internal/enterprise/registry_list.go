package enterprise

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Filter selects and orders a page of the registry. Empty fields select
// everything.
type Filter struct {
	NameContains   string // a substring of the name, case-insensitive for Latin letters
	USCCPrefix     string
	IndustryPrefix string // e.g. "C39" for computers, communication and other electronic equipment
	Park           string // park code
	ParkID         int64  // park id, for callers scoped by park
	Tag            string // tag code
	// Sort is one of uscc (the default), name, registered_on,
	// industry_code, created_at and updated_at, with a leading '-' for
	// descending order.
	Sort   string
	Limit  int // 0 means DefaultPageSize; at most MaxPageSize
	Offset int
}

// Page sizes of List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// Page is a page of the registry and how many enterprises match in all.
type Page struct {
	Enterprises []Enterprise `json:"enterprises"`
	Total       int          `json:"total"`
}

// sortColumns maps the sort keys users may give to columns; nothing else
// reaches the ORDER BY.
var sortColumns = map[string]string{
	"uscc":          "e.uscc",
	"name":          "e.name",
	"registered_on": "e.registered_on",
	"industry_code": "e.industry_code",
	"created_at":    "e.created_at",
	"updated_at":    "e.updated_at",
}

// List returns a page of the enterprises f selects, each with its tags.
func List(ctx context.Context, q store.Queryer, f Filter) (Page, error) {
	where, args := f.where(q.Dialect())
	order, err := f.orderBy()
	if err != nil {
		return Page{}, err
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultPageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
	if f.Offset < 0 {
		return Page{}, apperr.InvalidInput("the page is not valid", apperr.Problem{Field: "offset", Reason: "must not be negative"})
	}

	var page Page
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises e"+where, args...).Scan(&page.Total); err != nil {
		return Page{}, fmt.Errorf("enterprise: count: %w", err)
	}
	rows, err := q.Query(ctx, selectEnterprise+where+order+" LIMIT ? OFFSET ?", append(args, limit, f.Offset)...)
	if err != nil {
		return Page{}, fmt.Errorf("enterprise: list: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var e Enterprise
		if err := scanEnterprise(rows, &e); err != nil {
			return Page{}, fmt.Errorf("enterprise: list: %w", err)
		}
		page.Enterprises = append(page.Enterprises, e)
		ids = append(ids, e.ID)
	}
	if err := rows.Err(); err != nil {
		return Page{}, fmt.Errorf("enterprise: list: %w", err)
	}
	rows.Close()
	byID, err := tagsOf(ctx, q, ids)
	if err != nil {
		return Page{}, err
	}
	for i := range page.Enterprises {
		page.Enterprises[i].Tags = byID[page.Enterprises[i].ID]
	}
	return page, nil
}

func (f Filter) where(d store.Dialect) (string, []any) {
	var conds []string
	var args []any
	if s := strings.TrimSpace(f.NameContains); s != "" {
		// SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's
		// ILIKE does the same (and more).
		like := "LIKE"
		if d == store.Postgres {
			like = "ILIKE"
		}
		conds = append(conds, "e.name "+like+` ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(s)+"%")
	}
	for _, p := range []struct{ column, prefix string }{
		{"e.uscc", NormalizeUSCC(f.USCCPrefix)},
		{"e.industry_code", strings.ToUpper(strings.TrimSpace(f.IndustryPrefix))},
	} {
		if p.prefix == "" {
			continue
		}
		// A range rather than LIKE 'p%': it uses the index on both
		// databases, the columns comparing byte-wise on both. Codes are
		// ASCII; a prefix that is not cannot use the range.
		if upper, ok := asciiPrefixUpperBound(p.prefix); ok {
			conds = append(conds, p.column+" >= ? AND "+p.column+" < ?")
			args = append(args, p.prefix, upper)
		} else {
			conds = append(conds, "substr("+p.column+", 1, ?) = ?")
			args = append(args, utf8.RuneCountInString(p.prefix), p.prefix)
		}
	}
	if f.Park != "" {
		conds = append(conds, "e.park_id = (SELECT id FROM parks WHERE code = ?)")
		args = append(args, f.Park)
	}
	if f.ParkID != 0 {
		conds = append(conds, "e.park_id = ?")
		args = append(args, f.ParkID)
	}
	if f.Tag != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id WHERE et.enterprise_id = e.id AND t.code = ?)")
		args = append(args, f.Tag)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (f Filter) orderBy() (string, error) {
	key, desc := strings.CutPrefix(f.Sort, "-")
	if key == "" {
		key = "uscc"
	}
	column, ok := sortColumns[key]
	if !ok {
		return "", apperr.InvalidInput("the sort order is not valid", apperr.Problem{Field: "sort",
			Reason: fmt.Sprintf("%q is not one of uscc, name, registered_on, industry_code, created_at, updated_at (with '-' for descending)", f.Sort)})
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	// The id settles ties so that pages do not overlap; NULLs (no
	// registration date, no industry) go last either way.
	order := " ORDER BY " + column + dir + ", e.id" + dir
	if key == "registered_on" || key == "industry_code" {
		order = " ORDER BY " + column + " IS NULL, " + column + dir + ", e.id" + dir
	}
	return order, nil
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// asciiPrefixUpperBound returns the least string greater, in byte order,
// than every string starting with the ASCII prefix, or false when prefix is
// empty or not printable ASCII.
func asciiPrefixUpperBound(prefix string) (string, bool) {
	if prefix == "" {
		return "", false
	}
	for i := 0; i < len(prefix); i++ {
		if prefix[i] < ' ' || prefix[i] >= '~' {
			return "", false
		}
	}
	b := []byte(prefix)
	b[len(b)-1]++
	return string(b), true
}
