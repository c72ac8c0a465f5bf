package appeal

import (
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/workday"
)

func cst(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, parkZone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAddWork(t *testing.T) {
	cal := workday.Official()
	cases := []struct {
		name, from string
		minutes    int
		want       string
	}{
		{"within the morning", "2026-09-24 10:00", 60, "2026-09-24 11:00"},
		{"over lunch", "2026-09-24 11:30", 60, "2026-09-24 14:00"},
		{"two hours from late afternoon", "2026-09-24 16:30", 120, "2026-09-28 10:00"}, // 25–27 中秋
		{"five days across 中秋 and 国庆", "2026-09-24 10:00", 5 * dayMinutes, "2026-10-09 10:00"},
		{"received on a holiday", "2026-10-03 20:00", 60, "2026-10-08 10:00"},
		{"received at night", "2026-10-09 20:00", 2 * 60, "2026-10-10 11:00"}, // Saturday 10 October is worked
		{"Spring Festival", "2026-02-13 15:00", dayMinutes, "2026-02-14 15:00"},
		{"Spring Festival, nine days off", "2026-02-14 15:00", dayMinutes, "2026-02-24 15:00"},
		{"ends exactly at closing", "2026-09-24 16:30", 60, "2026-09-24 17:30"},
	}
	for _, c := range cases {
		got, err := addWork(cal, cst(t, c.from), c.minutes)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if want := cst(t, c.want); !got.Equal(want) {
			t.Errorf("%s: got %s, want %s", c.name, got.In(parkZone).Format("2006-01-02 15:04"), c.want)
		}
		back, err := workBetween(cal, cst(t, c.from), got)
		if err != nil || back != c.minutes {
			t.Errorf("%s: workBetween = %d, %v; want %d", c.name, back, err, c.minutes)
		}
	}
	if _, err := addWork(cal, cst(t, "2026-12-30 10:00"), 10*dayMinutes); err == nil || err.Error() != "no calendar for 2027" {
		t.Errorf("into 2027: %v", err)
	}
}
