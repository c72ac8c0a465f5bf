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

// Mode is how an enterprise gets the benefit.
type Mode string

// The modes: granted without application (免申即享), or applied for.
const (
	Automatic Mode = "automatic"
	Apply     Mode = "apply"
)

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
)

var units = []Unit{UnitNumber, UnitYuan, UnitPercent, UnitPeople, UnitItems, UnitPoints, UnitMonths, UnitYears}

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
