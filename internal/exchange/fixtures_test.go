package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// mustPark readies a fresh database for imports: the shipped dictionary,
// two parks and the tags the fixtures use.
func mustPark(t testing.TB, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if err := facts.SeedDictionary(ctx, db); err != nil {
		t.Fatal(err)
	}
	for _, p := range []enterprise.Park{{Code: "hz", NameZh: "杭州高新区（滨江）"}, {Code: "coop", NameZh: "合作园区"}} {
		if err := enterprise.CreatePark(ctx, db, &p); err != nil {
			t.Fatal(err)
		}
	}
	for _, tag := range []enterprise.Tag{{Code: "high-tech", NameZh: "高新技术企业"}, {Code: "srdi", NameZh: "专精特新"}, {Code: "key", NameZh: "重点企业"}} {
		if err := enterprise.CreateTag(ctx, db, &tag); err != nil {
			t.Fatal(err)
		}
	}
}

// demoRecords builds n records like the demo park's: valid codes, an
// industry mix, timeless, annual, quarterly and monthly facts, money with
// and without fen, booleans and enums, with and without park and tags.
func demoRecords(n int) []facts.Record {
	dict := facts.Builtin()
	val := func(field, text string) facts.Value {
		f, _ := dict.Field(field)
		v, err := f.ParseValue(text)
		if err != nil {
			panic(err)
		}
		return v
	}
	industries := []string{"C3911", "I6513", "M7320", "F5179", "C2710"}
	var out []facts.Record
	for i := range n {
		rec := facts.Record{
			USCC: testUSCC(100 + i), Name: fmt.Sprintf("示例%d科技有限公司", i), RegisteredOn: fmt.Sprintf("20%02d-0%d-1%d", 10+i%12, 1+i%9, i%10),
			IndustryCode: industries[i%len(industries)],
			Facts: map[string]facts.Series{
				"vat_taxpayer_type": {{}: val("vat_taxpayer_type", []string{"general", "small_scale"}[i%2])},
				"hnte_certified":    {{}: val("hnte_certified", fmt.Sprint(i%3 == 0))},
				"revenue": {
					facts.Year(2021): val("revenue", fmt.Sprint(24000000+i*1000)),
					facts.Year(2022): val("revenue", fmt.Sprintf("%d.50", 32000000+i)),
					facts.Year(2023): val("revenue", "42000000.00"),
				},
				"credit_rating":   {facts.Year(2022): val("credit_rating", "ABMCD"[i%5:i%5+1])},
				"employees_q_end": {facts.Quarter(2023, 1+i%4): val("employees_q_end", fmt.Sprint(10+i))},
				"vat_credit_end": {
					facts.Month(2022, 6): val("vat_credit_end", "1200000"),
					facts.Month(2022, 7): val("vat_credit_end", fmt.Sprint(2200000+i)),
				},
				"niche_market_share": {{}: val("niche_market_share", "0.1234567890123456789")},
			},
		}
		if i%2 == 0 {
			rec.Park = []string{"hz", "coop"}[i/2%2]
			rec.Tags = []string{"high-tech", "srdi"}[:1+i%2]
		}
		out = append(out, rec)
	}
	return out
}

// jsonFile is a JSON import file of the records.
func jsonFile(t testing.TB, name string, recs []facts.Record) File {
	t.Helper()
	b, err := json.Marshal(recs)
	if err != nil {
		t.Fatal(err)
	}
	return File{Name: name, Data: b}
}

// csvFile is a CSV import file of the lines given, joined by newlines.
func csvFile(name string, lines ...string) File {
	return File{Name: name, Data: []byte(strings.Join(lines, "\n") + "\n")}
}

// xlsxFile is an XLSX import file with the sheets given.
func xlsxFile(t testing.TB, name string, sheets map[string][][]any) File {
	t.Helper()
	return File{Name: name, Data: mustWorkbook(t, sheets, nil)}
}

// mustImport imports the files and fails the test on any problem.
func mustImport(t testing.TB, db *store.DB, files ...File) Report {
	t.Helper()
	rep, err := Import(context.Background(), db, files, Options{Actor: "test"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

// mustExport exports the database in the format.
func mustExport(t testing.TB, db *store.DB, format Format) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Export(context.Background(), db, &buf, format); err != nil {
		t.Fatalf("export %s: %v", format, err)
	}
	return buf.Bytes()
}

// tableCounts counts the rows of every table an import writes, to show
// that a failed import wrote nothing.
func tableCounts(t testing.TB, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"enterprises", "enterprise_tags", "facts", "current_facts", "import_batches"} {
		var n int
		if err := db.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
