package web

import (
	"context"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// The pages and the API read and report facts through facts.Service, the
// one home of who may see and change which field; what is here shapes its
// answers for the pages.

// factValue is one value of an enterprise's field with its provenance,
// as text.
type factValue struct {
	Period     string
	Value      string
	Source     string
	Actor      string
	RecordedAt time.Time
}

// factGroup is one field of an enterprise: its definition and its current
// values, newest period first.
type factGroup struct {
	Field  fieldRow
	Values []factValue
}

// currentFacts returns the current values of the fields p may see of one
// enterprise, grouped by field in dictionary order.
func (s *Server) currentFacts(ctx context.Context, p auth.Principal, enterpriseID int64, dict []fieldRow) ([]factGroup, error) {
	current, err := s.facts.CurrentOf(ctx, p, enterpriseID)
	if err != nil {
		return nil, err
	}
	rows := make(map[string]fieldRow, len(dict))
	for _, f := range dict {
		rows[f.Name] = f
	}
	out := make([]factGroup, 0, len(current))
	for _, fv := range current {
		g := factGroup{Field: rows[fv.Field.Name]}
		if g.Field.Name == "" {
			g.Field = fieldRow{Name: fv.Field.Name, LabelZh: fv.Field.LabelZh, LabelEn: fv.Field.LabelEn, Type: fv.Field.TypeName}
		}
		for _, v := range fv.Values {
			g.Values = append(g.Values, factValue{Period: v.Period.String(), Value: v.Value.String(), Source: v.Source, Actor: v.Actor, RecordedAt: v.RecordedAt})
		}
		out = append(out, g)
	}
	return out, nil
}

// authField is what an authorization decision needs of a field.
func (f fieldRow) authField() auth.Field {
	return auth.Field{Name: f.Name, Sensitivity: auth.Sensitivity(f.Sensitivity), Department: f.Department}
}
