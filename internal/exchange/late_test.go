package exchange

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// bigFacts is a facts table of rows rows over n enterprises (monthly VAT
// figures, each (enterprise, field, month) once), with bad, when not "", as
// the value of the last row.
func bigFacts(n, rows int, bad string) File {
	var b bytes.Buffer
	b.WriteString(factHeader + "\n")
	fields := []string{"vat_credit_end", "input_vat_qualifying", "input_vat_total", "vat_sales_month"}
	per := (rows + n - 1) / n
	written := 0
	for i := 0; i < n && written < rows; i++ {
		for k := 0; k < per && written < rows; k++ {
			written++
			value := fmt.Sprintf("%d.%02d", 1000+i*7+k, k%100)
			if written == rows && bad != "" {
				value = bad
			}
			fmt.Fprintf(&b, "%s,%s,%d-%02d,%s\n", testUSCC(1000+i), fields[k%len(fields)], 2010+k/len(fields)/12, 1+k/len(fields)%12, value)
		}
	}
	return File{Name: "facts.csv", Data: b.Bytes()}
}

// bigEnterprises is the enterprises table of bigFacts.
func bigEnterprises(n int) File {
	lines := []string{entHeader}
	for i := range n {
		lines = append(lines, fmt.Sprintf("%s,企业%d,,,,", testUSCC(1000+i), i))
	}
	return csvFile("enterprises.csv", lines...)
}

// TestImportBadRowLate imports a facts table whose last row is bad, after
// more rows than several staged chunks hold: those chunks were staged (in
// the background) before the bad row was read, and still nothing is
// written, the staging is dropped, and the problem names the file, row and
// field. The same files without the bad row are then written in full.
func TestImportBadRowLate(t *testing.T) {
	const n, rows = 300, 3*factBatch + 500
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		mustPark(t, db)
		mustImport(t, db, csvFile("before.csv", entHeader, testUSCC(1)+",甲,,,,"), csvFile("before-facts.csv", factHeader, testUSCC(1)+",revenue,2023,1"))
		before := tableCounts(t, db)

		rep, err := Import(ctx, db, []File{bigEnterprises(n), bigFacts(n, rows, "12x")}, Options{Actor: "test"})
		if apperr.CodeOf(err) != apperr.Invalid || rep.Written {
			t.Fatalf("import with a bad last row: written %v, err %v", rep.Written, err)
		}
		if len(rep.Problems) != 1 {
			t.Fatalf("problems = %+v, want one", rep.Problems)
		}
		p := rep.Problems[0]
		if p.File != "facts.csv" || p.Row != rows+1 || p.Field != "vat_sales_month" && p.Field != "vat_credit_end" && p.Field != "input_vat_total" && p.Field != "input_vat_qualifying" {
			t.Errorf("problem = %+v, want facts.csv row %d naming its field", p, rows+1)
		}
		if after := tableCounts(t, db); !sameCounts(before, after) {
			t.Errorf("tables after the failed import = %v, want %v", after, before)
		}
		for _, table := range []string{"import_runs", "import_run_sets", "import_run_enterprises"} {
			var left int
			if err := db.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("%d rows left in %s", left, table)
			}
		}

		rep = mustImport(t, db, bigEnterprises(n), bigFacts(n, rows, ""))
		if rep.FactsWritten != rows || rep.EnterprisesCreated != n || len(rep.Changed) != n {
			t.Errorf("report = %d facts, %d enterprises created, %d changed; want %d, %d, %d", rep.FactsWritten, rep.EnterprisesCreated, len(rep.Changed), rows, n, n)
		}
		var history, current int
		if err := db.QueryRow(ctx, "SELECT count(*) FROM facts WHERE source = 'import:facts.csv' AND actor = 'test' AND batch_id IS NOT NULL").Scan(&history); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, "SELECT count(*) FROM current_facts").Scan(&current); err != nil {
			t.Fatal(err)
		}
		if history != rows || current != rows+1 {
			t.Errorf("%d history rows with provenance, %d current values; want %d and %d", history, current, rows, rows+1)
		}
	})
}
