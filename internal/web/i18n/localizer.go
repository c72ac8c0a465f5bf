package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/message"
)

// Localizer speaks one language: it looks messages up and formats values.
// The two Localizers are made once and shared by every request.
type Localizer struct {
	lang    Lang
	printer *message.Printer
	// plain holds every message without arguments, formatted once: most
	// labels of a page are such, and a page has hundreds of them.
	plain map[string]string
}

var localizers = func() map[Lang]*Localizer {
	m := map[Lang]*Localizer{}
	for _, l := range Langs {
		loc := &Localizer{lang: l, printer: newPrinter(l), plain: map[string]string{}}
		for _, key := range catalogKeys[l] {
			loc.plain[key] = loc.printer.Sprintf(key)
		}
		m[l] = loc
	}
	return m
}()

// For returns the Localizer of l (Chinese for anything unknown).
func For(l Lang) *Localizer {
	if loc, ok := localizers[l]; ok {
		return loc
	}
	return localizers[Default]
}

// Lang is the language spoken.
func (l *Localizer) Lang() Lang { return l.lang }

// IsZh reports whether the language is Chinese, for the few places that
// pick a stored zh/en text (a field's label, a policy's title).
func (l *Localizer) IsZh() bool { return l.lang == Chinese }

// Pick returns zh or en, whichever is this language's, falling back to the
// other when it is empty.
func (l *Localizer) Pick(zh, en string) string {
	if l.lang == Chinese && zh != "" || en == "" {
		return zh
	}
	return en
}

// T returns the message key in this language, formatted with args as
// fmt does. A key the catalog lacks gives ⟦key⟧, so that a forgotten
// message shows on the page and in the tests rather than passing as text.
func (l *Localizer) T(key string, args ...any) string {
	if len(args) == 0 {
		if text, ok := l.plain[key]; ok {
			return text
		}
	}
	if !has(l.lang, key) {
		return "⟦" + key + "⟧"
	}
	return l.printer.Sprintf(key, args...)
}

// N returns the message key for the count n: the catalog chooses the
// plural form ("1 enterprise", "3 enterprises"), and n is its first
// argument, before args.
func (l *Localizer) N(key string, n int, args ...any) string {
	if !has(l.lang, key) {
		return "⟦" + key + "⟧"
	}
	return l.printer.Sprintf(key, append([]any{n}, args...)...)
}

// Int writes an integer with the language's digit grouping: 13,000.
func (l *Localizer) Int(n int) string { return l.printer.Sprintf("%d", n) }

// Int64 is Int for int64 counts.
func (l *Localizer) Int64(n int64) string { return l.printer.Sprintf("%d", n) }

// Pct writes a share of a whole (n of total) as a percentage with one
// decimal: 12.5%. A zero total gives "–".
func (l *Localizer) Pct(n, total int) string {
	if total == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", float64(n)*100/float64(total))
}

// Join lists texts in this language: "A、B、C" or "A, B, C".
func (l *Localizer) Join(items []string) string {
	if l.lang == Chinese {
		return strings.Join(items, "、")
	}
	return strings.Join(items, ", ")
}
