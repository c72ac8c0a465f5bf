package demo

// industryShares writes, for firms whose tax data is shared, the share of
// each fiscal year's VAT sales in the firm's recorded industry
// (industry_sales_share), by which the VAT refunds tell the main industry.
// Most firms sell mainly in their registered industry; about one in eight
// sells mainly in another, and the tax department has not shared the figure
// for three in ten, so that the refunds fall back on the registered industry
// there. It draws from a stream of its own, leaving every other fact of the
// park as it was.
func (g *Generator) industryShares(f *firm, w writer, s *stream) {
	if !f.data.tax || !s.chance(0.7) {
		return
	}
	share := s.uniform(0.6, 1)
	if s.chance(0.12) {
		share = s.uniform(0.15, 0.5)
	}
	for k := range f.fiscal() {
		y := &f.years[k]
		if !y.exists() {
			continue
		}
		w.annual("industry_sales_share", y.year, ratio(min(1, share*s.uniform(0.95, 1.05))))
	}
}
