package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// writeRecords writes enterprise records, one a line in an array, as
// `parkdesk export --format json` writes them.
func writeRecords(t *testing.T, path string, records ...string) {
	t.Helper()
	data := "[\n" + strings.Join(records, ",\n") + "\n]\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func record(uscc, name, facts string) string {
	return `{"uscc":"` + uscc + `","name":"` + name + `","registered_on":"2016-05-12","industry_code":"C3911","facts":` + facts + `}`
}

func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "parkdesk.db")
	a, b := enterprise.MakeUSCC("330106", 1), enterprise.MakeUSCC("330106", 2)
	bad := b[:17] + map[bool]string{true: "1", false: "0"}[b[17] == '0']
	goodRecords := []string{
		record(a, "示例智能科技有限公司", `{"revenue":{"2021":24000000,"2022":32000000.50},"vat_credit_end":{"2022-06":1200000},"vat_taxpayer_type":"general"}`),
		record(b, "乙公司", `{"hnte_certified":true}`),
	}

	// One bad USCC among good records: exit status 1, the record and the
	// reason named, nothing written.
	badFile := filepath.Join(dir, "bad.json")
	writeRecords(t, badFile, goodRecords[0], record(bad, "坏公司", `{}`), goodRecords[1])
	out, errOut, err := runCLI(t, db, "", "import", badFile)
	if !errors.Is(err, errSilentFailure) || exitCode(err, &bytes.Buffer{}) != 1 {
		t.Fatalf("import of a bad file: err %v, want the silent failure of exit status 1", err)
	}
	if want := badFile + " record 2 (USCC " + bad + "): field uscc: USCC check digit"; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	if !strings.Contains(errOut, "nothing was written") || out != "" {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
	if out, _, err := runCLI(t, db, "", "export"); err != nil || out != "[]\n" {
		t.Fatalf("export after a failed import = %q, %v; want nothing", out, err)
	}

	// A dry run of a good file writes nothing either.
	goodFile := filepath.Join(dir, "good.json")
	writeRecords(t, goodFile, goodRecords...)
	out, _, err = runCLI(t, db, "", "import", "--dry-run", goodFile)
	if err != nil || !strings.Contains(out, "dry run: no problems; an import would write 2 enterprises created, 0 updated, 5 facts") {
		t.Fatalf("dry run: %q, %v", out, err)
	}
	if out, _, _ := runCLI(t, db, "", "export"); out != "[]\n" {
		t.Fatalf("a dry run wrote: %s", out)
	}

	// A good file imports, and export gives the same records back.
	out, _, err = runCLI(t, db, "", "import", goodFile)
	if err != nil || !strings.Contains(out, "imported: 2 enterprises created, 0 updated, 5 facts written") {
		t.Fatalf("import: %q, %v", out, err)
	}
	want, _ := os.ReadFile(goodFile)
	if out, _, err := runCLI(t, db, "", "export", "--format", "json"); err != nil || out != string(want) {
		t.Errorf("export = %q, %v\nwant %q", out, err, want)
	}

	// CSV with -o writes the two tables next to it; XLSX to a file.
	base := filepath.Join(dir, "out.csv")
	if _, _, err := runCLI(t, db, "", "export", "-o", base); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadFile(filepath.Join(dir, "out-enterprises.csv"))
	factsCSV, _ := os.ReadFile(filepath.Join(dir, "out-facts.csv"))
	if !strings.HasPrefix(string(ents), "uscc,name,registered_on,industry_code,park,tags\n"+a+",示例智能科技有限公司,2016-05-12,C3911,,\n") ||
		!strings.Contains(string(factsCSV), a+",revenue,2022,32000000.50\n") {
		t.Errorf("CSV export:\n%s\n%s", ents, factsCSV)
	}
	book := filepath.Join(dir, "out.xlsx")
	if _, _, err := runCLI(t, db, "", "export", "-o", book); err != nil {
		t.Fatal(err)
	}
	// Both re-import into a fresh database as the same records.
	for _, files := range [][]string{{filepath.Join(dir, "out-facts.csv"), filepath.Join(dir, "out-enterprises.csv")}, {book}} {
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		if _, errOut, err := runCLI(t, fresh, "", append([]string{"import"}, files...)...); err != nil {
			t.Fatalf("import %v: %v\n%s", files, err, errOut)
		}
		if out, _, _ := runCLI(t, fresh, "", "export"); out != string(want) {
			t.Errorf("export after importing %v = %q", files, out)
		}
	}

	// --json prints the report for machines.
	out, _, err = runCLI(t, db, "", "import", "--json", "--dry-run", goodFile)
	var rep struct {
		EnterprisesUpdated int  `json:"enterprises_updated"`
		Written            bool `json:"written"`
	}
	if err != nil || json.Unmarshal([]byte(out), &rep) != nil || rep.EnterprisesUpdated != 2 || rep.Written {
		t.Errorf("import --json: %q, %v", out, err)
	}
}

func TestExchangeUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "parkdesk.db")
	for _, args := range [][]string{
		{"import"},
		{"export", "extra"},
		{"export", "--format", "pdf"},
		{"export", "-o", "out.pdf"},
	} {
		if _, _, err := runCLI(t, db, "", args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
}

// TestExportNeutralisesFormulas: a name that a spreadsheet would run as a
// formula is written with a quote in front in CSV and XLSX exports, and an
// import of those exports gives back the names exactly (issue 11, point 7).
func TestExportNeutralisesFormulas(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "parkdesk.db")
	names := []string{`=HYPERLINK("x")`, `'=已加引号`, `+86 公司`, `-减号公司`, `@SUM(A1)`, `普通公司`}
	var records []string
	for i, name := range names {
		q, _ := json.Marshal(name)
		records = append(records, `{"uscc":"`+enterprise.MakeUSCC("330106", uint64(i+1))+`","name":`+string(q)+`,"facts":{"taxable_income":{"2023":-1200.5}}}`)
	}
	src := filepath.Join(dir, "src.json")
	writeRecords(t, src, records...)
	if _, errOut, err := runCLI(t, db, "", "import", src); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut)
	}
	want, _, err := runCLI(t, db, "", "export", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if !strings.Contains(want, string(must(json.Marshal(name)))) {
			t.Fatalf("the JSON export lacks %q:\n%s", name, want)
		}
	}

	base := filepath.Join(dir, "out.csv")
	if _, _, err := runCLI(t, db, "", "export", "--format", "csv", "-o", base); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadFile(filepath.Join(dir, "out-enterprises.csv"))
	for _, cell := range []string{`"'=HYPERLINK(""x"")"`, `''=已加引号`, `'+86 公司`, `'-减号公司`, `'@SUM(A1)`, `,普通公司,`} {
		if !strings.Contains(string(ents), cell) {
			t.Errorf("the CSV export lacks the cell %s:\n%s", cell, ents)
		}
	}
	factsCSV, _ := os.ReadFile(filepath.Join(dir, "out-facts.csv"))
	if !strings.Contains(string(factsCSV), ",taxable_income,2023,-1200.5\n") {
		t.Errorf("a negative number is not a formula and is written as it is:\n%s", factsCSV)
	}
	book := filepath.Join(dir, "out.xlsx")
	if _, _, err := runCLI(t, db, "", "export", "--format", "xlsx", "-o", book); err != nil {
		t.Fatal(err)
	}
	for _, files := range [][]string{{filepath.Join(dir, "out-enterprises.csv"), filepath.Join(dir, "out-facts.csv")}, {book}} {
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		if _, errOut, err := runCLI(t, fresh, "", append([]string{"import"}, files...)...); err != nil {
			t.Fatalf("import %v: %v\n%s", files, err, errOut)
		}
		if out, _, _ := runCLI(t, fresh, "", "export", "--format", "json"); out != want {
			t.Errorf("after importing %v the records differ:\n%s\nwant\n%s", files, out, want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
