package facts

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/cockroachdb/apd/v3"
)

// Type is the type of a dictionary field's values.
type Type uint8

// The value types of the data dictionary. Number, integer, money and ratio
// values are exact decimals: money is never a float.
const (
	Number Type = iota
	Integer
	Money
	Ratio
	Bool
	Enum
	Date
	Text
)

var typeNames = [...]string{Number: "number", Integer: "integer", Money: "money", Ratio: "ratio", Bool: "bool", Enum: "enum", Date: "date", Text: "text"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "type(" + strconv.Itoa(int(t)) + ")"
}

// Numeric reports whether values of t are decimals.
func (t Type) Numeric() bool { return t <= Ratio }

// ParseType parses a type name of the dictionary.
func ParseType(s string) (Type, error) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("unknown field type %q (want number, integer, money, ratio, bool, enum, date or text)", s)
}

// Value is one validated value of a field. Exactly one of Num, Bool and Text
// is meaningful, chosen by Type: decimals for the numeric types, Bool for
// bool, Text for enum, date (YYYY-MM-DD) and text.
type Value struct {
	Type Type
	Num  apd.Decimal
	Bool bool
	Text string
}

// String is the canonical text of the value, the form stored in the database
// and written by exports: decimals without exponent or trailing zeros beyond
// what was given, "true"/"false", and text as it is.
func (v Value) String() string {
	switch {
	case v.Type.Numeric():
		return v.Num.Text('f')
	case v.Type == Bool:
		return strconv.FormatBool(v.Bool)
	}
	return v.Text
}

// JSON returns the value as it appears in an enterprise record: a JSON number
// for decimals, a boolean, or a string.
func (v Value) JSON() any {
	switch {
	case v.Type.Numeric():
		return json.Number(v.Num.Text('f'))
	case v.Type == Bool:
		return v.Bool
	}
	return v.Text
}

// Float returns a numeric value as float64, for screening and charts only:
// decisions on money and thresholds are settled on the decimal.
func (v Value) Float() float64 {
	f, _ := v.Num.Float64()
	return f
}

// Decimal returns a numeric value as a decimal.
func Decimal(s string) (apd.Decimal, error) {
	var d apd.Decimal
	_, _, err := d.SetString(s)
	if err != nil || d.Form != apd.Finite {
		return d, fmt.Errorf("%q is not a decimal number", shortText(s))
	}
	return d, nil
}

// The dates a date field takes: from 1900, as periods (ParsePeriod), to the
// end of the century, so that a typo (0000-…) or a placeholder (9999-12-31)
// is a problem of its row, not a value that every reader has to doubt.
var (
	earliestDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	latestDate   = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// ParseDate parses a calendar date written YYYY-MM-DD, from 1900-01-01 to
// 2099-12-31.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	if t.Before(earliestDate) || t.After(latestDate) {
		return time.Time{}, fmt.Errorf("%s is not a plausible date (want one from %s to %s)", s,
			earliestDate.Format(time.DateOnly), latestDate.Format(time.DateOnly))
	}
	return t, nil
}
