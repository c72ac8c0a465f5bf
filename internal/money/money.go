// Package money is the one home of amounts of money in parkdesk: the
// type Fen (a whole number of fen, 0.01 yuan), reading amounts exactly,
// rounding a computed amount half-up to the fen — once, at the end of a
// computation — summing stored amounts exactly in SQL on both databases,
// and writing amounts as people read them (176万元, 1.34亿元, ¥1.76M).
//
// Amounts are stored as decimal text with exactly two decimals
// ("1760000.00"), which is what String writes. Computations over
// decimals (the policy engine's, in apd) end with Round; everything after
// that — totals, sorting, display — is integer arithmetic on Fen, so that
// no sum or comparison rounds through a binary float.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Fen is an amount of money in fen (分, 0.01 yuan). An int64 holds about
// 92 quadrillion yuan, far beyond any amount a park or a province sees.
type Fen int64

// MaxYuanDigits bounds the integer digits of yuan Parse and Round accept:
// 16 digits keep every amount, and the sum of a few hundred of them,
// inside an int64 of fen.
const MaxYuanDigits = 16

// ErrRange is the error for an amount with more than MaxYuanDigits digits
// of yuan, or one that is not a finite number.
var ErrRange = errors.New("money: the amount is out of range")

// Yuan is a whole number of yuan as Fen.
func Yuan(n int64) Fen { return Fen(n * 100) }

// Parse reads an amount in yuan exactly: an optional minus sign, digits,
// and at most two decimals ("1760000", "-12.5", "1760000.00"). Grouping
// separators, a plus sign, exponents and a third decimal are refused: an
// amount that does not say the fen exactly is a mistake to report, not to
// round. Use Round for amounts computed with more precision.
func Parse(s string) (Fen, error) {
	text := s
	neg := strings.HasPrefix(text, "-")
	if neg {
		text = text[1:]
	}
	whole, frac, hasDot := strings.Cut(text, ".")
	switch {
	case whole == "" || hasDot && frac == "" || len(frac) > 2 || !digits(whole) || !digits(frac):
		return 0, fmt.Errorf("money: %q is not an amount in yuan with at most two decimals", s)
	case len(strings.TrimLeft(whole, "0")) > MaxYuanDigits:
		return 0, fmt.Errorf("money: %q: %w", s, ErrRange)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("money: %q: %w", s, ErrRange)
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	v := w*100 + f
	if neg {
		v = -v
	}
	return Fen(v), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// roundContext has room for MaxYuanDigits digits of yuan, the two of the
// fen, and a margin; its precision only matters for the quantize to fit.
var roundContext = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(MaxYuanDigits + 8)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// Round rounds an amount in yuan half-up to the fen (half away from zero:
// 0.005 → 0.01, -0.005 → -0.01). It is the one rounding of money: a
// computation keeps every digit until its end and rounds there, once.
func Round(d *apd.Decimal) (Fen, error) {
	if d == nil || d.Form != apd.Finite {
		return 0, ErrRange
	}
	if d.NumDigits()+int64(d.Exponent) > MaxYuanDigits {
		return 0, ErrRange
	}
	var r apd.Decimal
	if _, err := roundContext.Quantize(&r, d, -2); err != nil {
		return 0, ErrRange
	}
	r.Exponent = 0 // the coefficient is now the number of fen
	n, err := r.Int64()
	if err != nil {
		return 0, ErrRange
	}
	return Fen(n), nil
}

// RoundText is Round of decimal text ("1234.5678"), for amounts that
// arrive as text with more than two decimals.
func RoundText(s string) (Fen, error) {
	var d apd.Decimal
	if _, _, err := d.SetString(strings.TrimSpace(s)); err != nil {
		return 0, fmt.Errorf("money: %q is not a number", s)
	}
	return Round(&d)
}

// String writes the amount in yuan with exactly two decimals, as amounts
// are stored: "1760000.00", "-0.05".
func (f Fen) String() string {
	v := int64(f)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
}

// Decimal is the amount in yuan as an exact decimal, for computations
// that go on in apd.
func (f Fen) Decimal() *apd.Decimal { return apd.New(int64(f), -2) }

// Yuan is the amount as a float of yuan, for the axes of charts only:
// never for a sum, a comparison or a figure people read.
func (f Fen) Yuan() float64 { return float64(f) / 100 }

// Grouped writes the amount with thousands separators and two decimals:
// "1,760,000.00".
func (f Fen) Grouped() string {
	s := f.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	return sign + group(whole) + "." + frac
}

// group puts a comma between every three digits of a run of digits.
func group(whole string) string {
	if len(whole) <= 3 {
		return whole
	}
	var b strings.Builder
	lead := len(whole) % 3
	b.WriteString(whole[:lead])
	for i := lead; i < len(whole); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(whole[i : i+3])
	}
	return b.String()
}

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}
