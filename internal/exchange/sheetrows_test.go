package exchange

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestReadRowsCSV(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("编号,名称\nA1,机器人\n\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range []string{"\xEF\xBB\xBF编号,名称\r\nA1,机器人\r\n,\r\n", gbk} {
		rows, lines, prob := ReadRows("a.csv", []byte(data), 10)
		if len(prob) > 0 || len(rows) != 2 || rows[1][1] != "机器人" || lines[1] != 2 {
			t.Errorf("ReadRows(%q) = %q %v %v", data, rows, lines, prob)
		}
	}
	if rows, _, _ := ReadRows("a.csv", []byte("h\n1\n2\n3\n4\n"), 2); len(rows) != 3 {
		t.Errorf("a limit of 2 read %d rows, want 3 (one past it, for the caller to refuse)", len(rows))
	}
	if _, _, prob := ReadRows("a.txt", []byte("h\n"), 2); len(prob) != 1 || prob[0].File != "a.txt" {
		t.Errorf("a .txt file: %v", prob)
	}
}

// FuzzReadRows: any bytes under either extension give rows or problems
// naming the file, never a panic, and never more rows than one past the limit.
func FuzzReadRows(f *testing.F) {
	f.Add("a.csv", []byte("编号,名称\nA1,\"机器\"\"人\"\n"))
	f.Add("a.csv", []byte("\xb1\xe0\xba\xc5,x\n"))
	f.Add("a.xlsx", []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		rows, lines, prob := ReadRows(name, data, 5)
		for _, p := range prob {
			if p.File != name {
				t.Fatalf("problem %+v does not name %q", p, name)
			}
		}
		if len(rows) > 6 || len(rows) != len(lines) {
			t.Fatalf("%d rows, %d lines", len(rows), len(lines))
		}
	})
}
