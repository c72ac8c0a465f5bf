package demo

import "math"

// annualFacts writes the facts keyed by fiscal year: statistics (revenue,
// headcount, assets), tax (VAT sales, taxable income, credit rating, local
// taxes), science (R&D, technical staff, high-tech revenue) and human
// resources (insured staff, layoffs, unemployment insurance). A firm has
// figures only for the years it existed, and a department's facts only
// when it holds data on the firm.
func (g *Generator) annualFacts(f *firm, w writer) {
	s := f.s
	mainShare := s.uniform(0.75, 1)
	if s.chance(0.1) {
		mainShare = s.uniform(0.5, 0.75)
	}
	insuredShare := s.uniform(0.75, 1)
	wage := f.sector.revenuePerHead * 0.12 * s.logNormal(1, 0.2) // yearly pay per head, yuan
	domesticShare := s.uniform(0.75, 1)
	if s.chance(0.05) {
		domesticShare = s.uniform(0.45, 0.6)
	}
	hightechShare := s.uniform(0.6, 0.95)
	if s.chance(0.1) {
		hightechShare = s.uniform(0.5, 0.6)
	}
	localTaxRate := s.uniform(0.0008, 0.003)
	grade := f.creditGrade

	for k := range f.fiscal() {
		y := &f.years[k]
		if !y.exists() {
			continue
		}
		if f.data.stats && s.chance(0.98) {
			w.annual("revenue", y.year, money(y.revenue))
			w.annual("employees", y.year, integer(y.employees))
			w.annual("total_assets", y.year, money(y.assets))
			if s.chance(0.85) {
				w.annual("main_business_revenue", y.year, money(y.revenue*mainShare))
			}
			if s.chance(0.9) {
				w.annual("debt_ratio", y.year, ratio(y.debtRatio))
				w.annual("net_assets", y.year, money(y.assets*(1-y.debtRatio)))
			}
			if s.chance(0.85) {
				w.annual("cost_and_expense_total", y.year, money(math.Max(0, y.revenue*(1-y.margin))))
			}
			if s.chance(0.5) {
				w.annual("employees_avg", y.year, number(float64(y.employees)*s.uniform(0.9, 1.05)))
				w.annual("total_assets_avg", y.year, money(y.assets*s.uniform(0.85, 1.02)))
			}
		}
		if f.data.tax {
			w.annual("vat_sales", y.year, money(y.revenue*f.vatShare))
			w.annual("taxable_income", y.year, money(y.revenue*y.margin))
			w.annual("local_taxes_due", y.year, money(y.revenue*localTaxRate))
			if rating, ok := f.creditRating(y, &grade); ok {
				w.annual("credit_rating", y.year, enum(rating))
			}
		}
		if f.data.science {
			w.annual("tech_staff", y.year, integer(int(math.Round(float64(y.employees)*f.techRatio*s.logNormal(1, 0.05)))))
		}
		if f.rdActive && f.data.science {
			rd := y.revenue * f.rdRatio * s.logNormal(1, 0.05)
			w.annual("rd_expense", y.year, money(rd))
			if s.chance(0.9) {
				w.annual("rd_expense_domestic", y.year, money(rd*domesticShare))
			}
			if s.chance(0.85) {
				w.annual("hightech_revenue", y.year, money(y.revenue*hightechShare*s.logNormal(1, 0.03)))
			}
			if f.data.tax && !rdNegativeList(f.industryCode) && s.chance(0.85) {
				rdBreakdown(s, w, y.year, rd)
			}
		}
		if f.data.hr {
			insured := int(math.Round(float64(y.employees) * insuredShare))
			w.annual("insured_staff", y.year, integer(insured))
			w.annual("layoffs", y.year, integer(layoffs(s, insured)))
			// Unemployment insurance is 1% of pay in Zhejiang (0.5% each
			// from employer and employee).
			pay := wage * math.Pow(1.05, float64(y.year-g.lastYear)) * s.logNormal(1, 0.03) // pay rises about 5% a year
			w.annual("ui_contributions", y.year, money(float64(insured)*pay*0.01*y.fraction))
		}
	}
	if f.rdActive && f.data.industry && f.ageYears(g.on) < 8 && s.chance(0.12) {
		w.annual("qualified_equity_2y", g.lastYear, money(s.logNormal(2e7, 1)))
	}
}

// creditRating returns the tax credit rating of year y, if rated. A firm
// registered during the year is not rated for it; the next year it is
// usually M, the grade of new taxpayers. grade carries the firm's grade
// from one year to the next.
func (f *firm) creditRating(y *yearFigures, grade *int) (string, bool) {
	s := f.s
	switch {
	case y.fraction < 1:
		return "", false
	case f.registered.Year() == y.year-1 && s.chance(0.7):
		return "M", true
	case s.chance(0.04): // not rated, or not yet shared
		return "", false
	}
	if *grade <= 1 && s.chance(0.1) { // A and B firms trade places from year to year
		*grade = 1 - *grade
	}
	return creditGrades[*grade], true
}

// layoffs draws the year's layoffs among insured staff: most firms lay off
// no one, some a few, and a few more than the 5.5% that job-retention
// refunds allow.
func layoffs(s *stream, insured int) int {
	switch x := s.float(); {
	case x < 0.78:
		return 0
	case x < 0.95:
		return min(insured, s.poisson(math.Max(0.5, float64(insured)*0.02)))
	default:
		return int(math.Round(float64(insured) * s.uniform(0.05, 0.2)))
	}
}

// rdBreakdown splits the year's R&D expense into the cost categories of the
// super-deduction filing. Categories 1–5 take most of it; "other expenses"
// sometimes exceed the 10% cap; some firms commission R&D at home and a few
// abroad.
func rdBreakdown(s *stream, w writer, year int, rd float64) {
	other := s.uniform(0.01, 0.08)
	if s.chance(0.2) {
		other = s.uniform(0.1, 0.2)
	}
	commissioned := 0.0
	if s.chance(0.3) {
		commissioned = s.uniform(0.05, 0.25)
	}
	overseas := 0.0
	if s.chance(0.05) {
		overseas = s.uniform(0.02, 0.1)
	}
	own := 1 - other - commissioned - overseas
	staff := s.uniform(0.5, 0.7)
	direct := s.uniform(0.15, 0.3)
	depreciation := s.uniform(0.03, 0.08)
	amortisation := s.uniform(0.005, 0.03)
	design := s.uniform(0, 0.05)
	sum := staff + direct + depreciation + amortisation + design
	part := func(share float64) float64 { return rd * own * share / sum }
	w.annual("rd_staff_cost", year, money(part(staff)))
	w.annual("rd_direct_input", year, money(part(direct)))
	w.annual("rd_depreciation", year, money(part(depreciation)))
	w.annual("rd_intangible_amortization", year, money(part(amortisation)))
	w.annual("rd_design_fees", year, money(part(design)))
	w.annual("rd_other_expense", year, money(rd*other))
	w.annual("rd_commissioned_domestic", year, money(rd*commissioned))
	w.annual("rd_commissioned_overseas", year, money(rd*overseas))
}
