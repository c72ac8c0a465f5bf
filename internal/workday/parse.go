package workday

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// maxRangeDays bounds one line's date range: the longest Chinese holiday is
// eight days, so a longer range is a typing mistake, not a holiday.
const maxRangeDays = 31

// ParseCalendar reads a calendar file: one exception per line,
//
//	# 国务院办公厅关于2025年部分节假日安排的通知
//	2025-01-01              holiday  元旦
//	2025-01-28..2025-02-04  holiday  春节
//	2025-01-26              workday  春节调休
//
// a date or an inclusive range FROM..TO, the word holiday (a day off) or
// workday (a make-up working day), and an optional name. A line
//
//	year 2025 国办发明电〔2024〕12号
//
// declares that the file holds the whole official schedule of that year, set
// by the notice named: the calendar then answers for that year and for no
// year that is not declared (see Bounded). A file without year lines is a
// correction of single days. Blank lines and
// lines starting with # are skipped. file names the input in the problems
// reported; any bad line makes the whole file rejected, every bad line
// listed.
func ParseCalendar(r io.Reader, file string) (*Calendar, error) {
	var (
		entries  []Entry
		years    []Year
		problems []apperr.Problem
		seen     = map[Date]int{} // date → the line that listed it
		seenYear = map[int]int{}  // year → the line that declared it
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(text, "year"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			y, reason := parseYear(rest)
			if reason == "" {
				if first, dup := seenYear[y.Year]; dup {
					reason = fmt.Sprintf("the year %d is already declared on line %d", y.Year, first)
				}
			}
			if reason != "" {
				problems = append(problems, apperr.Problem{File: file, Row: line, Reason: reason})
				continue
			}
			seenYear[y.Year] = line
			years = append(years, y)
			continue
		}
		got, reason := parseLine(text)
		if reason != "" {
			problems = append(problems, apperr.Problem{File: file, Row: line, Reason: reason})
			continue
		}
		for _, e := range got {
			if first, dup := seen[e.Date]; dup {
				problems = append(problems, apperr.Problem{File: file, Row: line,
					Reason: fmt.Sprintf("%s is already listed on line %d", e.Date, first)})
				continue
			}
			seen[e.Date] = line
			entries = append(entries, e)
		}
	}
	if err := sc.Err(); err != nil {
		problems = append(problems, apperr.Problem{File: file, Row: line + 1, Reason: "cannot read the line: " + err.Error()})
	}
	if len(problems) > 0 {
		return nil, apperr.InvalidInput("the calendar has errors; nothing was loaded", problems...)
	}
	if len(years) > 0 {
		return Bounded(years, entries...)
	}
	return New(entries...)
}

// parseYear reads the rest of a year line: the year, then the notice.
func parseYear(rest string) (Year, string) {
	parts := strings.Fields(rest)
	if len(parts) < 2 {
		return Year{}, "a year line is: year YYYY NOTICE, e.g. year 2026 国办发明电〔2025〕7号"
	}
	y, err := strconv.Atoi(parts[0])
	if err != nil || len(parts[0]) != 4 || y < 1000 {
		return Year{}, fmt.Sprintf("%q is not a year of four digits", parts[0])
	}
	return Year{Year: y, Notice: strings.Join(parts[1:], " ")}, ""
}

// parseLine reads one non-blank, non-comment line; reason says what is wrong.
func parseLine(text string) (entries []Entry, reason string) {
	parts := strings.Fields(text)
	if len(parts) < 2 {
		return nil, "expected a date or FROM..TO, then holiday or workday, then an optional name"
	}
	first, last, reason := parseRange(parts[0])
	if reason != "" {
		return nil, reason
	}
	var working bool
	switch parts[1] {
	case "holiday":
	case "workday":
		working = true
	default:
		return nil, fmt.Sprintf("%q must be holiday or workday", parts[1])
	}
	name := strings.Join(parts[2:], " ")
	for d := first; d <= last; d++ {
		entries = append(entries, Entry{Date: d, Working: working, Name: name})
	}
	return entries, ""
}

func parseRange(s string) (first, last Date, reason string) {
	from, to, isRange := strings.Cut(s, "..")
	first, err := ParseDate(from)
	if err != nil {
		return 0, 0, err.Error()
	}
	if !isRange {
		return first, first, ""
	}
	last, err = ParseDate(to)
	if err != nil {
		return 0, 0, err.Error()
	}
	switch {
	case last < first:
		return 0, 0, fmt.Sprintf("the range %s ends before it starts", s)
	case last-first >= maxRangeDays:
		return 0, 0, fmt.Sprintf("the range %s is longer than %d days", s, maxRangeDays)
	}
	return first, last, ""
}

// Format writes the calendar in the form ParseCalendar reads, one line per day.
func (c *Calendar) Format(w io.Writer) error {
	for _, y := range c.Years() {
		if _, err := fmt.Fprintf(w, "year %d %s\n", y.Year, y.Notice); err != nil {
			return err
		}
	}
	for _, e := range c.Entries() {
		kind := "holiday"
		if e.Working {
			kind = "workday"
		}
		line := e.Date.String() + " " + kind
		if e.Name != "" {
			line += " " + e.Name
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
	return nil
}
