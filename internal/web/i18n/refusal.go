package i18n

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Refusals are written once, in English, by the domain packages (an
// apperr message, a problem's reason: "a park with code %s exists"), and
// the JSON API gives them to machines as they are. A page gives them to
// people, in their language: the refusal catalog (catalog/zh-CN.reasons.json)
// maps each English text to its Chinese, and a text made with a format to
// a pattern whose {1}, {2} … are the format's values in order:
//
//	"a %s with code %s exists": "代码 {2} 的{1}已存在"
//
// A value is itself translated when the catalog knows it (the "park" of
// that sentence is 园区), and {n:money} writes an amount in yuan as the
// page does (1,200,000 → 120万元). refusal_source_test.go finds every
// text the source can refuse with and fails while one lacks its Chinese.

// refusalFile is the catalog of refusals, for Chinese; English shows the
// texts as written.
const refusalFile = "catalog/zh-CN.reasons.json"

// refusalPattern is one formatted text of the catalog.
type refusalPattern struct {
	key     string
	re      *regexp.Regexp
	prefix  string // the literal text before the first value, for a quick test
	literal int    // how many characters are not values: the more, the better the match
	zh      string
}

// refusalCatalog is the catalog parsed: exact texts, and patterns.
type refusalCatalog struct {
	exact    map[string]string
	patterns []refusalPattern
}

var refusals = mustRefusals()

func mustRefusals() *refusalCatalog {
	raw, err := catalogFiles.ReadFile(refusalFile)
	if err != nil {
		panic(fmt.Sprintf("i18n: %v", err))
	}
	rc, err := parseRefusals(raw)
	if err != nil {
		panic(fmt.Sprintf("i18n: %s: %v", refusalFile, err))
	}
	return rc
}

// verb matches a fmt verb of a format: %s, %q, %d, %.2f, %v …
var verb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

func parseRefusals(raw []byte) (*refusalCatalog, error) {
	var entries map[string]string
	if err := json.Unmarshal(raw, &entries); err != nil {
		return nil, err
	}
	rc := &refusalCatalog{exact: map[string]string{}}
	for key, zh := range entries {
		if strings.HasPrefix(key, "//") {
			continue // a comment of the file
		}
		re, prefix, literal, values, err := compileFormat(key)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		if err := checkPlaceholders(zh, values); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		if values == 0 {
			rc.exact[strings.ReplaceAll(key, "%%", "%")] = zh
			continue
		}
		rc.patterns = append(rc.patterns, refusalPattern{key: key, re: re, prefix: prefix, literal: literal, zh: zh})
	}
	// Best match first: the pattern with the most literal text.
	slices.SortFunc(rc.patterns, func(a, b refusalPattern) int {
		if a.literal != b.literal {
			return b.literal - a.literal
		}
		return strings.Compare(a.key, b.key)
	})
	return rc, nil
}

// compileFormat turns a format into a regular expression matching what it
// prints, with one group per value.
func compileFormat(format string) (re *regexp.Regexp, prefix string, literal, values int, err error) {
	var b strings.Builder
	b.WriteString(`^`)
	last := 0
	first := true
	for _, loc := range verb.FindAllStringIndex(format, -1) {
		lit := format[last:loc[0]]
		v := format[loc[0]:loc[1]]
		last = loc[1]
		if v == "%%" {
			b.WriteString(regexp.QuoteMeta(lit + "%"))
			literal += len(lit) + 1
			if first {
				prefix += lit + "%"
			}
			continue
		}
		b.WriteString(regexp.QuoteMeta(lit))
		literal += len(lit)
		if first {
			prefix += lit
			first = false
		}
		switch v[len(v)-1] {
		case 'd':
			b.WriteString(`(-?[0-9][0-9,]*)`)
		case 'q':
			b.WriteString(`("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`)
		default:
			b.WriteString(`(.*?)`)
		}
		values++
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	literal += len(format) - last
	if first {
		prefix = format[last:]
	}
	b.WriteString(`$`)
	re, err = regexp.Compile(b.String())
	return re, prefix, literal, values, err
}

var placeholder = regexp.MustCompile(`\{([0-9]+)(?::([a-z]+))?\}`)

// checkPlaceholders: a translation names only the values its text has.
func checkPlaceholders(zh string, values int) error {
	for _, m := range placeholder.FindAllStringSubmatch(zh, -1) {
		n, _ := strconv.Atoi(m[1])
		if n < 1 || n > values {
			return fmt.Errorf("the translation names {%d}, the text has %d values", n, values)
		}
		if m[2] != "" && m[2] != "money" && m[2] != "raw" {
			return fmt.Errorf("the translation names {%d:%s}: only money and raw are known", n, m[2])
		}
	}
	return nil
}

// Refusal returns a refusal (an apperr message, a problem's reason) in
// this language. English gets the text as written. Chinese gets the
// catalog's translation; a text the catalog does not know — the text of
// an error of a library, which no test can list — gets a generic
// sentence with the text after it, so that the reader knows it is a
// refusal and support can still read the detail.
func (l *Localizer) Refusal(text string) string {
	if l.lang != Chinese || text == "" {
		return text
	}
	if zh, ok := l.translateRefusal(text, 0); ok {
		return zh
	}
	return l.T("refusal.untranslated", text)
}

// HasRefusal reports whether the catalog knows text (for the tests).
func (l *Localizer) HasRefusal(text string) bool {
	_, ok := l.translateRefusal(text, 0)
	return ok
}

func (l *Localizer) translateRefusal(text string, depth int) (string, bool) {
	if !containsLatin(text) {
		return text, true // nothing to translate: already Chinese, or a number
	}
	if zh, ok := refusals.exact[text]; ok {
		return zh, true
	}
	if depth > 4 {
		return "", false
	}
	for _, p := range refusals.patterns {
		if !strings.HasPrefix(text, p.prefix) {
			continue
		}
		m := p.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		return placeholder.ReplaceAllStringFunc(p.zh, func(ph string) string {
			sm := placeholder.FindStringSubmatch(ph)
			n, _ := strconv.Atoi(sm[1])
			return l.refusalValue(m[n], sm[2], depth)
		}), true
	}
	// "context: reason", as the domain packages chain them: at any colon
	// where both sides are known.
	for i := strings.Index(text, ": "); i >= 0; {
		h, okH := l.translateRefusal(text[:i], depth+1)
		t, okT := l.translateRefusal(text[i+2:], depth+1)
		if okH && okT {
			return h + "：" + t, true
		}
		next := strings.Index(text[i+2:], ": ")
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return "", false
}

// refusalValue writes one value of a formatted refusal: an amount as
// money, a text the catalog knows in Chinese, anything else (a code, a
// number, what the user typed) as it is. A day stays as the file or the
// form wrote it (2099-01-02, 0000-01-01): the reader looks for it there.
func (l *Localizer) refusalValue(v, how string, depth int) string {
	switch how {
	case "raw":
		return v
	case "money":
		if _, ok := parseDecimal(strings.ReplaceAll(v, ",", "")); ok {
			return l.Money(strings.ReplaceAll(v, ",", ""))
		}
	}
	if zh, ok := l.translateRefusal(v, depth+1); ok {
		return zh
	}
	return v
}

func containsLatin(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' })
}
