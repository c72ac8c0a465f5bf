package exchange

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Sheet names of the XLSX layout: one per table. Other sheets are ignored,
// so that a workbook may carry notes.
var sheetNames = map[tableKind]string{enterpriseTable: "enterprises", factTable: "facts"}

// maxUnzipped bounds what a workbook may unpack to: a million fact rows take
// about 150 MB of sheet XML, and a zip bomb should not fill the disk.
const maxUnzipped = 1 << 30

// maxInMemoryPart bounds the parts of a workbook that excelize reads into
// memory whole, sized by what the zip directory declares: every part but the
// worksheets and the shared strings, which beyond excelize's 16 MB threshold
// are unpacked to temporary files and streamed.
const maxInMemoryPart = 16 << 20

// checkZip refuses a workbook whose zip directory would make excelize
// allocate more than a spreadsheet needs, or whose sheets hold more than a
// spreadsheet does. excelize allocates the size the directory declares for
// a part it reads into memory, and falls back to reading a large sheet into
// memory when unpacking it to a temporary file fails; a few forged bytes
// could otherwise ask for gigabytes. So: a part read into memory must
// declare at most 16 MB, and the sheets and shared strings are scanned
// (scanWorkbook), which also finds a part that does not unpack to the size
// it declares (archive/zip checks it as it reads).
func checkZip(r io.ReaderAt, size int64) *apperr.Problem {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil // excelize reports what is wrong with it
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return &apperr.Problem{Reason: fmt.Sprintf("the workbook unpacks to more than %d MB: split it", maxUnzipped>>20)}
		}
		if f.UncompressedSize64 <= maxInMemoryPart {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/sheet") && name != "xl/sharedstrings.xml" {
			return &apperr.Problem{Reason: fmt.Sprintf("the workbook is malformed: its part %q claims %d MB", f.Name, f.UncompressedSize64>>20)}
		}
	}
	return scanWorkbook(zr, defaultWorkbookLimits)
}

// workbook is an open XLSX file and the sheets of the layout it holds.
type workbook struct {
	name     string
	book     *excelize.File
	sheets   map[tableKind]string // the sheet's name as written in the file
	date1904 bool
}

// openWorkbook opens an XLSX file. It returns problems of the file (of a
// sheet and row where the scan of the sheets found one; the caller names
// the file) instead of a workbook when the file is not a readable workbook
// with an enterprises or a facts sheet.
func openWorkbook(f File) (wb *workbook, problems []apperr.Problem) {
	defer func() {
		// excelize is a large parser of outside input; a panic in it is a
		// malformed file to the user, never a crashed import.
		if r := recover(); r != nil {
			if wb != nil {
				wb.close()
			}
			wb, problems = nil, []apperr.Problem{{Reason: fmt.Sprintf("the workbook is malformed (%v)", r)}}
		}
	}()
	reasons := func(rs ...string) []apperr.Problem {
		out := make([]apperr.Problem, len(rs))
		for i, r := range rs {
			out[i] = apperr.Problem{Reason: r}
		}
		return out
	}
	opts := excelize.Options{UnzipSizeLimit: maxUnzipped}
	var (
		book *excelize.File
		err  error
	)
	if f.Path != "" {
		file, openErr := os.Open(f.Path)
		if openErr != nil {
			return nil, reasons(openReason(openErr))
		}
		var p *apperr.Problem
		if info, statErr := file.Stat(); statErr == nil {
			p = checkZip(file, info.Size())
		}
		file.Close()
		if p != nil {
			return nil, []apperr.Problem{*p}
		}
		book, err = excelize.OpenFile(f.Path, opts)
	} else {
		if p := checkZip(bytes.NewReader(f.Data), int64(len(f.Data))); p != nil {
			return nil, []apperr.Problem{*p}
		}
		book, err = excelize.OpenReader(bytes.NewReader(f.Data), opts)
	}
	if err != nil {
		return nil, reasons(workbookReason(err))
	}
	wb = &workbook{name: f.Name, book: book, sheets: map[tableKind]string{}}
	if props, err := book.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		wb.date1904 = *props.Date1904
	}
	var found []string
	list := book.GetSheetList()
	for _, s := range list {
		for kind, want := range sheetNames {
			if strings.EqualFold(strings.TrimSpace(s), want) {
				if _, dup := wb.sheets[kind]; dup {
					found = append(found, fmt.Sprintf("two sheets are named %s", want))
				}
				wb.sheets[kind] = s
			}
		}
	}
	if len(wb.sheets) == 0 && len(found) == 0 {
		found = append(found, fmt.Sprintf("no sheet named enterprises or facts (the workbook has %s)", quoteList(list)))
	}
	if len(found) > 0 {
		wb.close()
		return nil, reasons(found...)
	}
	return wb, nil
}

func workbookReason(err error) string {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		return "the workbook is password protected or not an XLSX file: save it as an unprotected .xlsx"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the workbook is truncated"
	}
	if strings.Contains(err.Error(), "zip") {
		return "not an XLSX workbook (not a valid zip archive): save it as .xlsx"
	}
	return "the workbook cannot be read: " + err.Error()
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "no sheets"
	}
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

func (wb *workbook) close() {
	wb.book.Close() // removes the temporary files of unpacked sheets
}

// table opens the sheet of kind, if the workbook has it, and reads its
// header. The reasons are problems of the header row or of the sheet.
func (wb *workbook) table(kind tableKind) (t *tableReader, headerRow int, reasons []string) {
	sheet, ok := wb.sheets[kind]
	if !ok {
		return nil, 0, nil
	}
	defer func() {
		if r := recover(); r != nil {
			t, reasons = nil, []string{fmt.Sprintf("the sheet is malformed (%v)", r)}
		}
	}()
	rows, err := wb.book.Rows(sheet)
	if err != nil {
		return nil, 0, []string{"the sheet cannot be read: " + err.Error()}
	}
	row := 0
	raw := excelize.Options{RawCellValue: true}
	// next returns the next non-blank row. Cells are raw values: numbers as
	// stored (1200000, not the 1.2E+06 a format may show), dates as serials.
	next := func() (cells []string, n int, err error) {
		defer func() {
			if r := recover(); r != nil {
				cells, err = nil, fmt.Errorf("the sheet is malformed (%v)", r)
			}
		}()
		for rows.Next() {
			row++
			cells, err := rows.Columns(raw)
			if err != nil {
				return nil, row, err
			}
			if !blank(cells) {
				return cells, row, nil
			}
		}
		if err := rows.Error(); err != nil {
			return nil, row, err
		}
		return nil, row, io.EOF
	}
	head, headerRow, err := next()
	if err == io.EOF {
		rows.Close()
		return nil, headerRow, []string{"the sheet is empty: want a header row " + joinColumns(kind.columns())}
	}
	if err != nil {
		rows.Close()
		return nil, headerRow, []string{"the sheet cannot be read: " + err.Error()}
	}
	h, reasons := parseHeader(head, kind)
	if len(reasons) > 0 {
		rows.Close()
		return nil, headerRow, reasons
	}
	return &tableReader{file: wb.name, sheet: sheet, header: h, spreadsheet: true, date1904: wb.date1904,
		next: next, close: rows.Close}, headerRow, nil
}

// excelSignificantDigits is the precision Excel shows and computes with.
const excelSignificantDigits = 15

// spreadsheetNumber returns the raw text of a numeric cell without the
// binary noise of a computed cell: Excel stores =0.1+0.2 as
// 0.30000000000000004 and a sum of money as 1200000.0000000002, and shows
// them as 0.3 and 1200000. Raw values do not tell number cells from text
// cells, so the rule looks at the digits alone: a number of more than 15
// significant digits whose rounding to 15 leaves at most 13 is noise around
// that rounding and is read as it; anything else, typed numbers and exact
// decimals kept in text cells (0.1234567890123456789) alike, is read as
// written.
func spreadsheetNumber(s string) string {
	if !looksFloat(s) {
		return s
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) {
			return s
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	if significantDigits(s) <= excelSignificantDigits {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	rounded := strconv.FormatFloat(roundSignificant(f), 'f', -1, 64)
	if significantDigits(rounded) <= excelSignificantDigits-2 {
		return rounded
	}
	return s
}

// significantDigits counts the digits of a plain decimal from the first
// non-zero one to the last non-zero one.
func significantDigits(s string) int {
	digits := strings.Trim(strings.NewReplacer("-", "", "+", "", ".", "").Replace(s), "0")
	return len(digits)
}

func roundSignificant(f float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', excelSignificantDigits, 64), 64)
	if err != nil {
		return f
	}
	return r
}

// looksFloat reports whether s is a number as spreadsheets store it:
// optional sign, digits, optional fraction and exponent.
func looksFloat(s string) bool {
	if s == "" {
		return false
	}
	i := 0
	if s[i] == '-' || s[i] == '+' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i == start || (i == start+1 && s[start] == '.') {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return false
		}
	}
	return i == len(s)
}

// serialDate converts an Excel date serial ("42502", as a date cell holds)
// to YYYY-MM-DD. ok is false when s is not a serial of a plausible date.
func serialDate(s string, date1904 bool) (string, bool) {
	if !looksFloat(s) || strings.ContainsAny(s, "eE-+") {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	// 1 is 1900-01-01; 2958465 is 9999-12-31, Excel's last date.
	if err != nil || f < 1 || f > 2958465 {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(f, date1904)
	if err != nil {
		return "", false
	}
	return t.Format("2006-01-02"), true
}
