package policy

import (
	"strings"
	"time"
)

// Texts is a text in Chinese and English.
type Texts struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns the text in the language ("zh…" for Chinese, anything else English).
func (t Texts) In(lang string) string {
	if strings.HasPrefix(lang, "zh") {
		return t.Zh
	}
	return t.En
}

// Document is an issuing document of a policy: its number (文号), title and
// a link where one is known.
type Document struct {
	Number string `json:"number"`
	Title  string `json:"title,omitempty"`
	URL    string `json:"url,omitempty"`
	Note   string `json:"note,omitempty"`
}

// Mode is how an enterprise gets the benefit: the claim mode.
type Mode string

// The modes.
const (
	// Automatic (免申即享): the department grants it without any step of
	// the enterprise.
	Automatic Mode = "automatic"
	// Confirm (免申即享, confirmed): the department grants it once the
	// enterprise confirms (its intention, its account).
	Confirm Mode = "confirm"
	// Apply: the enterprise applies, with the materials listed.
	Apply Mode = "apply"
	// SelfDeclare (自行申报享受): the enterprise claims it itself in its
	// tax filing; nobody grants it.
	SelfDeclare Mode = "self_declare"
)

var modes = []Mode{Automatic, Confirm, Apply, SelfDeclare}

// EnterpriseActs reports whether the enterprise must act to get the
// benefit (apply, or claim it in its filing) rather than confirm or wait.
func (m Mode) EnterpriseActs() bool { return m == Apply || m == SelfDeclare }

// OfferMode is how an offer of the benefit in a benefit package is
// answered: Automatic (the enterprise confirms it wants it) for automatic
// and confirm, Apply (the enterprise reports it applied or claimed it) for
// apply and self_declare.
func (m Mode) OfferMode() Mode {
	if m.EnterpriseActs() {
		return Apply
	}
	return Automatic
}

// BenefitKind is what a policy's amount is, so that totals add like to
// like: money received, tax not paid, a deduction from taxable income, or a
// qualification.
type BenefitKind string

// The benefit kinds.
const (
	// Cash is money paid to the enterprise: a refund or a grant.
	Cash BenefitKind = "cash"
	// TaxSaving is tax the enterprise does not pay; the amount is the tax
	// saved.
	TaxSaving BenefitKind = "tax_saving"
	// Deduction is an amount deducted from taxable income (a deduction
	// base); it is worth the amount × the applicable tax rate (TaxValue).
	Deduction BenefitKind = "deduction"
	// Qualification is a status (a certification, a listing) that opens
	// other benefits; an amount, where given, estimates its yearly worth
	// and is not money granted.
	Qualification BenefitKind = "qualification"
)

var benefitKinds = []BenefitKind{Cash, TaxSaving, Deduction, Qualification}

// Benefit says what kind of benefit a policy gives.
type Benefit struct {
	Kind BenefitKind `json:"kind"`
	// TaxRateLabel says how the rate a deduction is valued at is chosen
	// (deductions only).
	TaxRateLabel Texts `json:"tax_rate_label,omitempty"`
}

// Claim says how, where and by when an enterprise gets the benefit.
type Claim struct {
	Mode  Mode  `json:"mode"`
	Where Texts `json:"where"` // e.g. 电子税务局, the annual CIT filing
	By    Texts `json:"by"`    // e.g. within the monthly VAT filing period
}

// Unit says how a criterion's or a value's numbers are shown, and in what a
// gap is measured.
type Unit string

// The units. A percent value is a ratio (0.05) shown as 5.00%, its gaps in
// percentage points.
const (
	UnitNumber  Unit = "number"
	UnitYuan    Unit = "yuan"
	UnitPercent Unit = "percent"
	UnitPeople  Unit = "people"
	UnitItems   Unit = "items"
	UnitPoints  Unit = "points"
	UnitMonths  Unit = "months"
	UnitYears   Unit = "years"
	UnitDays    Unit = "days"
)

var units = []Unit{UnitNumber, UnitYuan, UnitPercent, UnitPeople, UnitItems, UnitPoints, UnitMonths, UnitYears, UnitDays}

// inForce is when a policy applies: a date range checked against the
// evaluation date, or against the filing period (纳税申报期, the evaluation
// date's month) for the monthly VAT regimes, which date their regimes so
// ("自2022年4月纳税申报期起") and read the facts of the tax month before it.
type inForce struct {
	from, to       time.Time // to is zero when open-ended; inclusive
	byFilingPeriod bool
}

// unverifiedNote says what of a policy could not be checked against the
// official text, and from when it matters (zero: always).
type unverifiedNote struct {
	from time.Time
	text Texts
}
