// Package formula keeps the text cells of exported spreadsheets (CSV and
// XLSX) from being run as formulas by the program that opens them, and
// gives the imports the text back exactly.
//
// The rule is OWASP's for CSV injection: a cell whose text begins with =, +,
// -, @, a tab or a carriage return is written with a single quote in front,
// which spreadsheet programs take as "this is text". To make the rule
// lossless on re-import, a text that already begins with quotes before one
// of those characters gets one more, and the import takes exactly one quote
// off a cell that begins with quotes before one of those characters: for
// every text s, Restore(Neutralize(s)) == s. Plain decimal numbers
// ("-1200.50") are not formulas and are written as they are, so that
// spreadsheets still read them as numbers.
package formula

// Neutralize returns the cell text to write for s.
func Neutralize(s string) string {
	if !risky(s) {
		return s
	}
	return "'" + s
}

// Restore returns the text a cell read from an imported spreadsheet stands
// for: the cell without the quote that Neutralize put in front.
func Restore(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && risky(cell[1:]) {
		return cell[1:]
	}
	return cell
}

// risky reports whether s, after any leading quotes, begins with a
// character that starts a formula, and is not a plain decimal number.
func risky(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	if i == len(s) {
		return false
	}
	switch s[i] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return false
	}
	return i > 0 || !plainNumber(s)
}

// plainNumber reports whether s is a decimal number written plainly: an
// optional sign, digits, and an optional fraction.
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		frac := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			frac++
		}
		if frac == 0 {
			return false
		}
	}
	return i == len(s)
}
