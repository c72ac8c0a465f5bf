package appeal

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// SheetNames gives the words of the measures' workbook in the reader's
// language.
type SheetNames struct {
	Department func(code string) string
	Category   func(code string) string
	Header     func(key string) string // month, department, category, received, …
}

// WriteMeasuresXLSX writes the measures as an Excel workbook: one row per
// month, department and category, with the rates computed, for the
// committee's monthly report.
func WriteMeasuresXLSX(w io.Writer, m Measures, n SheetNames) error {
	book := excelize.NewFile()
	defer book.Close()
	sheet := book.GetSheetName(0)
	keys := []string{"month", "department", "category", "received", "replied", "ontime", "closed", "satisfied", "reopened", "days"}
	header := make([]any, len(keys))
	for i, k := range keys {
		header[i] = n.Header(k)
	}
	if err := book.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	rate := func(v float64) any {
		if v < 0 {
			return ""
		}
		return fmt.Sprintf("%.1f%%", v)
	}
	for i, r := range m.Rows {
		days := any("")
		if d := r.AvgDays(); d >= 0 {
			days = fmt.Sprintf("%.1f", d)
		}
		row := []any{r.Month, n.Department(r.Department), n.Category(r.Category), r.Received, r.Replied, rate(r.OnTimePct()),
			r.Closed, rate(r.SatisfiedPct()), r.Reopened, days}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return err
		}
		if err := book.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return book.Write(w)
}
