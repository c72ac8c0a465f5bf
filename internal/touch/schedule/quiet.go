package schedule

import (
	"errors"
	"fmt"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// QuietRules are a park's or an enterprise's protection from being touched
// too often ("无事不扰"): quiet windows in which no routine on-site visit
// happens, and caps on the routine on-site visits per month and per year.
// Exempt requests may break them. An enterprise's own rules replace its
// park's.
type QuietRules struct {
	Windows []QuietWindow
	// MonthlyCap and YearlyCap bound the routine on-site visits of a
	// calendar month and year; 0 means no cap. To forbid visits altogether
	// for a while, use a quiet window.
	MonthlyCap int
	YearlyCap  int
}

// QuietWindow is a stretch of quiet days: either days FirstDay..LastDay of
// every month (1–20, say; a LastDay past the month's end means its last
// day), or the dated range From..To (a trade-fair week), when To is set.
type QuietWindow struct {
	FirstDay, LastDay int
	From, To          workday.Date
}

// Dated reports whether the window is a dated range rather than days of
// every month.
func (w QuietWindow) Dated() bool { return w.To != 0 || w.From != 0 }

// Contains reports whether d is a quiet day of the window.
func (w QuietWindow) Contains(d workday.Date) bool {
	if w.Dated() {
		return w.From <= d && d <= w.To
	}
	_, _, day := d.Civil()
	return w.FirstDay <= day && day <= w.LastDay
}

// String writes the window for people: "days 1–20 of each month" or a range.
func (w QuietWindow) String() string {
	if w.Dated() {
		return w.From.String() + ".." + w.To.String()
	}
	return fmt.Sprintf("days %d–%d of each month", w.FirstDay, w.LastDay)
}

// Check reports what is wrong with the window.
func (w QuietWindow) Check() error {
	if w.Dated() {
		if w.To < w.From {
			return fmt.Errorf("quiet window %s ends before it starts", w)
		}
		return nil
	}
	if w.FirstDay < 1 || w.FirstDay > 31 || w.LastDay < w.FirstDay || w.LastDay > 31 {
		return fmt.Errorf("quiet window days %d–%d: days run from 1 to 31, first before last", w.FirstDay, w.LastDay)
	}
	return nil
}

// Check reports what is wrong with the rules.
func (r *QuietRules) Check() error {
	var errs []error
	for _, w := range r.Windows {
		errs = append(errs, w.Check())
	}
	if r.MonthlyCap < 0 || r.YearlyCap < 0 {
		errs = append(errs, errors.New("caps must not be negative (0 means no cap)"))
	}
	return errors.Join(errs...)
}

// Quiet reports whether d falls in one of the quiet windows.
func (r *QuietRules) Quiet(d workday.Date) bool {
	if r == nil {
		return false
	}
	for _, w := range r.Windows {
		if w.Contains(d) {
			return true
		}
	}
	return false
}

// Capped reports whether the rules cap visits at all.
func (r *QuietRules) Capped() bool { return r != nil && (r.MonthlyCap > 0 || r.YearlyCap > 0) }
