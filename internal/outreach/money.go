package outreach

import (
	"strconv"
	"strings"
)

// Fen is an amount of money in fen (0.01 yuan). Amounts are stored as
// decimal text with two decimals; summing them as whole fen keeps reports
// exact without a decimal library, and an int64 holds 92 quadrillion yuan.
type Fen int64

// maxFenDigits bounds the integer part read, far below int64's limit.
const maxFenDigits = 16

// ParseFen reads a non-negative yuan amount with at most two decimals
// ("1760000", "1760000.5", "1760000.00"). Thousands separators, signs,
// exponents and more decimals are refused: an amount in a grant file that
// does not say the fen exactly is a mistake to report, not to round.
func ParseFen(s string) (Fen, bool) {
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > maxFenDigits || len(frac) > 2 || hasDot && frac == "" {
		return 0, false
	}
	if !digits(whole) || !digits(frac) {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
		if len(frac) == 1 {
			f *= 10
		}
	}
	return Fen(w*100 + f), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String is the amount in yuan with two decimals, as stored: "1760000.00".
func (f Fen) String() string {
	sign := ""
	v := int64(f)
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + twoDigits(v%100)
}

// Grouped is the amount with thousands separators: "1,760,000.00".
func (f Fen) Grouped() string {
	s := f.String()
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String() + "." + frac
}

// Yuan is the amount as a float, for charts only.
func (f Fen) Yuan() float64 { return float64(f) / 100 }

func twoDigits(v int64) string {
	if v < 10 {
		return "0" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// canonicalAmount rewrites an amount to two decimals; "" stays "".
func canonicalAmount(s string) (string, bool) {
	if s == "" {
		return "", true
	}
	f, ok := ParseFen(s)
	if !ok {
		return "", false
	}
	return f.String(), true
}
