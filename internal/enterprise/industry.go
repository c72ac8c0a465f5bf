package enterprise

import (
	"strings"
	"unicode"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Industry is one category of GB/T 4754-2017 国民经济行业分类: a section
// (门类, a letter A–T), a division (大类, 2 digits), a group (中类, 3 digits) or
// a class (小类, 4 digits).
//
// Codes in parkdesk records are written with their section letter: "C",
// "C39", "C391", "C3911". Section is the letter and Division the two digits
// ("" for a section).
//
// The embedded table lists every level of the standard (20 sections, 97
// divisions, 473 groups, 1381 classes), so a code is valid only when it is in
// it: a group or class that does not exist is rejected even when its division
// exists, because such a code is a typo or a code of the 2011 edition, not a
// gap in the table.
type Industry struct {
	Code     string
	Section  string
	Division string
	NameZh   string
	NameEn   string // "" for most groups and classes: the standard is published in Chinese
}

// Name returns the English name for lang "en" (or "en-…") when there is one,
// and the Chinese name otherwise.
func (i Industry) Name(lang string) string {
	if i.NameEn != "" && (lang == "en" || strings.HasPrefix(lang, "en-")) {
		return i.NameEn
	}
	return i.NameZh
}

// sectionLetters lets SectionOf return a substring instead of allocating.
const sectionLetters = "ABCDEFGHIJKLMNOPQRST"

// LookupIndustry returns the category a code names. The code must be in the
// record form (section letter, then 0, 2, 3 or 4 digits) and exist in
// GB/T 4754-2017; the error, an *apperr.Error with code Invalid, says which.
func LookupIndustry(code string) (Industry, error) {
	if err := checkIndustryCode(code); err != nil {
		return Industry{}, err
	}
	ind, ok := industries.byCode[code]
	if !ok {
		return Industry{}, invalidIndustry("industry code %q: %s %s does not exist in GB/T 4754-2017", code, levelName(len(code)-1), code[1:])
	}
	return ind, nil
}

// checkIndustryCode checks the form of a code and that its division belongs
// to its section, with a message for each way it can be wrong.
func checkIndustryCode(code string) error {
	if code == "" {
		return invalidIndustry("industry code is empty")
	}
	c := code[0]
	digits := code[1:]
	if c < 'A' || c > 'Z' || (len(digits) != 0 && len(digits) != 2 && len(digits) != 3 && len(digits) != 4) || (digits != "" && !isDigits(digits)) {
		if isDigits(code) && len(code) >= 2 && len(code) <= 4 {
			if s := industries.sectionOfDivision[division(code)]; s != 0 {
				return invalidIndustry("industry code %q must start with its section letter: %c%s", code, s, code)
			}
		}
		return invalidIndustry("industry code %q is not valid: expected a section letter A–T followed by 0, 2, 3 or 4 digits (e.g. C3911)", code)
	}
	if c > 'T' {
		return invalidIndustry("industry code %q: section %c does not exist in GB/T 4754-2017 (sections are A–T)", code, c)
	}
	if digits == "" {
		return nil
	}
	switch s := industries.sectionOfDivision[division(digits)]; {
	case s == 0:
		return invalidIndustry("industry code %q: division %s does not exist in GB/T 4754-2017", code, digits[:2])
	case s != c:
		return invalidIndustry("industry code %q: division %s belongs to section %c, not %c", code, digits[:2], s, c)
	}
	return nil
}

// NormalizeIndustryCode turns a code as people type it into the record form:
// space trimmed, the section letter upper-cased, and added when only the
// digits are given ("3911" → "C3911"). It returns an error when the result is
// not a code of GB/T 4754-2017.
func NormalizeIndustryCode(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(unicode.ToUpper(rune(s[0]))) + s[1:]
	}
	if isDigits(s) && len(s) >= 2 && len(s) <= 4 {
		if sec := industries.sectionOfDivision[division(s)]; sec != 0 {
			s = string(sec) + s
		}
	}
	if _, err := LookupIndustry(s); err != nil {
		return "", err
	}
	return s, nil
}

// SectionOf returns the section letter of a code given with or without its
// letter ("C3911", "3911", "C"), or "" when the code is malformed or names no
// division of the standard. It does not allocate: policy evaluation calls it
// for every enterprise.
func SectionOf(code string) string {
	if code == "" {
		return ""
	}
	letter := byte(0)
	digits := code
	if c := code[0]; c >= 'A' && c <= 'Z' {
		letter, digits = c, code[1:]
		if digits == "" {
			if c > 'T' {
				return ""
			}
			return sectionLetters[c-'A' : c-'A'+1]
		}
	}
	if len(digits) < 2 || len(digits) > 4 || !isDigits(digits) {
		return ""
	}
	s := industries.sectionOfDivision[division(digits)]
	if s == 0 || (letter != 0 && letter != s) {
		return ""
	}
	return sectionLetters[s-'A' : s-'A'+1]
}

// Sections returns the 20 sections A–T in order.
func Sections() []Industry {
	return append([]Industry(nil), industries.sections...)
}

// Divisions returns the 97 divisions 01–97 in order.
func Divisions() []Industry {
	return append([]Industry(nil), industries.divisions...)
}

// division is the number of the first two digits of s, which the caller has
// checked are digits.
func division(s string) int {
	return int(s[0]-'0')*10 + int(s[1]-'0')
}

func levelName(digits int) string {
	switch digits {
	case 0:
		return "section"
	case 2:
		return "division"
	case 3:
		return "group"
	default:
		return "class"
	}
}

func invalidIndustry(format string, args ...any) error {
	return apperr.Errorf(apperr.Invalid, format, args...)
}
