package project

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/money"
)

// Kind is what a file holds, recognised by its header row.
type Kind string

// The kinds of project file (docs/import-format.md).
const (
	KindProjects Kind = "projects"
	KindSignings Kind = "signings"
	KindFunds    Kind = "funds"
)

// The columns of each kind.
var (
	projectRequired = []string{"code", "name", "investor", "industry_code", "stage", "expected_output"}
	projectOptional = []string{"park", "stage_since", "space_kind", "space_area", "officer"}
	signingRequired = []string{"code", "signed_on", "total_investment"}
	signingOptional = []string{"ceremony"}
	fundsRequired   = []string{"code", "month", "funds_in_place"}
)

// columnAliases are the Chinese headers of the columns.
var columnAliases = map[string]string{
	"项目编号": "code", "编号": "code", "项目名称": "name", "名称": "name",
	"投资方": "investor", "投资主体": "investor", "行业代码": "industry_code", "行业": "industry_code",
	"阶段": "stage", "项目阶段": "stage", "预计产值": "expected_output", "园区": "park",
	"阶段日期": "stage_since", "空间类型": "space_kind", "用地面积": "space_area", "面积": "space_area",
	"负责人": "officer", "签约日期": "signed_on", "总投资": "total_investment", "协议总投资": "total_investment",
	"签约仪式": "ceremony", "月份": "month", "到位资金": "funds_in_place",
}

// ProjectRow is one row of a projects file.
type ProjectRow struct {
	Line           int
	Code           string
	Name           string
	Investor       string
	IndustryCode   string
	Stage          Stage
	StageSince     string // "" is the day of the import
	ExpectedOutput *money.Fen
	Park           string
	SpaceKind      string
	SpaceArea      string
	Officer        string // a user's login
}

// SigningRow is one row of a signings file.
type SigningRow struct {
	Line            int
	Code            string
	SignedOn        string
	TotalInvestment money.Fen
	Ceremony        string
}

// FundsRow is one row of a funds file.
type FundsRow struct {
	Line   int
	Code   string
	Month  string
	Amount money.Fen
}

// File is a parsed project file: one of the three kinds.
type File struct {
	Name     string
	Kind     Kind
	Projects []ProjectRow
	Signings []SigningRow
	Funds    []FundsRow
	Ignored  []string
}

// Rows is the number of data rows.
func (f *File) Rows() int { return len(f.Projects) + len(f.Signings) + len(f.Funds) }

// Parse reads a project file (.csv or .xlsx) and tells its kind by the
// header: funds_in_place makes a funds file, signed_on a signings file,
// stage a projects file. Any bad row makes the whole file an error that
// lists every problem with its row and column.
func Parse(name string, data []byte) (*File, error) {
	t, prob := ReadTable(name, data, columnAliases)
	if prob != nil {
		return nil, apperr.InvalidInput(name+": the file cannot be read", prob...)
	}
	f := &File{Name: name}
	switch {
	case t.Has("funds_in_place"):
		f.Kind = KindFunds
		prob = t.Keep(fundsRequired, nil)
	case t.Has("signed_on"):
		f.Kind = KindSignings
		prob = t.Keep(signingRequired, signingOptional)
	case t.Has("stage"):
		f.Kind = KindProjects
		prob = t.Keep(projectRequired, projectOptional)
	default:
		return nil, apperr.InvalidInput(name+": the file cannot be read", apperr.Problem{File: name, Row: 1,
			Reason: "the header is not that of a projects (code,name,investor,industry_code,stage,expected_output), signings (code,signed_on,total_investment) or funds (code,month,funds_in_place) file"})
	}
	if len(prob) > 0 {
		return nil, apperr.InvalidInput(name+": the header is incomplete", prob...)
	}
	f.Ignored = t.Ignored
	seen := map[string]int{}
	for i := range t.rows {
		line := t.Line(i)
		bad := func(field, format string, args ...any) {
			prob = append(prob, apperr.Problem{File: name, Row: line, Field: field, Reason: fmt.Sprintf(format, args...)})
		}
		code := t.Cell(i, "code")
		if reason := checkCode(code); reason != "" {
			bad("code", "%s", reason)
		}
		key := code
		switch f.Kind {
		case KindProjects:
			r := parseProjectRow(t, i, bad)
			r.Code = code
			f.Projects = append(f.Projects, r)
		case KindSignings:
			r := SigningRow{Line: line, Code: code, Ceremony: t.Cell(i, "ceremony")}
			r.SignedOn = parseDate(t.Cell(i, "signed_on"), "signed_on", bad)
			r.TotalInvestment = parseAmountCell(t.Cell(i, "total_investment"), "total_investment", true, bad)
			if r.TotalInvestment <= 0 && t.Cell(i, "total_investment") != "" {
				bad("total_investment", "the total investment after a signing must be more than zero")
			}
			key += " " + r.SignedOn
			f.Signings = append(f.Signings, r)
		case KindFunds:
			r := FundsRow{Line: line, Code: code, Month: t.Cell(i, "month")}
			if _, err := time.Parse("2006-01", r.Month); err != nil {
				bad("month", "%q is not a month (YYYY-MM)", r.Month)
			}
			r.Amount = parseAmountCell(t.Cell(i, "funds_in_place"), "funds_in_place", true, bad)
			key += " " + r.Month
			f.Funds = append(f.Funds, r)
		}
		if code != "" {
			if first, dup := seen[key]; dup {
				bad("code", "the same %s is also on row %d", what(f.Kind), first)
			} else {
				seen[key] = line
			}
		}
	}
	if len(prob) > 0 {
		return nil, apperr.InvalidInput(fmt.Sprintf("%s: %d problems; nothing was read", name, len(prob)), prob...)
	}
	return f, nil
}

func what(k Kind) string {
	switch k {
	case KindSignings:
		return "project and signing date"
	case KindFunds:
		return "project and month"
	}
	return "project code"
}

func parseProjectRow(t *Table, i int, bad func(field, format string, args ...any)) ProjectRow {
	r := ProjectRow{
		Line:      t.Line(i),
		Name:      t.Cell(i, "name"),
		Investor:  t.Cell(i, "investor"),
		Park:      t.Cell(i, "park"),
		SpaceArea: t.Cell(i, "space_area"),
		Officer:   t.Cell(i, "officer"),
	}
	if r.Name == "" {
		bad("name", "the project has no name")
	} else if utf8.RuneCountInString(r.Name) > 200 {
		bad("name", "longer than 200 characters")
	}
	if code := strings.ToUpper(t.Cell(i, "industry_code")); code != "" {
		if _, err := enterprise.LookupIndustry(code); err != nil {
			bad("industry_code", "%q is not an industry code of GB/T 4754-2017", code)
		}
		r.IndustryCode = code
	}
	st, ok := ParseStage(t.Cell(i, "stage"))
	if !ok {
		bad("stage", "%q is not a stage (lead, negotiating, signed, started, producing, dropped; or 推介, 在谈, 签约, 开工, 投产, 终止)", t.Cell(i, "stage"))
	}
	r.Stage = st
	if s := t.Cell(i, "stage_since"); s != "" {
		r.StageSince = parseDate(s, "stage_since", bad)
	}
	if s := t.Cell(i, "expected_output"); s != "" {
		v := parseAmountCell(s, "expected_output", false, bad)
		r.ExpectedOutput = &v
	}
	switch k := strings.ToLower(t.Cell(i, "space_kind")); k {
	case "", "factory", "incubator", "land":
		r.SpaceKind = k
	case "标准厂房", "厂房":
		r.SpaceKind = "factory"
	case "孵化器", "孵化空间":
		r.SpaceKind = "incubator"
	case "土地", "用地":
		r.SpaceKind = "land"
	default:
		bad("space_kind", "%q is not a kind of space (factory, incubator, land)", k)
	}
	if r.SpaceArea != "" {
		var d apd.Decimal
		if _, _, err := d.SetString(r.SpaceArea); err != nil || d.Negative || d.Form != apd.Finite || len(r.SpaceArea) > 20 {
			bad("space_area", "%q is not an area in square metres", r.SpaceArea)
		}
	}
	return r
}

func checkCode(code string) string {
	switch {
	case code == "":
		return "the row has no project code"
	case len(code) > 64:
		return "the code is longer than 64 characters"
	case strings.ContainsAny(code, " \t\r\n"):
		return "the code has a space in it"
	}
	return ""
}

func parseDate(s, field string, bad func(field, format string, args ...any)) string {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if d2, err2 := time.Parse("2006/1/2", s); err2 == nil {
			return d2.Format(time.DateOnly)
		}
		bad(field, "%q is not a date (YYYY-MM-DD)", s)
		return ""
	}
	return d.Format(time.DateOnly)
}

var (
	wan = apd.New(1, 4)
	yi  = apd.New(1, 8)
)

// ParseAmount reads an amount in yuan as people write it in a sheet:
// 1340000000, 1340000000.00, 1,340,000,000, 13.4亿, 134000万 (元 may
// follow). It must be exact to the fen: a third decimal is refused, not
// rounded.
func ParseAmount(s string) (money.Fen, error) {
	text := strings.TrimSpace(s)
	text = strings.TrimSuffix(strings.TrimSuffix(text, "元"), "人民币")
	text = strings.ReplaceAll(text, ",", "")
	var scale *apd.Decimal
	switch {
	case strings.HasSuffix(text, "万"):
		scale, text = wan, strings.TrimSuffix(text, "万")
	case strings.HasSuffix(text, "亿"):
		scale, text = yi, strings.TrimSuffix(text, "亿")
	}
	if text == "" || len(text) > 24 || strings.ContainsAny(text, "eE+") {
		return 0, fmt.Errorf("%q is not an amount in yuan (1340000000, 13.4亿 or 134000万)", s)
	}
	var d apd.Decimal
	if _, _, err := d.SetString(text); err != nil || d.Form != apd.Finite {
		return 0, fmt.Errorf("%q is not an amount in yuan (1340000000, 13.4亿 or 134000万)", s)
	}
	if scale != nil {
		if _, err := apd.BaseContext.WithPrecision(40).Mul(&d, &d, scale); err != nil {
			return 0, fmt.Errorf("%q is out of range", s)
		}
	}
	f, err := money.Round(&d)
	if err != nil {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	if f.Decimal().Cmp(&d) != 0 {
		return 0, fmt.Errorf("%q has a fraction of a fen", s)
	}
	return f, nil
}

func parseAmountCell(s, field string, required bool, bad func(field, format string, args ...any)) money.Fen {
	if s == "" {
		if required {
			bad(field, "the amount is missing")
		}
		return 0
	}
	f, err := ParseAmount(s)
	if err != nil {
		bad(field, "%s", err.Error())
		return 0
	}
	if f < 0 {
		bad(field, "the amount is negative")
	}
	return f
}
