package enterprise

import (
	"strings"
	"testing"
	"time"
)

func TestParseRegistrationDate(t *testing.T) {
	now := time.Date(2026, 3, 10, 23, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want string // part of the error, "" for none
	}{
		{"2016-05-12", ""},
		{"1900-01-01", ""},
		{"2026-03-11", ""}, // today in a time zone ahead of the server's
		{"2026-03-12", "in the future"},
		{"3000-01-01", "in the future"},
		{"9999-12-31", "in the future"},
		{"0000-01-01", "before 1900-01-01"},
		{"1899-12-31", "before 1900-01-01"},
		{"2016-5-12", "not a date"},
		{"2016-02-30", "not a date"},
		{"", "not a date"},
	} {
		_, err := ParseRegistrationDate(tt.in, now)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%q: error %v, want one saying %q", tt.in, err, tt.want)
		}
	}
}

// FuzzParseRegistrationDate: whatever the text, an accepted date is a real
// day from 1900 to tomorrow, written back as it was given.
func FuzzParseRegistrationDate(f *testing.F) {
	for _, s := range []string{"2016-05-12", "0000-01-01", "9999-12-31", "1900-01-01", "2016-13-01", "x"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseRegistrationDate(s, now)
		if err != nil {
			return
		}
		if d.Format(time.DateOnly) != s || d.Year() < 1900 || d.After(now.AddDate(0, 0, 1)) {
			t.Fatalf("accepted %q as %v", s, d)
		}
	})
}
