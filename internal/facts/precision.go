package facts

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
)

// The precision of numeric values. Every numeric field has a range of
// digits before the decimal point and of decimals after it, so that a value
// is a number people mean: "1e100000" would otherwise be stored as a
// number of 100,001 digits, and "1e400" would turn into an infinity where
// matching reads it as a float. A field may set its own (digits, decimals in
// the dictionary); these are the types' defaults.
var defaultPrecision = map[Type]struct{ digits, decimals int }{
	Money:   {15, 2},  // up to 999,999,999,999,999.99 yuan: 1000 万亿
	Integer: {15, 0},  // counts
	Number:  {15, 20}, // scores, averages: exact decimals as typed
	Ratio:   {15, 20}, // shares, ratios
}

// The limits of what a field may set for itself.
const (
	maxDigits   = 30
	maxDecimals = 20
	// maxNumberText bounds the text of a number before it is parsed: more
	// than any value within the limits above needs, with room for trailing
	// zeros, and little enough that parsing costs nothing.
	maxNumberText = 100
)

// Precision returns the most digits a value of the field may have before
// and after the decimal point.
func (f *Field) Precision() (digits, decimals int) {
	p := defaultPrecision[f.Type]
	digits, decimals = p.digits, p.decimals
	if f.Digits > 0 {
		digits = f.Digits
	}
	if f.Decimals != nil {
		decimals = *f.Decimals
	}
	return digits, decimals
}

// checkPrecision checks the field's own digits and decimals.
func (f *Field) checkPrecision() error {
	if f.Digits == 0 && f.Decimals == nil {
		return nil
	}
	if !f.Type.Numeric() {
		return fmt.Errorf("field %s: only numeric fields have digits or decimals", f.Name)
	}
	if f.Digits < 0 || f.Digits > maxDigits {
		return fmt.Errorf("field %s: digits must be from 1 to %d", f.Name, maxDigits)
	}
	if f.Decimals != nil {
		switch d := *f.Decimals; {
		case d < 0 || d > maxDecimals:
			return fmt.Errorf("field %s: decimals must be from 0 to %d", f.Name, maxDecimals)
		case f.Type == Integer && d != 0:
			return fmt.Errorf("field %s: an integer field has no decimals", f.Name)
		}
	}
	return nil
}

// checkNumber checks a parsed value against the field's precision and
// bounds, and writes it with at most the field's decimals and no exponent
// ("1e3" is 1000, "0e100000" is 0, "1.000" of money is 1.00). text is what
// was given, for the messages: the value itself may be too long to print.
func (f *Field) checkNumber(d *apd.Decimal, text string) error {
	digits, decimals := f.Precision()
	if !d.IsZero() {
		// Digits before the point: those of the coefficient, shifted by
		// the exponent. Counted before anything expands the number.
		if n := int64(d.NumDigits()) + int64(d.Exponent); n > int64(digits) {
			return fmt.Errorf("%s is too large: a %s value has at most %d digits before the decimal point", shortText(text), f.Type, digits)
		}
	}
	var reduced apd.Decimal
	reduced.Reduce(d) // without trailing zeros
	if places := -int64(reduced.Exponent); places > int64(decimals) {
		switch {
		case f.Type == Integer || decimals == 0:
			return fmt.Errorf("%s is not a whole number", shortText(text))
		case f.Type == Money && decimals == 2:
			return fmt.Errorf("%s has fractions of a fen (money has at most two decimals)", shortText(text))
		}
		return fmt.Errorf("%s has %d decimals: this field takes at most %d", shortText(text), places, decimals)
	}
	switch {
	case d.Exponent > 0:
		d.Set(&reduced)
		if _, err := apd.BaseContext.WithPrecision(maxDigits+maxDecimals).Quantize(d, d, 0); err != nil {
			return fmt.Errorf("%s: %w", shortText(text), err)
		}
	case -int64(d.Exponent) > int64(decimals):
		// Trailing zeros beyond the field's decimals.
		if _, err := apd.BaseContext.WithPrecision(maxDigits+maxDecimals).Quantize(d, d, -int32(decimals)); err != nil {
			return fmt.Errorf("%s: %w", shortText(text), err)
		}
	}
	if f.min != nil && d.Cmp(f.min) < 0 {
		return fmt.Errorf("%s is below the minimum %s", d.Text('f'), f.Min)
	}
	if f.max != nil && d.Cmp(f.max) > 0 {
		return fmt.Errorf("%s is above the maximum %s", d.Text('f'), f.Max)
	}
	return nil
}

// shortText cuts a long input for a message.
func shortText(s string) string {
	const n = 24
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "…"
}
