package i18n

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Money writes an amount in yuan given as decimal text ("1760000.00"), as
// people of the language read amounts at a glance: 176万元, 1.23亿元,
// 8,500元 in Chinese; ¥1.76M, ¥8,500 in English. The exact amount is
// MoneyExact; pages show it as the title of the rounded one. Text that is
// not a decimal is returned as it is, and "" gives "–".
func (l *Localizer) Money(amount string) string {
	d, ok := parseDecimal(amount)
	if !ok {
		return dashIfEmpty(amount)
	}
	neg := d.Negative
	d.Negative = false
	var out string
	if l.lang == Chinese {
		switch {
		case d.Cmp(yi) >= 0:
			out = grouped(divRound(d, yi, 2)) + "亿元"
		case d.Cmp(wan) >= 0:
			out = grouped(divRound(d, wan, 2)) + "万元"
		default:
			out = grouped(divRound(d, one, 2)) + "元"
		}
	} else {
		switch {
		case d.Cmp(billion) >= 0:
			out = "¥" + grouped(divRound(d, billion, 2)) + "B"
		case d.Cmp(million) >= 0:
			out = "¥" + grouped(divRound(d, million, 2)) + "M"
		default:
			out = "¥" + grouped(divRound(d, one, 2))
		}
	}
	if neg && out != "" {
		out = "−" + out
	}
	return out
}

// MoneyExact writes an amount to the fen with digit grouping:
// 1,760,000.00元 or ¥1,760,000.00.
func (l *Localizer) MoneyExact(amount string) string {
	d, ok := parseDecimal(amount)
	if !ok {
		return dashIfEmpty(amount)
	}
	neg := d.Negative
	d.Negative = false
	text := grouped(fixed(d, 2))
	if l.lang == Chinese {
		text += "元"
	} else {
		text = "¥" + text
	}
	if neg {
		text = "−" + text
	}
	return text
}

// Decimal writes decimal text with digit grouping, as given otherwise:
// "1234567.5" → 1,234,567.5.
func (l *Localizer) Decimal(text string) string {
	d, ok := parseDecimal(text)
	if !ok {
		return dashIfEmpty(text)
	}
	neg := d.Negative
	d.Negative = false
	out := grouped(d.Text('f'))
	if neg {
		out = "−" + out
	}
	return out
}

// Ratio writes a ratio given as decimal text (0.046) as a percentage with
// two decimals: 4.60%.
func (l *Localizer) Ratio(text string) string {
	d, ok := parseDecimal(text)
	if !ok {
		return dashIfEmpty(text)
	}
	var pct apd.Decimal
	if _, err := apd.BaseContext.WithPrecision(40).Mul(&pct, d, hundred); err != nil {
		return text
	}
	return fixed(&pct, 2) + "%"
}

var (
	one     = apd.New(1, 0)
	hundred = apd.New(1, 2)
	wan     = apd.New(1, 4)
	million = apd.New(1, 6)
	yi      = apd.New(1, 8)
	billion = apd.New(1, 9)
)

func dashIfEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func parseDecimal(s string) (*apd.Decimal, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, false
	}
	d, _, err := apd.NewFromString(s)
	if err != nil || d.Form != apd.Finite {
		return nil, false
	}
	return d, true
}

// divRound divides d by unit and rounds half up to at most places
// decimals, dropping trailing zeros: 1760000/10000 → "176".
func divRound(d, unit *apd.Decimal, places int32) string {
	var q apd.Decimal
	ctx := apd.BaseContext.WithPrecision(40)
	if _, err := ctx.Quo(&q, d, unit); err != nil {
		return d.Text('f')
	}
	s := fixed(&q, places)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// fixed rounds half up to exactly places decimals.
func fixed(d *apd.Decimal, places int32) string {
	var r apd.Decimal
	ctx := apd.BaseContext.WithPrecision(40)
	ctx.Rounding = apd.RoundHalfUp
	if _, err := ctx.Quantize(&r, d, -places); err != nil {
		return d.Text('f')
	}
	return r.Text('f')
}

// grouped puts a comma between every three digits of the integer part of
// plain decimal text.
func grouped(text string) string {
	intPart, frac, hasFrac := strings.Cut(text, ".")
	if len(intPart) <= 3 {
		return text
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}
