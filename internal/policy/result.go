package policy

import (
	"github.com/cockroachdb/apd/v3"
)

// Status is the outcome of evaluating one enterprise against one policy.
type Status string

// The statuses. A missing fact never counts as zero: it makes a criterion
// unknown, and the result undetermined unless another criterion fails.
const (
	Eligible     Status = "eligible"
	Ineligible   Status = "ineligible"
	Undetermined Status = "undetermined"
)

// CriterionStatus is the outcome of one criterion.
type CriterionStatus string

// The criterion statuses.
const (
	Pass          CriterionStatus = "pass"
	Fail          CriterionStatus = "fail"
	Unknown       CriterionStatus = "unknown"
	NotApplicable CriterionStatus = "not_applicable"
)

// Result is the evaluation of one enterprise against one policy, with its
// explanation. Its JSON is the output of `parkdesk policy eval` (the
// brief's data contract) and what matching stores.
type Result struct {
	Enterprise string `json:"enterprise"`
	Policy     string `json:"policy"`
	Version    string `json:"version"`
	Status     Status `json:"status"`
	// InForce is false when the policy is not in force on the evaluation
	// date: the result is then ineligible by its in_force criterion alone,
	// and its explanation says when the policy is (or was) in force.
	InForce bool `json:"in_force"`
	// FilingPeriod and TaxMonth (YYYY-MM) are set for a regime dated by
	// filing period (纳税申报期, on's month); its monthly facts are those of
	// the tax month (税款所属期), the month before.
	FilingPeriod string            `json:"filing_period,omitempty"`
	TaxMonth     string            `json:"tax_month,omitempty"`
	Amount       *Money            `json:"amount"`
	Missing      []string          `json:"missing"`
	Criteria     []CriterionResult `json:"criteria"`
	Values       []Read            `json:"values,omitempty"`
	NearMiss     *NearMiss         `json:"near_miss,omitempty"`
	// Notes are the policy's notes whose condition held: what a reader
	// must know to read the result right (a fallback taken, a part not yet
	// open). The explanations include them.
	Notes []Texts `json:"notes,omitempty"`
	Mode  Mode    `json:"mode"`
	// Benefit is the kind of the amount (cash, tax_saving, deduction,
	// qualification): totals add like to like.
	Benefit BenefitKind `json:"benefit"`
	// TaxRate (a ratio, "0.25") and TaxValue are set for an eligible
	// deduction: the income tax rate that applies to the enterprise and the
	// amount × that rate, rounded half-up to the fen once — what the
	// deduction is worth in tax.
	TaxRate       string `json:"tax_rate,omitempty"`
	TaxValue      *Money `json:"tax_value,omitempty"`
	Verified      bool   `json:"verified"`
	Explanation   string `json:"explanation"`
	ExplanationZh string `json:"explanation_zh"`
}

// CriterionResult explains one criterion: what was read, what it was
// compared with, and the outcome. Value, Threshold and Gap are set for
// numeric comparisons; Gap is how far a failing value is from passing, in
// the criterion's unit (a percent gap in percentage points, as a ratio).
type CriterionResult struct {
	ID            string          `json:"id"`
	Label         string          `json:"label"`
	LabelZh       string          `json:"label_zh"`
	Status        CriterionStatus `json:"status"`
	Value         string          `json:"value,omitempty"`
	Op            string          `json:"op,omitempty"`
	Threshold     string          `json:"threshold,omitempty"`
	Gap           string          `json:"gap,omitempty"`
	Unit          Unit            `json:"unit,omitempty"`
	Read          []Read          `json:"read"`
	Missing       []string        `json:"missing,omitempty"`
	Error         string          `json:"error,omitempty"`
	Explanation   string          `json:"explanation"`
	ExplanationZh string          `json:"explanation_zh"`
}

// Read is one value an evaluation used: a fact with its period, or a
// parameter or derived value of the policy. A missing fact is listed with
// Missing set and no value.
type Read struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"` // fact, parameter, derived
	Period  string `json:"period,omitempty"`
	Value   string `json:"value,omitempty"`
	Missing bool   `json:"missing,omitempty"`
	Note    string `json:"note,omitempty"`
	NoteZh  string `json:"note_zh,omitempty"`
}

// NearMiss is a failing numeric criterion close to its threshold while every
// other criterion passes or is unknown: what the enterprise would need to
// change to qualify.
type NearMiss struct {
	Criterion string `json:"criterion"`
	Value     string `json:"value"`
	Threshold string `json:"threshold"`
	Gap       string `json:"gap"`
	Unit      Unit   `json:"unit"`
	Money     *Money `json:"money,omitempty"`
	// Worth is what the benefit would be once the criterion is met: the
	// policy's amount on the same facts (none when it has no amount, or
	// the amount is not positive or cannot be computed).
	Worth         *Money `json:"worth,omitempty"`
	Explanation   string `json:"explanation"`
	ExplanationZh string `json:"explanation_zh"`
}

// Money is an amount in yuan, written in JSON as a string with two
// decimals ("1760000.00").
type Money struct {
	apd.Decimal
}

// MarshalJSON writes the amount as a decimal string.
func (m *Money) MarshalJSON() ([]byte, error) {
	return []byte(`"` + m.String() + `"`), nil
}

// String is the amount with two decimals.
func (m *Money) String() string {
	r := roundToFen(&m.Decimal)
	if r == nil {
		return m.Text('f')
	}
	return r.Text('f')
}
