package demo

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// The distribution tests look at one park of 5,000 enterprises, enough for
// shares to settle within a point or two of their design. It is generated
// once and kept as a summary per enterprise rather than as records, which
// would take hundreds of megabytes.
const distributionSize = 5000

// lastFY is the last fiscal year of a park seen on testOn.
const lastFY = 2023

// summary is what the distribution tests read of an enterprise.
type summary struct {
	uscc            string
	industryCode    string
	tags            []string
	hnteCertified   bool
	revenue         float64 // last fiscal year; 0 with hasRevenue false when absent
	hasRevenue      bool
	employees       float64
	hasEmployees    bool
	established     bool   // has revenue for the year before the last
	rating          string // last fiscal year; "" when unrated
	rd              float64
	hasRD           bool
	hasInnovation   bool
	techStaff       float64
	hasTechStaff    bool
	rd3y, revenue3y float64 // sums over the three fiscal years
	hasThreeYearsRD bool
}

func summarize(r *facts.Record) summary {
	get := func(field string, y int) (float64, bool) {
		v, ok := r.Value(field, facts.Year(y))
		return v.Float(), ok
	}
	s := summary{uscc: r.USCC, industryCode: r.IndustryCode, tags: r.Tags}
	certified, _ := r.Value("hnte_certified", facts.Period{})
	s.hnteCertified = certified.Bool
	s.revenue, s.hasRevenue = get("revenue", lastFY)
	s.employees, s.hasEmployees = get("employees", lastFY)
	_, s.established = get("revenue", lastFY-1)
	if v, ok := r.Value("credit_rating", facts.Year(lastFY)); ok {
		s.rating = v.Text
	}
	s.rd, s.hasRD = get("rd_expense", lastFY)
	_, s.hasInnovation = r.Value("innovation_score", facts.Period{})
	s.techStaff, s.hasTechStaff = get("tech_staff", lastFY)
	s.hasThreeYearsRD = true
	for y := lastFY - 2; y <= lastFY; y++ {
		rd, ok1 := get("rd_expense", y)
		rev, ok2 := get("revenue", y)
		s.rd3y += rd
		s.revenue3y += rev
		s.hasThreeYearsRD = s.hasThreeYearsRD && ok1 && ok2
	}
	return s
}

var (
	distributionOnce sync.Once
	distribution     []summary
)

func distributionPark(t *testing.T) []summary {
	t.Helper()
	distributionOnce.Do(func() {
		err := Each(Options{Seed: 21, Enterprises: distributionSize, On: testOn}, func(e Enterprise) error {
			distribution = append(distribution, summarize(&e.Record))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	if len(distribution) != distributionSize {
		t.Fatal("the distribution park could not be generated")
	}
	return distribution
}

func quantile(sorted []float64, q float64) float64 {
	return sorted[int(q*float64(len(sorted)-1))]
}

func TestIndustryMix(t *testing.T) {
	park := distributionPark(t)
	prefix := func(ps ...string) func(string) bool {
		return func(code string) bool {
			return slices.ContainsFunc(ps, func(p string) bool { return strings.HasPrefix(code, p) })
		}
	}
	tests := []struct {
		name      string
		match     func(string) bool
		low, high float64
	}{
		{"manufacturing (C)", prefix("C"), 0.36, 0.44},
		{"software and IT (I63–I65)", prefix("I63", "I64", "I65"), 0.21, 0.29},
		{"scientific research and technical services (M)", prefix("M"), 0.09, 0.15},
		{"wholesale and retail (F)", prefix("F"), 0.07, 0.13},
		{"leasing and business services (L)", prefix("L"), 0.04, 0.09},
		{"real-estate development (K7010)", prefix("K7010"), 0.002, 0.02},
		{"construction (E)", prefix("E"), 0.01, 0.035},
		{"catering (H)", prefix("H"), 0.003, 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			for _, s := range park {
				if tt.match(s.industryCode) {
					n++
				}
			}
			if got := float64(n) / float64(len(park)); got < tt.low || got > tt.high {
				t.Errorf("share %.3f, want %.3f–%.3f", got, tt.low, tt.high)
			}
		})
	}
}

func TestRevenueIsHeavyTailedAndDrivesHeadcount(t *testing.T) {
	var firms []summary
	for _, s := range distributionPark(t) {
		if s.hasRevenue && s.hasEmployees {
			firms = append(firms, s)
		}
	}
	slices.SortFunc(firms, func(a, b summary) int {
		switch {
		case a.revenue < b.revenue:
			return -1
		case a.revenue > b.revenue:
			return 1
		}
		return 0
	})
	revenues := make([]float64, len(firms))
	for i, f := range firms {
		revenues[i] = f.revenue
	}
	median, p90, p99 := quantile(revenues, 0.5), quantile(revenues, 0.9), quantile(revenues, 0.99)
	if median < 3e6 || median > 1.5e7 {
		t.Errorf("median revenue %.0f yuan, want 300万–1500万", median)
	}
	if p90 < 5*median || p99 < 3*p90 {
		t.Errorf("revenue quantiles p50 %.0f, p90 %.0f, p99 %.0f: want a heavy tail (p90 ≥ 5×p50, p99 ≥ 3×p90)", median, p90, p99)
	}
	if top := revenues[len(revenues)-1]; top < 3e8 {
		t.Errorf("the largest firm has revenue %.0f, want some above 3亿", top)
	}
	medianStaff := func(fs []summary) float64 {
		staff := make([]float64, len(fs))
		for i, f := range fs {
			staff[i] = f.employees
		}
		slices.Sort(staff)
		return quantile(staff, 0.5)
	}
	bottom, top := medianStaff(firms[:len(firms)/2]), medianStaff(firms[len(firms)*9/10:])
	if top < 10*bottom {
		t.Errorf("median headcount %.0f in the top revenue decile, %.0f in the bottom half: want at least 10×", top, bottom)
	}
}

func TestCreditRatings(t *testing.T) {
	counts := map[string]int{}
	total, unrated := 0, 0
	for _, s := range distributionPark(t) {
		switch {
		case s.rating != "":
			counts[s.rating]++
			total++
		case s.established:
			unrated++
		}
	}
	share := func(grades ...string) float64 {
		n := 0
		for _, g := range grades {
			n += counts[g]
		}
		return float64(n) / float64(total)
	}
	if ab := share("A", "B"); ab < 0.7 {
		t.Errorf("A and B are %.3f of ratings, want most", ab)
	}
	if m := share("M"); m < 0.03 || m > 0.2 {
		t.Errorf("M is %.3f of ratings, want some", m)
	}
	if cd := share("C", "D"); cd < 0.02 || cd > 0.12 {
		t.Errorf("C and D are %.3f of ratings, want few", cd)
	}
	if unrated == 0 {
		t.Error("every established firm has a credit rating: want some gaps")
	}
}

func TestResearchProfiles(t *testing.T) {
	var rdFirms, nearMiss, passing, techNearMiss, withRD, withoutScore int
	ratiosBy := map[string][]float64{}
	for _, s := range distributionPark(t) {
		if s.hasRD {
			withRD++
			if !s.hasInnovation {
				withoutScore++
			}
			if s.hasRevenue && s.revenue > 0 {
				ratiosBy[s.industryCode[:1]] = append(ratiosBy[s.industryCode[:1]], s.rd/s.revenue)
			}
		}
		if s.hasThreeYearsRD && s.revenue3y > 0 {
			rdFirms++
			ratio, threshold := s.rd3y/s.revenue3y, hnteRDThreshold(s.revenue)
			switch {
			case ratio >= threshold:
				passing++
			case ratio >= threshold-0.01:
				nearMiss++
			}
		}
		if s.hasTechStaff && s.hasEmployees && s.employees >= 20 {
			if r := s.techStaff / s.employees; r >= 0.08 && r < 0.1 {
				techNearMiss++
			}
		}
	}
	if rdFirms == 0 {
		t.Fatal("no firm has three years of R&D and revenue")
	}
	if share := float64(nearMiss) / float64(rdFirms); share < 0.05 || share > 0.3 {
		t.Errorf("%d of %d R&D firms are within a point under the HNTE R&D threshold: want near misses, not most", nearMiss, rdFirms)
	}
	if share := float64(passing) / float64(rdFirms); share < 0.3 || share > 0.9 {
		t.Errorf("%d of %d R&D firms pass the HNTE R&D threshold", passing, rdFirms)
	}
	if techNearMiss == 0 {
		t.Error("no firm has 8–10% technical staff: want near misses on the 10% rule")
	}
	if share := float64(withoutScore) / float64(withRD); share < 0.03 || share > 0.12 {
		t.Errorf("%d of %d R&D firms lack innovation_score, want 5–10%%", withoutScore, withRD)
	}
	median := func(xs []float64) float64 { slices.Sort(xs); return quantile(xs, 0.5) }
	if software, manufacturing := median(ratiosBy["I"]), median(ratiosBy["C"]); software <= manufacturing {
		t.Errorf("median R&D ratio %.3f in software and IT, %.3f in manufacturing: want software higher", software, manufacturing)
	}
}

func TestTags(t *testing.T) {
	park := distributionPark(t)
	counts := map[string]int{}
	for _, s := range park {
		for _, tag := range s.tags {
			counts[tag]++
		}
		if slices.Contains(s.tags, TagHighTech) != s.hnteCertified {
			t.Fatalf("%s: tags %v but hnte_certified %v", s.uscc, s.tags, s.hnteCertified)
		}
	}
	known := map[string]bool{}
	for _, tag := range Tags() {
		known[tag.Code] = true
	}
	for tag, n := range counts {
		if !known[tag] {
			t.Errorf("tag %q is not in Tags()", tag)
		}
		if share := float64(n) / float64(len(park)); share > 0.4 {
			t.Errorf("%.2f of firms carry %s", share, tag)
		}
	}
	for _, tag := range Tags() {
		if counts[tag.Code] == 0 {
			t.Errorf("no firm carries %s", tag.Code)
		}
	}
}
