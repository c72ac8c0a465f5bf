package workday

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestOfficialYears holds the shipped data to the notices: each year's
// notice number, the number of days off its spans add up to, and the
// weekend days it makes working (counted from the notices' text, not from
// the files).
func TestOfficialYears(t *testing.T) {
	want := []struct {
		year          int
		notice        string
		daysOff, work int
	}{
		{2020, "国办发明电〔2019〕16号，国办发明电〔2020〕1号", 30, 6},
		{2021, "国办发明电〔2020〕27号", 31, 7},
		{2022, "国办发明电〔2021〕11号", 31, 7},
		{2023, "国办发明电〔2022〕16号", 27, 7},
		{2024, "国办发明电〔2023〕7号", 28, 8},
		{2025, "国办发明电〔2024〕12号", 28, 5},
		{2026, "国办发明电〔2025〕7号", 33, 6},
	}
	c := Official()
	years := c.Years()
	if len(years) != len(want) {
		t.Fatalf("%d years shipped, want %d", len(years), len(want))
	}
	// The 2023 schedule starts on 2022-12-31; count each span with the
	// notice that set it, as the notices do.
	noticeYear := func(d Date) int {
		y, m, day := d.Civil()
		if m == time.December && day == 31 && y == 2022 {
			return 2023
		}
		return y
	}
	off, work := map[int]int{}, map[int]int{}
	for _, e := range c.Entries() {
		if e.Working {
			work[noticeYear(e.Date)]++
			if wd := e.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
				t.Errorf("%s is a make-up working day on a %s", e.Date, wd)
			}
		} else {
			off[noticeYear(e.Date)]++
		}
		if e.Name == "" {
			t.Errorf("%s has no name", e.Date)
		}
	}
	for i, w := range want {
		if years[i].Year != w.year || years[i].Notice != w.notice {
			t.Errorf("year %d: got %+v, want %d %s", i, years[i], w.year, w.notice)
		}
		if off[w.year] != w.daysOff || work[w.year] != w.work {
			t.Errorf("%d: %d days off and %d worked, want %d and %d", w.year, off[w.year], work[w.year], w.daysOff, w.work)
		}
	}
}

// TestOfficial20252026 walks every holiday of 2025 and 2026: the days
// around each, as the notices set them.
func TestOfficial20252026(t *testing.T) {
	c := Official()
	rest := []string{
		"2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04",
		"2025-05-01", "2025-05-05", "2025-05-31", "2025-06-02", "2025-10-01", "2025-10-08",
		"2026-01-01", "2026-01-02", "2026-02-15", "2026-02-16", "2026-02-23", "2026-04-06",
		"2026-05-04", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-07",
	}
	working := []string{
		"2025-01-26", "2025-02-08", "2025-04-07", "2025-04-27", "2025-05-06", "2025-06-03", "2025-09-28", "2025-10-09", "2025-10-11",
		"2026-01-04", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-28", "2026-04-07", "2026-05-09",
		"2026-06-22", "2026-09-20", "2026-09-28", "2026-10-08", "2026-10-10", "2026-12-31",
	}
	for _, s := range rest {
		if w, err := c.Working(mustDate(t, s)); err != nil || w {
			t.Errorf("%s: working=%t err=%v, want rest", s, w, err)
		}
	}
	for _, s := range working {
		if w, err := c.Working(mustDate(t, s)); err != nil || !w {
			t.Errorf("%s: working=%t err=%v, want working", s, w, err)
		}
	}
	adds := []struct {
		from string
		n    int
		want string
	}{
		{"2026-09-24", 5, "2026-10-09"}, // the example: 中秋 and 国庆
		{"2026-02-13", 1, "2026-02-14"}, // Saturday 14 February is worked
		{"2026-02-14", 1, "2026-02-24"}, // nine days of Spring Festival
		{"2025-01-24", 2, "2025-01-27"}, // Sunday 26 January worked
		{"2025-09-30", 1, "2025-10-09"},
		{"2025-10-09", 2, "2025-10-11"}, // Saturday 11 October worked
		{"2025-12-31", 1, "2026-01-04"}, // across the years: Sunday 4 January is worked
		{"2026-10-09", -5, "2026-09-24"},
	}
	for _, a := range adds {
		got, err := c.After(mustDate(t, a.from), a.n)
		if err != nil || got.String() != a.want {
			t.Errorf("After(%s, %d) = %s, %v; want %s", a.from, a.n, got, err, a.want)
		}
	}
}

func TestOfficialRefusesUnknownYears(t *testing.T) {
	c := Official()
	for _, s := range []string{"2027-01-04", "2019-12-31"} {
		_, err := c.Working(mustDate(t, s))
		var nc *NoCalendarError
		if !errors.As(err, &nc) || !errors.Is(err, ErrNoCalendar) {
			t.Errorf("%s: err = %v, want no calendar", s, err)
		}
	}
	if _, err := c.After(mustDate(t, "2026-12-30"), 5); err == nil || err.Error() != "no calendar for 2027" {
		t.Errorf("After into 2027: err = %v", err)
	}
	// The plain working week is not bounded: it answers every year.
	if _, err := Weekends().Working(mustDate(t, "2027-01-04")); err != nil {
		t.Errorf("weekends: %v", err)
	}
}

func TestOverlay(t *testing.T) {
	base := Official()
	file := "year 2027 国办发明电〔2026〕99号\n2027-01-01 holiday 元旦\n"
	add, err := ParseCalendar(strings.NewReader(file), "2027.txt")
	if err != nil {
		t.Fatal(err)
	}
	c, err := base.Overlay(add.Years(), add.Entries())
	if err != nil {
		t.Fatal(err)
	}
	if w, err := c.Working(mustDate(t, "2027-01-01")); err != nil || w {
		t.Errorf("2027-01-01 after loading: %t %v", w, err)
	}
	if w, _ := c.Working(mustDate(t, "2026-10-01")); w {
		t.Error("the overlay lost 2026")
	}
	// A year loaded again replaces the shipped one whole.
	redo, err := base.Overlay([]Year{{Year: 2026, Notice: "更正"}}, []Entry{{Date: mustDate(t, "2026-10-01"), Name: "国庆节"}})
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := redo.Working(mustDate(t, "2026-10-02")); !w {
		t.Error("a replaced year kept its old holidays")
	}
	if base.Fingerprint() == redo.Fingerprint() || base.Fingerprint() != Official().Fingerprint() {
		t.Error("fingerprints do not follow the calendar")
	}
}

func TestParseYearLines(t *testing.T) {
	c, err := ParseCalendar(strings.NewReader("year 2027 某通知\n2027-01-01 holiday 元旦\n"), "y.txt")
	if err != nil || !c.Covers(2027) || c.Covers(2026) {
		t.Fatalf("years: %v %v", c.Years(), err)
	}
	for _, bad := range []string{"year 2027\n", "year 27 x\n", "year 2027 a\nyear 2027 b\n", "year abcd x\n"} {
		if _, err := ParseCalendar(strings.NewReader(bad), "y.txt"); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
