package exchange

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSpreadsheetNumber(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"1200000", "1200000"},
		{"1234.56", "1234.56"},
		{"0.05", "0.05"},
		{"-17", "-17"},
		{"1.2E+6", "1200000"},
		{"1E-3", "0.001"},
		{"0.30000000000000004", "0.3"},
		{"1200000.0000000002", "1200000"},
		{"1234.5600000000002", "1234.56"},
		{"0.7999999999999999", "0.8"},
		{"0.1234567890123456789", "0.1234567890123456789"}, // an exact decimal from a text cell
		{"0.33333333333333331", "0.33333333333333331"},     // a third, as stored: not noise around a shorter number
		{"007", "007"},                                     // left as typed; the decimal parser reads it
		{"abc", "abc"},
		{"1.2.3", "1.2.3"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := spreadsheetNumber(tt.raw); got != tt.want {
			t.Errorf("spreadsheetNumber(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestSerialDate(t *testing.T) {
	tests := []struct {
		raw      string
		date1904 bool
		want     string
		ok       bool
	}{
		{"42502", false, "2016-05-12", true},
		{"42502", true, "2020-05-13", true},
		{"42502.5", false, "2016-05-12", true},
		{"2016-05-12", false, "", false},
		{"-3", false, "", false},
		{"0", false, "", false},
		{"99999999", false, "", false},
		{"1e4", false, "", false},
	}
	for _, tt := range tests {
		got, ok := serialDate(tt.raw, tt.date1904)
		if got != tt.want || ok != tt.ok {
			t.Errorf("serialDate(%q, %v) = %q, %v; want %q, %v", tt.raw, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}

// mustWorkbook builds an XLSX file with excelize's ordinary (not streaming)
// API, as a person's spreadsheet tool would: typed cells and number formats.
func mustWorkbook(t testing.TB, sheets map[string][][]any, styles map[string]map[string]int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for name, rows := range sheets {
		if first {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if err := f.SetSheetRow(name, cell, &row); err != nil {
				t.Fatal(err)
			}
		}
		for cell, numFmt := range styles[name] {
			style, err := f.NewStyle(&excelize.Style{NumFmt: numFmt})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStyle(name, cell, cell, style); err != nil {
				t.Fatal(err)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWorkbookRawCells(t *testing.T) {
	data := mustWorkbook(t, map[string][][]any{
		"Facts": {
			{"uscc", "field", "period", "value"},
			{"A", "revenue", 2023, 1200000},
			{},
			{"B", "hnte_certified", "", true},
		},
		"notes": {{"anything"}},
	}, map[string]map[string]int{
		"Facts": {"D2": 11}, // scientific format: shows 1.20E+06
	})
	wb, problems := openWorkbook(File{Name: "w.xlsx", Data: data})
	if len(problems) > 0 {
		t.Fatalf("openWorkbook: %v", problems)
	}
	defer wb.close()
	if _, ok := wb.sheets[enterpriseTable]; ok {
		t.Errorf("found an enterprises sheet in a workbook without one")
	}
	tr, _, reasons := wb.table(factTable)
	if len(reasons) > 0 {
		t.Fatalf("table: %q", reasons)
	}
	defer tr.close()
	var got [][]string
	var rows []int
	for {
		cells, row, err := tr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, append([]string(nil), cells...))
		rows = append(rows, row)
	}
	want := [][]string{{"A", "revenue", "2023", "1200000"}, {"B", "hnte_certified", "", "1"}}
	if len(got) != len(want) {
		t.Fatalf("rows = %q, want %q", got, want)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d = %q, want %q", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d cell %d = %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
	if rows[0] != 2 || rows[1] != 4 {
		t.Errorf("row numbers = %v, want [2 4] (the blank row 3 skipped but counted)", rows)
	}
}

func TestOpenWorkbookProblems(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"not a zip", []byte("uscc,name\n"), "not an XLSX workbook"},
		{"empty", nil, "XLSX"},
		{"no sheet of the layout", mustWorkbook(t, map[string][][]any{"Sheet1": {{"uscc"}}}, nil), `no sheet named enterprises or facts (the workbook has "Sheet1")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wb, problems := openWorkbook(File{Name: "w.xlsx", Data: tt.data})
			if wb != nil {
				wb.close()
				t.Fatal("opened a workbook that is not usable")
			}
			if len(problems) != 1 || !strings.Contains(problems[0].Reason, tt.reason) {
				t.Errorf("problems = %v, want one containing %q", problems, tt.reason)
			}
		})
	}
}

// forgedZip is a zip whose one part, name, declares size bytes but holds a
// few: what a forged or corrupted upload looks like to excelize.
func forgedZip(t *testing.T, name string, size uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: 5, UncompressedSize64: size, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<x/>\n"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckZipRefusesForgedSizes(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		reason string
	}{
		{"an in-memory part claiming 1 GB", forgedZip(t, "xl/workbook.xml", 1<<30), `part "xl/workbook.xml" claims 1024 MB`},
		{"a sheet claiming 100 MB that holds 5 bytes", forgedZip(t, "xl/worksheets/sheet1.xml", 100<<20), "does not unpack to the size it declares"},
		{"a workbook claiming more than the limit", forgedZip(t, "xl/worksheets/sheet1.xml", maxUnzipped+1), "unpacks to more than"},
		{"an honest small part", forgedZip(t, "xl/workbook.xml", 5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := checkZip(bytes.NewReader(tt.data), int64(len(tt.data)))
			got := ""
			if p != nil {
				got = p.Reason
			}
			if tt.reason == "" && got != "" || !strings.Contains(got, tt.reason) {
				t.Errorf("checkZip = %q, want %q", got, tt.reason)
			}
			if tt.reason == "" {
				return
			}
			wb, problems := openWorkbook(File{Name: "w.xlsx", Data: tt.data})
			if wb != nil || len(problems) != 1 || problems[0].Reason != got {
				t.Errorf("openWorkbook: %v, %v; want the checkZip reason", wb, problems)
			}
		})
	}
}
