package schedule

import (
	"slices"
	"testing"
)

func TestParseWindows(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		want    []QuietWindow
		wantErr bool
	}{
		{"days of the month", "1-20", []QuietWindow{{FirstDay: 1, LastDay: 20}}, false},
		{"en dash and Chinese", "1–10，21至25日", []QuietWindow{{FirstDay: 1, LastDay: 10}, {FirstDay: 21, LastDay: 25}}, false},
		{"one day", "15", []QuietWindow{{FirstDay: 15, LastDay: 15}}, false},
		{"dates", "2025-03-01..2025-03-07; 1-5", []QuietWindow{
			{From: mustDate(t, "2025-03-01"), To: mustDate(t, "2025-03-07")}, {FirstDay: 1, LastDay: 5}}, false},
		{"nothing", " , ", nil, false},
		{"day 0", "0-5", nil, true},
		{"day 32", "20-32", nil, true},
		{"backwards days", "20-1", nil, true},
		{"backwards dates", "2025-03-07..2025-03-01", nil, true},
		{"words", "weekdays", nil, true},
		{"bad date", "2025-02-30..2025-03-01", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWindows(tt.text)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParseWindows(f *testing.F) {
	for _, s := range []string{"1-20", "1–10，21至25日", "2025-03-01..2025-03-07; 1-5", "0-5", ".."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		ws, err := ParseWindows(text)
		if err != nil {
			return
		}
		again, err := ParseWindows(FormatWindows(ws))
		if err != nil {
			t.Fatalf("formatted windows %q do not parse: %v", FormatWindows(ws), err)
		}
		if !slices.Equal(again, ws) {
			t.Fatalf("round trip changed %+v into %+v", ws, again)
		}
	})
}
