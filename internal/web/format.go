package web

import (
	"regexp"
	"strings"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// shownValue is a fact's value as a page writes it: Text at a glance, and
// Exact (for a title attribute) when Text rounds it.
type shownValue struct {
	Text, Exact string
}

// showValue formats a stored value of the field name of the given type.
func showValue(l *i18n.Localizer, name, typ, unit, value string) shownValue {
	switch typ {
	case "money":
		return shownValue{Text: l.Money(value), Exact: l.MoneyExact(value)}
	case "ratio":
		return shownValue{Text: l.Ratio(value), Exact: value}
	case "number", "integer":
		text := l.Decimal(value)
		if unit != "" && unit != "yuan" {
			text += " " + unitLabel(l, unit)
		}
		return shownValue{Text: text}
	case "bool":
		switch strings.ToLower(value) {
		case "true":
			return shownValue{Text: l.T("value.true")}
		case "false":
			return shownValue{Text: l.T("value.false")}
		}
	case "date":
		return shownValue{Text: l.DateText(value)}
	case "enum":
		// An enum's values are codes (general, micro); the catalog names
		// them as "enum.<field>.<value>", and a value it does not know is
		// shown as stored, with the code as its title.
		if t := l.T("enum." + name + "." + value); !strings.HasPrefix(t, "⟦") {
			return shownValue{Text: t}
		}
	}
	return shownValue{Text: value}
}

// unitLabel translates the units of the dictionary the catalog knows, and
// leaves others as written.
func unitLabel(l *i18n.Localizer, unit string) string {
	key := "unit." + unit
	if t := l.T(key); !strings.HasPrefix(t, "⟦") {
		return t
	}
	return unit
}

// sourceLabel names a provenance source: "import:file.csv" is an import of
// that file; the others are the fixed sources of the fact store.
func sourceLabel(l *i18n.Localizer, source string) string {
	if file, ok := strings.CutPrefix(source, "import:"); ok {
		return l.T("source.import.file", file)
	}
	key := "source." + source
	if t := l.T(key); !strings.HasPrefix(t, "⟦") {
		return t
	}
	return source
}

// choiceLabel names a value of an enum or bool field as the page's
// language does: the field's own name for it ("enum.<field>.<value>"),
// else the common one ("value.<value>": true → 是), else the value.
func choiceLabel(l *i18n.Localizer, field, value string) string {
	for _, key := range []string{"enum." + field + "." + value, "value." + strings.ToLower(value)} {
		if t := l.T(key); !strings.HasPrefix(t, "⟦") {
			return t
		}
	}
	return value
}

var (
	isoDateInText = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	codeInText    = regexp.MustCompile(`\b[a-z][a-z_]*[a-z]\b`)
	yuanInText    = regexp.MustCompile(`-?\d{1,3}(?:,\d{3})+(?:\.\d+)?元`)
)

// proseValues rewrites the values a rule's explanation quotes as stored
// (2024-05-31, false, general) the way the page's language writes them:
// 2024年5月31日, 否, 一般纳税人. The policy engine writes explanations
// once for every reader; the page is where the language is known.
func proseValues(l *i18n.Localizer, text string) string {
	text = isoDateInText.ReplaceAllStringFunc(text, l.DateText)
	if !l.IsZh() {
		return text
	}
	// Amounts of ten thousand yuan and more in 万/亿, as the rest of the
	// page writes them (3,170,221.45元 → 317.02万元).
	text = yuanInText.ReplaceAllStringFunc(text, func(m string) string {
		return l.Money(strings.ReplaceAll(strings.TrimSuffix(m, "元"), ",", ""))
	})
	return codeInText.ReplaceAllStringFunc(text, func(w string) string {
		if t := l.T("value." + w); !strings.HasPrefix(t, "⟦") {
			return t
		}
		return w
	})
}

// bytesLabel is a file's size as people say it: 312 KB, 2.4 MB.
func bytesLabel(l *i18n.Localizer, n int64) string {
	switch {
	case n < 1<<10:
		return l.T("size.bytes", n)
	case n < 1<<20:
		return l.T("size.kb", (n+512)>>10)
	}
	return l.T("size.mb", float64(n)/(1<<20))
}
