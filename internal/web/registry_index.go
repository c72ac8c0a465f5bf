package web

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// registryIndex is an in-memory copy of the columns the enterprise list
// shows and filters on, for a park-sized registry: the list, asked with a
// filter and a sort on every keystroke of the search box, is the page
// most often requested, and a scan in memory answers it in a millisecond
// where SQLite walks and sorts thousands of rows. Every row still passes
// auth.Allowed, the decision the SQL scope mirrors. A registry larger
// than indexMaxRows (a city's or a province's on PostgreSQL) is listed by
// SQL instead.
//
// The copy is rebuilt as soon as the registry's change counter moves (a
// write to an enterprise, its park or its tags advances it in its own
// transaction, on whichever instance; reading it on every request is one
// small query), so that a list never misses what another instance just
// wrote. Enterprise pages always read afresh.
type registryIndex struct {
	rows  []indexRow
	order map[string][]int32 // sort key → positions ascending (ties by id)
	tags  map[string]tagRef
}

type indexRow struct {
	enterpriseRow
	parkID    int64
	lowerName string   // ASCII lower case, as LIKE compares
	tagCodes  []string // sorted
}

const indexMaxRows = 100_000

// indexHolder keeps the current index and rebuilds it.
type indexHolder struct {
	logger *slog.Logger
	mu     sync.Mutex
	idx    *registryIndex
	tooBig bool // the registry is listed by SQL
	built  bool
	key    int64 // the registry's change counter when built
}

// get returns the index, nil when the registry is listed by SQL.
func (h *indexHolder) get(ctx context.Context, db *store.DB) (*registryIndex, error) {
	key, err := store.CounterKey(ctx, db, store.CounterRegistry)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	idx, built := h.idx, h.built && h.key == key
	h.mu.Unlock()
	if built {
		return idx, nil
	}
	// The first request, or one after the registry changed, builds it and
	// waits: a list must not miss what an import just added.
	idx, tooBig, err := buildRegistryIndex(ctx, db)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	h.idx, h.tooBig, h.built, h.key = idx, tooBig, true, key
	h.mu.Unlock()
	return idx, nil
}

// invalidate drops the index, after a change to the registry.
func (h *indexHolder) invalidate() {
	h.mu.Lock()
	h.built = false
	h.mu.Unlock()
}

func buildRegistryIndex(ctx context.Context, db *store.DB) (*registryIndex, bool, error) {
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&n); err != nil {
		return nil, false, err
	}
	if n > indexMaxRows {
		return nil, true, nil
	}
	idx := &registryIndex{rows: make([]indexRow, 0, n), tags: map[string]tagRef{}}
	err := db.InReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, `SELECT e.id, e.uscc, e.name, COALESCE(e.registered_on, ''), COALESCE(e.industry_code, ''), e.park_id,
	COALESCE(pk.code, ''), COALESCE(pk.name_zh, ''), COALESCE(pk.name_en, '')
FROM enterprises e LEFT JOIN parks pk ON pk.id = e.park_id ORDER BY e.id`)
		if err != nil {
			return err
		}
		pos := map[int64]int{}
		for rows.Next() {
			var r indexRow
			var park sql.NullInt64
			if err := rows.Scan(&r.ID, &r.USCC, &r.Name, &r.RegisteredOn, &r.IndustryCode, &park, &r.ParkCode, &r.ParkZh, &r.ParkEn); err != nil {
				rows.Close()
				return err
			}
			r.parkID, r.lowerName = park.Int64, asciiLower(r.Name)
			pos[r.ID] = len(idx.rows)
			idx.rows = append(idx.rows, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		trows, err := tx.Query(ctx, "SELECT code, name_zh, name_en FROM tags")
		if err != nil {
			return err
		}
		for trows.Next() {
			var t tagRef
			if err := trows.Scan(&t.Code, &t.NameZh, &t.NameEn); err != nil {
				trows.Close()
				return err
			}
			idx.tags[t.Code] = t
		}
		trows.Close()
		if err := trows.Err(); err != nil {
			return err
		}
		erows, err := tx.Query(ctx, "SELECT et.enterprise_id, t.code FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id ORDER BY t.code")
		if err != nil {
			return err
		}
		defer erows.Close()
		for erows.Next() {
			var id int64
			var code string
			if err := erows.Scan(&id, &code); err != nil {
				return err
			}
			if i, ok := pos[id]; ok {
				idx.rows[i].tagCodes = append(idx.rows[i].tagCodes, code)
			}
		}
		return erows.Err()
	})
	if err != nil {
		return nil, false, fmt.Errorf("build the registry's list index: %w", err)
	}
	idx.order = map[string][]int32{}
	for key, value := range map[string]func(r *indexRow) string{
		"name":       func(r *indexRow) string { return r.Name },
		"uscc":       func(r *indexRow) string { return r.USCC },
		"registered": func(r *indexRow) string { return r.RegisteredOn },
		"industry":   func(r *indexRow) string { return r.IndustryCode },
	} {
		perm := make([]int32, len(idx.rows))
		for i := range perm {
			perm[i] = int32(i)
		}
		slices.SortFunc(perm, func(a, b int32) int {
			ra, rb := &idx.rows[a], &idx.rows[b]
			return cmp.Or(strings.Compare(value(ra), value(rb)), cmp.Compare(ra.ID, rb.ID))
		})
		idx.order[key] = perm
	}
	return idx, false, nil
}

// asciiLower lowers ASCII letters only, as SQLite's LIKE compares.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// list answers the enterprise list from the index: the page of the rows p
// may see that match f, in the order asked, and how many match.
func (idx *registryIndex) list(p auth.Principal, f enterpriseFilter, pg Paging) ([]enterpriseRow, int) {
	match := idx.matcher(p, f)
	order, ok := idx.order[f.Sort]
	if !ok {
		order = idx.order["name"]
	}
	from, to := pg.Offset(), pg.Offset()+pg.Per
	var out []enterpriseRow
	total := 0
	for k := range order {
		i := order[k]
		if f.Desc {
			i = order[len(order)-1-k]
		}
		r := &idx.rows[i]
		if !match(r) {
			continue
		}
		if total >= from && total < to {
			e := r.enterpriseRow
			e.Tags = make([]tagRef, 0, len(r.tagCodes))
			for _, c := range r.tagCodes {
				e.Tags = append(e.Tags, idx.tags[c])
			}
			out = append(out, e)
		}
		total++
	}
	return out, total
}

// matcher is the filter of the list as a predicate, with the principal's
// scope: the same conditions as enterpriseFilter.where.
func (idx *registryIndex) matcher(p auth.Principal, f enterpriseFilter) func(r *indexRow) bool {
	q := strings.TrimSpace(f.Query)
	code := strings.ToUpper(q)
	byUSCC := q != "" && looksLikeUSCC(code)
	lowerQ := asciiLower(q)
	ind := strings.ToUpper(strings.TrimSpace(f.Industry))
	allowed := idx.scope(p)
	return func(r *indexRow) bool {
		switch {
		case byUSCC && !strings.HasPrefix(r.USCC, code):
			return false
		case q != "" && !byUSCC && !strings.Contains(r.lowerName, lowerQ):
			return false
		case ind != "" && !strings.HasPrefix(r.IndustryCode, ind):
			return false
		case f.Park != 0 && r.parkID != f.Park:
			return false
		case f.Tag != "" && !slices.Contains(r.tagCodes, f.Tag):
			return false
		}
		return allowed(r)
	}
}

// scope returns whether p may see a row: auth.Allowed, asked once per
// park for the roles that see enterprises by park (every role but the
// commissioner's portfolio and the liaison's own enterprise, which are
// asked row by row). TestRegistryIndexIsTheSQL holds it to auth.Scope.
func (idx *registryIndex) scope(p auth.Principal) func(r *indexRow) bool {
	if p.Role == auth.RoleCommissioner || p.Role == auth.RoleEnterprise || !p.Authenticated() {
		return func(r *indexRow) bool { return auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(r.ID, r.parkID)) }
	}
	byPark := map[int64]bool{}
	return func(r *indexRow) bool {
		ok, seen := byPark[r.parkID]
		if !seen {
			ok = auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(r.ID, r.parkID))
			byPark[r.parkID] = ok
		}
		return ok
	}
}
