package workday

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// china2025 is part of the State Council's 2025 schedule: the Spring
// Festival (eight days off, with Sunday 26 January and Saturday 8 February
// worked) and National Day.
const china2025 = `# 国务院办公厅关于2025年部分节假日安排的通知（节选）
2025-01-01 holiday 元旦
2025-01-28..2025-02-04 holiday 春节
2025-01-26 workday 春节调休
2025-02-08 workday 春节调休
2025-10-01..2025-10-08 holiday 国庆节、中秋节
2025-09-28 workday 国庆节调休
2025-10-11 workday 国庆节调休
`

func mustChina2025(t testing.TB) *Calendar {
	t.Helper()
	c, err := ParseCalendar(strings.NewReader(china2025), "china2025.txt")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDateRoundTrip(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2000-02-29", "2024-12-31", "2025-01-28", "1969-12-31", "2100-03-01"} {
		d := mustDate(t, s)
		if d.String() != s {
			t.Errorf("ParseDate(%q).String() = %q", s, d)
		}
		want, _ := time.Parse(Layout, s)
		if d.Weekday() != want.Weekday() {
			t.Errorf("%s: weekday %v, want %v", s, d.Weekday(), want.Weekday())
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	for _, s := range []string{"", "2025-1-01", "2025-02-30", "2025/01/01", "20250101", " 2025-01-01"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) succeeded", s)
		}
	}
}

func TestMonth(t *testing.T) {
	d := mustDate(t, "2024-02-15")
	m := d.Month()
	if got := m.String(); got != "2024-02" {
		t.Errorf("month %s", got)
	}
	if m.First() != mustDate(t, "2024-02-01") || m.Last() != mustDate(t, "2024-02-29") {
		t.Errorf("February 2024 runs %s..%s", m.First(), m.Last())
	}
	if (m+11).String() != "2025-01" || (m+11).Year() != 2025 {
		t.Errorf("eleven months on is %s", m+11)
	}
}

func TestIsWorkday(t *testing.T) {
	c := mustChina2025(t)
	tests := []struct {
		name string
		date string
		want bool
	}{
		{"ordinary Monday", "2025-03-03", true},
		{"ordinary Saturday", "2025-03-01", false},
		{"holiday on a weekday", "2025-01-01", false},
		{"Spring Festival weekday", "2025-01-29", false},
		{"make-up working Sunday", "2025-01-26", true},
		{"make-up working Saturday", "2025-02-08", true},
		{"National Day weekend inside the holiday", "2025-10-04", false},
		{"day after the holiday", "2025-10-09", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.IsWorkday(mustDate(t, tt.date)); got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestAddWorkdays(t *testing.T) {
	c := mustChina2025(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"zero is the day itself", "2025-03-01", 0, "2025-03-01"},
		{"Friday plus three", "2025-03-07", 3, "2025-03-12"},
		{"across the Spring Festival, counting the make-up Sunday", "2025-01-24", 1, "2025-01-26"},
		{"across the whole festival", "2025-01-27", 1, "2025-02-05"},
		{"backwards over a weekend", "2025-03-10", -1, "2025-03-07"},
		{"backwards into the make-up Saturday", "2025-02-10", -1, "2025-02-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Add(mustDate(t, tt.from), tt.n); got.String() != tt.want {
				t.Errorf("Add(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestFirstLastCount(t *testing.T) {
	c := mustChina2025(t)
	from, to := mustDate(t, "2025-01-27"), mustDate(t, "2025-02-07")
	if d, ok := c.First(from, to); !ok || d.String() != "2025-01-27" {
		t.Errorf("First = %s %v", d, ok)
	}
	if d, ok := c.Last(mustDate(t, "2025-01-28"), mustDate(t, "2025-02-04")); ok {
		t.Errorf("the Spring Festival holds a working day: %s", d)
	}
	if d, ok := c.Last(from, to); !ok || d.String() != "2025-02-07" {
		t.Errorf("Last = %s %v", d, ok)
	}
	// 27 Jan, then 5, 6, 7 Feb.
	if n := c.Count(from, to); n != 4 {
		t.Errorf("Count = %d, want 4", n)
	}
}

func TestParseCalendarProblems(t *testing.T) {
	input := "2025-01-01 holiday 元旦\n" +
		"2025-13-01 holiday\n" +
		"2025-01-05 vacation\n" +
		"2025-01-01 workday\n" +
		"2025-03-10..2025-03-01 holiday\n" +
		"2025-03-01..2025-05-01 holiday\n" +
		"lonely\n"
	_, err := ParseCalendar(strings.NewReader(input), "cal.txt")
	if apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("err = %v, want invalid", err)
	}
	var rows []int
	for _, p := range apperr.ProblemsOf(err) {
		if p.File != "cal.txt" {
			t.Errorf("problem without the file: %+v", p)
		}
		rows = append(rows, p.Row)
	}
	want := []int{2, 3, 4, 5, 6, 7}
	if len(rows) != len(want) {
		t.Fatalf("problem rows %v, want %v", rows, want)
	}
	for i := range want {
		if rows[i] != want[i] {
			t.Fatalf("problem rows %v, want %v", rows, want)
		}
	}
}

func TestNewRefusesContradiction(t *testing.T) {
	d := Date(20000)
	_, err := New(Entry{Date: d}, Entry{Date: d, Working: true})
	if err == nil {
		t.Fatal("a day both off and working was accepted")
	}
}

func TestFormatRoundTrip(t *testing.T) {
	c := mustChina2025(t)
	var buf bytes.Buffer
	if err := c.Format(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := ParseCalendar(&buf, "formatted")
	if err != nil {
		t.Fatal(err)
	}
	a, b := c.Entries(), again.Entries()
	if len(a) != len(b) {
		t.Fatalf("%d entries became %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("entry %d: %+v became %+v", i, a[i], b[i])
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("disk gone") }

func TestParseCalendarReadError(t *testing.T) {
	if _, err := ParseCalendar(failingReader{}, "x"); err == nil {
		t.Fatal("a read error was swallowed")
	}
}

func FuzzParseCalendar(f *testing.F) {
	f.Add(china2025)
	f.Add("2025-01-01..2025-01-31 holiday x\n")
	f.Add("2025-01-01 workday\n2025-01-01 holiday\n")
	f.Add("year 2026 国办发明电〔2025〕7号\n2026-01-01..2026-01-03 holiday 元旦\nyear 2026 x\n")
	f.Fuzz(func(t *testing.T, input string) {
		c, err := ParseCalendar(strings.NewReader(input), "fuzz")
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error %v is not an invalid-input error", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := c.Format(&buf); err != nil {
			t.Fatal(err)
		}
		again, err := ParseCalendar(&buf, "again")
		if err != nil {
			t.Fatalf("formatted calendar does not parse: %v\n%s", err, buf.String())
		}
		if len(again.Entries()) != len(c.Entries()) {
			t.Fatalf("round trip changed the entries")
		}
	})
}

func TestTextRoundTrip(t *testing.T) {
	d := mustDate(t, "2025-02-28")
	b, _ := d.MarshalText()
	var back Date
	if err := back.UnmarshalText(b); err != nil || back != d {
		t.Errorf("date %s came back as %s (%v)", d, back, err)
	}
	m := d.Month()
	b, _ = m.MarshalText()
	var mb Month
	if err := mb.UnmarshalText(b); err != nil || mb != m {
		t.Errorf("month %s came back as %s (%v)", m, mb, err)
	}
	if err := mb.UnmarshalText([]byte("2025-13")); err == nil {
		t.Error("month 13 accepted")
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-01-28", "1970-01-01", "2024-02-29", "2025-02-30", "", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) = %s: not the text it came from", s, d)
		}
	})
}
