package touch

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// windowJSON is a quiet window as stored: days of every month, or dates.
type windowJSON struct {
	FirstDay int    `json:"first_day,omitempty"`
	LastDay  int    `json:"last_day,omitempty"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
}

func encodeWindows(ws []QuietWindow) (string, error) {
	out := make([]windowJSON, 0, len(ws))
	for _, w := range ws {
		if w.Dated() {
			out = append(out, windowJSON{From: w.From.String(), To: w.To.String()})
		} else {
			out = append(out, windowJSON{FirstDay: w.FirstDay, LastDay: w.LastDay})
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func decodeWindows(text string) ([]QuietWindow, error) {
	var raw []windowJSON
	if err := json.Unmarshal([]byte(text), &raw); err != nil {
		return nil, err
	}
	out := make([]QuietWindow, 0, len(raw))
	for _, r := range raw {
		if r.From == "" && r.To == "" {
			out = append(out, QuietWindow{FirstDay: r.FirstDay, LastDay: r.LastDay})
			continue
		}
		from, err := workday.ParseDate(r.From)
		if err != nil {
			return nil, err
		}
		to, err := workday.ParseDate(r.To)
		if err != nil {
			return nil, err
		}
		out = append(out, QuietWindow{From: from, To: to})
	}
	return out, nil
}

// RulesScope names whose quiet rules: a park's or one enterprise's.
type RulesScope struct {
	ParkID       int64
	EnterpriseID int64
}

func (sc RulesScope) check() error {
	if (sc.ParkID == 0) == (sc.EnterpriseID == 0) {
		return apperr.Errorf(apperr.Invalid, "quiet rules belong to a park or to an enterprise")
	}
	return nil
}

// SetRules records the quiet rules of a park or an enterprise, replacing
// those it had; nil rules remove them (an enterprise then follows its
// park). Officers set them.
func (s *Service) SetRules(ctx context.Context, actor auth.Principal, sc RulesScope, r *QuietRules) error {
	if err := sc.check(); err != nil {
		return err
	}
	res := auth.Resource{}
	if sc.EnterpriseID != 0 {
		var err error
		if res, err = auth.EnterpriseResource(ctx, s.DB, sc.EnterpriseID); err != nil {
			return notFoundAs(err, "no such enterprise")
		}
	}
	if err := auth.Can(actor, auth.ManagePortfolios, res); err != nil {
		return err
	}
	if r != nil {
		if err := r.Check(); err != nil {
			return apperr.InvalidInput("the quiet rules are not valid", apperr.Problem{Field: "quiet_rules", Reason: err.Error()})
		}
	}
	column, id := "park_id", sc.ParkID
	if sc.EnterpriseID != 0 {
		column, id = "enterprise_id", sc.EnterpriseID
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		before, err := rulesWhere(ctx, tx, column, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM quiet_rules WHERE "+column+" = ?", id); err != nil {
			return fmt.Errorf("touch: replace quiet rules: %w", err)
		}
		if r != nil {
			windows, err := encodeWindows(r.Windows)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO quiet_rules ("+column+`, windows, monthly_cap, yearly_cap, updated_by, updated_at)
VALUES (?, ?, ?, ?, ?, ?)`, id, windows, r.MonthlyCap, r.YearlyCap, actor.Label, store.FormatTime(s.now())); err != nil {
				if errors.Is(err, store.ErrReferenced) {
					return apperr.Errorf(apperr.NotFound, "no such park or enterprise")
				}
				return fmt.Errorf("touch: record quiet rules: %w", err)
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "quiet_rules.set", ObjectType: column[:len(column)-3],
			ObjectID: strconv.FormatInt(id, 10), Before: rulesView(before), After: rulesView(r), At: s.now()})
	})
}

func rulesView(r *QuietRules) any {
	if r == nil {
		return nil
	}
	var windows []string
	for _, w := range r.Windows {
		windows = append(windows, w.String())
	}
	return map[string]any{"windows": windows, "monthly_cap": r.MonthlyCap, "yearly_cap": r.YearlyCap}
}

// Rules returns the rules recorded for a park or an enterprise, nil when
// none.
func Rules(ctx context.Context, q store.Queryer, sc RulesScope) (*QuietRules, error) {
	if err := sc.check(); err != nil {
		return nil, err
	}
	if sc.EnterpriseID != 0 {
		return rulesWhere(ctx, q, "enterprise_id", sc.EnterpriseID)
	}
	return rulesWhere(ctx, q, "park_id", sc.ParkID)
}

func rulesWhere(ctx context.Context, q store.Queryer, column string, id int64) (*QuietRules, error) {
	var windows string
	r := &QuietRules{}
	err := q.QueryRow(ctx, "SELECT windows, monthly_cap, yearly_cap FROM quiet_rules WHERE "+column+" = ?", id).
		Scan(&windows, &r.MonthlyCap, &r.YearlyCap)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("touch: read quiet rules: %w", err)
	}
	if r.Windows, err = decodeWindows(windows); err != nil {
		return nil, fmt.Errorf("touch: quiet rules of %s %d: %w", column, id, err)
	}
	return r, nil
}

// effectiveRules reads every recorded rule set and returns a function that
// gives an enterprise's: its own, else its park's, else nil. Rules of one
// park are one value, so that the scheduler computes their quiet days once.
func effectiveRules(ctx context.Context, q store.Queryer) (func(enterpriseID, parkID int64) *QuietRules, error) {
	rows, err := q.Query(ctx, "SELECT park_id, enterprise_id, windows, monthly_cap, yearly_cap FROM quiet_rules")
	if err != nil {
		return nil, fmt.Errorf("touch: read quiet rules: %w", err)
	}
	defer rows.Close()
	byPark, byEnterprise := map[int64]*QuietRules{}, map[int64]*QuietRules{}
	for rows.Next() {
		var park, ent sql.NullInt64
		var windows string
		r := &QuietRules{}
		if err := rows.Scan(&park, &ent, &windows, &r.MonthlyCap, &r.YearlyCap); err != nil {
			return nil, fmt.Errorf("touch: read quiet rules: %w", err)
		}
		if r.Windows, err = decodeWindows(windows); err != nil {
			return nil, fmt.Errorf("touch: read quiet rules: %w", err)
		}
		if park.Valid {
			byPark[park.Int64] = r
		} else {
			byEnterprise[ent.Int64] = r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("touch: read quiet rules: %w", err)
	}
	return func(enterpriseID, parkID int64) *QuietRules {
		if r, ok := byEnterprise[enterpriseID]; ok {
			return r
		}
		return byPark[parkID]
	}, nil
}

// notFoundAs turns store.ErrNotFound into a not_found error with message.
func notFoundAs(err error, message string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "%s", message)
	}
	return err
}

// RulesEntry is one recorded set of quiet rules with whom it protects.
type RulesEntry struct {
	Scope RulesScope
	Name  string // the park's or the enterprise's name
	Rules QuietRules
}

// ListRules returns every recorded set of quiet rules: the parks' first,
// then the enterprises' own, by name.
func ListRules(ctx context.Context, q store.Queryer) ([]RulesEntry, error) {
	rows, err := q.Query(ctx, `SELECT r.park_id, r.enterprise_id, COALESCE(p.name_zh, e.name), r.windows, r.monthly_cap, r.yearly_cap
FROM quiet_rules r LEFT JOIN parks p ON p.id = r.park_id LEFT JOIN enterprises e ON e.id = r.enterprise_id
ORDER BY r.park_id IS NULL, COALESCE(p.name_zh, e.name)`)
	if err != nil {
		return nil, fmt.Errorf("touch: list quiet rules: %w", err)
	}
	defer rows.Close()
	var out []RulesEntry
	for rows.Next() {
		var park, ent sql.NullInt64
		var windows string
		var e RulesEntry
		if err := rows.Scan(&park, &ent, &e.Name, &windows, &e.Rules.MonthlyCap, &e.Rules.YearlyCap); err != nil {
			return nil, fmt.Errorf("touch: list quiet rules: %w", err)
		}
		e.Scope = RulesScope{ParkID: park.Int64, EnterpriseID: ent.Int64}
		if e.Rules.Windows, err = decodeWindows(windows); err != nil {
			return nil, fmt.Errorf("touch: list quiet rules: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
