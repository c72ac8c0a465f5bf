package exchange

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// readAllCSV opens a CSV file and reads every row, returning the header
// reasons, the rows' first cells with their row numbers, and row errors.
func readAllCSV(t *testing.T, data string) (kind tableKind, reasons []string, rows []string, rowErrs []string) {
	t.Helper()
	tr, problems, err := openCSV(File{Name: "t.csv", Data: []byte(data)})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		reasons = append(reasons, p.Reason)
	}
	if tr == nil {
		return 0, reasons, nil, nil
	}
	defer tr.close()
	for {
		cells, row, err := tr.next()
		if err == io.EOF {
			break
		}
		var re *rowError
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, re.Error())
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, fmt.Sprintf("%s@%02d", strings.Join(cells, "|"), row))
	}
	return tr.header.kind, nil, rows, rowErrs
}

func TestOpenCSV(t *testing.T) {
	gbkName := string([]byte{0xca, 0xbe, 0xc0, 0xfd}) // 示例 in GBK
	tests := []struct {
		name    string
		data    string
		kind    tableKind
		reason  string   // of the header or file, when the table does not open
		rows    []string // cells joined by | and @row
		rowErrs []string // substrings
	}{
		{name: "enterprises with BOM and CRLF", data: "\xEF\xBB\xBFuscc,name,registered_on,industry_code,park,tags\r\nX,示例,2016-05-12,C3911,hz,a;b\r\n",
			kind: enterpriseTable, rows: []string{"X|示例|2016-05-12|C3911|hz|a;b@02"}},
		{name: "facts with blank lines and empty rows skipped", data: "uscc,field,period,value\n\nX,revenue,2023,1\n,,,\nY,revenue,2023,2\n",
			kind: factTable, rows: []string{"X|revenue|2023|1@03", "Y|revenue|2023|2@05"}},
		{name: "quoted cell with comma and newline", data: "uscc,field,period,value\nX,text_field,,\"a,b\nc\"\nY,f,,1\n",
			kind: factTable, rows: []string{"X|text_field||a,b\nc@02", "Y|f||1@04"}},
		{name: "stray quote is a problem of its row, and reading goes on", data: "uscc,field,period,value\nX,f,,12\"3\nY,f,,1\n",
			kind: factTable, rows: []string{"Y|f||1@03"}, rowErrs: []string{"row 2: a quote inside an unquoted cell"}},
		{name: "GBK bytes say save as UTF-8, once", data: "uscc,name,registered_on,industry_code,park,tags\nX," + gbkName + ",,,,\nY," + gbkName + ",,,,\n",
			kind: enterpriseTable, rowErrs: []string{`row 2: the file is not UTF-8: it looks like GBK/GB18030 (as Excel saves "CSV" on Chinese Windows); save it as "CSV UTF-8"`}},
		{name: "other bytes that are not UTF-8", data: "uscc,name,registered_on,industry_code,park,tags\nX,\xff\xfe,,,,\n",
			kind: enterpriseTable, rowErrs: []string{"row 2: the file is not UTF-8 text"}},
		{name: "empty file", data: "", reason: "the file is empty"},
		{name: "only a BOM", data: "\xEF\xBB\xBF", reason: "the file is empty"},
		{name: "header of neither table", data: "a,b\n1,2\n", reason: `the header "a,b" is neither an enterprises table`},
		{name: "header with a missing column", data: "uscc,field,value\n", reason: "missing column(s) period"},
		{name: "GBK header", data: gbkName + ",field\n", reason: "looks like GBK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kind, reasons, rows, rowErrs := readAllCSV(t, tt.data)
			if tt.reason != "" {
				if len(reasons) != 1 || !strings.Contains(reasons[0], tt.reason) {
					t.Fatalf("reasons = %q, want one containing %q", reasons, tt.reason)
				}
				return
			}
			if len(reasons) > 0 {
				t.Fatalf("unexpected reasons %q", reasons)
			}
			if kind != tt.kind {
				t.Errorf("kind = %v, want %v", kind, tt.kind)
			}
			if strings.Join(rows, "\n") != strings.Join(tt.rows, "\n") {
				t.Errorf("rows = %q, want %q", rows, tt.rows)
			}
			if len(rowErrs) != len(tt.rowErrs) {
				t.Fatalf("row errors = %q, want %q", rowErrs, tt.rowErrs)
			}
			for i := range rowErrs {
				if !strings.Contains(rowErrs[i], tt.rowErrs[i]) {
					t.Errorf("row error %q, want it to contain %q", rowErrs[i], tt.rowErrs[i])
				}
			}
		})
	}
}

func TestLooksGBK(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{string([]byte{0xca, 0xbe, 0xc0, 0xfd}), true},
		{"ascii only", false},
		{string([]byte{0xca}), false},       // a lead byte without its trail
		{string([]byte{0xca, 0x20}), false}, // a trail byte out of range
		{string([]byte{0x80, 0x41}), false}, // 0x80 is not a lead byte
	}
	for _, tt := range tests {
		if got := looksGBK(tt.s); got != tt.want {
			t.Errorf("looksGBK(% x) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
