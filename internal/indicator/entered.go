package indicator

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
)

// entered is an entered indicator: the newest entry of each park for the
// period, summed over the parks of the scope.
func (s *Service) entered(ctx context.Context, q store.Queryer, sc scope, d Def, cur, base span) (Value, error) {
	one := func(sp span) (*apd.Decimal, string, error) {
		park, args := sc.filter("x.park_id")
		rows, err := q.Query(ctx, `SELECT x.value, x.source FROM indicator_entries x WHERE x.indicator = ? AND x.period = ? AND `+park+`
AND x.id = (SELECT MAX(y.id) FROM indicator_entries y WHERE y.park_id = x.park_id AND y.indicator = x.indicator AND y.period = x.period)`,
			append([]any{d.ID, sp.period.String()}, args...)...)
		if err != nil {
			return nil, "", err
		}
		defer rows.Close()
		var sum *apd.Decimal
		var sources []string
		for rows.Next() {
			var text, source string
			if err := rows.Scan(&text, &source); err != nil {
				return nil, "", err
			}
			v, _, err := apd.NewFromString(text)
			if err != nil {
				return nil, "", fmt.Errorf("stored value %q: %w", text, err)
			}
			if sum == nil {
				sum = new(apd.Decimal)
			}
			exact.Add(sum, sum, v)
			if !containsString(sources, source) {
				sources = append(sources, source)
			}
		}
		return sum, strings.Join(sources, "; "), rows.Err()
	}
	v, src, err := one(cur)
	if err != nil {
		return Value{}, err
	}
	b, _, err := one(base)
	return Value{Value: v, Base: b, Source: src}, err
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Entry is one entered value.
type Entry struct {
	Park      string // its code
	Indicator string
	Period    string
	Value     string // yuan for money
	Source    string // who reported it: 统计局, 税务局, a file's name
}

// checkEntry validates an entry; problems carry the field.
func checkEntry(e *Entry) []apperr.Problem {
	var prob []apperr.Problem
	d, ok := Lookup(e.Indicator)
	if !ok || d.Source != Entered {
		prob = append(prob, apperr.Problem{Field: "indicator", Reason: fmt.Sprintf("%q is not an entered indicator (gdp, industrial_output, tax_revenue)", e.Indicator)})
	}
	if p, err := parsePeriod(e.Period); err != nil {
		prob = append(prob, apperr.Problem{Field: "period", Reason: err.Error()})
	} else {
		e.Period = p.String()
	}
	if f, err := project.ParseAmount(e.Value); err != nil {
		prob = append(prob, apperr.Problem{Field: "value", Reason: err.Error()})
	} else if f < 0 {
		prob = append(prob, apperr.Problem{Field: "value", Reason: "the value is negative"})
	} else {
		e.Value = f.String()
	}
	if strings.TrimSpace(e.Source) == "" {
		prob = append(prob, apperr.Problem{Field: "source", Reason: "say where the value comes from (统计局, 税务局 …)"})
	}
	return prob
}

// Enter records entered values, all or nothing, with their provenance.
func (s *Service) Enter(ctx context.Context, p auth.Principal, entries []Entry) error {
	if err := auth.Can(p, auth.ManageIndicators, auth.Resource{}); err != nil {
		return err
	}
	var prob []apperr.Problem
	for i := range entries {
		for _, pr := range checkEntry(&entries[i]) {
			pr.Record = i + 1
			prob = append(prob, pr)
		}
	}
	if len(prob) > 0 {
		return apperr.InvalidInput(fmt.Sprintf("%d problems; nothing was recorded", len(prob)), prob...)
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		for i, e := range entries {
			var parkID int64
			err := tx.QueryRow(ctx, "SELECT id FROM parks WHERE code = ?", e.Park).Scan(&parkID)
			if errors.Is(err, store.ErrNotFound) || err == nil && p.ParkID != 0 && !p.IsSystem() && parkID != p.ParkID {
				prob = append(prob, apperr.Problem{Record: i + 1, Field: "park", Reason: fmt.Sprintf("no park %q", e.Park)})
				continue
			}
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "INSERT INTO indicator_entries (park_id, indicator, period, value, source, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
				parkID, e.Indicator, e.Period, e.Value, strings.TrimSpace(e.Source), p.Label, store.FormatTime(s.now())); err != nil {
				return err
			}
			if err := auth.Audit(ctx, tx, auth.Entry{Actor: p, Action: "indicator.enter", ObjectType: "indicator", ObjectID: e.Park + "/" + e.Indicator + "/" + e.Period,
				After: e, At: s.now()}); err != nil {
				return err
			}
		}
		if len(prob) > 0 {
			return apperr.InvalidInput(fmt.Sprintf("%d problems; nothing was recorded", len(prob)), prob...)
		}
		return nil
	})
}

// entryAliases are the Chinese headers of an indicator file.
var entryAliases = map[string]string{"园区": "park", "指标": "indicator", "期间": "period", "数值": "value", "来源": "source"}

// ParseEntries reads an indicator file (.csv or .xlsx) with the header
// park,indicator,period,value and optionally source (the file's name when
// absent). Problems name the file, row and column.
func ParseEntries(name string, data []byte) ([]Entry, error) {
	t, prob := project.ReadTable(name, data, entryAliases)
	if prob == nil {
		prob = t.Keep([]string{"park", "indicator", "period", "value"}, []string{"source"})
	}
	if len(prob) > 0 {
		return nil, apperr.InvalidInput(name+": the file cannot be read", prob...)
	}
	var out []Entry
	for i := 0; i < t.Len(); i++ {
		e := Entry{Park: t.Cell(i, "park"), Indicator: t.Cell(i, "indicator"), Period: t.Cell(i, "period"), Value: t.Cell(i, "value"), Source: t.Cell(i, "source")}
		if e.Source == "" {
			e.Source = name
		}
		for _, pr := range checkEntry(&e) {
			pr.File, pr.Row = name, t.Line(i)
			prob = append(prob, pr)
		}
		if e.Park == "" {
			prob = append(prob, apperr.Problem{File: name, Row: t.Line(i), Field: "park", Reason: "the row names no park"})
		}
		out = append(out, e)
	}
	if len(prob) > 0 {
		return nil, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was read", name, len(prob)), prob...)
	}
	return out, nil
}
