package project

import (
	"context"
	"encoding/json"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
)

// Space is a building floor, incubator space or land quota of the park,
// with the projects whose needs it fits while it is available.
type Space struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Park   string `json:"park,omitempty"`
	Kind   string `json:"kind"`   // factory, incubator, land
	Area   string `json:"area"`   // square metres
	Price  string `json:"price"`  // yuan per square metre (and month, for floors); "" when not set
	Status string `json:"status"` // available, reserved, occupied
	// Fits are the live projects needing this kind of space, no larger
	// than it, of its park, largest need first (at most three).
	Fits []Project `json:"fits"`
}

// Fund is an industry fund with what it committed and invested.
type Fund struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Park      string    `json:"park,omitempty"`
	Size      money.Fen `json:"-"`
	Committed money.Fen `json:"-"`
	Invested  money.Fen `json:"-"`
}

// MarshalJSON writes the amounts as decimal text.
func (f Fund) MarshalJSON() ([]byte, error) {
	type plain Fund
	return json.Marshal(struct {
		plain
		Size      string `json:"size"`
		Committed string `json:"committed"`
		Invested  string `json:"invested"`
	}{plain(f), f.Size.String(), f.Committed.String(), f.Invested.String()})
}

// Spaces lists the park's space with the projects each available one fits,
// and the industry funds, for those who see projects.
func (s *Service) Spaces(ctx context.Context, p auth.Principal) ([]Space, []Fund, error) {
	if err := auth.Can(p, auth.ViewProjects, auth.Resource{}); err != nil {
		return nil, nil, err
	}
	where, args := parkFilter(p, "sp.park_id")
	rows, err := s.DB.Query(ctx, `SELECT sp.code, sp.name, COALESCE(k.code, ''), COALESCE(sp.park_id, 0), sp.kind, sp.area, COALESCE(sp.price, ''), sp.status
FROM park_spaces sp LEFT JOIN parks k ON k.id = sp.park_id WHERE `+where+" ORDER BY sp.kind, sp.code", args...)
	if err != nil {
		return nil, nil, err
	}
	type row struct {
		Space
		parkID int64
	}
	var list []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.Code, &r.Name, &r.Park, &r.parkID, &r.Kind, &r.Area, &r.Price, &r.Status); err != nil {
			rows.Close()
			return nil, nil, err
		}
		r.Fits = []Project{}
		list = append(list, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	out := make([]Space, len(list))
	for i, r := range list {
		if r.Status == "available" {
			// Areas are measurements, not money: compared as numbers.
			ids, err := s.pageIDs(ctx, `SELECT p.id FROM projects p WHERE p.space_kind = ? AND p.space_area IS NOT NULL
AND CAST(p.space_area AS REAL) <= CAST(? AS REAL) AND p.stage IN ('negotiating', 'signed', 'started')
AND (? = 0 OR p.park_id = ?) ORDER BY CAST(p.space_area AS REAL) DESC, p.id LIMIT 3`, r.Kind, r.Area, r.parkID, r.parkID)
			if err != nil {
				return nil, nil, err
			}
			if r.Fits, err = s.byIDs(ctx, ids); err != nil {
				return nil, nil, err
			}
			if r.Fits == nil {
				r.Fits = []Project{}
			}
		}
		out[i] = r.Space
	}
	fwhere, fargs := parkFilter(p, "f.park_id")
	frows, err := s.DB.Query(ctx, `SELECT f.code, f.name, COALESCE(k.code, ''), f.size,
	(SELECT `+money.SQLSum("i.amount")+` FROM fund_investments i WHERE i.fund_id = f.id AND i.kind = 'commitment'),
	(SELECT `+money.SQLSum("i.amount")+` FROM fund_investments i WHERE i.fund_id = f.id AND i.kind = 'investment')
FROM industry_funds f LEFT JOIN parks k ON k.id = f.park_id WHERE `+fwhere+" ORDER BY f.code", fargs...)
	if err != nil {
		return nil, nil, err
	}
	defer frows.Close()
	funds := []Fund{}
	for frows.Next() {
		var f Fund
		if err := frows.Scan(&f.Code, &f.Name, &f.Park, &f.Size, &f.Committed, &f.Invested); err != nil {
			return nil, nil, err
		}
		funds = append(funds, f)
	}
	return out, funds, frows.Err()
}
