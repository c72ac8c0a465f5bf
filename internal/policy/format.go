package policy

import (
	"strconv"
	"strings"
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// Display rounding only: decisions and amounts are settled on the exact
// decimals before anything is formatted.

var displayContext = func() *apd.Context {
	c := apd.BaseContext.WithPrecision(precision + 10)
	c.Rounding = apd.RoundHalfUp
	return c
}()

// periodText is Period.String without fmt: explanations format many periods.
func periodText(p facts.Period) string {
	var b [7]byte
	y := p.Year
	year := [4]byte{byte('0' + y/1000%10), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10)}
	switch p.Shape {
	case facts.Annual:
		return string(year[:])
	case facts.Quarterly:
		copy(b[:], year[:])
		b[4], b[5] = 'Q', byte('0'+p.Sub)
		return string(b[:6])
	case facts.Monthly:
		copy(b[:], year[:])
		b[4], b[5], b[6] = '-', byte('0'+p.Sub/10), byte('0'+p.Sub%10)
		return string(b[:7])
	}
	return ""
}

// rounded returns d rounded half-up to the given decimal places, with more
// places (up to 6) when that would show a non-zero number as zero.
func rounded(d *apd.Decimal, places int32) *apd.Decimal {
	if d.Exponent >= -places {
		return d // nothing to round
	}
	for p := places; ; p++ {
		var r apd.Decimal
		if _, err := displayContext.Quantize(&r, d, -p); err != nil {
			return d
		}
		if !r.IsZero() || d.IsZero() || p >= 6 {
			return &r
		}
	}
}

// fixed is d rounded half-up and written with exactly places decimals.
func fixed(d *apd.Decimal, places int32) string {
	s := rounded(d, places).Text('f')
	intPart, frac, _ := strings.Cut(s, ".")
	if int32(len(frac)) >= places {
		return s
	}
	return intPart + "." + frac + strings.Repeat("0", int(places)-len(frac))
}

// trimmed is d with at most places decimals and no trailing zeros.
func trimmed(d *apd.Decimal, places int32) string {
	r := rounded(d, places)
	var out apd.Decimal
	out.Reduce(r)
	return out.Text('f')
}

// grouped writes a plain decimal text with thousands separators.
func grouped(text string) string {
	neg := strings.HasPrefix(text, "-")
	text = strings.TrimPrefix(text, "-")
	intPart, frac, hasFrac := strings.Cut(text, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func percentOf(d *apd.Decimal) *apd.Decimal {
	var p apd.Decimal
	arith.Mul(&p, d, apd.New(100, 0))
	return &p
}

// display formats a number in a unit for a sentence.
func display(d *apd.Decimal, unit Unit, lang string) string {
	zh := lang == "zh"
	switch unit {
	case UnitYuan:
		s := grouped(fixed(d, 2))
		if zh {
			return s + "元"
		}
		return s + " yuan"
	case UnitPercent:
		return fixed(percentOf(d), 2) + "%"
	}
	s := grouped(trimmed(d, 2))
	return s + unitSuffix(unit, s == "1", zh)
}

// displayGap formats the distance to a threshold: percentage points for
// ratios, the unit otherwise.
func displayGap(d *apd.Decimal, unit Unit, lang string) string {
	if unit == UnitPercent {
		s := fixed(percentOf(d), 2)
		if lang == "zh" {
			return s + "个百分点"
		}
		return s + " points"
	}
	return display(d, unit, lang)
}

// aboutYuan formats money for "about 120,000 yuan": whole yuan.
func aboutYuan(d *apd.Decimal, lang string) string {
	places := int32(0)
	if d.Cmp(apd.New(100, 0)) < 0 {
		places = 2 // a small gap would show as "about 0 yuan"
	}
	s := grouped(rounded(d, places).Text('f'))
	if lang == "zh" {
		return s + "元"
	}
	return s + " yuan"
}

func unitSuffix(u Unit, one, zh bool) string {
	if zh {
		switch u {
		case UnitPeople:
			return "人"
		case UnitItems:
			return "件"
		case UnitPoints:
			return "分"
		case UnitMonths:
			return "个月"
		case UnitYears:
			return "年"
		case UnitDays:
			return "天"
		}
		return ""
	}
	var s string
	switch u {
	case UnitPeople:
		s = " people"
		if one {
			s = " person"
		}
		return s
	case UnitItems:
		s = " items"
	case UnitPoints:
		s = " points"
	case UnitMonths:
		s = " months"
	case UnitYears:
		s = " years"
	case UnitDays:
		s = " days"
	default:
		return ""
	}
	if one {
		s = strings.TrimSuffix(s, "s")
	}
	return s
}

// canonical is the text of a value in results: decimals exactly as read
// (computed ones to at most 10 decimals), dates as YYYY-MM-DD.
func canonical(v ref.Val) string {
	switch x := v.(type) {
	case nil:
		return ""
	case *decimalVal:
		if x.d.Exponent < -10 {
			return trimmed(&x.d, 10)
		}
		return x.d.Text('f')
	case types.String:
		return string(x)
	case types.Bool:
		if x {
			return "true"
		}
		return "false"
	case types.Int:
		return strconv.FormatInt(int64(x), 10)
	case types.Timestamp:
		return x.Time.Format(time.DateOnly)
	case industryVal:
		return x.code
	case traits.Lister:
		var parts []string
		for it := x.Iterator(); it.HasNext() == types.True; {
			parts = append(parts, canonical(it.Next()))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *types.Unknown:
		return ""
	case *types.Err:
		return ""
	}
	return ""
}

func decimalText(d *apd.Decimal) string {
	if d == nil {
		return ""
	}
	if d.Exponent < -10 {
		return trimmed(d, 10)
	}
	return d.Text('f')
}
