package exchange

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// fuzzImport imports each input as a file named name into one SQLite
// database and checks what must hold whatever the bytes: no panic; any
// problem means an invalid-input error and nothing written; success means
// exactly what the report counts was written.
func fuzzImport(f *testing.F, name string, seeds ...[]byte) {
	db := storetest.Open(f, store.SQLite)
	mustPark(f, db)
	// An enterprise on file, for facts tables to refer to.
	mustImport(f, db, csvFile("base.csv", entHeader, testUSCC(1)+",甲,,,,"))
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		before := tableCounts(t, db)
		rep, err := Import(context.Background(), db, []File{{Name: name, Data: data}}, Options{Actor: "fuzz"})
		after := tableCounts(t, db)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("an import of bad input failed with a non-input error: %v", err)
			}
			if rep.ProblemsTotal == 0 || len(apperr.ProblemsOf(err)) == 0 || rep.Written {
				t.Fatalf("error %v with report %+v", err, rep)
			}
			if !sameCounts(before, after) {
				t.Fatalf("a failed import wrote: before %v, after %v", before, after)
			}
			for _, p := range rep.Problems {
				if p.Reason == "" || p.File != name && p.File != "" {
					t.Fatalf("problem without a reason or with a wrong file: %+v", p)
				}
			}
			return
		}
		if !rep.Written || rep.ProblemsTotal != 0 {
			t.Fatalf("success with report %+v", rep)
		}
		if after["enterprises"]-before["enterprises"] != rep.EnterprisesCreated || after["facts"]-before["facts"] != rep.FactsWritten {
			t.Fatalf("report %+v, but the tables went from %v to %v", rep, before, after)
		}
	})
}

func FuzzImportCSV(f *testing.F) {
	a, b := testUSCC(1), testUSCC(2)
	fuzzImport(f, "in.csv",
		[]byte(entHeader+"\n"+b+",乙,2016-05-12,C3911,hz,high-tech;srdi\n"),
		[]byte("\xEF\xBB\xBF"+entHeader+"\r\n\""+b+"\",\"名称, \"\"引号\"\"\",,,,\r\n"),
		[]byte(factHeader+"\n"+a+",revenue,2023,24000000\n"+a+",vat_credit_end,2022-06,1200000.00\n"+a+",hnte_certified,,true\n"),
		[]byte(factHeader+"\n"+a+",revenue,,1\n"+a+",revenu,2023,x\n"),
		[]byte("uscc,field,value\n"),
		[]byte(entHeader+"\n"+b+","+string([]byte{0xca, 0xbe})+",,,,\n"),
		[]byte(factHeader+"\n"+a+",revenue,2023,\"1\n"),
	)
}

func FuzzImportJSON(f *testing.F) {
	recs, _ := json.Marshal(demoRecords(2))
	a := testUSCC(1)
	fuzzImport(f, "in.json",
		recs,
		[]byte(`{"uscc":"`+a+`","name":"甲","facts":{"revenue":{"2023":1e3}}}`),
		[]byte(`[{"uscc":"`+a+`","name":"甲","facts":{"revenue":1}}, {"uscc":1}]`),
		[]byte(`[{"uscc":"`+a+`","name":"甲","facts":{}}, {"uscc":"`+a+`","name":"甲","facts":{}}]`),
		[]byte(`[`),
		[]byte(`null`),
	)
}

func FuzzImportXLSX(f *testing.F) {
	a, b := testUSCC(1), testUSCC(2)
	fuzzImport(f, "in.xlsx",
		mustWorkbook(f, map[string][][]any{
			"enterprises": {{"uscc", "name", "registered_on", "industry_code", "park", "tags"}, {b, "乙", 42502, "C3911", "hz", "srdi"}},
			"facts":       {{"uscc", "field", "period", "value"}, {a, "revenue", 2023, 1200000}, {b, "hnte_certified", "", true}},
		}, nil),
		mustWorkbook(f, map[string][][]any{"facts": {{"uscc", "field", "period", "value"}, {a, "revenue", "", 1}}}, nil),
		mustWorkbook(f, map[string][][]any{"Sheet1": {{"x"}}}, nil),
		[]byte("PK\x03\x04"),
	)
}
