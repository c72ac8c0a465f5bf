package web

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// scanText lists what a reader of a page in lang should not meet in its
// text (issue 11, usability point 4):
//   - a catalog key (a message that was not found shows its key);
//   - a code: a word_with_underscores (a field, a status, a kind), null,
//     undefined, NaN;
//   - an operator of the rules (>=, <=, !=, ==) instead of words;
//   - a date written 2016-01-01, where prose writes 2016年1月1日 or
//     1 Jan 2016;
//   - in Chinese, any word of lowercase Latin letters: an enum value
//     (general, micro, econ), a role, a source (system), a policy id, an
//     untranslated English message.
//
// Text that is data and never translated (logins, USCCs, e-mail addresses,
// file names) is marked translate="no" in the templates and not scanned;
// nor are web and e-mail addresses.
func scanText(lang, text string) []string {
	text = addressLike.ReplaceAllString(text, " ")
	var hits []string
	seen := map[string]bool{}
	report := func(what, found string, at int) {
		if seen[found] {
			return
		}
		seen[found] = true
		hits = append(hits, fmt.Sprintf("%s %q in %q", what, found, around(text, at, len(found))))
	}
	for _, m := range keyLike.FindAllStringIndex(text, -1) {
		if w := text[m[0]:m[1]]; catalogKeySet[w] {
			report("catalog key", w, m[0])
		}
	}
	for _, m := range codeLike.FindAllStringIndex(text, -1) {
		report("code", text[m[0]:m[1]], m[0])
	}
	for _, m := range operatorLike.FindAllStringIndex(text, -1) {
		report("operator", text[m[0]:m[1]], m[0])
	}
	for _, m := range isoDate.FindAllStringIndex(text, -1) {
		report("ISO date", text[m[0]:m[1]], m[0])
	}
	if strings.HasPrefix(lang, "zh") {
		for _, m := range latinWord.FindAllStringIndex(text, -1) {
			// Not the product's name, nor a file type (.csv, .xlsx).
			if w := text[m[0]:m[1]]; !catalogKeySet[w] && w != "parkdesk" && (m[0] == 0 || text[m[0]-1] != '.') {
				report("Latin word", w, m[0])
			}
		}
	}
	return hits
}

var (
	addressLike  = regexp.MustCompile(`(?:https?://|mailto:)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+`)
	keyLike      = regexp.MustCompile(`\b[a-z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+\b`)
	codeLike     = regexp.MustCompile(`\b(?:[a-z][a-z0-9]*(?:_[a-z0-9]+)+|null|undefined|NaN)\b`)
	operatorLike = regexp.MustCompile(`>=|<=|!=|==|&&|\|\|`)
	isoDate      = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
	latinWord    = regexp.MustCompile(`\b[a-z]{2,}\b`)
)

// catalogKeySet holds every message key of every language.
var catalogKeySet = func() map[string]bool {
	set := map[string]bool{}
	for _, l := range i18n.Langs {
		for _, k := range i18n.Keys(l) {
			set[k] = true
		}
	}
	return set
}()

// around is the text near a hit, on one line, for the report.
func around(text string, at, n int) string {
	from, to := max(at-24, 0), min(at+n+24, len(text))
	for from > 0 && !utf8Start(text[from]) {
		from--
	}
	for to < len(text) && !utf8Start(text[to]) {
		to++
	}
	return strings.Join(strings.Fields(text[from:to]), " ")
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// TestScanText: the scan finds each kind of leak the issue lists, and
// passes the text pages ought to show.
func TestScanText(t *testing.T) {
	key := i18n.Keys(i18n.Chinese)[0]
	for _, tc := range []struct {
		name, lang, text string
		want             []string // a part of each hit, in order
	}{
		{"clean Chinese", "zh-CN", "园区总览 2024年3月5日 可享 120.5万元，统一社会信用代码 91330106MA2GL1234M（C3911）", nil},
		{"clean English", "en", "Park dashboard 5 Mar 2024 ¥1.2M, credit code 91330106MA2GL1234M", nil},
		{"a catalog key", "en", "Title: " + key, []string{"catalog key"}},
		{"enum values in Chinese", "zh-CN", "纳税人类型：general；规模：micro", []string{`"general"`, `"micro"`}},
		{"a boolean", "zh-CN", "高新技术企业：false", []string{`Latin word "false"`}},
		{"false in English prose", "en", "Refund fraud or false invoices", nil},
		{"a field code", "en", "missing: vat_credit_end", []string{`"vat_credit_end"`}},
		{"an operator", "zh-CN", "研发费用占比 >= 0.05", []string{`operator ">="`}},
		{"an ISO date", "zh-CN", "成立于 2016-01-01", []string{`ISO date "2016-01-01"`}},
		{"an ISO date in English", "en", "registered on 2016-01-01", []string{"ISO date"}},
		{"a source and a department", "zh-CN", "来源 system，部门 tax", []string{`"system"`, `"tax"`}},
		{"an English error in Chinese", "zh-CN", "导入失败：invalid date", []string{`"invalid"`, `"date"`}},
		{"the product's name", "zh-CN", "parkdesk · 开源企业服务平台", nil},
		{"file types", "zh-CN", "支持 .csv、.xlsx、.json", nil},
		{"addresses are data", "zh-CN", "联系 li@example.com 或 https://park.example.cn/portal", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hits := scanText(tc.lang, tc.text)
			if len(hits) != len(tc.want) {
				t.Fatalf("scanText(%q) = %q, want %d hits", tc.text, hits, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(hits[i], w) {
					t.Errorf("hit %d is %q, want it to name %s", i, hits[i], w)
				}
			}
		})
	}
	if !slices.Contains(i18n.Keys(i18n.English), key) {
		t.Fatalf("%s is not a key of the English catalog", key)
	}
}
