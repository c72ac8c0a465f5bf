package enterprise

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// IndustryList is a set of GB/T 4754-2017 categories as policy rules name
// them: "C, I63–I65, M" or "C,I63-I65,M,N77". An entry is a section,
// division, group or class, or a range of codes of one level within one
// section; a code belongs to the list when it is an entry or lies below one.
// The zero value contains nothing.
//
// Matching is precomputed per division so that Contains, called for every
// enterprise and rule, costs a few comparisons and never allocates.
type IndustryList struct {
	sections  uint32    // bit c-'A' for each section entry
	divisions [2]uint64 // divisions wholly included (bit = division number)
	partial   [2]uint64 // divisions that have groups or classes in spans
	spans     []industrySpan
	text      string
}

// industrySpan is an inclusive range of groups (3 digits) or classes (4
// digits); a single group or class is a span with lo == hi.
type industrySpan struct {
	digits int
	lo, hi int
}

// rangeDashes are the separators accepted between the ends of a range: the
// hyphen people type, the en and em dashes of published documents, and the
// tildes of Chinese texts ("63～65").
const rangeDashes = "-–—~～"

// ParseIndustryList parses a list of industry codes separated by commas
// (ASCII or full-width) or 、. Every code must exist in GB/T 4754-2017. A
// range "I63–I65" has ends of the same level and section (the second letter
// may be left out: "I63–65"); it may not span sections. The error is an
// *apperr.Error with code Invalid naming the entry at fault.
func ParseIndustryList(s string) (IndustryList, error) {
	var l IndustryList
	var canon []string
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' })
	for _, f := range fields {
		entry := strings.TrimSpace(f)
		if entry == "" {
			continue
		}
		text, err := l.addEntry(entry)
		if err != nil {
			return IndustryList{}, apperr.Errorf(apperr.Invalid, "industry list %q: entry %q: %s", s, entry, apperr.MessageOf(err))
		}
		canon = append(canon, text)
	}
	if len(canon) == 0 {
		return IndustryList{}, apperr.Errorf(apperr.Invalid, "industry list %q names no industry", s)
	}
	l.text = strings.Join(canon, ",")
	return l, nil
}

// MustParseIndustryList is ParseIndustryList for lists written in the code,
// which are known to be valid; it panics otherwise.
func MustParseIndustryList(s string) IndustryList {
	l, err := ParseIndustryList(s)
	if err != nil {
		panic(err)
	}
	return l
}

// addEntry adds one code or range and returns its canonical text.
func (l *IndustryList) addEntry(entry string) (string, error) {
	i := strings.IndexAny(entry, rangeDashes)
	if i < 0 {
		ind, err := LookupIndustry(entry)
		if err != nil {
			return "", err
		}
		l.addRange(ind.Code, ind.Code)
		return ind.Code, nil
	}
	from := strings.TrimSpace(entry[:i])
	rest := entry[i:]
	for _, d := range rangeDashes {
		rest = strings.TrimPrefix(rest, string(d))
	}
	to := strings.TrimSpace(rest)
	if from == "" || to == "" || strings.ContainsAny(to, rangeDashes) {
		return "", invalidIndustry("a range is written FROM–TO, e.g. I63–I65")
	}
	if to[0] >= '0' && to[0] <= '9' && from[0] >= 'A' && from[0] <= 'Z' {
		to = from[:1] + to // "I63–65"
	}
	a, err := LookupIndustry(from)
	if err != nil {
		return "", err
	}
	b, err := LookupIndustry(to)
	if err != nil {
		return "", err
	}
	switch {
	case a.Section != b.Section:
		return "", invalidIndustry("range %s–%s spans sections %s and %s: a range must stay within one section", a.Code, b.Code, a.Section, b.Section)
	case len(a.Code) != len(b.Code):
		return "", invalidIndustry("range %s–%s mixes a %s and a %s: both ends must be of the same level", a.Code, b.Code, levelName(len(a.Code)-1), levelName(len(b.Code)-1))
	case len(a.Code) == 1:
		return "", invalidIndustry("range %s–%s: ranges are of divisions, groups or classes; list sections one by one", a.Code, b.Code)
	case a.Code > b.Code:
		return "", invalidIndustry("range %s–%s runs backwards", a.Code, b.Code)
	}
	l.addRange(a.Code, b.Code)
	return a.Code + "-" + b.Code, nil
}

// addRange records the inclusive range of two valid codes of one level.
func (l *IndustryList) addRange(from, to string) {
	if len(from) == 1 {
		c := from[0]
		l.sections |= 1 << (c - 'A')
		for d, s := range industries.sectionOfDivision {
			if s == c {
				setBit(&l.divisions, d)
			}
		}
		return
	}
	lo, hi := number(from[1:]), number(to[1:])
	digits := len(from) - 1
	if digits == 2 {
		for d := lo; d <= hi; d++ {
			setBit(&l.divisions, d)
		}
		return
	}
	l.spans = append(l.spans, industrySpan{digits: digits, lo: lo, hi: hi})
	scale := 10
	if digits == 4 {
		scale = 100
	}
	for d := lo / scale; d <= hi/scale; d++ {
		setBit(&l.partial, d)
	}
}

// Contains reports whether a code (with or without its section letter) is an
// entry of the list or lies below one. Malformed codes, and codes whose
// letter does not match their division, are in no list.
func (l IndustryList) Contains(code string) bool {
	if code == "" {
		return false
	}
	letter := byte(0)
	digits := code
	if c := code[0]; c >= 'A' && c <= 'Z' {
		letter, digits = c, code[1:]
		if digits == "" {
			return c <= 'T' && l.sections&(1<<(c-'A')) != 0
		}
	}
	n := len(digits)
	if n < 2 || n > 4 {
		return false
	}
	v := 0
	for i := 0; i < n; i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + int(c-'0')
	}
	d := division(digits)
	s := industries.sectionOfDivision[d]
	if s == 0 || (letter != 0 && letter != s) {
		return false
	}
	if hasBit(&l.divisions, d) {
		return true
	}
	if !hasBit(&l.partial, d) {
		return false
	}
	for _, sp := range l.spans {
		if n < sp.digits {
			continue
		}
		p := v
		for k := n; k > sp.digits; k-- {
			p /= 10
		}
		if p >= sp.lo && p <= sp.hi {
			return true
		}
	}
	return false
}

// String returns the list in canonical form: entries as parsed, joined by
// commas, ranges with a hyphen ("C,I63-I65,M").
func (l IndustryList) String() string { return l.text }

// number is the value of a string of digits the caller has checked.
func number(s string) int {
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func setBit(b *[2]uint64, i int) { b[i/64] |= 1 << (i % 64) }

func hasBit(b *[2]uint64, i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
