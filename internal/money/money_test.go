package money_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/money"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want money.Fen
		bad  bool
	}{
		{in: "1760000", want: 176000000},
		{in: "1760000.5", want: 176000050},
		{in: "1760000.00", want: 176000000},
		{in: "0.05", want: 5},
		{in: "-12.5", want: -1250},
		{in: "007.10", want: 710},
		{in: "9999999999999999.99", want: 999999999999999999},
		{in: "", bad: true},
		{in: "-", bad: true},
		{in: ".5", bad: true},
		{in: "5.", bad: true},
		{in: "1.005", bad: true},
		{in: "1,760,000", bad: true},
		{in: "+5", bad: true},
		{in: "1e3", bad: true},
		{in: " 5", bad: true},
		{in: "--5", bad: true},
		{in: "10000000000000000", bad: true}, // 17 digits of yuan
	}
	for _, tt := range tests {
		got, err := money.Parse(tt.in)
		if tt.bad {
			if err == nil {
				t.Errorf("Parse(%q) = %d, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestRoundIsHalfUpOnce(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"1.004", "1.00"},
		{"1.005", "1.01"},
		{"1.0049999999999999999999", "1.00"},
		{"-1.005", "-1.01"}, // half away from zero
		{"1760000", "1760000.00"},
		{"0.125", "0.13"},
		{"2E+3", "2000.00"},
		{"1234567.891", "1234567.89"},
	}
	for _, tt := range tests {
		got, err := money.RoundText(tt.in)
		if err != nil || got.String() != tt.want {
			t.Errorf("RoundText(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	// Rounding twice is not rounding once: 1.0049 → 1.00, whereas a
	// first rounding to three decimals (1.005) would round up.
	d, _, _ := apd.NewFromString("1.0049")
	if f, _ := money.Round(d); f != 100 {
		t.Errorf("Round(1.0049) = %s, want 1.00", f)
	}
	for _, bad := range []string{"1E+20", "NaN", "Infinity"} {
		if _, err := money.RoundText(bad); !errors.Is(err, money.ErrRange) {
			t.Errorf("RoundText(%q) = %v, want ErrRange", bad, err)
		}
	}
	if _, err := money.RoundText("ten"); err == nil {
		t.Error("RoundText(ten) gave no error")
	}
}

func TestStringAndGrouped(t *testing.T) {
	tests := []struct {
		f              money.Fen
		plain, grouped string
	}{
		{0, "0.00", "0.00"},
		{5, "0.05", "0.05"},
		{-5, "-0.05", "-0.05"},
		{176000000, "1760000.00", "1,760,000.00"},
		{money.Yuan(1234), "1234.00", "1,234.00"},
		{-123456789, "-1234567.89", "-1,234,567.89"},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.plain {
			t.Errorf("%d.String() = %q, want %q", tt.f, got, tt.plain)
		}
		if got := tt.f.Grouped(); got != tt.grouped {
			t.Errorf("%d.Grouped() = %q, want %q", tt.f, got, tt.grouped)
		}
		if d := tt.f.Decimal(); d.Text('f') != tt.plain {
			t.Errorf("%d.Decimal() = %s, want %s", tt.f, d.Text('f'), tt.plain)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name, in         string
		zh, en           string
		zhExact, enExact string
	}{
		{"hundreds", "850.5", "850.5元", "¥850.5", "850.50元", "¥850.50"},
		{"thousands", "8500", "8,500元", "¥8,500", "8,500.00元", "¥8,500.00"},
		{"just under a wan", "9999.99", "9,999.99元", "¥9,999.99", "9,999.99元", "¥9,999.99"},
		{"one wan", "10000", "1万元", "¥10,000", "10,000.00元", "¥10,000.00"},
		{"the V4 refund", "1760000.00", "176万元", "¥1.76M", "1,760,000.00元", "¥1,760,000.00"},
		{"wan rounds half up", "1234567.89", "123.46万元", "¥1.23M", "1,234,567.89元", "¥1,234,567.89"},
		{"half a hundredth of a wan", "50", "50元", "¥50", "50.00元", "¥50.00"},
		{"rounds up to the next unit's digits", "99995000", "9,999.5万元", "¥100M", "99,995,000.00元", "¥99,995,000.00"},
		{"yi", "134000000", "1.34亿元", "¥134M", "134,000,000.00元", "¥134,000,000.00"},
		{"funds in place", "1340000000", "13.4亿元", "¥1.34B", "1,340,000,000.00元", "¥1,340,000,000.00"},
		{"many yi", "123456789012", "1,234.57亿元", "¥123.46B", "123,456,789,012.00元", "¥123,456,789,012.00"},
		{"negative", "-20000", "−2万元", "−¥20,000", "−20,000.00元", "−¥20,000.00"},
		{"zero", "0.00", "0元", "¥0", "0.00元", "¥0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := money.Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct{ got, want, what string }{
				{money.Format(f, "zh-CN"), tt.zh, "zh"},
				{money.Format(f, "en"), tt.en, "en"},
				{money.FormatExact(f, "zh"), tt.zhExact, "zh exact"},
				{money.FormatExact(f, "en-GB"), tt.enExact, "en exact"},
			} {
				if c.got != c.want {
					t.Errorf("%s of %s = %q, want %q", c.what, tt.in, c.got, c.want)
				}
			}
		})
	}
}

// TestSQLSumIsExact sums amounts whose float sum is not exact, on both
// databases, and reads NULL (no rows) as zero.
func TestSQLSumIsExact(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.Exec(ctx, "CREATE TABLE amounts (k TEXT NOT NULL, amount TEXT)"); err != nil {
			t.Fatal(err)
		}
		var want money.Fen
		for i := range 1000 {
			f := money.Fen(10 + i%3) // 0.10, 0.11, 0.12: 0.1 is not a binary fraction
			want += f
			if _, err := db.Exec(ctx, "INSERT INTO amounts (k, amount) VALUES ('a', ?)", f.String()); err != nil {
				t.Fatal(err)
			}
		}
		big := money.Fen(999999999999999999)
		if _, err := db.Exec(ctx, "INSERT INTO amounts (k, amount) VALUES ('b', ?), ('b', NULL), ('c', NULL)", big.String()); err != nil {
			t.Fatal(err)
		}
		sums := map[string]money.Fen{}
		rows, err := db.Query(ctx, "SELECT k, "+money.SQLSum("amount")+" FROM amounts GROUP BY k ORDER BY k")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var f money.Fen
			if err := rows.Scan(&k, &f); err != nil {
				t.Fatal(err)
			}
			sums[k] = f
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if sums["a"] != want || sums["b"] != big || sums["c"] != 0 {
			t.Errorf("sums = %v, want a=%d b=%d c=0", sums, want, big)
		}
		var stored money.Fen
		if err := db.QueryRow(ctx, "SELECT amount FROM amounts WHERE k = 'b' AND amount IS NOT NULL").Scan(&stored); err != nil || stored != big {
			t.Errorf("scan of stored text = %d, %v; want %d", stored, err, big)
		}
	})
}

// FuzzParse: whatever Parse accepts, String writes back canonically and
// Parse reads the same amount again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"0", "1.5", "-0.05", "1760000.00", "9999999999999999.99", "1e3", ".5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := money.Parse(s)
		if err != nil {
			return
		}
		again, err := money.Parse(v.String())
		if err != nil || again != v {
			t.Fatalf("Parse(%q) = %d, but Parse(String()=%q) = %d, %v", s, v, v.String(), again, err)
		}
		r, err := money.RoundText(s)
		if err != nil || r != v {
			t.Fatalf("RoundText(%q) = %d, %v; Parse gave %d", s, r, err, v)
		}
		_ = money.Format(v, "zh")
		_ = money.Format(v, "en")
	})
}
