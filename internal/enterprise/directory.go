package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Directory is the registry as people read it: the list (searched,
// filtered, sorted and paged) and the profile of one enterprise, each
// holding exactly what the principal may see (auth.ViewEnterprise: in the
// list's SQL through auth.Scope, row by row through auth.Allowed in the
// in-memory index). The console, the API and the command line all list
// through it. Make one per process: it keeps the index and the counts.
type Directory struct {
	DB     *store.DB
	Logger *slog.Logger

	once   sync.Once
	index  *indexHolder
	counts *countCache
}

func (d *Directory) init() {
	d.once.Do(func() {
		d.index = &indexHolder{logger: d.Logger}
		d.counts = newCountCache()
	})
}

// Listed is one enterprise as a list or a profile shows it: with its park's
// names and its tags.
type Listed struct {
	ID           int64
	USCC         string
	Name         string
	RegisteredOn string
	IndustryCode string
	ParkID       int64
	ParkCode     string
	ParkZh       string
	ParkEn       string
	Tags         []Tag
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Listing is a page of the list and how many enterprises match in all.
type Listing struct {
	Rows  []Listed
	Total int
}

// List returns the page of the enterprises p may see that f selects: from
// the in-memory index of a park-sized registry, else by SQL (the two agree:
// TestIndexIsTheSQL).
func (d *Directory) List(ctx context.Context, p auth.Principal, f Filter) (Listing, error) {
	d.init()
	if f.Offset < 0 {
		return Listing{}, apperr.InvalidInput("the page is not valid", apperr.Problem{Field: "offset", Reason: "must not be negative"})
	}
	key, _, err := f.sortKey()
	if err != nil {
		return Listing{}, err
	}
	if key != "created_at" && key != "updated_at" {
		idx, err := d.index.get(ctx, d.DB)
		if err != nil {
			return Listing{}, err
		}
		if idx != nil {
			return idx.list(p, f), nil
		}
	}
	return d.listSQL(ctx, p, f)
}

// Invalidate marks what the directory keeps stale, after a change to the
// registry this process made (an import).
func (d *Directory) Invalidate() {
	d.init()
	d.index.invalidate()
	d.counts.invalidate()
}

// scopeConds is the principal's scope, in the SQL of a list.
func scopeConds(p auth.Principal) (string, []any) {
	// The scope's column is written +e.id: the unary plus keeps SQLite's
	// planner from driving the query by a range of ids (every id is > 0)
	// when the index of the sort column would serve the page.
	scope := auth.Scope(p, auth.ViewEnterprise, auth.Columns{Enterprise: "+e.id"})
	return scope.SQL, scope.Args
}

// listSQL is List by SQL. The count and the page are two queries: a
// window count over the page query would sort every match instead of
// walking the index of the sort column to the first page.
func (d *Directory) listSQL(ctx context.Context, p auth.Principal, f Filter) (Listing, error) {
	conds, args, err := f.where(d.DB.Dialect())
	if err != nil {
		return Listing{}, err
	}
	scope, scopeArgs := scopeConds(p)
	conds = append([]string{scope}, conds...)
	args = append(append([]any(nil), scopeArgs...), args...)
	where := strings.Join(conds, " AND ")
	order, err := f.orderBy()
	if err != nil {
		return Listing{}, err
	}
	total, err := d.counts.count(ctx, d.DB, where, args)
	if err != nil {
		return Listing{}, fmt.Errorf("enterprise: count: %w", err)
	}
	out := Listing{Total: total}
	if total == 0 || f.Offset >= total {
		return out, nil
	}
	rows, err := d.DB.Query(ctx, selectListed+" WHERE "+where+order+" LIMIT ? OFFSET ?", append(args, f.limit(), f.Offset)...)
	if err != nil {
		return Listing{}, fmt.Errorf("enterprise: list: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Listed
		if err := scanListed(rows, &e); err != nil {
			return Listing{}, err
		}
		out.Rows = append(out.Rows, e)
	}
	if err := rows.Err(); err != nil {
		return Listing{}, err
	}
	rows.Close()
	return out, attachTags(ctx, d.DB, out.Rows)
}

const selectListed = `SELECT e.id, e.uscc, e.name, COALESCE(e.registered_on, ''), COALESCE(e.industry_code, ''), e.park_id,
	COALESCE(pk.code, ''), COALESCE(pk.name_zh, ''), COALESCE(pk.name_en, ''), e.created_at, e.updated_at
FROM enterprises e LEFT JOIN parks pk ON pk.id = e.park_id`

func scanListed(s scanner, e *Listed) error {
	var park sql.NullInt64
	err := s.Scan(&e.ID, &e.USCC, &e.Name, &e.RegisteredOn, &e.IndustryCode, &park, &e.ParkCode, &e.ParkZh, &e.ParkEn,
		store.ScanTime(&e.CreatedAt), store.ScanTime(&e.UpdatedAt))
	e.ParkID = park.Int64
	return err
}

// attachTags loads the tags of a page of enterprises in one query.
func attachTags(ctx context.Context, q store.Queryer, list []Listed) error {
	if len(list) == 0 {
		return nil
	}
	index := make(map[int64]int, len(list))
	args := make([]any, len(list))
	for i, e := range list {
		index[e.ID] = i
		args[i] = e.ID
	}
	rows, err := q.Query(ctx, `SELECT et.enterprise_id, t.id, t.code, t.name_zh, COALESCE(t.name_en, '') FROM enterprise_tags et
JOIN tags t ON t.id = et.tag_id WHERE et.enterprise_id IN (`+placeholders(len(list))+`) ORDER BY t.code`, args...)
	if err != nil {
		return fmt.Errorf("enterprise: tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Tag
		if err := rows.Scan(&id, &t.ID, &t.Code, &t.NameZh, &t.NameEn); err != nil {
			return err
		}
		list[index[id]].Tags = append(list[index[id]].Tags, t)
	}
	return rows.Err()
}

// Profile returns one enterprise p may see, with its park and tags; one p
// may not see is not found, as one that does not exist.
func (d *Directory) Profile(ctx context.Context, p auth.Principal, id int64) (Listed, error) {
	var e Listed
	err := scanListed(d.DB.QueryRow(ctx, selectListed+" WHERE e.id = ?", id), &e)
	if errors.Is(err, store.ErrNotFound) || err == nil && !auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(e.ID, e.ParkID)) {
		return Listed{}, apperr.Errorf(apperr.NotFound, "not found")
	}
	if err != nil {
		return Listed{}, fmt.Errorf("enterprise: profile %d: %w", id, err)
	}
	list := []Listed{e}
	if err := attachTags(ctx, d.DB, list); err != nil {
		return Listed{}, err
	}
	return list[0], nil
}

// Names returns the names of the enterprises with the ids that p may see.
func (d *Directory) Names(ctx context.Context, p auth.Principal, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := d.DB.Query(ctx, "SELECT id, name, park_id FROM enterprises WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("enterprise: names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		var park sql.NullInt64
		if err := rows.Scan(&id, &name, &park); err != nil {
			return nil, err
		}
		if auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(id, park.Int64)) {
			out[id] = name
		}
	}
	return out, rows.Err()
}
