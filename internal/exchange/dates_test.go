package exchange

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestImportImplausibleDates: registration dates the database's CHECK
// would refuse, or that cannot be true, are problems of their rows, every
// one of them reported with file, row or record and field; never a raw
// database error, and nothing written (issue 11, point 8).
func TestImportImplausibleDates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		future := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
		bad := []string{"0000-01-01", "9999-12-31", "3000-01-01", "1899-12-31", future}
		var lines []string
		for i, d := range bad {
			lines = append(lines, fmt.Sprintf("%s,企业%d,%s,,,", testUSCC(i+1), i, d))
		}
		lines = append(lines, testUSCC(20)+",好企业,2016-05-12,,,")
		ents := csvFile("enterprises.csv", append([]string{entHeader}, lines...)...)
		book := xlsxFile(t, "book.xlsx", map[string][][]any{"enterprises": {
			{"uscc", "name", "registered_on", "industry_code", "park", "tags"},
			{testUSCC(30), "表格企业", 2958465, "", "", ""}, // a date cell of 9999-12-31
			{testUSCC(31), "表格企业二", "3000-01-01", "", "", ""},
		}})
		records := File{Name: "records.json", Data: []byte(`[{"uscc":"` + testUSCC(40) + `","name":"记录","registered_on":"0000-01-01","facts":{}},` +
			`{"uscc":"` + testUSCC(41) + `","name":"记录二","registered_on":"9999-12-31","facts":{}}]`)}

		before := tableCounts(t, db)
		rep, err := Import(context.Background(), db, []File{ents, book, records}, Options{Actor: "test"})
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("error %v (code %s), want the problems of the rows", err, apperr.CodeOf(err))
		}
		want := map[string]bool{}
		for i := range bad {
			want[fmt.Sprintf("enterprises.csv row %d", i+2)] = true
		}
		want["book.xlsx sheet enterprises row 2"] = true
		want["book.xlsx sheet enterprises row 3"] = true
		want["records.json record 1"] = true
		want["records.json record 2"] = true
		if rep.ProblemsTotal != len(want) {
			t.Errorf("%d problems, want %d: %v", rep.ProblemsTotal, len(want), rep.Problems)
		}
		for _, p := range rep.Problems {
			at := p.File
			if p.Sheet != "" {
				at += " sheet " + p.Sheet
			}
			if p.Row > 0 {
				at += fmt.Sprintf(" row %d", p.Row)
			}
			if p.Record > 0 {
				at += fmt.Sprintf(" record %d", p.Record)
			}
			if !want[at] || p.Field != "registered_on" {
				t.Errorf("unexpected problem %s", p)
			}
			delete(want, at)
		}
		if len(want) > 0 {
			t.Errorf("not reported: %v", want)
		}
		if after := tableCounts(t, db); !sameCounts(before, after) {
			t.Errorf("wrote: %v → %v", before, after)
		}
	})
}
