package workday

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Load returns the calendar in force: the official schedules shipped with
// the program, with the years and days an administrator loaded on top
// (Overlay). It is the one calendar of the program: the touch scheduler
// and the appeals' deadlines both read it here.
func Load(ctx context.Context, q store.Queryer) (*Calendar, error) {
	rows, err := q.Query(ctx, "SELECT year, notice FROM workday_years ORDER BY year")
	if err != nil {
		return nil, fmt.Errorf("workday: load the years: %w", err)
	}
	var years []Year
	for rows.Next() {
		var y Year
		if err := rows.Scan(&y.Year, &y.Notice); err != nil {
			rows.Close()
			return nil, fmt.Errorf("workday: load the years: %w", err)
		}
		years = append(years, y)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("workday: load the years: %w", err)
	}
	rows, err = q.Query(ctx, "SELECT day, working, name FROM workday_exceptions ORDER BY day")
	if err != nil {
		return nil, fmt.Errorf("workday: load the calendar: %w", err)
	}
	defer rows.Close()
	var entries []Entry
	for rows.Next() {
		var day, name string
		var working bool
		if err := rows.Scan(&day, &working, &name); err != nil {
			return nil, fmt.Errorf("workday: load the calendar: %w", err)
		}
		d, err := ParseDate(day)
		if err != nil {
			return nil, fmt.Errorf("workday: calendar day %q: %w", day, err)
		}
		entries = append(entries, Entry{Date: d, Working: working, Name: name})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("workday: load the calendar: %w", err)
	}
	return Official().Overlay(years, entries)
}

// Loaded is what Store recorded.
type Loaded struct {
	Years []Year // the whole years declared by the file
	Days  int    // the days recorded
}

// Store records a parsed calendar file in the caller's transaction. Each
// year the file declares replaces that year whole (its earlier days are
// removed, the shipped schedule of that year no longer applies); a day of
// a year the file does not declare is a correction, which needs that year
// to be known already: a lone day of 2027 would make 2027 look answered
// when its schedule is not. The caller checks permission and audits.
func Store(ctx context.Context, tx *store.Tx, cal *Calendar, source, actor string, now time.Time) (Loaded, error) {
	current, err := Load(ctx, tx)
	if err != nil {
		return Loaded{}, err
	}
	declared := map[int]bool{}
	for _, y := range cal.Years() {
		declared[y.Year] = true
	}
	var problems []apperr.Problem
	for _, e := range cal.Entries() {
		y, _, _ := e.Date.Civil()
		if !declared[y] && !current.Covers(y) && !declaredNext(declared, e.Date) {
			problems = append(problems, apperr.Problem{File: source, Field: e.Date.String(),
				Reason: fmt.Sprintf("no calendar for %d: a file that brings a new year declares it with a line such as: year %d 国办发明电〔%d〕N号", y, y, y-1)})
		}
	}
	if len(problems) > 0 {
		return Loaded{}, apperr.InvalidInput("the calendar names days of a year it does not declare; nothing was loaded", problems...)
	}
	at := store.FormatTime(now)
	for _, y := range cal.Years() {
		first, last := FromCivil(y.Year, time.January, 1), FromCivil(y.Year, time.December, 31)
		if _, err := tx.Exec(ctx, "DELETE FROM workday_exceptions WHERE day BETWEEN ? AND ?", first.String(), last.String()); err != nil {
			return Loaded{}, fmt.Errorf("workday: replace %d: %w", y.Year, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO workday_years (year, notice, source, loaded_by, loaded_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, source = excluded.source, loaded_by = excluded.loaded_by, loaded_at = excluded.loaded_at`,
			y.Year, y.Notice, source, actor, at); err != nil {
			return Loaded{}, fmt.Errorf("workday: record %d: %w", y.Year, err)
		}
	}
	entries := cal.Entries()
	for _, e := range entries {
		if _, err := tx.Exec(ctx, `INSERT INTO workday_exceptions (day, working, name) VALUES (?, ?, ?)
ON CONFLICT (day) DO UPDATE SET working = excluded.working, name = excluded.name`, e.Date.String(), e.Working, e.Name); err != nil {
			return Loaded{}, fmt.Errorf("workday: record %s: %w", e.Date, err)
		}
	}
	return Loaded{Years: cal.Years(), Days: len(entries)}, nil
}

// declaredNext allows the last days of December in a file that declares
// the next year: the 2023 schedule began on 31 December 2022.
func declaredNext(declared map[int]bool, d Date) bool {
	y, m, _ := d.Civil()
	return m == time.December && declared[y+1]
}
