package i18n

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestChoose(t *testing.T) {
	tests := []struct {
		name       string
		remembered string
		accept     string
		want       Lang
	}{
		{"nothing said is Chinese", "", "", Chinese},
		{"remembered English wins over the browser", "en", "zh-CN,zh;q=0.9", English},
		{"remembered Chinese wins over the browser", "zh-CN", "en-US,en;q=0.9", Chinese},
		{"unknown remembered value falls to the browser", "fr", "en-GB", English},
		{"browser English", "", "en-US,en;q=0.9", English},
		{"browser Chinese", "", "zh-CN,zh;q=0.9,en;q=0.8", Chinese},
		{"browser prefers Chinese by weight", "", "en;q=0.5,zh;q=0.9", Chinese},
		{"traditional Chinese reads simplified", "", "zh-TW", Chinese},
		{"unsupported language is Chinese", "", "fr-FR", Chinese},
		{"garbage header is Chinese", "", ";;;q=abc", Chinese},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Choose(tt.remembered, tt.accept); got != tt.want {
				t.Errorf("Choose(%q, %q) = %s, want %s", tt.remembered, tt.accept, got, tt.want)
			}
		})
	}
}

func TestCatalogsHaveTheSameKeys(t *testing.T) {
	zh, en := Keys(Chinese), Keys(English)
	for _, k := range zh {
		if !slices.Contains(en, k) {
			t.Errorf("key %q is in zh-CN but not in en", k)
		}
	}
	for _, k := range en {
		if !slices.Contains(zh, k) {
			t.Errorf("key %q is in en but not in zh-CN", k)
		}
	}
}

func TestCatalogMessagesAreTranslated(t *testing.T) {
	// A message whose Chinese text has no Chinese character was most likely
	// copied and not translated. Keys listed here are the same in both.
	sameInBoth := map[string]bool{"size.kb": true, "size.mb": true} // units written alike
	for _, key := range Keys(Chinese) {
		if sameInBoth[key] || strings.HasPrefix(key, "lang.") {
			continue
		}
		zh := For(Chinese).T(key, 1, 1, 1)
		if !strings.ContainsFunc(zh, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) && strings.ContainsFunc(zh, isLetter) {
			t.Errorf("zh-CN %q = %q has no Chinese", key, zh)
		}
	}
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func TestMissingKeyShows(t *testing.T) {
	if got := For(English).T("no.such.key"); got != "⟦no.such.key⟧" {
		t.Errorf("missing key = %q", got)
	}
}

func TestPlural(t *testing.T) {
	tests := []struct {
		lang Lang
		n    int
		want string
	}{
		{English, 1, "1 enterprise"},
		{English, 2, "2 enterprises"},
		{English, 13000, "13,000 enterprises"},
		{Chinese, 1, "1 家企业"},
		{Chinese, 13000, "13,000 家企业"},
	}
	for _, tt := range tests {
		if got := For(tt.lang).N("enterprises.count", tt.n); got != tt.want {
			t.Errorf("%s N(%d) = %q, want %q", tt.lang, tt.n, got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		name, in string
		zh, en   string
		zhExact  string
		enExact  string
	}{
		{"hundreds", "850.5", "850.5元", "¥850.5", "850.50元", "¥850.50"},
		{"thousands", "8500", "8,500元", "¥8,500", "8,500.00元", "¥8,500.00"},
		{"just under a wan", "9999.99", "9,999.99元", "¥9,999.99", "9,999.99元", "¥9,999.99"},
		{"one wan", "10000", "1万元", "¥10,000", "10,000.00元", "¥10,000.00"},
		{"the V4 refund", "1760000.00", "176万元", "¥1.76M", "1,760,000.00元", "¥1,760,000.00"},
		{"wan rounds half up", "1234567.89", "123.46万元", "¥1.23M", "1,234,567.89元", "¥1,234,567.89"},
		{"yi", "134000000", "1.34亿元", "¥134M", "134,000,000.00元", "¥134,000,000.00"},
		{"many yi", "123456789012", "1,234.57亿元", "¥123.46B", "123,456,789,012.00元", "¥123,456,789,012.00"},
		{"negative", "-20000", "−2万元", "−¥20,000", "−20,000.00元", "−¥20,000.00"},
		{"zero", "0.00", "0元", "¥0", "0.00元", "¥0.00"},
		{"empty", "", "–", "–", "–", "–"},
		{"not a number", "n/a", "n/a", "n/a", "n/a", "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := For(Chinese).Money(tt.in); got != tt.zh {
				t.Errorf("zh Money(%q) = %q, want %q", tt.in, got, tt.zh)
			}
			if got := For(English).Money(tt.in); got != tt.en {
				t.Errorf("en Money(%q) = %q, want %q", tt.in, got, tt.en)
			}
			if got := For(Chinese).MoneyExact(tt.in); got != tt.zhExact {
				t.Errorf("zh MoneyExact(%q) = %q, want %q", tt.in, got, tt.zhExact)
			}
			if got := For(English).MoneyExact(tt.in); got != tt.enExact {
				t.Errorf("en MoneyExact(%q) = %q, want %q", tt.in, got, tt.enExact)
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	zh, en := For(Chinese), For(English)
	if got := en.Int(1234567); got != "1,234,567" {
		t.Errorf("en Int = %q", got)
	}
	if got := zh.Int(13000); got != "13,000" {
		t.Errorf("zh Int = %q", got)
	}
	if got := en.Decimal("-1234567.5"); got != "−1,234,567.5" {
		t.Errorf("Decimal = %q", got)
	}
	if got := en.Ratio("0.046"); got != "4.60%" {
		t.Errorf("Ratio = %q", got)
	}
	if got := zh.Ratio("0.12345"); got != "12.35%" {
		t.Errorf("Ratio rounds half up: %q", got)
	}
	if got := en.Pct(1, 8); got != "12.5%" {
		t.Errorf("Pct = %q", got)
	}
	if got := en.Pct(1, 0); got != "–" {
		t.Errorf("Pct of nothing = %q", got)
	}
}

func TestDatesAndPeriods(t *testing.T) {
	zh, en := For(Chinese), For(English)
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	if got := zh.Date(day); got != "2024年3月5日" {
		t.Errorf("zh Date = %q", got)
	}
	if got := en.Date(day); got != "5 Mar 2024" {
		t.Errorf("en Date = %q", got)
	}
	// 23:30 UTC is the next morning in the park.
	late := time.Date(2024, 3, 5, 23, 30, 0, 0, time.UTC)
	if got := zh.DateTime(late); got != "2024年3月6日 07:30" {
		t.Errorf("zh DateTime = %q", got)
	}
	if got := en.DateTime(late); got != "6 Mar 2024 07:30" {
		t.Errorf("en DateTime = %q", got)
	}
	if got := en.Date(time.Time{}); got != "–" {
		t.Errorf("zero date = %q", got)
	}
	if got := zh.DateText("2016-05-12"); got != "2016年5月12日" {
		t.Errorf("DateText = %q", got)
	}
	periods := []struct{ in, zh, en string }{
		{"2023", "2023年", "2023"},
		{"2023Q4", "2023年第4季度", "Q4 2023"},
		{"2023-07", "2023年7月", "Jul 2023"},
		{"", "–", "–"},
	}
	for _, p := range periods {
		if got := zh.Period(p.in); got != p.zh {
			t.Errorf("zh Period(%q) = %q, want %q", p.in, got, p.zh)
		}
		if got := en.Period(p.in); got != p.en {
			t.Errorf("en Period(%q) = %q, want %q", p.in, got, p.en)
		}
	}
}

func FuzzMoney(f *testing.F) {
	for _, s := range []string{"1760000.00", "-0.005", "1e30", "NaN", "", "12abc", "99999999.995"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range Langs {
			loc := For(l)
			if loc.Money(s) == "" || loc.MoneyExact(s) == "" || loc.Decimal(s) == "" || loc.Ratio(s) == "" {
				t.Fatalf("%s: empty formatting of %q", l, s)
			}
		}
	})
}

func FuzzChoose(f *testing.F) {
	for _, s := range []string{"zh-CN,zh;q=0.9", "en-US", "", "*", "fr;q=0.1, en;q=0.05", ";;q=,", "zh-Hant-TW"} {
		f.Add("", s)
		f.Add("en", s)
	}
	f.Fuzz(func(t *testing.T, remembered, accept string) {
		got := Choose(remembered, accept)
		if got != Chinese && got != English {
			t.Fatalf("Choose(%q, %q) = %q", remembered, accept, got)
		}
		if l, ok := ParseLang(remembered); ok && got != l {
			t.Fatalf("the remembered %q (%s) lost to Accept-Language %q: %s", remembered, l, accept, got)
		}
	})
}
