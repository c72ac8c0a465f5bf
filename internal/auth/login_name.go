package auth

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxLoginLength is the longest login, in characters: an e-mail address's
// limit.
const MaxLoginLength = 254

// NormalizeLogin returns the form a login is stored and looked up in:
// trimmed, NFKC-normalised (full-width letters typed on a Chinese keyboard
// become their ASCII forms) and lower case, so that "Zhang@Park.CN" and
// "zhang@park.cn" are one account.
func NormalizeLogin(s string) string {
	return strings.ToLower(norm.NFKC.String(strings.TrimSpace(s)))
}

// loginProblem returns why a normalised login is not acceptable, or "".
// A login is an e-mail address or a name: letters (any script), digits and
// . _ - @ +, with no spaces or control characters.
func loginProblem(login string) string {
	if login == "" {
		return "is required"
	}
	if !utf8.ValidString(login) {
		return "is not valid text"
	}
	if utf8.RuneCountInString(login) > MaxLoginLength {
		return "must be at most 254 characters long"
	}
	for _, r := range login {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(".-_@+", r) {
			continue
		}
		return "may hold only letters, digits and . _ - @ +"
	}
	return ""
}
