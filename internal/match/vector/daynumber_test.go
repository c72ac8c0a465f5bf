package vector

import (
	"testing"
	"time"
)

func TestDayNumberMatchesTime(t *testing.T) {
	for d := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 2100; d = d.AddDate(0, 0, 1) {
		y, m, dd := d.Date()
		if got, want := dayNumber(int64(y)*10000+int64(m)*100+int64(dd)), d.Unix()/86400; got != want {
			t.Fatalf("%s: %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}
