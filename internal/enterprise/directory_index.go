package enterprise

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// registryIndex is an in-memory copy of the columns the list shows and
// filters on, for a park-sized registry: the list, asked with a filter and
// a sort on every keystroke of the search box, is the page most often
// requested, and a scan in memory answers it in a millisecond where SQLite
// walks and sorts thousands of rows. Every row still passes auth.Allowed,
// the decision the SQL scope mirrors. A registry larger than indexMaxRows
// (a city's or a province's on PostgreSQL) is listed by SQL instead.
//
// The copy is rebuilt as soon as the registry's change counter moves (a
// write to an enterprise, its park or its tags advances it in its own
// transaction, on whichever instance; reading it on every request is one
// small query), so that a list never misses what another instance just
// wrote. Profiles always read afresh.
type registryIndex struct {
	rows  []indexRow
	order map[string][2][]int32 // sort key → positions ascending and descending
	tags  map[string]Tag
}

type indexRow struct {
	Listed
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
	idx, tooBig, err := buildIndex(ctx, db)
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

func buildIndex(ctx context.Context, db *store.DB) (*registryIndex, bool, error) {
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises").Scan(&n); err != nil {
		return nil, false, err
	}
	if n > indexMaxRows {
		return nil, true, nil
	}
	idx := &registryIndex{rows: make([]indexRow, 0, n), tags: map[string]Tag{}}
	err := db.InReadTx(ctx, func(tx *store.Tx) error {
		rows, err := tx.Query(ctx, selectListed+" ORDER BY e.id")
		if err != nil {
			return err
		}
		pos := map[int64]int{}
		for rows.Next() {
			var r indexRow
			if err := scanListed(rows, &r.Listed); err != nil {
				rows.Close()
				return err
			}
			r.lowerName = asciiLower(r.Name)
			pos[r.ID] = len(idx.rows)
			idx.rows = append(idx.rows, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		trows, err := tx.Query(ctx, "SELECT id, code, name_zh, COALESCE(name_en, '') FROM tags")
		if err != nil {
			return err
		}
		for trows.Next() {
			var t Tag
			if err := trows.Scan(&t.ID, &t.Code, &t.NameZh, &t.NameEn); err != nil {
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
		return nil, false, fmt.Errorf("enterprise: build the list index: %w", err)
	}
	idx.order = map[string][2][]int32{}
	for key, value := range map[string]func(r *indexRow) string{
		"name":          func(r *indexRow) string { return r.Name },
		"uscc":          func(r *indexRow) string { return r.USCC },
		"registered_on": func(r *indexRow) string { return r.RegisteredOn },
		"industry_code": func(r *indexRow) string { return r.IndustryCode },
	} {
		// Empty values (no registration date, no industry) last in
		// both directions, as the SQL orders NULLs.
		var both [2][]int32
		for d, desc := range []bool{false, true} {
			perm := make([]int32, len(idx.rows))
			for i := range perm {
				perm[i] = int32(i)
			}
			slices.SortFunc(perm, func(a, b int32) int {
				ra, rb := &idx.rows[a], &idx.rows[b]
				va, vb := value(ra), value(rb)
				if c := cmp.Compare(boolInt(va == ""), boolInt(vb == "")); c != 0 {
					return c
				}
				c := cmp.Or(strings.Compare(va, vb), cmp.Compare(ra.ID, rb.ID))
				if desc {
					return -c
				}
				return c
			})
			both[d] = perm
		}
		idx.order[key] = both
	}
	return idx, false, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// list answers the list from the index: the page of the rows p may see
// that match f, in the order asked, and how many match.
func (idx *registryIndex) list(p auth.Principal, f Filter) Listing {
	match := idx.matcher(p, f)
	key, desc, _ := f.sortKey()
	d := 0
	if desc {
		d = 1
	}
	order := idx.order[key][d]
	from, to := f.Offset, f.Offset+f.limit()
	var out Listing
	for _, i := range order {
		r := &idx.rows[i]
		if !match(r) {
			continue
		}
		if out.Total >= from && out.Total < to {
			e := r.Listed
			e.Tags = make([]Tag, 0, len(r.tagCodes))
			for _, c := range r.tagCodes {
				e.Tags = append(e.Tags, idx.tags[c])
			}
			out.Rows = append(out.Rows, e)
		}
		out.Total++
	}
	return out
}

// matcher is the filter as a predicate, with the principal's scope: the
// same conditions as Filter.where and the scope's SQL.
func (idx *registryIndex) matcher(p auth.Principal, f Filter) func(r *indexRow) bool {
	s := newSearch(f.Query)
	ind := strings.ToUpper(strings.TrimSpace(f.Industry))
	indOK := ind == "" || codeLike(ind)
	var parkID int64 = -1
	if f.Park != "" {
		for i := range idx.rows {
			if idx.rows[i].ParkCode == f.Park {
				parkID = idx.rows[i].ParkID
				break
			}
		}
	}
	allowed := idx.scope(p)
	return func(r *indexRow) bool {
		switch {
		case !indOK:
			return false
		case !s.matches(r.lowerName, r.USCC):
			return false
		case ind != "" && !strings.HasPrefix(r.IndustryCode, ind):
			return false
		case f.Park != "" && r.ParkID != parkID:
			return false
		case f.ParkID != 0 && r.ParkID != f.ParkID:
			return false
		case f.Tag != "" && !slices.Contains(r.tagCodes, f.Tag):
			return false
		}
		return allowed(r)
	}
}

// scope returns whether p may see a row: auth.Allowed, asked once per park
// for the roles that see enterprises by park (every role but the
// commissioner's portfolio and the liaison's own enterprise, which are
// asked row by row). TestIndexIsTheSQL holds it to auth.Scope.
func (idx *registryIndex) scope(p auth.Principal) func(r *indexRow) bool {
	if p.Role == auth.RoleCommissioner || p.Role == auth.RoleEnterprise || !p.Authenticated() {
		return func(r *indexRow) bool { return auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(r.ID, r.ParkID)) }
	}
	byPark := map[int64]bool{}
	return func(r *indexRow) bool {
		ok, seen := byPark[r.ParkID]
		if !seen {
			ok = auth.Allowed(p, auth.ViewEnterprise, auth.Enterprise(r.ID, r.ParkID))
			byPark[r.ParkID] = ok
		}
		return ok
	}
}
