package demo

import (
	"math"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// stockRefundsFrom is when the stock credit refunds of 2022年第14号 began to
// be paid; a park seen before then has no firm that received one.
var stockRefundsFrom = time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)

// timelessFacts writes the facts that describe the firm as of the date the
// park is seen from: taxpayer type and compliance (tax), size class
// (statistics), intellectual property and certificates (science), the
// dishonesty list (market regulation), unemployment insurance months (human
// resources) and the SRDI evaluation (industry).
func (g *Generator) timelessFacts(f *firm, w writer) {
	s := f.s
	last := f.last()
	if s.chance(0.01) { // a list-style flag: recorded only when true
		w.scalar("restricted_industry", boolean(true))
	}
	if f.data.stats && last.exists() && s.chance(0.85) {
		if size, ok := sizeClass(f.industryCode, last); ok {
			w.scalar("enterprise_size", enum(string(size)))
		}
	}
	if f.data.tax {
		if s.chance(0.98) {
			taxpayer := "small_scale"
			if f.generalTaxpayer {
				taxpayer = "general"
			}
			w.scalar("vat_taxpayer_type", enum(taxpayer))
		}
		badRecord := creditGrades[f.creditGrade] == "D"
		w.scalar("fraud_refund_or_false_invoice_36m", boolean(s.chance(0.003) || badRecord && s.chance(0.15)))
		penalties := 0
		switch x := s.float(); {
		case badRecord && x < 0.4, x < 0.006:
			penalties = s.between(2, 3)
		case x < 0.03:
			penalties = 1
		}
		w.scalar("tax_evasion_penalties_36m", integer(penalties))
		// Software firms take the immediate refund of VAT above 3% on
		// their software products (即征即退), which bars the credit refund.
		immediate := f.generalTaxpayer && s.chance(0.02)
		if f.generalTaxpayer && strings.HasPrefix(f.industryCode, "I65") {
			immediate = s.chance(0.25)
		}
		w.scalar("immediate_refund_since_2019_04", boolean(immediate))
	}
	if f.vatRecorded && s.chance(0.97) {
		w.scalar("vat_credit_2019_03", money(f.vatBase))
		w.scalar("stock_refund_received", boolean(f.vatBase > 0 && !g.on.Before(stockRefundsFrom) && s.chance(0.65)))
	}
	// Certificates are published, so every holder's is on file, even when
	// the science bureau holds nothing else on the firm.
	if f.data.science || f.hnte {
		w.scalar("hnte_certified", boolean(f.hnte))
	}
	if f.data.science {
		w.scalar("ip_class1_count", integer(f.ipClass1))
		w.scalar("ip_class2_count", integer(f.ipClass2))
		provincial := f.rdActive && s.chance(0.04) || f.rdActive && last.revenue >= 2e7 && s.chance(0.22)
		w.scalar("provincial_rd_institution", boolean(provincial))
		// The score comes from the science bureau's evaluation, which not
		// every firm has been through: some HNTE candidates stay
		// undetermined on it.
		if s.chance(0.93) {
			score := 38 + 12*s.normal()
			if f.rdActive {
				score = 66 + 11*s.normal()
				if f.hnte {
					score += 8
				}
			}
			w.scalar("innovation_score", number(clamp(score, 0, 100)))
		}
	}
	if s.chance(0.99) { // the list is public; a few firms are not matched to it
		w.scalar("serious_dishonesty", boolean(s.chance(0.003) || creditGrades[f.creditGrade] == "D" && s.chance(0.1)))
	}
	if f.data.hr {
		months := int(f.ageYears(g.on)*12) - s.intn(3)
		w.scalar("ui_paid_months", integer(max(0, min(months, 360))))
	}
	if f.data.industry {
		f.yearsInNiche = max(0, min(int(f.ageYears(g.on)), s.between(1, 15)))
		score := 52 + 14*s.normal() + 6*math.Log10(1+last.revenue/1e7) + 40*f.rdRatio
		f.srdiScore = clamp(score, 0, 100)
		w.scalar("years_in_niche", integer(f.yearsInNiche))
		w.scalar("srdi_score", number(f.srdiScore))
		w.scalar("niche_market_share", ratio(clamp(s.logNormal(0.04, 1), 0.0005, 0.8)))
	}
}

// sizeClass classifies the firm by its last fiscal year (工信部联企业〔2011〕300号).
func sizeClass(industryCode string, y *yearFigures) (enterprise.Size, bool) {
	revenue, assets := money(y.revenue).Num, money(y.assets).Num
	staff := int64(y.employees)
	size, missing, err := enterprise.ClassifySize(industryCode, enterprise.SizeInputs{Revenue: &revenue, Assets: &assets, Employees: &staff})
	if err != nil || len(missing) > 0 {
		return "", false
	}
	return size, true
}
