package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// The console's read model of the registry: the list and the profile as
// pages show them, in a few queries each, scoped by auth.Scope in the same
// SQL so that a list holds exactly what its reader may see. Writes go
// through the domain packages; these only read.

// enterpriseFilter is what the enterprise list is narrowed and ordered by.
type enterpriseFilter struct {
	Query    string // a name substring, or the start of a USCC
	Industry string // a section letter or the start of an industry code ("C", "C39", "I65")
	Park     int64
	Tag      string // a tag's code
	Sort     string // one of enterpriseSorts
	Desc     bool
}

// enterpriseSorts maps the sort names of the URL to SQL; anything else
// sorts by name. The id breaks ties so that paging is stable.
var enterpriseSorts = map[string]string{
	"name":       "e.name",
	"uscc":       "e.uscc",
	"registered": "e.registered_on",
	"industry":   "e.industry_code",
}

// enterpriseRow is one line of the enterprise list.
type enterpriseRow struct {
	ID           int64
	USCC         string
	Name         string
	RegisteredOn string
	IndustryCode string
	Industry     string // the code's name in the reader's language, set by the page
	ParkCode     string
	ParkZh       string
	ParkEn       string
	Tags         []tagRef
}

type tagRef struct {
	Code, NameZh, NameEn string
}

// likeEscape escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (f enterpriseFilter) where(p auth.Principal, d store.Dialect) (string, []any) {
	// The scope's column is written +e.id: the unary plus keeps SQLite's
	// planner from driving the query by a range of ids (every id is > 0)
	// when the index of the sort column would serve the page.
	scope := auth.Scope(p, auth.ViewEnterprise, auth.Columns{Enterprise: "+e.id"})
	conds := []string{scope.SQL}
	args := append([]any(nil), scope.Args...)
	if q := strings.TrimSpace(f.Query); q != "" {
		if code := strings.ToUpper(q); looksLikeUSCC(code) {
			upper, _ := prefixUpperBound(code)
			conds = append(conds, "e.uscc >= ? AND e.uscc < ?")
			args = append(args, code, upper)
		} else {
			// SQLite's LIKE ignores the case of ASCII letters, PostgreSQL's
			// ILIKE too; Chinese names have no case.
			like := "LIKE"
			if d == store.Postgres {
				like = "ILIKE"
			}
			conds = append(conds, `e.name `+like+` ? ESCAPE '\'`)
			args = append(args, "%"+likeEscape(q)+"%")
		}
	}
	if ind := strings.ToUpper(strings.TrimSpace(f.Industry)); ind != "" {
		// A range rather than LIKE 'C39%', so that the index on the
		// industry code serves it on both databases.
		if upper, ok := prefixUpperBound(ind); ok {
			conds = append(conds, "e.industry_code >= ? AND e.industry_code < ?")
			args = append(args, ind, upper)
		} else {
			conds = append(conds, "1 = 0")
		}
	}
	if f.Park != 0 {
		conds = append(conds, "e.park_id = ?")
		args = append(args, f.Park)
	}
	if f.Tag != "" {
		conds = append(conds, "e.id IN (SELECT et.enterprise_id FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id WHERE t.code = ?)")
		args = append(args, f.Tag)
	}
	return strings.Join(conds, " AND "), args
}

// prefixUpperBound is the least string above every string that starts with
// the code prefix, which is letters and digits only.
func prefixUpperBound(prefix string) (string, bool) {
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", false
		}
	}
	b := []byte(prefix)
	b[len(b)-1]++
	return string(b), true
}

// enterpriseList answers the enterprise list: from the in-memory index of
// a park-sized registry, else by SQL.
func (s *Server) enterpriseList(ctx context.Context, p auth.Principal, f enterpriseFilter, pg Paging) ([]enterpriseRow, int, error) {
	idx, err := s.ui.registry.get(ctx, s.deps.Store)
	if err != nil {
		return nil, 0, err
	}
	if idx == nil {
		return listEnterprises(ctx, s.deps.Store, s.ui.counts, p, f, pg)
	}
	rows, total := idx.list(p, f, pg)
	return rows, total, nil
}

// listEnterprises returns a page of the enterprises p may see that match
// f, and how many match in all. The count and the page are two queries:
// a window count over the page query would sort every match instead of
// walking the index of the sort column to the first page.
func listEnterprises(ctx context.Context, db *store.DB, counts *countCache, p auth.Principal, f enterpriseFilter, pg Paging) ([]enterpriseRow, int, error) {
	where, args := f.where(p, db.Dialect())
	total, err := counts.count(ctx, db, where, args)
	if err != nil {
		return nil, 0, fmt.Errorf("count enterprises: %w", err)
	}
	if total == 0 || pg.Offset() >= total {
		return nil, total, nil
	}
	order, ok := enterpriseSorts[f.Sort]
	if !ok {
		order = "e.name"
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	rows, err := db.Query(ctx, `SELECT e.id, e.uscc, e.name, COALESCE(e.registered_on, ''), COALESCE(e.industry_code, ''),
	COALESCE(pk.code, ''), COALESCE(pk.name_zh, ''), COALESCE(pk.name_en, '')
FROM enterprises e LEFT JOIN parks pk ON pk.id = e.park_id
WHERE `+where+` ORDER BY `+order+` `+dir+`, e.id `+dir+` LIMIT ? OFFSET ?`, append(args, pg.Per, pg.Offset())...)
	if err != nil {
		return nil, 0, fmt.Errorf("list enterprises: %w", err)
	}
	defer rows.Close()
	var out []enterpriseRow
	for rows.Next() {
		var e enterpriseRow
		if err := rows.Scan(&e.ID, &e.USCC, &e.Name, &e.RegisteredOn, &e.IndustryCode, &e.ParkCode, &e.ParkZh, &e.ParkEn); err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := attachTags(ctx, db, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// looksLikeUSCC reports whether a query is the start of a unified social
// credit code (its alphabet, with a digit) rather than part of a name, so
// that it is looked up by the code's index alone.
func looksLikeUSCC(q string) bool {
	if len(q) < 2 || len(q) > 18 {
		return false
	}
	digit := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z' && !strings.ContainsRune("IOSVZ", rune(c)):
		default:
			return false
		}
	}
	return digit
}

// attachTags loads the tags of a page of enterprises in one query.
func attachTags(ctx context.Context, db store.Queryer, list []enterpriseRow) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	marks := make([]string, len(list))
	args := make([]any, len(list))
	for i, e := range list {
		index[e.ID] = i
		marks[i] = "?"
		args[i] = e.ID
	}
	rows, err := db.Query(ctx, `SELECT et.enterprise_id, t.code, t.name_zh, t.name_en FROM enterprise_tags et
JOIN tags t ON t.id = et.tag_id WHERE et.enterprise_id IN (`+strings.Join(marks, ",")+`) ORDER BY t.code`, args...)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t tagRef
		if err := rows.Scan(&id, &t.Code, &t.NameZh, &t.NameEn); err != nil {
			return err
		}
		list[index[id]].Tags = append(list[index[id]].Tags, t)
	}
	return rows.Err()
}

// option is one choice of a filter's select.
type option struct {
	Value, LabelZh, LabelEn string
}

// parkOptions and tagOptions list the choices of the list's filters.
func parkOptions(ctx context.Context, db *store.DB) ([]option, error) {
	return options(ctx, db, "SELECT CAST(id AS TEXT), name_zh, name_en FROM parks ORDER BY id")
}

func tagOptions(ctx context.Context, db *store.DB) ([]option, error) {
	return options(ctx, db, "SELECT code, name_zh, name_en FROM tags ORDER BY id")
}

func options(ctx context.Context, db *store.DB, query string) ([]option, error) {
	rows, err := db.Query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []option
	for rows.Next() {
		var o option
		if err := rows.Scan(&o.Value, &o.LabelZh, &o.LabelEn); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// enterpriseNames returns the names of the enterprises with the ids, in
// one query.
func enterpriseNames(ctx context.Context, db *store.DB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	rows, err := db.Query(ctx, "SELECT id, name FROM enterprises WHERE id IN ("+strings.Join(marks, ",")+")", args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
