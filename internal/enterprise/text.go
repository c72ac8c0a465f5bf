package enterprise

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CleanLine applies the rule for a one-line text from outside (a name, a
// code, a date, a tag, an enum value): white space around it is trimmed
// (Unicode's white space, the ideographic space U+3000 and the no-break
// space included, as people paste them from documents), and a control
// character inside it — NUL, a tab, a line break, DEL — or bytes that are
// not UTF-8 make it refused, with the position of the first. Such characters
// are invisible on a page and in a spreadsheet, so that two names that look
// equal would differ, and PostgreSQL refuses NUL in text outright.
func CleanLine(s string) (string, error) {
	s = strings.TrimSpace(s)
	return s, checkText(s, false)
}

// CleanText is CleanLine for a text of several lines (a note, a text
// field): tabs and line breaks are allowed inside it.
func CleanText(s string) (string, error) {
	s = strings.TrimSpace(s)
	return s, checkText(s, true)
}

func checkText(s string, lines bool) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not UTF-8 text")
	}
	n := 0
	for _, r := range s {
		n++
		if lines && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			what := fmt.Sprintf("U+%04X", r)
			if r == 0 {
				what = "NUL (U+0000)"
			}
			return fmt.Errorf("contains a control character, %s, at character %d: remove it", what, n)
		}
	}
	return nil
}
