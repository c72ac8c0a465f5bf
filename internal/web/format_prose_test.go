package web

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// TestProseValues: what the rule engine quotes as stored reads, in a
// Chinese page, as Chinese prose: dates, booleans, enum values, and
// amounts in 万/亿; an English page gets its dates.
func TestProseValues(t *testing.T) {
	zh, en := i18n.For(i18n.Chinese), i18n.For(i18n.English)
	for _, tc := range []struct {
		l        *i18n.Localizer
		in, want string
	}{
		{zh, "本政策有效期为2023-01-01至2027-12-31", "本政策有效期为2023年1月1日至2027年12月31日"},
		{zh, "高新技术企业：false；纳税人类型：general", "高新技术企业：否；纳税人类型：一般纳税人"},
		{zh, "加计扣除额：3,170,221.45元，少缴 8,500.00元", "加计扣除额：317.02万元，少缴 8,500元"},
		{zh, "退税 123,456,789.00元", "退税 1.23亿元"},
		{zh, "unknown_code 保持原样", "unknown_code 保持原样"},
		{en, "in force 2023-01-01 to 2027-12-31: false", "in force 1 Jan 2023 to 31 Dec 2027: false"},
	} {
		if got := proseValues(tc.l, tc.in); got != tc.want {
			t.Errorf("proseValues(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
