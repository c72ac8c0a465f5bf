package tech

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// The columns of the files.
var (
	achievementRequired = []string{"code", "title", "holder", "field", "keywords", "abstract", "maturity", "transfer_mode"}
	achievementOptional = []string{"ip_numbers", "contact", "phone", "email", "price"}
	needRequired        = []string{"code", "enterprise", "title", "description"}
	needOptional        = []string{"industry", "field", "budget", "wanted_by"}
)

// Limits of one record's text.
const (
	maxCodeLen     = 64
	maxTitleRunes  = 200
	maxNameRunes   = 200
	maxTextRunes   = 5000
	maxKeywords    = 30
	maxKeywordRune = 50
)

// ParseAchievements reads a catalogue file (.csv or .xlsx) by its header row
// (code,title,holder,field,keywords,abstract,maturity,transfer_mode and
// optionally ip_numbers,contact,phone,email,price, or their Chinese names).
// Any bad row makes the whole file an error listing every problem with its
// row and column. Columns it does not know are returned, to be reported.
func ParseAchievements(name string, data []byte) ([]Achievement, []string, error) {
	t, prob := readTable(name, data, achievementRequired, achievementOptional)
	if prob != nil {
		return nil, nil, apperr.InvalidInput(name+": the catalogue cannot be read", prob...)
	}
	var out []Achievement
	seen := map[string]int{}
	for i := range t.rows {
		bad := func(field, format string, args ...any) {
			prob = append(prob, apperr.Problem{File: name, Row: t.lines[i], Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		a := Achievement{
			Code:      t.cell(i, "code"),
			Title:     t.cell(i, "title"),
			Holder:    t.cell(i, "holder"),
			Field:     ParseField(t.cell(i, "field")),
			Keywords:  splitKeywords(t.cell(i, "keywords")),
			Abstract:  t.cell(i, "abstract"),
			IPNumbers: splitList(t.cell(i, "ip_numbers")),
			Contact:   t.cell(i, "contact"),
			Phone:     t.cell(i, "phone"),
			Email:     t.cell(i, "email"),
			Status:    StatusListed,
		}
		if m := t.cell(i, "maturity"); m != "" {
			var ok bool
			if a.Maturity, ok = ParseMaturity(m); !ok {
				bad("maturity", "%q is not a maturity (实验室, 小试, 中试, 示范应用, 产业化)", m)
			}
		}
		if s := t.cell(i, "transfer_mode"); s != "" {
			var wrong string
			if a.Modes, wrong = ParseTransferModes(s); wrong != "" {
				bad("transfer_mode", "%q is not a transfer mode (转让, 许可, 作价入股, 合作开发)", wrong)
			}
		}
		price, reason := ParseYuan(t.cell(i, "price"))
		if reason != "" {
			bad("price", "%s", reason)
		}
		a.Price = price
		for _, p := range a.check() {
			bad(p.Field, "%s", p.Reason)
		}
		if a.Code != "" {
			if first, dup := seen[a.Code]; dup {
				bad("code", "the code %s is also on row %d", a.Code, first)
			} else {
				seen[a.Code] = t.lines[i]
			}
		}
		out = append(out, a)
	}
	if len(prob) > 0 {
		return nil, nil, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was read", name, len(prob)), prob...)
	}
	return out, t.ignored, nil
}

// ParseNeeds reads a needs file by its header row
// (code,enterprise,title,description and optionally industry,field,budget,
// wanted_by).
func ParseNeeds(name string, data []byte) ([]Need, []string, error) {
	t, prob := readTable(name, data, needRequired, needOptional)
	if prob != nil {
		return nil, nil, apperr.InvalidInput(name+": the needs cannot be read", prob...)
	}
	var out []Need
	seen := map[string]int{}
	for i := range t.rows {
		bad := func(field, format string, args ...any) {
			prob = append(prob, apperr.Problem{File: name, Row: t.lines[i], Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		n := Need{
			Code:        t.cell(i, "code"),
			Enterprise:  t.cell(i, "enterprise"),
			Industry:    strings.ToUpper(t.cell(i, "industry")),
			Title:       t.cell(i, "title"),
			Description: t.cell(i, "description"),
			Field:       ParseField(t.cell(i, "field")),
			WantedBy:    t.cell(i, "wanted_by"),
			Source:      SourceImport,
			Status:      StatusOpen,
		}
		budget, reason := ParseYuan(t.cell(i, "budget"))
		if reason != "" {
			bad("budget", "%s", reason)
		}
		n.Budget = budget
		for _, p := range n.check() {
			bad(p.Field, "%s", p.Reason)
		}
		if n.Code != "" {
			if first, dup := seen[n.Code]; dup {
				bad("code", "the code %s is also on row %d", n.Code, first)
			} else {
				seen[n.Code] = t.lines[i]
			}
		}
		out = append(out, n)
	}
	if len(prob) > 0 {
		return nil, nil, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was read", name, len(prob)), prob...)
	}
	return out, t.ignored, nil
}

// splitKeywords splits a keywords cell; a keyword may hold a space
// ("machine vision") only when the list uses another separator.
func splitKeywords(s string) []string {
	s = normalize(s)
	var parts []string
	if strings.ContainsAny(s, "、,;，；|/") {
		parts = strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、,;，；|/\n", r) })
	} else {
		parts = strings.Fields(s)
	}
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-/]*$`)

func checkCode(code string) string {
	switch {
	case code == "":
		return "give a code"
	case len(code) > maxCodeLen:
		return fmt.Sprintf("longer than %d characters", maxCodeLen)
	case !codePattern.MatchString(code):
		return "a code is letters, digits and . _ - / only"
	}
	return ""
}

func checkText(field, s string, required bool, max int) []apperr.Problem {
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		return []apperr.Problem{{Field: field, Reason: "must not be empty"}}
	case n > max:
		return []apperr.Problem{{Field: field, Reason: fmt.Sprintf("longer than %d characters", max)}}
	}
	return nil
}

// check validates an achievement's own fields (not its holder's existence).
func (a *Achievement) check() []apperr.Problem {
	var p []apperr.Problem
	if r := checkCode(a.Code); r != "" {
		p = append(p, apperr.Problem{Field: "code", Reason: r})
	}
	p = append(p, checkText("title", a.Title, true, maxTitleRunes)...)
	p = append(p, checkText("holder", a.Holder, false, maxNameRunes)...)
	p = append(p, checkText("field", string(a.Field), false, maxNameRunes)...)
	p = append(p, checkText("abstract", a.Abstract, false, maxTextRunes)...)
	p = append(p, checkText("contact", a.Contact, false, maxNameRunes)...)
	p = append(p, checkText("phone", a.Phone, false, 40)...)
	p = append(p, checkText("email", a.Email, false, 200)...)
	if len(a.Keywords) > maxKeywords {
		p = append(p, apperr.Problem{Field: "keywords", Reason: fmt.Sprintf("more than %d keywords", maxKeywords)})
	}
	for _, k := range a.Keywords {
		if utf8.RuneCountInString(k) > maxKeywordRune {
			p = append(p, apperr.Problem{Field: "keywords", Reason: fmt.Sprintf("the keyword %q is longer than %d characters", k, maxKeywordRune)})
			break
		}
	}
	if len(a.IPNumbers) > maxKeywords {
		p = append(p, apperr.Problem{Field: "ip_numbers", Reason: fmt.Sprintf("more than %d numbers", maxKeywords)})
	}
	if a.Email != "" && !strings.Contains(a.Email, "@") {
		p = append(p, apperr.Problem{Field: "email", Reason: "not an e-mail address"})
	}
	return p
}

// check validates a need's own fields.
func (n *Need) check() []apperr.Problem {
	var p []apperr.Problem
	if r := checkCode(n.Code); r != "" {
		p = append(p, apperr.Problem{Field: "code", Reason: r})
	}
	p = append(p, checkText("title", n.Title, true, maxTitleRunes)...)
	p = append(p, checkText("description", n.Description, false, maxTextRunes)...)
	p = append(p, checkText("enterprise", n.Enterprise, false, maxNameRunes)...)
	if n.WantedBy != "" {
		if _, err := time.Parse(time.DateOnly, n.WantedBy); err != nil {
			p = append(p, apperr.Problem{Field: "wanted_by", Reason: fmt.Sprintf("%q is not a date (YYYY-MM-DD)", n.WantedBy)})
		}
	}
	if n.Industry != "" && len(n.Industry) > 5 {
		p = append(p, apperr.Problem{Field: "industry", Reason: fmt.Sprintf("%q is not a GB/T 4754 code", n.Industry)})
	}
	return p
}

var yuanPattern = regexp.MustCompile(`^[0-9]{1,13}(\.[0-9]{1,2})?$`)

// ParseYuan reads an amount of money in yuan as people write it: 1200000,
// 1,200,000.50, 120万, 1.2亿, or 面议 / blank for none. It returns the
// canonical decimal ("1200000.00") or a reason.
func ParseYuan(s string) (string, string) {
	s = strings.TrimSpace(normalize(s))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "元"), "人民币")
	if s == "" || s == "面议" || s == "-" {
		return "", ""
	}
	scale := ""
	switch {
	case strings.HasSuffix(s, "万"):
		scale, s = "0000", strings.TrimSuffix(s, "万")
	case strings.HasSuffix(s, "亿"):
		scale, s = "00000000", strings.TrimSuffix(s, "亿")
	}
	s = strings.ReplaceAll(s, ",", "")
	if !yuanPattern.MatchString(s) {
		return "", fmt.Sprintf("%q is not an amount in yuan (1200000, 120万, 1.2亿 or 面议)", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	frac += "00"
	// Scaling shifts the decimal point: 1.25万 is 12500.
	digits := whole + frac[:2]
	point := len(whole) + len(scale)
	digits += strings.Repeat("0", len(scale))
	intPart := strings.TrimLeft(digits[:point], "0")
	if intPart == "" {
		intPart = "0"
	}
	fracPart := (digits[point:] + "00")[:2]
	if len(digits) > point+2 && strings.Trim(digits[point+2:], "0") != "" {
		return "", fmt.Sprintf("%q has more than two decimals of a yuan", s)
	}
	if len(intPart) > 13 {
		return "", fmt.Sprintf("%q is too large", s)
	}
	return intPart + "." + fracPart, ""
}
