package demo

import (
	"math"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// quarterlyFacts writes, for some smaller firms, the headcount and assets at
// the start and end of each quarter of the last fiscal year: the figures
// from which the small low-profit enterprise rules average the year. They
// move from the previous year's level to the last year's, with noise.
func (g *Generator) quarterlyFacts(f *firm, w writer) {
	s := f.s
	last, prev := f.last(), &f.years[1]
	if !f.data.stats || last.fraction < 1 || last.employees > 300 || !s.chance(0.35) {
		return
	}
	fromStaff, fromAssets := float64(last.employees), last.assets
	if prev.exists() {
		fromStaff, fromAssets = float64(prev.employees), prev.assets
	}
	at := func(step float64) (staff, assets float64) {
		t := step / 4
		return (fromStaff + (float64(last.employees)-fromStaff)*t) * s.logNormal(1, 0.04),
			(fromAssets + (last.assets-fromAssets)*t) * s.logNormal(1, 0.03)
	}
	staff, assets := at(0)
	for q := 1; q <= 4; q++ {
		p := facts.Quarter(g.lastYear, q)
		w.at("employees_q_start", p, integer(int(math.Max(1, math.Round(staff)))), 4)
		w.at("total_assets_q_start", p, money(assets), 4)
		// The end of a quarter is the start of the next one, as on the
		// statistical returns.
		staff, assets = at(float64(q))
		w.at("employees_q_end", p, integer(int(math.Max(1, math.Round(staff)))), 4)
		w.at("total_assets_q_end", p, money(assets), 4)
	}
}
