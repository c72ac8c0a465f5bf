package project

import (
	"fmt"
	"strings"
	"unicode/utf8"

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
	rows, lines, prob := exchange.ReadRows(name, data, maxRows+1)
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
