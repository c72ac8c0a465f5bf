package demo

import (
	"math"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// The value constructors set the decimal from an integer coefficient and an
// exponent, which allocates nothing for the magnitudes of a park: the
// generator builds hundreds of values per enterprise.

// money returns yuan rounded to the fen.
func money(yuan float64) facts.Value {
	v := facts.Value{Type: facts.Money}
	v.Num.SetFinite(int64(math.Round(yuan*100)), -2)
	return v
}

// moneyFen returns a money value from a whole number of fen.
func moneyFen(fen int64) facts.Value {
	v := facts.Value{Type: facts.Money}
	v.Num.SetFinite(fen, -2)
	return v
}

func integer(n int) facts.Value {
	v := facts.Value{Type: facts.Integer}
	v.Num.SetFinite(int64(n), 0)
	return v
}

// number returns x with one decimal, as scores and averages are reported.
func number(x float64) facts.Value {
	v := facts.Value{Type: facts.Number}
	v.Num.SetFinite(int64(math.Round(x*10)), -1)
	return v
}

// ratio returns x with four decimals (a hundredth of a percentage point).
func ratio(x float64) facts.Value {
	v := facts.Value{Type: facts.Ratio}
	v.Num.SetFinite(int64(math.Round(x*10000)), -4)
	return v
}

func boolean(b bool) facts.Value { return facts.Value{Type: facts.Bool, Bool: b} }

func enum(s string) facts.Value { return facts.Value{Type: facts.Enum, Text: s} }

// sink receives the facts of an enterprise as they are drawn.
type sink interface {
	// put records field at period p; capacity is how many periods the
	// field will hold (1, 3, 4 or 24), so that a series is allocated once.
	put(field string, p facts.Period, v facts.Value, capacity int)
}

// factSet collects the facts of one record.
type factSet map[string]facts.Series

func (fs factSet) put(field string, p facts.Period, v facts.Value, capacity int) {
	s := fs[field]
	if s == nil {
		s = make(facts.Series, capacity)
		fs[field] = s
	}
	s[p] = v
}

// factFunc passes each fact on as it is drawn, for consumers that keep facts
// in a layout of their own and need not pay for the record's maps.
type factFunc func(Fact)

func (fn factFunc) put(field string, p facts.Period, v facts.Value, _ int) {
	fn(Fact{Field: field, Period: p, Value: v})
}

// writer is how the generator writes facts, whatever the sink.
type writer struct{ sink sink }

func (w writer) scalar(field string, v facts.Value) { w.sink.put(field, facts.Period{}, v, 1) }

func (w writer) annual(field string, year int, v facts.Value) {
	w.sink.put(field, facts.Year(year), v, 3)
}

func (w writer) at(field string, p facts.Period, v facts.Value, capacity int) {
	w.sink.put(field, p, v, capacity)
}
