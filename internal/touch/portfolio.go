package touch

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Load is a commissioner's portfolio and workload.
type Load struct {
	CommissionerID  int64
	Login           string
	Name            string
	Enterprises     int
	PendingRequests int // on-site requests waiting for a visit
	OpenVisits      int // visits proposed, confirmed or asked to move
	DailyCapacity   int
}

// checkCommissioner returns an error unless id is an active commissioner.
func checkCommissioner(ctx context.Context, q store.Queryer, id int64) error {
	var role string
	var disabled bool
	err := q.QueryRow(ctx, "SELECT role, disabled FROM users WHERE id = ?", id).Scan(&role, &disabled)
	if errors.Is(err, store.ErrNotFound) || err == nil && (role != string(auth.RoleCommissioner) || disabled) {
		return apperr.Errorf(apperr.Invalid, "user %d is not an active commissioner", id)
	}
	if err != nil {
		return fmt.Errorf("touch: read commissioner %d: %w", id, err)
	}
	return nil
}

// Assign puts the enterprises in the commissioner's portfolio, taking them
// from any commissioner who had them: an enterprise has one commissioner.
func (s *Service) Assign(ctx context.Context, actor auth.Principal, commissionerID int64, enterpriseIDs []int64) error {
	if err := auth.Can(actor, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return err
	}
	if len(enterpriseIDs) == 0 {
		return apperr.Errorf(apperr.Invalid, "name the enterprises to assign")
	}
	ids := slices.Compact(slices.Sorted(slices.Values(enterpriseIDs)))
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := checkCommissioner(ctx, tx, commissionerID); err != nil {
			return err
		}
		moved, err := s.assign(ctx, tx, commissionerID, ids)
		if err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "portfolio.assign", ObjectType: "user",
			ObjectID: strconv.FormatInt(commissionerID, 10), Before: map[string]any{"moved_from": moved},
			After: map[string]any{"enterprises": ids}, At: s.now()})
	})
}

// assign writes the assignments and returns, for enterprises that had
// another commissioner, who that was.
func (s *Service) assign(ctx context.Context, tx *store.Tx, commissionerID int64, ids []int64) (map[int64]int64, error) {
	moved := map[int64]int64{}
	for _, id := range ids {
		var prev int64
		err := tx.QueryRow(ctx, "SELECT user_id FROM commissioner_enterprises WHERE enterprise_id = ?", id).Scan(&prev)
		switch {
		case err == nil && prev == commissionerID:
			continue
		case err == nil:
			moved[id] = prev
			if _, err := tx.Exec(ctx, "DELETE FROM commissioner_enterprises WHERE enterprise_id = ?", id); err != nil {
				return nil, fmt.Errorf("touch: unassign enterprise %d: %w", id, err)
			}
		case !errors.Is(err, store.ErrNotFound):
			return nil, fmt.Errorf("touch: read the commissioner of %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO commissioner_enterprises (user_id, enterprise_id, assigned_at) VALUES (?, ?, ?)",
			commissionerID, id, store.FormatTime(s.now())); err != nil {
			if errors.Is(err, store.ErrReferenced) {
				return nil, apperr.Errorf(apperr.NotFound, "no enterprise %d", id)
			}
			return nil, fmt.Errorf("touch: assign enterprise %d: %w", id, err)
		}
		// Open visits follow the enterprise to its new commissioner.
		if _, err := tx.Exec(ctx, `UPDATE touch_visits SET commissioner_id = ?, updated_at = ?
WHERE enterprise_id = ? AND status IN ('proposed', 'confirmed', 'reschedule')`, commissionerID, store.FormatTime(s.now()), id); err != nil {
			return nil, fmt.Errorf("touch: move the visits of %d: %w", id, err)
		}
	}
	return moved, nil
}

// AutoAssignSpec chooses the enterprises to assign automatically and the
// commissioners to share them.
type AutoAssignSpec struct {
	ParkID int64 // 0: every park
	// Industry is a prefix of the GB/T 4754 code: a section letter ("C"),
	// or a longer code ("C39"); "" is every industry.
	Industry      string
	Commissioners []int64
}

// AutoAssign gives every enterprise without a commissioner that matches
// the spec to the spec's commissioner with the fewest enterprises, and
// returns how many it assigned.
func (s *Service) AutoAssign(ctx context.Context, actor auth.Principal, spec AutoAssignSpec) (int, error) {
	if err := auth.Can(actor, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return 0, err
	}
	if len(spec.Commissioners) == 0 {
		return 0, apperr.Errorf(apperr.Invalid, "name the commissioners to share the enterprises")
	}
	assigned := 0
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		load := map[int64]int{}
		for _, c := range spec.Commissioners {
			if err := checkCommissioner(ctx, tx, c); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM commissioner_enterprises WHERE user_id = ?", c).Scan(&n); err != nil {
				return fmt.Errorf("touch: count portfolio: %w", err)
			}
			load[c] = n
		}
		where := []string{"NOT EXISTS (SELECT 1 FROM commissioner_enterprises ce WHERE ce.enterprise_id = e.id)"}
		var args []any
		if spec.ParkID != 0 {
			where, args = append(where, "e.park_id = ?"), append(args, spec.ParkID)
		}
		if spec.Industry != "" {
			// A prefix range instead of LIKE: codes are ASCII letters and digits.
			where, args = append(where, "e.industry_code >= ? AND e.industry_code < ?"), append(args, spec.Industry, spec.Industry+"~")
		}
		rows, err := tx.Query(ctx, "SELECT e.id FROM enterprises e WHERE "+strings.Join(where, " AND ")+" ORDER BY e.id", args...)
		if err != nil {
			return fmt.Errorf("touch: find unassigned enterprises: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		byCommissioner := map[int64][]int64{}
		for _, id := range ids {
			c := lightest(spec.Commissioners, load)
			load[c]++
			byCommissioner[c] = append(byCommissioner[c], id)
		}
		for _, c := range spec.Commissioners {
			if len(byCommissioner[c]) == 0 {
				continue
			}
			if _, err := s.assign(ctx, tx, c, byCommissioner[c]); err != nil {
				return err
			}
		}
		assigned = len(ids)
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "portfolio.auto_assign", ObjectType: "portfolio",
			After: map[string]any{"park_id": spec.ParkID, "industry": spec.Industry, "assigned": byCommissioner}, At: s.now()})
	})
	return assigned, err
}

// lightest returns the commissioner with the smallest load, the first
// listed among equals.
func lightest(commissioners []int64, load map[int64]int) int64 {
	best := commissioners[0]
	for _, c := range commissioners[1:] {
		if load[c] < load[best] {
			best = c
		}
	}
	return best
}

// Reassign moves enterprises from one commissioner to another: those
// listed, or the whole portfolio when none are (a commissioner leaving).
// It returns how many moved.
func (s *Service) Reassign(ctx context.Context, actor auth.Principal, from, to int64, enterpriseIDs []int64) (int, error) {
	if err := auth.Can(actor, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return 0, err
	}
	moved := 0
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := checkCommissioner(ctx, tx, to); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT enterprise_id FROM commissioner_enterprises WHERE user_id = ? ORDER BY enterprise_id", from)
		if err != nil {
			return fmt.Errorf("touch: read portfolio: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			if len(enterpriseIDs) == 0 || slices.Contains(enterpriseIDs, id) {
				ids = append(ids, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(enterpriseIDs) > 0 && len(ids) != len(slices.Compact(slices.Sorted(slices.Values(enterpriseIDs)))) {
			return apperr.Errorf(apperr.Invalid, "some of the enterprises are not in commissioner %d's portfolio", from)
		}
		if _, err := s.assign(ctx, tx, to, ids); err != nil {
			return err
		}
		moved = len(ids)
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "portfolio.reassign", ObjectType: "user",
			ObjectID: strconv.FormatInt(to, 10), Before: map[string]any{"commissioner": from},
			After: map[string]any{"commissioner": to, "enterprises": ids}, At: s.now()})
	})
	return moved, err
}

// SetCapacity records how many visits a day the commissioner makes.
func (s *Service) SetCapacity(ctx context.Context, actor auth.Principal, commissionerID int64, perDay int) error {
	if err := auth.Can(actor, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return err
	}
	if perDay < 0 || perDay > 50 {
		return apperr.InvalidInput("the capacity is not valid", apperr.Problem{Field: "daily_capacity", Reason: "must be between 0 and 50 visits a day"})
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if err := checkCommissioner(ctx, tx, commissionerID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO commissioner_capacity (user_id, daily_capacity, updated_at) VALUES (?, ?, ?)
ON CONFLICT (user_id) DO UPDATE SET daily_capacity = excluded.daily_capacity, updated_at = excluded.updated_at`,
			commissionerID, perDay, store.FormatTime(s.now())); err != nil {
			return fmt.Errorf("touch: set capacity: %w", err)
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "commissioner.capacity", ObjectType: "user",
			ObjectID: strconv.FormatInt(commissionerID, 10), After: map[string]any{"daily_capacity": perDay}, At: s.now()})
	})
}

// Loads returns every active commissioner's portfolio size and workload,
// by login.
func (s *Service) Loads(ctx context.Context, actor auth.Principal) ([]Load, error) {
	if err := auth.Can(actor, auth.ManagePortfolios, auth.Resource{}); err != nil {
		return nil, err
	}
	rows, err := s.DB.Query(ctx, `SELECT u.id, u.login, u.display_name,
	(SELECT COUNT(*) FROM commissioner_enterprises ce WHERE ce.user_id = u.id),
	(SELECT COUNT(*) FROM touch_requests r JOIN commissioner_enterprises ce ON ce.enterprise_id = r.enterprise_id
		WHERE ce.user_id = u.id AND r.status = 'pending' AND r.on_site),
	(SELECT COUNT(*) FROM touch_visits v WHERE v.commissioner_id = u.id AND v.status IN ('proposed', 'confirmed', 'reschedule')),
	COALESCE((SELECT c.daily_capacity FROM commissioner_capacity c WHERE c.user_id = u.id), ?)
FROM users u WHERE u.role = 'commissioner' AND NOT u.disabled ORDER BY u.login`, s.defaultCapacity())
	if err != nil {
		return nil, fmt.Errorf("touch: read loads: %w", err)
	}
	defer rows.Close()
	var out []Load
	for rows.Next() {
		var l Load
		if err := rows.Scan(&l.CommissionerID, &l.Login, &l.Name, &l.Enterprises, &l.PendingRequests, &l.OpenVisits, &l.DailyCapacity); err != nil {
			return nil, fmt.Errorf("touch: read loads: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
