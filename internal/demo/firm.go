package demo

import (
	"math"
	"time"
)

// firm holds the hidden traits of one enterprise, drawn first, from which
// all its facts follow; keeping them together is what makes the facts of an
// enterprise agree with each other (headcount with revenue, R&D with
// technical staff, VAT with sales).
type firm struct {
	s            *stream
	sector       *sector
	industryCode string
	registered   time.Time

	// years are the fiscal years lastYear-2 .. lastYear and, last, the
	// current year, projected for the monthly VAT facts.
	years [4]yearFigures

	rdActive  bool
	rdRatio   float64 // R&D expense / revenue
	techRatio float64 // technical staff / employees
	ipClass1  int
	ipClass2  int
	hnte      bool // holds a valid HNTE certificate

	yearsInNiche int     // 0 unless the industry bureau evaluated the firm
	srdiScore    float64 // 0 unless the industry bureau evaluated the firm

	generalTaxpayer bool
	vatShare        float64 // VAT sales / revenue
	vatBase         float64 // VAT credit at 2019-03-31, yuan
	vatRecorded     bool    // a general taxpayer with monthly VAT facts
	creditGrade     int     // index into creditGrades
	data            coverage
}

// yearFigures are a firm's figures for one calendar year.
type yearFigures struct {
	year      int
	fraction  float64 // share of the year the firm existed; 0 before it was registered
	revenue   float64 // yuan, for the part of the year it existed
	employees int
	assets    float64
	margin    float64 // pre-tax profit / revenue
	debtRatio float64
}

func (y *yearFigures) exists() bool { return y.fraction > 0 }

// coverage says which departments hold data on the firm. A real registry
// has gaps: firms outside the statistics survey, firms the science bureau
// never met, tax data not yet shared. The gaps make some policy results
// undetermined, as they are in the field.
type coverage struct {
	stats, tax, science, hr, industry bool
}

// newFirm draws the traits of a firm.
func (g *Generator) newFirm(s *stream) *firm {
	sec := &sectors[s.weighted(sectorWeights)]
	f := &firm{s: s, sector: sec, industryCode: sec.classes[s.intn(len(sec.classes))]}

	// Registration: ages up to 25 years, more of them recent (a zone keeps
	// attracting start-ups): age = 25·u^1.5 puts the median near 9 years
	// and one firm in nine under a year old.
	ageDays := int(25 * 365.25 * math.Pow(s.float(), 1.5))
	f.registered = g.on.AddDate(0, 0, -max(ageDays, 20))

	// Scale: log-normal, so most firms are small and a few very large.
	scale := sec.revenue * s.logNormal(1, 1.5)
	trend := 0.05 + 0.1*s.normal()
	productivity := sec.revenuePerHead * s.logNormal(1, 0.45)
	turnover := sec.assetTurnover * s.logNormal(1, 0.4)
	margin := sec.margin + 0.07*s.normal()
	debt := clamp(0.45+0.2*s.normal(), 0.03, 1.4)
	for k := range f.years {
		y := g.lastYear - 2 + k
		fy := &f.years[k]
		fy.year = y
		fy.fraction = f.yearFraction(y)
		if !fy.exists() {
			continue
		}
		age := f.ageYears(time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))
		ramp := clamp(1-math.Exp(-(age+0.3)/2.5), 0.08, 1)
		level := scale * ramp * math.Exp(trend*float64(y-g.lastYear)) * s.logNormal(1, 0.12)
		fy.revenue = level * fy.fraction
		// Headcount ramps up faster than sales: a young firm has staff first.
		fy.employees = int(math.Max(1, math.Round(scale*math.Sqrt(ramp)*math.Exp(trend*float64(y-g.lastYear))/productivity*s.logNormal(1, 0.08))))
		fy.employees = min(fy.employees, 30000)
		fy.assets = level / turnover * s.logNormal(1, 0.05)
		fy.margin = margin + 0.03*s.normal()
		if age < 3 { // start-ups lose money before they earn it
			fy.margin -= 0.12 * (3 - age) / 3
		}
		fy.debtRatio = math.Max(0.01, debt+0.03*s.normal())
	}

	f.drawRD(s)
	last := f.last()
	// Above 500万 of sales a firm must register as a general taxpayer;
	// many smaller ones choose to, to issue special VAT invoices.
	f.generalTaxpayer = last.revenue > 5e6 || s.chance(0.35)
	f.vatShare = s.uniform(0.85, 1)
	f.creditGrade = s.weighted(creditGradeWeights)
	f.data = coverage{
		stats:    s.chance(0.95),
		tax:      s.chance(0.97),
		science:  f.rdActive && s.chance(0.95) || !f.rdActive && s.chance(0.35),
		hr:       s.chance(0.9),
		industry: f.rdActive && s.chance(0.55),
	}
	return f
}

// yearFraction is the share of year y during which the firm existed.
func (f *firm) yearFraction(y int) float64 {
	switch ry := f.registered.Year(); {
	case ry < y:
		return 1
	case ry > y:
		return 0
	}
	end := time.Date(f.registered.Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Date(f.registered.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	return end.Sub(f.registered).Hours() / end.Sub(start).Hours()
}

// last returns the figures of the last fiscal year.
func (f *firm) last() *yearFigures { return &f.years[2] }

// fiscal returns the figures of the three fiscal years, oldest first.
func (f *firm) fiscal() []yearFigures { return f.years[:3] }

// incorporated reports whether the firm is a joint-stock company (股份有限公司):
// the large ones and those preparing a listing.
func (f *firm) incorporated() bool {
	return f.last().revenue > 3e8
}

// ageYears is the firm's age on date t.
func (f *firm) ageYears(t time.Time) float64 {
	return t.Sub(f.registered).Hours() / 24 / 365.25
}

// hnteRDThreshold is the R&D-to-revenue ratio the HNTE rules ask of a firm
// with this revenue in its last fiscal year (国科发火〔2016〕32号 Art. 11).
func hnteRDThreshold(revenue float64) float64 {
	switch {
	case revenue <= 5e7:
		return 0.05
	case revenue <= 2e8:
		return 0.04
	}
	return 0.03
}

// drawRD draws the firm's research profile. A share of R&D-active firms sits
// just under the HNTE thresholds (R&D ratio, technical staff, high-tech
// revenue) so that the matching finds near misses, as it does in a real
// zone.
func (f *firm) drawRD(s *stream) {
	sec := f.sector
	f.rdActive = s.chance(sec.rdActive) && f.last().exists()
	techMedian := sec.techRatio * 0.6
	if f.rdActive {
		techMedian = sec.techRatio * 1.3
	}
	f.techRatio = clamp(s.logNormal(techMedian, 0.35), 0, 0.95)
	if !f.rdActive {
		f.ipClass2 = s.poisson(0.3)
		return
	}
	f.rdRatio = clamp(s.logNormal(sec.rdRatio, 0.5), 0.003, 0.8)
	if s.chance(0.08) {
		f.rdRatio = hnteRDThreshold(f.last().revenue) - s.uniform(0.0005, 0.008)
	}
	if s.chance(0.08) {
		f.techRatio = s.uniform(0.08, 0.0999)
	}
	size := math.Log10(1 + f.last().revenue/1e7)
	f.ipClass1 = s.poisson(0.4 + 1.6*size)
	f.ipClass2 = s.poisson(2 + 4*size)
	if s.chance(0.1) {
		f.ipClass1, f.ipClass2 = 0, 0
	}
	qualifies := f.rdRatio >= hnteRDThreshold(f.last().revenue) && f.techRatio >= 0.1 && f.ipClass1+f.ipClass2 > 0
	established := f.years[1].exists() // the certificate takes a year of accounts
	switch {
	case qualifies && established:
		f.hnte = s.chance(0.7)
	case established:
		// Certificates last three years: some holders have since slipped
		// below a threshold.
		f.hnte = s.chance(0.08)
	}
}

// creditGrades are the tax credit ratings (纳税信用等级), mostly A and B.
var (
	creditGrades       = []string{"A", "B", "M", "C", "D"}
	creditGradeWeights = []float64{40, 47, 6, 5, 2}
)
