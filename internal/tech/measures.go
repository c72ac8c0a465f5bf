package tech

import (
	"context"
	"encoding/json"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/money"
)

// Measures are the desk's figures for the dashboard and the indicators:
// introductions made, contracts signed and their value, per month.
type Measures struct {
	Achievements  int          `json:"achievements"` // listed
	OpenNeeds     int          `json:"open_needs"`
	Introductions int          `json:"introductions"`
	InTalks       int          `json:"in_talks"`
	Contracts     int          `json:"contracts"`
	ContractValue money.Fen    `json:"contract_value"`
	Months        []MonthCount `json:"months"`
}

// MonthCount is one month's introductions and contracts.
type MonthCount struct {
	Month         string    `json:"month"` // YYYY-MM
	Introductions int       `json:"introductions"`
	Contracts     int       `json:"contracts"`
	ContractValue money.Fen `json:"contract_value"`
}

// Measures returns the figures of the last months (12 when 0), for those
// who see the dashboards. A park-limited principal gets its park's.
func (s *Service) Measures(ctx context.Context, actor auth.Principal, months int) (Measures, error) {
	if err := auth.Can(actor, auth.ViewDashboard, auth.Resource{}); err != nil {
		return Measures{}, err
	}
	if months <= 0 || months > 120 {
		months = 12
	}
	park, args := "", []any{}
	if actor.ParkID != 0 {
		park, args = " AND d.enterprise_id IN (SELECT id FROM enterprises WHERE park_id = ?)", []any{actor.ParkID}
	}
	var m Measures
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_achievements WHERE status = 'listed'").Scan(&m.Achievements); err != nil {
		return m, err
	}
	needPark := ""
	if actor.ParkID != 0 {
		needPark = " AND enterprise_id IN (SELECT id FROM enterprises WHERE park_id = ?)"
	}
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM tech_needs WHERE status = 'open'"+needPark, args...).Scan(&m.OpenNeeds); err != nil {
		return m, err
	}
	err := s.DB.QueryRow(ctx, `SELECT COUNT(*),
	COALESCE(SUM(CASE WHEN d.stage = 'talks' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN d.stage = 'signed' THEN 1 ELSE 0 END), 0),
	`+money.SQLSum("d.contract_amount")+` FROM tech_dockings d WHERE 1 = 1`+park, args...).
		Scan(&m.Introductions, &m.InTalks, &m.Contracts, &m.ContractValue)
	if err != nil {
		return m, err
	}
	start := s.now().AddDate(0, -(months - 1), 0)
	first := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	byMonth := map[string]*MonthCount{}
	for i := range months {
		mon := first.AddDate(0, i, 0).Format("2006-01")
		m.Months = append(m.Months, MonthCount{Month: mon})
	}
	for i := range m.Months {
		byMonth[m.Months[i].Month] = &m.Months[i]
	}
	rows, err := s.DB.Query(ctx, `SELECT SUBSTR(d.introduced_at, 1, 7), COUNT(*) FROM tech_dockings d
WHERE d.introduced_at >= ?`+park+` GROUP BY SUBSTR(d.introduced_at, 1, 7)`, append([]any{first.Format("2006-01")}, args...)...)
	if err != nil {
		return m, err
	}
	for rows.Next() {
		var mon string
		var n int
		if err := rows.Scan(&mon, &n); err != nil {
			rows.Close()
			return m, err
		}
		if mc := byMonth[mon]; mc != nil {
			mc.Introductions = n
		}
	}
	rows.Close()
	rows, err = s.DB.Query(ctx, `SELECT SUBSTR(d.signed_on, 1, 7), COUNT(*), `+money.SQLSum("d.contract_amount")+` FROM tech_dockings d
WHERE d.stage = 'signed' AND d.signed_on >= ?`+park+` GROUP BY SUBSTR(d.signed_on, 1, 7)`, append([]any{first.Format(time.DateOnly)}, args...)...)
	if err != nil {
		return m, err
	}
	defer rows.Close()
	for rows.Next() {
		var mon string
		var n int
		var v money.Fen
		if err := rows.Scan(&mon, &n, &v); err != nil {
			return m, err
		}
		if mc := byMonth[mon]; mc != nil {
			mc.Contracts, mc.ContractValue = n, v
		}
	}
	return m, rows.Err()
}

// MarshalJSON writes the amounts as the API writes money: decimal text in
// yuan with two decimals.
func (m Measures) MarshalJSON() ([]byte, error) {
	type plain Measures
	return json.Marshal(struct {
		plain
		ContractValue string `json:"contract_value"`
	}{plain(m), m.ContractValue.String()})
}

// MarshalJSON writes the month's amount as decimal text.
func (m MonthCount) MarshalJSON() ([]byte, error) {
	type plain MonthCount
	return json.Marshal(struct {
		plain
		ContractValue string `json:"contract_value"`
	}{plain(m), m.ContractValue.String()})
}
