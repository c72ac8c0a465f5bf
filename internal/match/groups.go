package match

import (
	"cmp"
	"slices"

	"github.com/cockroachdb/apd/v3"
)

// Groups of results by a key (an industry section, a size class), as
// simulation reports them.

func fen(d *apd.Decimal) string {
	if r := roundDecimalFen(d); r != nil {
		return r.Text('f')
	}
	return d.Text('f')
}

// Group is a count and an amount under a key (an industry section, a size
// class).
type Group struct {
	Key    string `json:"key"`
	Count  int    `json:"count"`
	Amount string `json:"amount"`
	sum    apd.Decimal
}

func compareAmounts(a, b string) int {
	var x, y apd.Decimal
	x.SetString(cmp.Or(a, "0"))
	y.SetString(cmp.Or(b, "0"))
	return x.Cmp(&y)
}

func addGroup(m map[string]*Group, key string, amount *apd.Decimal) {
	g := m[key]
	if g == nil {
		g = &Group{Key: key}
		m[key] = g
	}
	g.Count++
	arith.Add(&g.sum, &g.sum, amount)
}

func groups(m map[string]*Group) []Group {
	out := make([]Group, 0, len(m))
	for _, g := range m {
		g.Amount = fen(&g.sum)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return out
}
