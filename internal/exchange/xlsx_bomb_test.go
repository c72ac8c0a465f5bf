package exchange

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// XLSX bombs (issue 11, point 3): workbooks of a few hundred kilobytes
// that unpack to hundreds of megabytes in one cell, in white space, in
// rows or cells without end. Each is refused with a problem naming the
// sheet and the row, in bounded memory, and nothing is written.

// repeated writes n copies of s to w.
func repeated(w io.Writer, s string, n int) {
	chunk := []byte(strings.Repeat(s, max(1, (64<<10)/len(s))))
	per := len(chunk) / len(s)
	for n > 0 {
		k := min(n, per)
		w.Write(chunk[:k*len(s)])
		n -= k
	}
}

// inlineRow writes a row of inline strings.
func inlineRow(w io.Writer, row int, cells ...string) {
	fmt.Fprintf(w, `<row r="%d">`, row)
	for i, c := range cells {
		fmt.Fprintf(w, `<c r="%c%d" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, row, c)
	}
	io.WriteString(w, `</row>`)
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// bombBook is a workbook of one sheet, named sheet, whose XML (between
// sheetHead and sheetTail) body writes, and whose shared strings sst
// writes when it is not nil. It starts from a workbook excelize made, and
// replaces those parts with streams deflated as they are written.
func bombBook(t testing.TB, sheet string, body func(w io.Writer), sst func(w io.Writer)) []byte {
	t.Helper()
	base := mustWorkbook(t, map[string][][]any{sheet: {{"x"}}}, nil)
	zr, err := zip.NewReader(bytes.NewReader(base), int64(len(base)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		switch strings.ToLower(f.Name) {
		case "xl/worksheets/sheet1.xml":
			io.WriteString(w, sheetHead)
			body(w)
			io.WriteString(w, sheetTail)
			continue
		case "xl/sharedstrings.xml":
			if sst != nil {
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
				sst(w)
				io.WriteString(w, `</sst>`)
				continue
			}
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

var factRowHeader = []string{"uscc", "field", "period", "value"}

func TestImportRefusesXLSXBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds workbooks that unpack to hundreds of megabytes")
	}
	a := testUSCC(1)
	tests := []struct {
		name  string
		sheet string
		body  func(w io.Writer)
		sst   func(w io.Writer)
		row   int
		want  string
	}{
		{"a cell of 300 MB", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
			repeated(w, "a", 300<<20)
			io.WriteString(w, `</t></is></c></row>`)
		}, nil, 2, "more than 32,767 characters"},
		{"300 MB of white space between two rows", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			repeated(w, " ", 300<<20)
			inlineRow(w, 2, a, "revenue", "2023", "1")
		}, nil, 1, "more than 32,767 characters"},
		{"a shared string of 100 MB", "enterprises", func(w io.Writer) {
			inlineRow(w, 1, "uscc", "name", "registered_on", "industry_code", "park", "tags")
			inlineRow(w, 2, testUSCC(2), "乙", "", "", "", "")
			fmt.Fprintf(w, `<row r="3"><c r="A3" t="inlineStr"><is><t>%s</t></is></c><c r="B3" t="s"><v>1</v></c></row>`, testUSCC(3))
		}, func(w io.Writer) {
			io.WriteString(w, `<si><t>short</t></si><si><t>`)
			repeated(w, "名", 100<<20/3)
			io.WriteString(w, `</t></si>`)
		}, 3, "more than 32,767 characters"},
		{"a shared string in 20,000 runs of rich text", "enterprises", func(w io.Writer) {
			inlineRow(w, 1, "uscc", "name", "registered_on", "industry_code", "park", "tags")
			fmt.Fprintf(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>%s</t></is></c><c r="B2" t="s"><v>0</v></c></row>`, testUSCC(2))
		}, func(w io.Writer) {
			io.WriteString(w, `<si>`)
			repeated(w, `<r><t>aaaaaaaaaa</t></r>`, 20000)
			io.WriteString(w, `</si>`)
		}, 2, "more than 32,767 characters"},
		{"more rows than a spreadsheet has", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			repeated(w, `<row/>`, 1048576)
		}, nil, 1048577, "more than 1,048,576 rows"},
		{"a row number beyond the last", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>`)
		}, nil, 1, `row number "2000000000" is not a row of a spreadsheet`},
		{"a row of 20,000 cells", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<row r="2">`)
			repeated(w, `<c/>`, 20000)
			io.WriteString(w, `</row>`)
		}, nil, 2, "more than 16,384 cells"},
		{"a cell beyond column XFD", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<row r="2"><c r="XFE2"><v>1</v></c></row>`)
		}, nil, 2, `cell "XFE2" is beyond the last column`},
		{"an attribute of 1 MB", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<row r="2"><c r="A2" x="`)
			repeated(w, "x", 1<<20)
			io.WriteString(w, `"><v>1</v></c></row>`)
		}, nil, 2, "a tag of more than 64 KB"},
		{"a comment of 100 MB", "facts", func(w io.Writer) {
			inlineRow(w, 1, factRowHeader...)
			io.WriteString(w, `<!--`)
			repeated(w, "-", 100<<20)
			io.WriteString(w, `-->`)
		}, nil, 1, "a comment or instruction of more than 64 KB"},
	}
	db := storetest.Open(t, store.SQLite)
	mustPark(t, db)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := bombBook(t, tt.sheet, tt.body, tt.sst)
			runtime.GC()
			watch := heapwatch.Start()
			before := tableCounts(t, db)
			rep, err := Import(context.Background(), db, []File{{Name: "bomb.xlsx", Data: data}}, Options{Actor: "test"})
			peak := watch.Stop()
			if apperr.CodeOf(err) != apperr.Invalid || rep.ProblemsTotal != 1 {
				t.Fatalf("a %d KB bomb: %v, %+v", len(data)>>10, err, rep.Problems)
			}
			p := rep.Problems[0]
			if p.File != "bomb.xlsx" || p.Sheet != tt.sheet || p.Row != tt.row || !strings.Contains(p.Reason, tt.want) {
				t.Errorf("problem %s, want sheet %s row %d: %q", p, tt.sheet, tt.row, tt.want)
			}
			if peak > 200<<20 {
				t.Errorf("peak heap %d MB reading a %d KB workbook, want at most 200 MB", peak>>20, len(data)>>10)
			}
			if after := tableCounts(t, db); !sameCounts(before, after) {
				t.Errorf("wrote: %v → %v", before, after)
			}
		})
	}
}

// TestScanWorkbookLimits holds the scan to each limit with small ones, on
// a workbook of ordinary rows: one more than a limit allows is refused.
func TestScanWorkbookLimits(t *testing.T) {
	rows := func(w io.Writer) {
		inlineRow(w, 1, factRowHeader...)
		for i := 2; i <= 5000; i++ {
			inlineRow(w, i, testUSCC(1), "revenue", "2023", "1200000")
		}
	}
	data := bombBook(t, "facts", rows, nil)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if p := scanWorkbook(zr, defaultWorkbookLimits); p != nil {
		t.Fatalf("an ordinary workbook: %s", p)
	}
	for _, tt := range []struct {
		name string
		lim  func(l *workbookLimits)
		want string
	}{
		{"bytes", func(l *workbookLimits) { l.sheetBytes = 64 << 10 }, "unpack to more than"},
		{"rows", func(l *workbookLimits) { l.rows = 4999 }, "more than 4,999 rows"},
		{"cell", func(l *workbookLimits) { l.cellChars = 17 }, "more than 17 characters"},
		{"cells", func(l *workbookLimits) { l.cells = 3 }, "more than 3 cells"},
	} {
		lim := defaultWorkbookLimits
		tt.lim(&lim)
		p := scanWorkbook(zr, lim)
		if p == nil || p.Sheet != "facts" || !strings.Contains(p.Reason, tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, p, tt.want)
		}
	}
}

// FuzzScanSheet: the scanner never panics, and whatever it accepts holds
// no text of more than the limit that an XML decoder would read whole.
func FuzzScanSheet(f *testing.F) {
	for _, s := range []string{
		`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
		`<row><c><is><t>abc</t></is></c></row><!-- x --><![CDATA[<>]]>`,
		`<?pi x?><row r='2' x=">"><c r="B2"/></row>&amp;&#x4e00;`,
		`<row r="99999999999999999999">`,
	} {
		f.Add([]byte(s))
	}
	lim := defaultWorkbookLimits
	lim.cellChars, lim.tagBytes, lim.rows, lim.cells = 8, 64, 10, 4
	f.Fuzz(func(t *testing.T, data []byte) {
		v := &sheetScan{lim: lim, badShared: -1}
		sc := xmlScanner{lim: lim, v: v}
		err := sc.scan(bytes.NewReader(data))
		if err != nil || v.problem != nil {
			return
		}
		if v.rows > lim.rows {
			t.Fatalf("accepted %d rows", v.rows)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := dec.Token()
			if err != nil {
				return
			}
			if cd, ok := tok.(xml.CharData); ok && len([]rune(string(cd))) > lim.cellChars {
				t.Fatalf("accepted a text of %d characters: %q", len([]rune(string(cd))), cd)
			}
		}
	})
}

// BenchmarkScanWorkbook compares the scan of a sheet of 200,000 fact rows
// with what the import does with it anyway, excelize reading every row:
// the cost the scan adds to an import of a large workbook.
func BenchmarkScanWorkbook(b *testing.B) {
	data := bombBook(b, "facts", func(w io.Writer) {
		inlineRow(w, 1, factRowHeader...)
		for i := 2; i <= 200000; i++ {
			inlineRow(w, i, testUSCC(i%5000+1), "revenue", "2023", "1200000.50")
		}
	}, nil)
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				b.Fatal(err)
			}
			if p := scanWorkbook(zr, defaultWorkbookLimits); p != nil {
				b.Fatal(p)
			}
		}
	})
	b.Run("excelize rows", func(b *testing.B) {
		for b.Loop() {
			wb, problems := openWorkbook(File{Name: "b.xlsx", Data: data})
			if len(problems) > 0 {
				b.Fatal(problems)
			}
			t, _, reasons := wb.table(factTable)
			if len(reasons) > 0 {
				b.Fatal(reasons)
			}
			for {
				if _, _, err := t.next(); err != nil {
					break
				}
			}
			t.close()
			wb.close()
		}
	})
}
