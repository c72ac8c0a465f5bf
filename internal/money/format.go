package money

import "strings"

// Format writes the amount as people of the language read amounts at a
// glance: in Chinese in 元, 万元 (10⁴) or 亿元 (10⁸) with at most two
// decimals (8,500元, 176万元, 1.34亿元); in English in yuan, millions or
// billions (¥8,500, ¥1.76M, ¥134M, ¥123.46B). Decimals are rounded half-up
// and trailing zeros dropped. lang is a language tag: "zh…" is Chinese,
// anything else English. FormatExact gives the amount to the fen.
func Format(f Fen, lang string) string {
	v := int64(f)
	neg := v < 0
	if neg {
		v = -v
	}
	var out string
	if chinese(lang) {
		switch {
		case v >= yi:
			out = scaled(v, yi) + "亿元"
		case v >= wan:
			out = scaled(v, wan) + "万元"
		default:
			out = scaled(v, yuan) + "元"
		}
	} else {
		switch {
		case v >= billion:
			out = "¥" + scaled(v, billion) + "B"
		case v >= million:
			out = "¥" + scaled(v, million) + "M"
		default:
			out = "¥" + scaled(v, yuan)
		}
	}
	if neg {
		out = "−" + out
	}
	return out
}

// FormatExact writes the amount to the fen with digit grouping:
// 1,760,000.00元 in Chinese, ¥1,760,000.00 in English.
func FormatExact(f Fen, lang string) string {
	neg := f < 0
	if neg {
		f = -f
	}
	out := f.Grouped()
	if chinese(lang) {
		out += "元"
	} else {
		out = "¥" + out
	}
	if neg {
		out = "−" + out
	}
	return out
}

// The units of Format, in fen.
const (
	yuan    = 100
	wan     = 10_000 * yuan
	million = 1_000_000 * yuan
	yi      = 100_000_000 * yuan
	billion = 1_000_000_000 * yuan
)

func chinese(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }

// scaled writes v fen in the unit (a multiple of 100 fen) with at most two
// decimals, half up, trailing zeros dropped: 1234567 89 fen in 万 → 123.46.
func scaled(v, unit int64) string {
	hundredths := unit / 100 // fen per 0.01 of the unit
	q := v / hundredths
	if v%hundredths*2 >= hundredths {
		q++
	}
	s := group(itoa(q/100)) + "." + twoDigits(q%100)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}
