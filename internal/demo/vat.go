package demo

import (
	"math"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// seasonality is the usual shape of monthly sales: a Spring Festival dip in
// February and a year-end peak in December.
var seasonality = [12]float64{0.95, 0.65, 1, 1, 1, 1.05, 0.95, 0.95, 1.05, 1, 1.05, 1.3}

// vatRegimeStart is the first month whose input VAT the credit refund rules
// count (2019-04, 财政部 税务总局 海关总署公告2019年第39号).
var vatRegimeStart = facts.Month(2019, 4)

// vatFacts writes the monthly VAT facts of the 24 months ending with the
// tax month (税款所属期): sales for every VAT payer and, for general taxpayers, the
// end-of-month excess credit, the cumulative input VAT since 2019-04 (all
// of it and the qualifying part) and, for exporters, the export refunds
// approved. The credit follows the firm's books: it grows when input VAT
// runs ahead of output VAT (plant, equipment, long development) and is paid
// down otherwise. Sales of a full fiscal year add up to its vat_sales.
func (g *Generator) vatFacts(f *firm, w writer, s *stream) {
	if !f.data.tax || !s.chance(0.97) {
		return
	}
	first := g.taxMonth.AddMonths(-23)
	registered := facts.Month(f.registered.Year(), int(f.registered.Month()))
	if registered.Index() > first.Index() {
		first = registered
	}
	if first.Index() > g.taxMonth.Index() {
		return
	}
	rate := f.sector.outputVATRate
	builder := s.chance(f.sector.creditBuilder)
	inputRatio := s.uniform(0.55, 0.97) // input VAT / output VAT
	if builder {
		inputRatio = s.uniform(1.05, 1.6)
	}
	qualifying := s.uniform(0.8, 1) // special invoices and customs letters among all inputs
	if s.chance(0.15) {
		qualifying = s.uniform(0.5, 0.8)
	}
	exporter := s.chance(f.sector.exporter)

	var sales [24]float64
	months := f.monthlySales(s, first, g.taxMonth, sales[:0])
	avgOutput := 0.0
	for _, x := range months {
		avgOutput += x * rate
	}
	avgOutput /= float64(len(months))

	if !f.generalTaxpayer {
		for i, x := range months {
			w.at("vat_sales_month", first.AddMonths(i), money(x), 24)
		}
		return
	}
	// The credit at 2019-03-31, the base of the incremental refund. Firms
	// registered later have none.
	if f.registered.Before(regimeStartDate) {
		if builder && s.chance(0.7) || !builder && s.chance(0.4) {
			f.vatBase = s.logNormal(avgOutput*3, 1)
		}
	}
	f.vatRecorded = true
	credit := 0.0
	switch {
	case builder:
		credit = avgOutput * s.uniform(2, 12)
	case s.chance(0.3):
		credit = avgOutput * s.uniform(0, 2)
	}
	// Input VAT before the window, since 2019-04, estimated at a little
	// below the window's pace.
	var cumTotal, cumQualifying int64
	since := max(vatRegimeStart.Index(), registered.Index())
	if before := first.Index() - since; before > 0 {
		cumTotal = fen(avgOutput * inputRatio * 0.8 * float64(before))
		cumQualifying = fen(float64(cumTotal) / 100 * qualifying)
	}
	for i, x := range months {
		p := first.AddMonths(i)
		output := x * rate
		input := output * inputRatio * s.logNormal(1, 0.3)
		credit = math.Max(0, credit+input-output)
		w.at("vat_sales_month", p, money(x), 24)
		w.at("vat_credit_end", p, money(credit), 24)
		if p.Index() >= vatRegimeStart.Index() {
			inFen := fen(input)
			cumTotal += inFen
			cumQualifying += fen(float64(inFen) / 100 * qualifying)
			w.at("input_vat_total", p, moneyFen(cumTotal), 24)
			w.at("input_vat_qualifying", p, moneyFen(cumQualifying), 24)
		}
		if exporter {
			// 免抵退 approved this month is still in the month's ending
			// credit; it is paid out before the next month.
			approved := 0.0
			if s.chance(0.5) {
				approved = math.Min(credit, output*s.uniform(0.1, 0.6))
			}
			w.at("export_refund_approved", p, money(approved), 24)
			credit -= math.Round(approved*100) / 100
		}
	}
}

// regimeStartDate is the first day of vatRegimeStart.
var regimeStartDate = time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC)

func fen(yuan float64) int64 { return int64(math.Round(yuan * 100)) }

// monthlySales appends the VAT sales of the months first..last: each year's
// VAT sales spread over its months by season and noise.
func (f *firm) monthlySales(s *stream, first, last facts.Period, out []float64) []float64 {
	registered := facts.Month(f.registered.Year(), int(f.registered.Month()))
	for y := first.Year; y <= last.Year; y++ {
		fy := f.yearOf(y)
		var w [12]float64
		total := 0.0
		for m := range 12 {
			if facts.Month(y, m+1).Index() < registered.Index() {
				continue
			}
			w[m] = seasonality[m] * s.logNormal(1, 0.15)
			total += w[m]
		}
		annual := fy.revenue * f.vatShare
		for m := range 12 {
			p := facts.Month(y, m+1)
			if p.Index() < first.Index() || p.Index() > last.Index() {
				continue
			}
			out = append(out, annual*w[m]/total)
		}
	}
	return out
}

// yearOf returns the figures of calendar year y, which must be one of the
// years the firm carries.
func (f *firm) yearOf(y int) *yearFigures {
	return &f.years[y-f.years[0].year]
}
