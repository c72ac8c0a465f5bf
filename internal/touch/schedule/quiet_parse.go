package schedule

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// ParseWindows reads quiet windows as people write them, separated by
// commas or semicolons: "1-20" for days 1 to 20 of every month, a single
// "25" for that day of every month, "2025-03-01..2025-03-07" for dates.
// An en dash or 至 may stand for the hyphen of a range of days.
func ParseWindows(text string) ([]QuietWindow, error) {
	var out []QuietWindow
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '；' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		w, err := parseWindow(part)
		if err != nil {
			return nil, err
		}
		if err := w.Check(); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func parseWindow(part string) (QuietWindow, error) {
	if from, to, ok := strings.Cut(part, ".."); ok {
		f, err := workday.ParseDate(strings.TrimSpace(from))
		if err != nil {
			return QuietWindow{}, fmt.Errorf("quiet window %q: %v", part, err)
		}
		t, err := workday.ParseDate(strings.TrimSpace(to))
		if err != nil {
			return QuietWindow{}, fmt.Errorf("quiet window %q: %v", part, err)
		}
		return QuietWindow{From: f, To: t}, nil
	}
	norm := strings.NewReplacer("–", "-", "—", "-", "至", "-", "日", "").Replace(part)
	first, last, isRange := strings.Cut(norm, "-")
	if !isRange {
		last = first
	}
	a, errA := strconv.Atoi(strings.TrimSpace(first))
	b, errB := strconv.Atoi(strings.TrimSpace(last))
	if errA != nil || errB != nil {
		return QuietWindow{}, fmt.Errorf("quiet window %q: write days of the month as 1-20, or dates as 2025-03-01..2025-03-07", part)
	}
	return QuietWindow{FirstDay: a, LastDay: b}, nil
}

// FormatWindows writes windows the way ParseWindows reads them.
func FormatWindows(ws []QuietWindow) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		if w.Dated() {
			parts[i] = w.From.String() + ".." + w.To.String()
		} else {
			parts[i] = fmt.Sprintf("%d-%d", w.FirstDay, w.LastDay)
		}
	}
	return strings.Join(parts, ", ")
}
