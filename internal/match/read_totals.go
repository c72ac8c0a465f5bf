package match

import (
	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// BenefitTotals add eligible amounts like to like (policy.BenefitKind):
// money paid (cash), tax not paid (tax saving), amounts deducted from
// taxable income (deduction, worth their tax value), and the estimated
// worth of qualifications, which is not money granted. Amounts are yuan
// with two decimals.
type BenefitTotals struct {
	Cash          string `json:"cash"`
	TaxSaving     string `json:"tax_saving"`
	Deduction     string `json:"deduction"`     // the deduction base
	DeductionTax  string `json:"deduction_tax"` // what the deductions are worth in tax
	Qualification string `json:"qualification"` // estimated, not granted
	Total         string `json:"total"`         // cash + tax saving + the deductions' tax value
	Unvalued      int    `json:"unvalued"`      // eligible deductions whose tax value could not be settled
}

func zeroTotals() BenefitTotals {
	z := money.Fen(0).String()
	return BenefitTotals{Cash: z, TaxSaving: z, Deduction: z, DeductionTax: z, Qualification: z, Total: z}
}

// fenOf reads an amount as fen; a result's amounts are rounded to the fen
// already, so nothing rounds again here.
func moneyFen(m *policy.Money) money.Fen {
	if m == nil {
		return 0
	}
	f, err := money.RoundText(m.String())
	if err != nil {
		return 0
	}
	return f
}

// benefitSum accumulates BenefitTotals.
type benefitSum struct {
	cash, tax, deduction, deductionTax, qualification money.Fen
	unvalued                                          int
}

func (s *benefitSum) add(kind policy.BenefitKind, amount money.Fen, taxValue *money.Fen) {
	switch kind {
	case policy.TaxSaving:
		s.tax += amount
	case policy.Deduction:
		s.deduction += amount
		if taxValue != nil {
			s.deductionTax += *taxValue
		} else if amount != 0 {
			s.unvalued++
		}
	case policy.Qualification:
		s.qualification += amount
	default:
		// A policy that does not say is cash: what the shipped policies
		// without a kind pay.
		s.cash += amount
	}
}

func (s *benefitSum) totals() BenefitTotals {
	return BenefitTotals{Cash: s.cash.String(), TaxSaving: s.tax.String(), Deduction: s.deduction.String(),
		DeductionTax: s.deductionTax.String(), Qualification: s.qualification.String(),
		Total: (s.cash + s.tax + s.deductionTax).String(), Unvalued: s.unvalued}
}

// totalsOf adds an enterprise's eligible results.
func totalsOf(results []policy.Result) BenefitTotals {
	var s benefitSum
	for _, r := range results {
		if r.Status != policy.Eligible || r.Amount == nil {
			continue
		}
		var tv *money.Fen
		if r.TaxValue != nil {
			f := moneyFen(r.TaxValue)
			tv = &f
		}
		s.add(r.Benefit, moneyFen(r.Amount), tv)
	}
	return s.totals()
}
