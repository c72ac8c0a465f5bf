package web

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// shownValue is a fact's value as a page writes it: Text at a glance, and
// Exact (for a title attribute) when Text rounds it.
type shownValue struct {
	Text, Exact string
}

// showValue formats a stored value of a field of the given type.
func showValue(l *i18n.Localizer, typ, unit, value string) shownValue {
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
