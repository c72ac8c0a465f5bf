package exchange

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

const (
	entHeader  = "uscc,name,registered_on,industry_code,park,tags"
	factHeader = "uscc,field,period,value"
)

func TestImportEveryFormat(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		a, b, c, d := testUSCC(1), testUSCC(2), testUSCC(3), testUSCC(4)
		// The facts file comes first and names enterprises of later files:
		// enterprises are read before facts whatever the order.
		facts1 := csvFile("facts.csv", factHeader,
			a+",revenue,2023,24000000",
			a+",vat_credit_end,2022-06,1200000.00",
			b+",hnte_certified,,true",
			c+",credit_rating,2022,A",
			d+",employees_q_end,2023Q4,80")
		ents := csvFile("enterprises.csv", "\uFEFF"+entHeader,
			a+",示例智能科技有限公司,2016-05-12,C3911,hz,high-tech;srdi",
			`"`+b+`","名称, 带逗号",,,,`)
		book := xlsxFile(t, "more.xlsx", map[string][][]any{
			"enterprises": {{"uscc", "name", "registered_on", "industry_code", "park", "tags"}, {c, "表格企业", 42502, "I6513", "coop", ""}},
			"facts":       {{"uscc", "field", "period", "value"}, {c, "revenue", 2023, 1200000}, {a, "niche_market_share", "", 0.05}},
		})
		records := File{Name: "records.json", Data: []byte(`{"uscc": "` + d + `", "name": "记录企业", "facts": {"revenue": {"2022": 32000000}}}`)}
		rep := mustImport(t, db, facts1, ents, book, records)
		want := Report{Written: true, Files: 4, RowsRead: 11, EnterprisesCreated: 4, FactsWritten: 8}
		if rep.Written != want.Written || rep.Files != want.Files || rep.RowsRead != want.RowsRead ||
			rep.EnterprisesCreated != want.EnterprisesCreated || rep.EnterprisesUpdated != 0 || rep.FactsWritten != want.FactsWritten {
			t.Errorf("report = %+v, want %+v", rep, want)
		}
		out := string(mustExport(t, db, JSON))
		for _, s := range []string{
			`"uscc":"` + a + `","name":"示例智能科技有限公司","registered_on":"2016-05-12","industry_code":"C3911","park":"hz","tags":["high-tech","srdi"]`,
			`"revenue":{"2023":24000000}`, `"vat_credit_end":{"2022-06":1200000.00}`, `"niche_market_share":0.05`,
			`"name":"名称, 带逗号"`, `"hnte_certified":true`,
			`"registered_on":"2016-05-12","industry_code":"I6513","park":"coop"`, `"revenue":{"2023":1200000}`,
			`"name":"记录企业"`, `"revenue":{"2022":32000000}`, `"employees_q_end":{"2023Q4":80}`,
		} {
			if !strings.Contains(out, s) {
				t.Errorf("export lacks %s:\n%s", s, out)
			}
		}

		// Importing again updates: the enterprises exist, and equal facts
		// leave the current values alone.
		rep = mustImport(t, db, ents)
		if rep.EnterprisesCreated != 0 || rep.EnterprisesUpdated != 2 {
			t.Errorf("second import: %+v, want 2 enterprises updated", rep)
		}
		// A facts table alone may name enterprises already in the database.
		rep = mustImport(t, db, csvFile("later.csv", factHeader, a+",revenue,2024,50000000"))
		if rep.FactsWritten != 1 {
			t.Errorf("facts for enterprises on file: %+v", rep)
		}
	})
}

func TestImportDryRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		before := tableCounts(t, db)
		rep, err := Import(context.Background(), db, []File{jsonFile(t, "demo.json", demoRecords(5))}, Options{DryRun: true, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.DryRun || rep.Written || rep.EnterprisesCreated != 5 || rep.FactsWritten != 5*10 {
			t.Errorf("dry run report = %+v, want 5 enterprises and 50 facts counted, nothing written", rep)
		}
		if after := tableCounts(t, db); !sameCounts(before, after) {
			t.Errorf("a dry run wrote: %v, then %v", before, after)
		}
	})
}

// TestImportBadInput is the table of every kind of bad input: each case is
// reported where it is, and nothing at all is written, the good rows of the
// same import included.
func TestImportBadInput(t *testing.T) {
	a, b := testUSCC(1), testUSCC(2)
	badUSCC := a[:17] + "0"
	if badUSCC == a {
		badUSCC = a[:17] + "1"
	}
	goodEnts := csvFile("ents.csv", entHeader, a+",甲公司,,,,", b+",乙公司,,,,")
	type want struct {
		file, sheet, uscc, field string
		row, record              int
		reason                   string
	}
	tests := []struct {
		name  string
		files func(t testing.TB) []File
		want  []want
	}{
		{"bad USCC among good JSON records", func(t testing.TB) []File {
			recs := demoRecords(3)
			recs[1].USCC = badUSCC
			return []File{jsonFile(t, "recs.json", recs)}
		}, []want{{file: "recs.json", record: 2, uscc: badUSCC, field: "uscc", reason: "check digit"}}},
		{"bad USCC among good CSV rows", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, a+",甲,,,,", badUSCC+",乙,,,,", b+",丙,,,,")}
		}, []want{{file: "e.csv", row: 3, uscc: badUSCC, field: "uscc", reason: "check digit"}}},
		{"unknown field", func(testing.TB) []File {
			return []File{goodEnts, csvFile("f.csv", factHeader, a+",revenue,2023,1", a+",revenu,2023,1")}
		}, []want{{file: "f.csv", row: 3, uscc: a, field: "revenu", reason: "unknown field"}}},
		{"scalar for an annual field in CSV", func(testing.TB) []File {
			return []File{goodEnts, csvFile("f.csv", factHeader, a+",revenue,,24000000")}
		}, []want{{file: "f.csv", row: 2, uscc: a, field: "revenue", reason: "is a annual field"}}},
		{"scalar for an annual field in JSON", func(testing.TB) []File {
			return []File{{Name: "r.json", Data: []byte(`[{"uscc":"` + a + `","name":"甲","facts":{"revenue":24000000}}]`)}}
		}, []want{{file: "r.json", record: 1, uscc: a, field: "revenue", reason: "is a annual field"}}},
		{"bad period", func(testing.TB) []File {
			return []File{goodEnts, csvFile("f.csv", factHeader, b+",vat_credit_end,2022-13,1")}
		}, []want{{file: "f.csv", row: 2, uscc: b, field: "vat_credit_end", reason: "month must be 01 to 12"}}},
		{"negative headcount and a ratio above 1", func(testing.TB) []File {
			return []File{goodEnts, csvFile("f.csv", factHeader, a+",employees,2023,-1", a+",niche_market_share,,1.2")}
		}, []want{{file: "f.csv", row: 2, field: "employees", reason: "below the minimum"}, {file: "f.csv", row: 3, field: "niche_market_share", reason: "above the maximum"}}},
		{"unknown USCC in facts", func(testing.TB) []File {
			return []File{csvFile("f.csv", factHeader, a+",revenue,2023,1")}
		}, []want{{file: "f.csv", row: 2, uscc: a, field: "uscc", reason: "unknown enterprise"}}},
		{"missing column", func(testing.TB) []File {
			return []File{csvFile("e.csv", "uscc,name,registered_on,industry_code,park", a+",甲,,,")}
		}, []want{{file: "e.csv", row: 1, reason: "missing column(s) tags"}}},
		{"unknown and duplicate columns", func(testing.TB) []File {
			return []File{csvFile("f.csv", "uscc,field,period,value,value,note", a+",revenue,2023,1,1,x")}
		}, []want{{file: "f.csv", row: 1, reason: `duplicate column "value"`}, {file: "f.csv", row: 1, reason: `unknown column "note"`}}},
		{"header errors on a sheet", func(t testing.TB) []File {
			return []File{xlsxFile(t, "w.xlsx", map[string][][]any{"facts": {{"uscc", "field", "value"}}})}
		}, []want{{file: "w.xlsx", sheet: "facts", row: 1, reason: "missing column(s) period"}}},
		{"duplicate enterprise in one file", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, a+",甲,,,,", b+",乙,,,,", a+",甲二,,,,")}
		}, []want{{file: "e.csv", row: 4, uscc: a, field: "uscc", reason: "appears twice in this import: also at e.csv row 2"}}},
		{"duplicate enterprise across files", func(t testing.TB) []File {
			return []File{goodEnts, xlsxFile(t, "w.xlsx", map[string][][]any{"enterprises": {{"uscc", "name", "registered_on", "industry_code", "park", "tags"}, {}, {b, "乙"}}})}
		}, []want{{file: "w.xlsx", sheet: "enterprises", row: 3, uscc: b, field: "uscc", reason: "also at ents.csv row 3"}}},
		{"unknown park and tag", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, a+",甲,,,nowhere,high-tech;vip")}
		}, []want{{file: "e.csv", row: 2, uscc: a, field: "park", reason: "no park with code nowhere"}, {file: "e.csv", row: 2, uscc: a, field: "tags", reason: "no tag with code vip"}}},
		{"rows after the first problem are still checked against the database", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, badUSCC+",甲,,,,", b+",乙,,,nowhere,")}
		}, []want{{file: "e.csv", row: 2, field: "uscc", reason: "check digit"}, {file: "e.csv", row: 3, uscc: b, field: "park", reason: "no park with code nowhere"}}},
		{"two different values for one fact", func(testing.TB) []File {
			return []File{goodEnts, csvFile("f1.csv", factHeader, a+",revenue,2023,1"), csvFile("f2.csv", factHeader, a+",revenue,2023,2")}
		}, []want{{uscc: a, field: "revenue", reason: "period 2023 is given 2 different values in this import (1 … 2, in f1.csv and f2.csv)"}}},
		{"GBK CSV", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, a+","+string([]byte{0xca, 0xbe, 0xc0, 0xfd})+",,,,")}
		}, []want{{file: "e.csv", row: 2, reason: `save it as "CSV UTF-8"`}}},
		{"row wider than the header", func(testing.TB) []File {
			return []File{csvFile("e.csv", entHeader, a+",甲,有限公司,,,,")}
		}, []want{{file: "e.csv", row: 2, uscc: a, reason: "has 7 cells, the header has 6"}, {file: "e.csv", row: 2, uscc: a, field: "registered_on", reason: "not a date"}}},
		{"workbook without the layout's sheets", func(t testing.TB) []File {
			return []File{xlsxFile(t, "w.xlsx", map[string][][]any{"Sheet1": {{"uscc"}}})}
		}, []want{{file: "w.xlsx", reason: "no sheet named enterprises or facts"}}},
		{"malformed JSON after a good record", func(testing.TB) []File {
			return []File{{Name: "r.json", Data: []byte(`[{"uscc":"` + a + `","name":"甲","facts":{}}, {"uscc": ]`)}}
		}, []want{{file: "r.json", record: 2, reason: "malformed JSON"}}},
		{"unknown file type", func(testing.TB) []File {
			return []File{goodEnts, {Name: "data.txt", Data: []byte("x")}}
		}, []want{{file: "data.txt", reason: "unknown file type .txt"}}},
		{"missing file", func(testing.TB) []File {
			return []File{goodEnts, {Name: "nope.csv", Path: "/nonexistent/nope.csv"}}
		}, []want{{file: "nope.csv", reason: "no such file"}}},
	}
	// One database serves every case: none may write anything.
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		before := tableCounts(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, dryRun := range []bool{false, true} {
					rep, err := Import(context.Background(), db, tt.files(t), Options{DryRun: dryRun, Actor: "test"})
					if apperr.CodeOf(err) != apperr.Invalid {
						t.Fatalf("import error = %v, want an invalid-input error", err)
					}
					if rep.Written {
						t.Error("the report says written")
					}
					got := apperr.ProblemsOf(err)
					if len(got) != len(tt.want) || rep.ProblemsTotal != len(tt.want) {
						t.Fatalf("problems:\n%s\nwant %d like %+v", problemLines(got), len(tt.want), tt.want)
					}
					for i, w := range tt.want {
						p := got[i]
						if p.File != w.file || p.Sheet != w.sheet || p.Row != w.row || p.Record != w.record ||
							(w.uscc != "" && p.USCC != w.uscc) || (w.field != "" && p.Field != w.field) || !strings.Contains(p.Reason, w.reason) {
							t.Errorf("problem %d = %+v\nwant %+v", i, p, w)
						}
					}
					if after := tableCounts(t, db); !sameCounts(before, after) {
						t.Fatalf("a failed import wrote: before %v, after %v", before, after)
					}
				}
			})
		}
	})
}

func problemLines(ps []apperr.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// TestImportProblemsAreCapped shows that a file of garbage reports a bounded
// number of problems and still counts them all.
func TestImportProblemsAreCapped(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		lines := []string{factHeader}
		for range MaxProblems + 10 {
			lines = append(lines, testUSCC(1)+",revenue,,1")
		}
		rep, err := Import(context.Background(), db, []File{csvFile("f.csv", lines...)}, Options{})
		if len(apperr.ProblemsOf(err)) != MaxProblems || rep.ProblemsTotal != MaxProblems+10 {
			t.Errorf("kept %d problems of %d, want %d of %d", len(apperr.ProblemsOf(err)), rep.ProblemsTotal, MaxProblems, MaxProblems+10)
		}
		if !strings.Contains(apperr.MessageOf(err), "the first 1000 shown") {
			t.Errorf("message %q does not say problems were left out", apperr.MessageOf(err))
		}
	})
}

// TestExportImportLossless imports demo-like records, exports them, imports
// the export into a fresh database and exports again: the bytes are equal,
// through JSON, XLSX and CSV alike.
func TestExportImportLossless(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		mustImport(t, db, jsonFile(t, "demo.json", demoRecords(40)))
		first := mustExport(t, db, JSON)
		if !bytes.HasPrefix(first, []byte("[\n{\"uscc\":")) || !bytes.HasSuffix(first, []byte("}\n]\n")) {
			t.Fatalf("export is not an array of one record a line:\n%.300s", first)
		}
		d := db.Dialect()

		again := storetest.Open(t, d)
		mustPark(t, again)
		mustImport(t, again, File{Name: "export.json", Data: first})
		if second := mustExport(t, again, JSON); !bytes.Equal(first, second) {
			t.Errorf("JSON export → import → export differs:\n%s", firstDifference(first, second))
		}

		viaXLSX := storetest.Open(t, d)
		mustPark(t, viaXLSX)
		mustImport(t, viaXLSX, File{Name: "export.xlsx", Data: mustExport(t, db, XLSX)})
		if got := mustExport(t, viaXLSX, JSON); !bytes.Equal(first, got) {
			t.Errorf("XLSX export → import differs:\n%s", firstDifference(first, got))
		}

		viaCSV := storetest.Open(t, d)
		mustPark(t, viaCSV)
		var ents, fs bytes.Buffer
		if err := ExportCSV(context.Background(), db, &ents, &fs); err != nil {
			t.Fatal(err)
		}
		var factsOnly bytes.Buffer
		if err := Export(context.Background(), db, &factsOnly, CSV); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fs.Bytes(), factsOnly.Bytes()) {
			t.Error("the CSV export to one stream is not the facts table of the two-file export")
		}
		mustImport(t, viaCSV, File{Name: "x-facts.csv", Data: fs.Bytes()}, File{Name: "x-enterprises.csv", Data: ents.Bytes()})
		if got := mustExport(t, viaCSV, JSON); !bytes.Equal(first, got) {
			t.Errorf("CSV export → import differs:\n%s", firstDifference(first, got))
		}
	})
}

func TestExportEmpty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		if got := string(mustExport(t, db, JSON)); got != "[]\n" {
			t.Errorf("empty JSON export = %q", got)
		}
		if got := string(mustExport(t, db, CSV)); got != factHeader+"\n" {
			t.Errorf("empty CSV export = %q", got)
		}
		rep, err := Import(context.Background(), db, []File{{Name: "e.xlsx", Data: mustExport(t, db, XLSX)}}, Options{})
		if err != nil || rep.RowsRead != 0 {
			t.Errorf("importing an empty XLSX export: %+v, %v", rep, err)
		}
	})
}

func firstDifference(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(al), len(bl)) {
		if !bytes.Equal(al[i], bl[i]) {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, al[i], bl[i])
		}
	}
	return "lengths differ"
}

// TestImportProvenance shows that imported facts carry their file as source
// and the importer as actor.
func TestImportProvenance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		mustPark(t, db)
		a := testUSCC(1)
		mustImport(t, db, csvFile("ents.csv", entHeader, a+",甲,,,,"), csvFile("dir/tax.csv", factHeader, a+",revenue,2023,1"))
		var source, actor string
		if err := db.QueryRow(context.Background(), "SELECT source, actor FROM facts").Scan(&source, &actor); err != nil {
			t.Fatal(err)
		}
		if source != "import:tax.csv" || actor != "test" {
			t.Errorf("provenance = %q, %q; want import:tax.csv, test", source, actor)
		}
		rec, err := facts.LoadRecord(context.Background(), db, a)
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := rec.Value("revenue", facts.Year(2023)); !ok || v.String() != "1" {
			t.Errorf("current revenue 2023 = %v, %v", v, ok)
		}
	})
}
