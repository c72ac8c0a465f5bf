package project

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/exchange"
)

// Limits of one uploaded file: a park's whole project book is a few
// thousand rows; the benchmark's hundred thousand fit well within them.
const (
	maxFileBytes = 64 << 20
	maxRows      = 500_000
	maxCellRunes = 2000
)

// Table is a file read by its header row: the column of each known name,
// and the rows with their line (CSV) or row (XLSX) numbers. The indicator
// import reads its files with it too.
type Table struct {
	File string
	// HeaderLine is the line or row of the header, for its problems.
	HeaderLine int
	cols       map[string]int
	Ignored    []string
	rows       [][]string
	lines      []int
}

// Len is the number of data rows.
func (t *Table) Len() int { return len(t.rows) }

// Line is the file's line or row number of data row i, for problems.
func (t *Table) Line(i int) int { return t.lines[i] }

// Has reports whether the header has the column.
func (t *Table) Has(col string) bool { _, ok := t.cols[col]; return ok }

// Cell returns the trimmed value of a column in row i, "" when the row is
// shorter or the column absent.
func (t *Table) Cell(i int, col string) string {
	c, ok := t.cols[col]
	if !ok || c >= len(t.rows[i]) {
		return ""
	}
	return strings.TrimSpace(t.rows[i][c])
}

// ReadTable reads a CSV (UTF-8, or GBK as Excel saves it on a Chinese
// Windows) or XLSX file, by its name's extension, whose first non-blank
// row is the header. aliases maps the Chinese headers people write to the
// column names. Every problem names the file and, where it has one, the
// row and column.
func ReadTable(name string, data []byte, aliases map[string]string) (*Table, []apperr.Problem) {
	if len(data) > maxFileBytes {
		return nil, []apperr.Problem{{File: name, Reason: fmt.Sprintf("larger than %d MB", maxFileBytes>>20)}}
	}
	var (
		rows  [][]string
		lines []int
		prob  []apperr.Problem
	)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		rows, lines, prob = readCSV(name, data)
	case ".xlsx":
		rows, lines, prob = readXLSX(name, data)
	default:
		return nil, []apperr.Problem{{File: name, Reason: "not a .csv or .xlsx file"}}
	}
	if len(prob) > 0 {
		return nil, prob
	}
	if len(rows) == 0 {
		return nil, []apperr.Problem{{File: name, Reason: "the file is empty: want a header row"}}
	}
	if len(rows) > maxRows+1 {
		return nil, []apperr.Problem{{File: name, Reason: fmt.Sprintf("more than %d rows: split the file", maxRows)}}
	}
	t := &Table{File: name, HeaderLine: lines[0], cols: map[string]int{}}
	for i, h := range rows[0] {
		c := normalizeColumn(h, aliases)
		switch {
		case c == "":
		case t.Has(c):
			prob = append(prob, apperr.Problem{File: name, Row: lines[0], Field: c, Reason: "the column appears twice"})
		default:
			t.cols[c] = i
		}
	}
	for i := 1; i < len(rows); i++ {
		for j, cell := range rows[i] {
			if utf8.RuneCountInString(cell) > maxCellRunes {
				prob = append(prob, apperr.Problem{File: name, Row: lines[i], Field: headerAt(rows[0], j),
					Reason: fmt.Sprintf("longer than %d characters", maxCellRunes)})
			}
		}
	}
	if len(prob) > 0 {
		return nil, prob
	}
	t.rows, t.lines = rows[1:], lines[1:]
	return t, nil
}

// Keep drops the columns the caller does not know, listing them as
// ignored, and reports every required column missing as a problem of the
// header row.
func (t *Table) Keep(required, optional []string) []apperr.Problem {
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	for c := range t.cols {
		if !known[c] {
			t.Ignored = append(t.Ignored, c)
			delete(t.cols, c)
		}
	}
	var prob []apperr.Problem
	for _, c := range required {
		if !t.Has(c) {
			prob = append(prob, apperr.Problem{File: t.File, Row: t.HeaderLine, Field: c,
				Reason: "missing column; the header must have " + strings.Join(required, ",")})
		}
	}
	return prob
}

func headerAt(header []string, j int) string {
	if j < len(header) {
		return strings.TrimSpace(header[j])
	}
	return fmt.Sprintf("column %d", j+1)
}

func normalizeColumn(s string, aliases map[string]string) string {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF"))
	if a, ok := aliases[s]; ok {
		return a
	}
	return strings.ReplaceAll(strings.ToLower(s), " ", "_")
}

func readCSV(name string, data []byte) ([][]string, []int, []apperr.Problem) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(decoded) || bytes.ContainsRune(decoded, utf8.RuneError) {
			return nil, nil, []apperr.Problem{{File: name, Reason: "the file is neither UTF-8 nor GBK text: save it as \"CSV UTF-8\""}}
		}
		data = decoded
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, nil, []apperr.Problem{{File: name, Row: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()}}
			}
			return nil, nil, []apperr.Problem{{File: name, Reason: "cannot be read"}}
		}
		if blankRow(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		lines = append(lines, line)
		if len(rows) > maxRows+1 {
			break
		}
	}
	return rows, lines, nil
}

func readXLSX(name string, data []byte) (rows [][]string, lines []int, prob []apperr.Problem) {
	if p := exchange.CheckWorkbook(data); p != nil {
		p.File = name
		return nil, nil, []apperr.Problem{*p}
	}
	book, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, nil, []apperr.Problem{{File: name, Reason: "not a readable .xlsx workbook"}}
	}
	defer book.Close()
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, []apperr.Problem{{File: name, Reason: "the workbook has no sheet"}}
	}
	defer func() {
		// A malformed sheet can make the library panic; it is the file's fault.
		if r := recover(); r != nil {
			rows, lines, prob = nil, nil, []apperr.Problem{{File: name, Sheet: sheets[0], Reason: "the sheet is malformed"}}
		}
	}()
	all, err := book.GetRows(sheets[0])
	if err != nil {
		return nil, nil, []apperr.Problem{{File: name, Sheet: sheets[0], Reason: "the sheet cannot be read"}}
	}
	for i, r := range all {
		if blankRow(r) {
			continue
		}
		rows = append(rows, r)
		lines = append(lines, i+1)
		if len(rows) > maxRows+1 {
			break
		}
	}
	return rows, lines, nil
}

func blankRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
