package indicator

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
)

// MonthPoint is one month of the funds trend, with the same month a year
// earlier.
type MonthPoint struct {
	Month string    `json:"month"`
	Funds money.Fen `json:"funds_in_place"`
	Base  money.Fen `json:"base"`
}

// ParkRow is one park of the side-by-side table: the year to date.
type ParkRow struct {
	Park             Park      `json:"park"`
	ProjectsSigned   int64     `json:"projects_signed"`
	InvestmentSigned money.Fen `json:"investment_signed"`
	FundsYTD         money.Fen `json:"funds_in_place_ytd"`
}

// Progress is a yearly target and how far the year to date has come.
type Progress struct {
	Indicator string       `json:"indicator"`
	Kind      Kind         `json:"-"`
	Target    *apd.Decimal `json:"-"`
	Actual    *apd.Decimal `json:"-"`
	// Pct is Actual / Target × 100, one decimal.
	Pct string `json:"pct"`
}

// Cockpit is the leader's view of a month.
type Cockpit struct {
	Month    Report                   `json:"month"`
	Trend    []MonthPoint             `json:"trend"`
	Parks    []ParkRow                `json:"parks"`
	Targets  []Progress               `json:"targets"`
	Pipeline []project.StageCount     `json:"pipeline"`
	Stalled  []project.StalledProject `json:"stalled"`
	// StalledTotal counts every stalled project; Stalled lists the ten
	// idle longest.
	StalledTotal int `json:"stalled_total"`
}

// targetable are the indicators a yearly target is set for: flows that add
// up over the year.
var targetable = map[string]bool{"projects_signed": true, "investment_signed": true, "funds_in_place": true}

// Cockpit gathers the leader's view of a month (YYYY-MM) for one park or
// every park: the month's indicators, the funds of the twelve months to it
// against a year earlier, the parks side by side, targets, the pipeline
// and the stalled projects.
func (s *Service) Cockpit(ctx context.Context, p auth.Principal, month, parkCode string) (Cockpit, error) {
	per, err := parsePeriod(month)
	if err != nil || per.Shape != facts.Monthly {
		return Cockpit{}, apperr.InvalidInput("bad month", apperr.Problem{Field: "period", Reason: fmt.Sprintf("%q is not a month (YYYY-MM)", month)})
	}
	rep, err := s.Report(ctx, p, month, parkCode)
	if err != nil {
		return Cockpit{}, err
	}
	sc, err := s.resolvePark(ctx, p, parkCode)
	if err != nil {
		return Cockpit{}, err
	}
	c := Cockpit{Month: rep}
	err = s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		if c.Trend, err = s.trend(ctx, tx, sc, per); err != nil {
			return err
		}
		if c.Parks, err = s.parksSideBySide(ctx, tx, p, per); err != nil {
			return err
		}
		c.Targets, err = s.progress(ctx, tx, sc, per)
		return err
	})
	if err != nil {
		return Cockpit{}, err
	}
	if c.Pipeline, err = s.Projects.Pipeline(ctx, p); err != nil {
		return Cockpit{}, err
	}
	c.Stalled, c.StalledTotal, err = s.Projects.Stalled(ctx, p, 10)
	return c, err
}

// trend is the funds in place of the twelve months to per, and of the
// same months a year earlier, in one query.
func (s *Service) trend(ctx context.Context, q store.Queryer, sc scope, per facts.Period) ([]MonthPoint, error) {
	first := per.AddMonths(-11)
	park, args := sc.filter("p.park_id")
	rows, err := q.Query(ctx, "SELECT f.month, "+money.SQLSum("f.amount")+` FROM project_funds f JOIN projects p ON p.id = f.project_id
WHERE f.month >= ? AND f.month <= ? AND `+park+" GROUP BY f.month",
		append([]any{first.AddMonths(-12).String(), per.String()}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]money.Fen{}
	for rows.Next() {
		var m string
		var v money.Fen
		if err := rows.Scan(&m, &v); err != nil {
			return nil, err
		}
		got[m] = v
	}
	out := make([]MonthPoint, 12)
	for i := range out {
		m := first.AddMonths(i)
		out[i] = MonthPoint{Month: m.String(), Funds: got[m.String()], Base: got[m.AddMonths(-12).String()]}
	}
	return out, rows.Err()
}

// parksSideBySide is the year to date of every park p may see.
func (s *Service) parksSideBySide(ctx context.Context, q store.Queryer, p auth.Principal, per facts.Period) ([]ParkRow, error) {
	parks, err := s.Parks(ctx, p)
	if err != nil {
		return nil, err
	}
	sp := spanOf(per).ytd()
	out := make([]ParkRow, 0, len(parks))
	for _, pk := range parks {
		row := ParkRow{Park: pk}
		err := q.QueryRow(ctx, `SELECT COALESCE(SUM(g.is_first), 0), `+money.SQLSum("g.increase")+` FROM project_signings g JOIN projects p ON p.id = g.project_id
WHERE g.signed_on >= ? AND g.signed_on < ? AND p.park_id = ?`, sp.from, sp.to, pk.ID).Scan(&row.ProjectsSigned, &row.InvestmentSigned)
		if err != nil {
			return nil, err
		}
		err = q.QueryRow(ctx, "SELECT "+money.SQLSum("f.amount")+` FROM project_funds f JOIN projects p ON p.id = f.project_id
WHERE f.month >= ? AND f.month <= ? AND p.park_id = ?`, sp.firstMonth, sp.lastMonth, pk.ID).Scan(&row.FundsYTD)
		if err != nil {
			return nil, err
		}
		out = append(out, row)
	}
	return out, nil
}

// progress is each target of the year against the year to date.
func (s *Service) progress(ctx context.Context, q store.Queryer, sc scope, per facts.Period) ([]Progress, error) {
	park, args := sc.filter("t.park_id")
	rows, err := q.Query(ctx, "SELECT t.indicator, t.value FROM indicator_targets t WHERE t.year = ? AND "+park+" ORDER BY t.indicator",
		append([]any{per.Year}, args...)...)
	if err != nil {
		return nil, err
	}
	sums := map[string]*apd.Decimal{}
	var order []string
	for rows.Next() {
		var id, text string
		if err := rows.Scan(&id, &text); err != nil {
			rows.Close()
			return nil, err
		}
		v, _, err := apd.NewFromString(text)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("target %s: %w", id, err)
		}
		if sums[id] == nil {
			sums[id] = new(apd.Decimal)
			order = append(order, id)
		}
		exact.Add(sums[id], sums[id], v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ytd := spanOf(per).ytd()
	var out []Progress
	for _, id := range order {
		d, _ := Lookup(id)
		v, err := s.compute(ctx, q, sc, d, ytd, ytd)
		if err != nil {
			return nil, err
		}
		pr := Progress{Indicator: id, Kind: d.Kind, Target: sums[id], Actual: v.Value}
		if v.Value != nil && !sums[id].IsZero() {
			if pct, ok := ratioPct(v.Value, sums[id]); ok {
				pr.Pct = round(pct, 1)
			}
		}
		out = append(out, pr)
	}
	return out, nil
}

// SetTarget sets a park's target of an indicator for a year.
func (s *Service) SetTarget(ctx context.Context, p auth.Principal, parkCode, indicator string, year int, value string) error {
	if err := auth.Can(p, auth.ManageIndicators, auth.Resource{}); err != nil {
		return err
	}
	d, ok := Lookup(indicator)
	if !ok || !targetable[indicator] {
		return apperr.InvalidInput("bad target", apperr.Problem{Field: "indicator", Reason: fmt.Sprintf("%q takes no yearly target (projects_signed, investment_signed, funds_in_place)", indicator)})
	}
	text := value
	if d.Kind == Money {
		f, err := project.ParseAmount(value)
		if err != nil || f <= 0 {
			return apperr.InvalidInput("bad target", apperr.Problem{Field: "value", Reason: fmt.Sprintf("%q is not an amount above zero", value)})
		}
		text = f.String()
	} else if n, _, err := apd.NewFromString(value); err != nil || n.Sign() <= 0 || n.Exponent < 0 {
		return apperr.InvalidInput("bad target", apperr.Problem{Field: "value", Reason: fmt.Sprintf("%q is not a whole number above zero", value)})
	}
	if year < 1900 || year > 2999 {
		return apperr.InvalidInput("bad target", apperr.Problem{Field: "year", Reason: "the year is out of range"})
	}
	sc, err := s.resolvePark(ctx, p, parkCode)
	if err != nil {
		return err
	}
	if sc.park.ID == 0 {
		return apperr.InvalidInput("bad target", apperr.Problem{Field: "park", Reason: "a target is a park's: name the park"})
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO indicator_targets (park_id, indicator, year, value) VALUES (?, ?, ?, ?)
ON CONFLICT (park_id, indicator, year) DO UPDATE SET value = excluded.value`, sc.park.ID, indicator, year, text); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "indicator.target", ObjectType: "indicator_target",
			ObjectID: fmt.Sprintf("%s/%s/%d", sc.park.Code, indicator, year), After: map[string]any{"value": text}, At: s.now()})
	})
}

// TargetText and ActualText write a progress's figures as reports do.
func (pr Progress) TargetText() string { return text(pr.Target, pr.Kind) }

// ActualText is the year to date.
func (pr Progress) ActualText() string { return text(pr.Actual, pr.Kind) }

// MarshalJSON writes the amounts as decimal text in yuan.
func (m MonthPoint) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Month string `json:"month"`
		Funds string `json:"funds_in_place"`
		Base  string `json:"base"`
	}{m.Month, m.Funds.String(), m.Base.String()})
}

// MarshalJSON writes the amounts as decimal text in yuan.
func (r ParkRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Park             Park   `json:"park"`
		ProjectsSigned   int64  `json:"projects_signed"`
		InvestmentSigned string `json:"investment_signed"`
		FundsYTD         string `json:"funds_in_place_ytd"`
	}{r.Park, r.ProjectsSigned, r.InvestmentSigned.String(), r.FundsYTD.String()})
}

// MarshalJSON writes the target and the year to date as reports do.
func (pr Progress) MarshalJSON() ([]byte, error) {
	var pct any
	if pr.Pct != "" {
		pct = pr.Pct
	}
	return json.Marshal(struct {
		Indicator string `json:"indicator"`
		Target    string `json:"target"`
		Actual    string `json:"year_to_date"`
		Pct       any    `json:"pct"`
	}{pr.Indicator, pr.TargetText(), pr.ActualText(), pct})
}
