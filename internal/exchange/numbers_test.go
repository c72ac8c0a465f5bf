package exchange

import (
	"context"
	"strconv"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// TestImportNumberBounds: a number outside its field's digits and
// decimals is a problem naming the row and the field, in every format;
// nothing is written (issue 11, point 4).
func TestImportNumberBounds(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		a := testUSCC(1)
		mustImport(t, db, csvFile("base.csv", entHeader, a+",甲,,,,"))
		table := csvFile("facts.csv", factHeader,
			a+",revenue,2021,1e100000",
			a+",revenue,2022,1000000000000000",
			a+",employees,2023,1e20",
			a+",niche_market_share,,0.123456789012345678901",
			a+",revenue,2023,24000000")
		records := File{Name: "records.json", Data: []byte(`{"uscc":"` + a + `","name":"甲","facts":{"taxable_income":{"2023":1e400}}}`)}
		book := xlsxFile(t, "book.xlsx", map[string][][]any{"facts": {{"uscc", "field", "period", "value"}, {a, "total_assets", 2023, "1e30"}}})
		before := tableCounts(t, db)
		rep, err := Import(context.Background(), db, []File{table, records, book}, Options{Actor: "test"})
		if apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("%v, want the problems", err)
		}
		want := map[string]string{
			"facts.csv row 2": "revenue", "facts.csv row 3": "revenue", "facts.csv row 4": "employees",
			"facts.csv row 5": "niche_market_share", "records.json record 1": "taxable_income", "book.xlsx row 2": "total_assets",
		}
		for _, p := range rep.Problems {
			at := p.File
			if p.Row > 0 {
				at += " row " + strconv.Itoa(p.Row)
			}
			if p.Record > 0 {
				at += " record " + strconv.Itoa(p.Record)
			}
			if want[at] != p.Field {
				t.Errorf("unexpected problem %s", p)
			}
			delete(want, at)
		}
		if len(want) > 0 {
			t.Errorf("not reported: %v (problems %v)", want, rep.Problems)
		}
		if after := tableCounts(t, db); !sameCounts(before, after) {
			t.Errorf("wrote: %v → %v", before, after)
		}
	})
}
