package i18n

import (
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// parkTime is the zone dates and times are shown in: China Standard Time,
// which has had no daylight saving since 1991, so a fixed zone needs no
// time zone database in the binary.
var parkTime = time.FixedZone("CST", 8*60*60)

var monthsEn = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// Date writes a calendar date: 2024年3月5日 or 5 Mar 2024. The zero time
// gives "–".
func (l *Localizer) Date(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	if t.Location() != time.UTC || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
		t = t.In(parkTime)
	}
	if l.lang == Chinese {
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	}
	return fmt.Sprintf("%d %s %d", t.Day(), monthsEn[t.Month()-1], t.Year())
}

// DateTime writes a moment in the park's time: 2024年3月5日 14:03 or
// 5 Mar 2024 14:03.
func (l *Localizer) DateTime(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	t = t.In(parkTime)
	if l.lang == Chinese {
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d", t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d %s %d %02d:%02d", t.Day(), monthsEn[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}

// DateText writes a date given as YYYY-MM-DD; other text is returned as it is.
func (l *Localizer) DateText(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return dashIfEmpty(s)
	}
	return l.Date(t)
}

// Period writes a fact's period: 2023年 / 2023年第4季度 / 2023年7月, or
// 2023 / Q4 2023 / Jul 2023; the timeless period gives "–".
func (l *Localizer) Period(text string) string {
	p, err := facts.ParsePeriod(text)
	if err != nil {
		return text
	}
	switch p.Shape {
	case facts.Annual:
		if l.lang == Chinese {
			return fmt.Sprintf("%d年", p.Year)
		}
		return fmt.Sprint(p.Year)
	case facts.Quarterly:
		if l.lang == Chinese {
			return fmt.Sprintf("%d年第%d季度", p.Year, p.Sub)
		}
		return fmt.Sprintf("Q%d %d", p.Sub, p.Year)
	case facts.Monthly:
		if l.lang == Chinese {
			return fmt.Sprintf("%d年%d月", p.Year, p.Sub)
		}
		return fmt.Sprintf("%s %d", monthsEn[p.Sub-1], p.Year)
	}
	return "–"
}
