package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// PutMany is Put for many enterprises in one transaction, as an import
// writes them: each is checked as Put checks it, those the registry lacks
// are inserted many per statement, and those it holds are updated one by
// one. On PostgreSQL a Put per enterprise of a 10,000-enterprise import
// cost tens of thousands of round trips (the import's enterprises took
// longer than its million facts). The registry's change counter is bumped
// once. An enterprise that cannot be written is a problem, named by its
// USCC, and the others are still tried, so that all problems come at once;
// the caller rolls back when there is any. Written enterprises get their
// ID and timestamps.
func PutMany(ctx context.Context, tx *store.Tx, es []Enterprise) (created, updated int, problems []apperr.Problem, err error) {
	if len(es) == 0 {
		return 0, 0, nil, nil
	}
	parks := make([]int64, len(es))
	usccs := make([]string, 0, len(es))
	for i := range es {
		e := &es[i]
		parkID, err := checkForWrite(ctx, tx, e)
		var ae *apperr.Error
		switch {
		case errors.As(err, &ae):
			problems = append(problems, problemsOf(e.USCC, ae)...)
			continue
		case err != nil:
			return 0, 0, nil, err
		}
		parks[i] = parkID
		usccs = append(usccs, e.USCC)
	}
	if len(problems) > 0 {
		return 0, 0, problems, nil
	}
	ids, err := IDsByUSCC(ctx, tx, usccs)
	if err != nil {
		return 0, 0, nil, err
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	stamp := store.FormatTime(now)
	var fresh []int // indexes of es the registry lacks
	for i := range es {
		e := &es[i]
		if id := ids[e.USCC]; id != 0 {
			e.ID = id
			if err := Update(ctx, tx, e); err != nil {
				var ae *apperr.Error
				if errors.As(err, &ae) && ae.Code != apperr.Internal {
					problems = append(problems, problemsOf(e.USCC, ae)...)
					continue
				}
				return 0, 0, nil, err
			}
			updated++
			continue
		}
		fresh = append(fresh, i)
	}
	if len(fresh) > 0 {
		byUSCC := make(map[string]int, len(fresh))
		row := make([]any, 7)
		rows := func(yield func([]any) bool) {
			for _, i := range fresh {
				e := &es[i]
				byUSCC[e.USCC] = i
				row[0], row[1], row[2], row[3] = e.USCC, e.Name, nullable(e.RegisteredOn), nullable(e.IndustryCode)
				row[4], row[5], row[6] = nullableID(parks[i]), stamp, stamp
				if !yield(row) {
					return
				}
			}
		}
		// DO NOTHING: an enterprise created by someone else since IDsByUSCC
		// (PostgreSQL, another transaction) comes back as missing below,
		// a problem of that enterprise rather than an error of all.
		ins := store.Insert{Table: "enterprises",
			Columns: []string{"uscc", "name", "registered_on", "industry_code", "park_id", "created_at", "updated_at"},
			Suffix:  "ON CONFLICT (uscc) DO NOTHING RETURNING id, uscc"}
		err := tx.InsertRowsReturning(ctx, ins, rows, func(r *sql.Rows) error {
			var id int64
			var uscc string
			if err := r.Scan(&id, &uscc); err != nil {
				return err
			}
			if i, ok := byUSCC[uscc]; ok {
				es[i].ID = id
			}
			return nil
		})
		if errors.Is(err, store.ErrReferenced) {
			// A park went between the check above and the insert (only
			// PostgreSQL lets another transaction in between). The failed
			// statement ends PostgreSQL's transaction, so which park cannot
			// be asked: every enterprise with a park is named.
			for _, i := range fresh {
				if e := &es[i]; e.Park != "" {
					problems = append(problems, apperr.Problem{USCC: e.USCC, Field: "park", Reason: fmt.Sprintf("no park with code %s, or it was removed meanwhile", e.Park)})
				}
			}
			return 0, 0, problems, nil
		}
		if err != nil {
			return 0, 0, nil, fmt.Errorf("enterprise: put many: %w", err)
		}
		for _, i := range fresh {
			e := &es[i]
			if e.ID == 0 {
				problems = append(problems, apperr.Problem{USCC: e.USCC, Field: "uscc", Reason: fmt.Sprintf("an enterprise with USCC %s exists", e.USCC)})
				continue
			}
			e.ParkID, e.CreatedAt, e.UpdatedAt = parks[i], now, now
			if len(e.Tags) > 0 {
				if err := setTags(ctx, tx, e.ID, e.Tags); err != nil {
					return 0, 0, nil, err
				}
			}
			created++
		}
	}
	if created > 0 {
		if err := store.Bump(ctx, tx, store.CounterRegistry); err != nil {
			return 0, 0, nil, err
		}
	}
	return created, updated, problems, nil
}

// problemsOf lists the problems of an error about the enterprise uscc.
func problemsOf(uscc string, ae *apperr.Error) []apperr.Problem {
	if len(ae.Problems) == 0 {
		return []apperr.Problem{{USCC: uscc, Reason: ae.Message}}
	}
	out := make([]apperr.Problem, len(ae.Problems))
	for i, p := range ae.Problems {
		out[i] = apperr.Problem{USCC: uscc, Field: p.Field, Reason: p.Reason}
	}
	return out
}

// IDsUpTo returns the id of every enterprise by USCC, in one query, when
// the registry holds at most limit of them; ok is false (and nothing is
// read) when it holds more. An import of a park asks it once instead of a
// query per enterprise it names.
func IDsUpTo(ctx context.Context, q store.Queryer, limit int) (ids map[string]int64, ok bool, err error) {
	var n int
	if err := q.QueryRow(ctx, "SELECT count(*) FROM enterprises").Scan(&n); err != nil {
		return nil, false, fmt.Errorf("enterprise: count: %w", err)
	}
	if n > limit {
		return nil, false, nil
	}
	rows, err := q.Query(ctx, "SELECT uscc, id FROM enterprises")
	if err != nil {
		return nil, false, fmt.Errorf("enterprise: ids: %w", err)
	}
	defer rows.Close()
	ids = make(map[string]int64, n)
	for rows.Next() {
		var uscc string
		var id int64
		if err := rows.Scan(&uscc, &id); err != nil {
			return nil, false, fmt.Errorf("enterprise: ids: %w", err)
		}
		ids[uscc] = id
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("enterprise: ids: %w", err)
	}
	return ids, true, nil
}
