package indicator

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Value is one indicator of a report: its value in the period, in the
// same period a year earlier, and the change.
type Value struct {
	ID   string
	Kind Kind
	// Value and Base are nil when there is none (an entered indicator
	// nobody entered, a base before the data starts).
	Value, Base *apd.Decimal
	// YoYPct is the year-on-year change in percent, one decimal; "" when
	// the base is absent or zero.
	YoYPct string
	// Members is the number of enterprises an enterprise-based sum covers,
	// and MembersWithoutBase how many of them have no value a year
	// earlier: the base is the sum over the same enterprises (同口径).
	Members, MembersWithoutBase int
	sameScope                   bool
	// Source is the provenance of an entered value.
	Source string
}

// Report is the park's indicators for one period.
type Report struct {
	Period     string  `json:"period"`
	BasePeriod string  `json:"base_period"`
	Park       *Park   `json:"park,omitempty"` // nil for every park
	Indicators []Value `json:"indicators"`
}

// Lookup returns the indicator of the report with the id.
func (r Report) Lookup(id string) (Value, bool) {
	for _, v := range r.Indicators {
		if v.ID == id {
			return v, true
		}
	}
	return Value{}, false
}

// Text writes the value as the API does: an integer for counts, decimal
// text for money (two decimals) and percentages; "" when absent.
func (v Value) Text() string { return text(v.Value, v.Kind) }

// BaseText is Text of the base.
func (v Value) BaseText() string { return text(v.Base, v.Kind) }

func text(d *apd.Decimal, k Kind) string {
	if d == nil {
		return ""
	}
	switch k {
	case Count:
		return round(d, 0)
	case Money, Percent:
		return round(d, 2)
	}
	return d.Text('f')
}

// Fen is the value of a money indicator in fen, 0 when absent.
func (v Value) Fen() money.Fen {
	if v.Value == nil || v.Kind != Money {
		return 0
	}
	f, _ := money.Round(v.Value)
	return f
}

// MarshalJSON writes counts as integers and money and percentages as
// decimal strings; null for what is absent.
func (v Value) MarshalJSON() ([]byte, error) {
	num := func(d *apd.Decimal) any {
		if d == nil {
			return nil
		}
		if v.Kind == Count {
			n, _ := strconv.ParseInt(round(d, 0), 10, 64)
			return n
		}
		return text(d, v.Kind)
	}
	out := struct {
		ID                 string `json:"id"`
		Value              any    `json:"value"`
		Base               any    `json:"base"`
		YoYPct             any    `json:"yoy_pct"`
		Members            *int   `json:"members,omitempty"`
		MembersWithoutBase *int   `json:"members_without_base,omitempty"`
		Source             string `json:"source,omitempty"`
	}{ID: v.ID, Value: num(v.Value), Base: num(v.Base), Source: v.Source}
	if v.YoYPct != "" {
		out.YoYPct = v.YoYPct
	}
	if v.sameScope {
		out.Members, out.MembersWithoutBase = &v.Members, &v.MembersWithoutBase
	}
	return json.Marshal(out)
}

// Report computes every indicator p may see for a period (YYYY, YYYYQn or
// YYYY-MM) of one park (its code) or of every park (""), with the values
// a year earlier. Indicators computed from fields p may not see are left
// out; so are annual-only ones for a quarter or a month.
func (s *Service) Report(ctx context.Context, p auth.Principal, period, parkCode string) (Report, error) {
	if err := auth.Can(p, auth.ViewDashboard, auth.Resource{}); err != nil {
		return Report{}, err
	}
	per, err := parsePeriod(period)
	if err != nil {
		return Report{}, apperr.InvalidInput("bad period", apperr.Problem{Field: "period", Reason: err.Error()})
	}
	sc, err := s.resolvePark(ctx, p, parkCode)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Period: per.String(), BasePeriod: yearEarlier(per).String(), Indicators: []Value{}}
	if sc.park.ID != 0 {
		pk := sc.park
		rep.Park = &pk
	}
	cur, base := spanOf(per), spanOf(yearEarlier(per))
	err = s.DB.InReadTx(ctx, func(tx *store.Tx) error {
		for _, d := range Defs {
			if d.AnnualOnly && per.Shape != facts.Annual {
				continue
			}
			visible := true
			for _, name := range d.Fields {
				f, err := fieldOf(ctx, tx, name)
				if err != nil {
					return err
				}
				if !auth.FieldVisible(p, f) {
					visible = false
				}
			}
			if !visible {
				continue
			}
			v, err := s.compute(ctx, tx, sc, d, cur, base)
			if err != nil {
				return fmt.Errorf("indicator %s: %w", d.ID, err)
			}
			v.ID, v.Kind = d.ID, d.Kind
			if pct, ok := YoYPct(v.Value, v.Base); ok {
				v.YoYPct = pct
			}
			rep.Indicators = append(rep.Indicators, v)
		}
		return nil
	})
	return rep, err
}

// compute is one indicator in a period and a year earlier.
func (s *Service) compute(ctx context.Context, q store.Queryer, sc scope, d Def, cur, base span) (Value, error) {
	pair := func(fn func(span) (*apd.Decimal, error)) (Value, error) {
		v, err := fn(cur)
		if err != nil {
			return Value{}, err
		}
		b, err := fn(base)
		return Value{Value: v, Base: b}, err
	}
	park, parkArgs := sc.filter("p.park_id")
	switch d.ID {
	case "projects_signed", "investment_signed":
		// A project counts once, at its first signing, with the total it
		// was signed for; a later signing counts only what it adds.
		agg := "COUNT(*)"
		cond := " AND g.is_first = 1"
		if d.ID == "investment_signed" {
			agg, cond = money.SQLSum("g.increase"), ""
		}
		return pair(func(sp span) (*apd.Decimal, error) {
			return scalar(ctx, q, d.Kind, "SELECT "+agg+" FROM project_signings g JOIN projects p ON p.id = g.project_id WHERE g.signed_on >= ? AND g.signed_on < ?"+cond+" AND "+park,
				append([]any{sp.from, sp.to}, parkArgs...)...)
		})
	case "funds_in_place", "funds_in_place_ytd":
		return pair(func(sp span) (*apd.Decimal, error) {
			if d.ID == "funds_in_place_ytd" {
				sp = sp.ytd()
			}
			return scalar(ctx, q, Money, "SELECT "+money.SQLSum("f.amount")+" FROM project_funds f JOIN projects p ON p.id = f.project_id WHERE f.month >= ? AND f.month <= ? AND "+park,
				append([]any{sp.firstMonth, sp.lastMonth}, parkArgs...)...)
		})
	case "hnte_count", "tech_sme_count", "srdi_count", "little_giant_count":
		// Tags carry no dates: the count a year earlier is of the tagged
		// enterprises registered by then (docs/projects.md says so).
		epark, eargs := sc.filter("e.park_id")
		return pair(func(sp span) (*apd.Decimal, error) {
			return scalar(ctx, q, Count, `SELECT COUNT(*) FROM enterprises e JOIN enterprise_tags et ON et.enterprise_id = e.id
JOIN tags t ON t.id = et.tag_id WHERE t.code = ? AND (e.registered_on IS NULL OR e.registered_on < ?) AND `+epark,
				append([]any{d.Tag, sp.to}, eargs...)...)
		})
	case "revenue_total", "rd_intensity":
		return s.sameScope(ctx, q, sc, d, cur, base)
	case "tech_introductions", "tech_contracts", "tech_contract_value":
		epark, eargs := sc.filter("e.park_id")
		return pair(func(sp span) (*apd.Decimal, error) {
			query := "SELECT COUNT(*) FROM tech_dockings d JOIN enterprises e ON e.id = d.enterprise_id WHERE d.introduced_at >= ? AND d.introduced_at < ? AND " + epark
			switch d.ID {
			case "tech_contracts":
				query = "SELECT COUNT(*) FROM tech_dockings d JOIN enterprises e ON e.id = d.enterprise_id WHERE d.stage = 'signed' AND d.signed_on >= ? AND d.signed_on < ? AND " + epark
			case "tech_contract_value":
				query = "SELECT " + money.SQLSum("d.contract_amount") + " FROM tech_dockings d JOIN enterprises e ON e.id = d.enterprise_id WHERE d.stage = 'signed' AND d.signed_on >= ? AND d.signed_on < ? AND " + epark
			}
			return scalar(ctx, q, d.Kind, query, append([]any{sp.from, sp.to}, eargs...)...)
		})
	}
	if d.Source == Entered {
		return s.entered(ctx, q, sc, d, cur, base)
	}
	return Value{}, fmt.Errorf("no computation")
}

// scalar runs a query of one number: a count, or a sum in fen for money.
func scalar(ctx context.Context, q store.Queryer, k Kind, query string, args ...any) (*apd.Decimal, error) {
	if k == Money {
		var f money.Fen
		if err := q.QueryRow(ctx, query, args...).Scan(&f); err != nil {
			return nil, err
		}
		return f.Decimal(), nil
	}
	var n int64
	if err := q.QueryRow(ctx, query, args...).Scan(&n); err != nil {
		return nil, err
	}
	return apd.New(n, 0), nil
}
