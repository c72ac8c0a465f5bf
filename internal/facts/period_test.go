package facts

import "testing"

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in      string
		want    Period
		wantErr bool
	}{
		{"", Period{}, false},
		{"2023", Year(2023), false},
		{"2023Q1", Quarter(2023, 1), false},
		{"2023Q4", Quarter(2023, 4), false},
		{"2023-01", Month(2023, 1), false},
		{"2023-12", Month(2023, 12), false},
		{"2023Q0", Period{}, true},
		{"2023Q5", Period{}, true},
		{"2023-00", Period{}, true},
		{"2023-13", Period{}, true},
		{"2023-1", Period{}, true},
		{"20233", Period{}, true},
		{"1899", Period{}, true},
		{"23", Period{}, true},
		{"２０２３", Period{}, true},
		{"2023/01", Period{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePeriod(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParsePeriod(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("ParsePeriod(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if err == nil && got.String() != tt.in {
				t.Errorf("ParsePeriod(%q).String() = %q: not canonical", tt.in, got.String())
			}
		})
	}
}

func TestPeriodArithmetic(t *testing.T) {
	tests := []struct {
		name string
		got  Period
		want Period
	}{
		{"month forward over a year end", Month(2022, 11).AddMonths(3), Month(2023, 2)},
		{"month back over a year start", Month(2023, 2).AddMonths(-3), Month(2022, 11)},
		{"month back exactly twelve", Month(2023, 1).AddMonths(-12), Month(2022, 1)},
		{"month back many years", Month(2023, 1).AddMonths(-37), Month(2019, 12)},
		{"quarter back over a year start", Quarter(2023, 1).AddQuarters(-1), Quarter(2022, 4)},
		{"quarter forward", Quarter(2023, 4).AddQuarters(5), Quarter(2025, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	if Month(2023, 1).Index()-Month(2022, 12).Index() != 1 {
		t.Error("consecutive months must have consecutive indexes")
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "2023", "2023Q2", "2023-07", "9999-99", "2023Q", "-2023"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("ParsePeriod(%q) accepted a non-canonical text; String() = %q", s, p.String())
		}
	})
}

func TestParseDateRange(t *testing.T) {
	for in, ok := range map[string]bool{"1900-01-01": true, "2099-12-31": true, "2024-02-29": true,
		"1899-12-31": false, "2100-01-01": false, "0000-01-01": false, "9999-12-31": false, "2023-02-29": false} {
		if _, err := ParseDate(in); (err == nil) != ok {
			t.Errorf("ParseDate(%q): %v", in, err)
		}
	}
}
