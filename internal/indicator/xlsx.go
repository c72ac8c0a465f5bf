package indicator

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// sheetLabels are the column heads of the Excel export in each language.
var sheetLabels = map[bool][]string{
	true:  {"指标", "代码", "本期", "上年同期", "同比（%）", "口径企业数", "无上年数据企业数", "来源"},
	false: {"Indicator", "Code", "This period", "A year earlier", "Year on year (%)", "Enterprises in scope", "Without a base", "Source"},
}

// WriteXLSX writes the report as a workbook: one sheet, one row per
// indicator, numbers as numbers (yuan for money) so that Excel sums them.
func WriteXLSX(w io.Writer, r Report, lang string) error {
	zh := len(lang) >= 2 && lang[:2] == "zh"
	book := excelize.NewFile()
	defer book.Close()
	sheet := r.Period
	if err := book.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	head := sheetLabels[zh]
	rows := [][]any{toAny(head)}
	for _, v := range r.Indicators {
		row := []any{Label(v.ID, lang), v.ID, number(v.Text()), number(v.BaseText()), number(v.YoYPct)}
		if v.sameScope {
			row = append(row, v.Members, v.MembersWithoutBase)
		} else {
			row = append(row, "", "")
		}
		row = append(row, v.Source)
		rows = append(rows, row)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := book.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	_ = book.SetColWidth(sheet, "A", "A", 28)
	_ = book.SetColWidth(sheet, "C", "E", 18)
	return book.Write(w)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// number is a decimal text as a number for a cell, "" left empty.
func number(s string) any {
	if s == "" {
		return ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return f
}
