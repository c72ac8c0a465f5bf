package exchange

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// tableKind is one of the two tables of the CSV and XLSX layout.
type tableKind uint8

const (
	enterpriseTable tableKind = iota + 1
	factTable
)

func (k tableKind) String() string {
	switch k {
	case enterpriseTable:
		return "enterprises"
	case factTable:
		return "facts"
	}
	return "unknown"
}

// The columns of each table, in the order exports write them. Every column
// is required, so that a missing column is never mistaken for empty values
// that would erase what an update keeps.
var (
	enterpriseColumns = []string{"uscc", "name", "registered_on", "industry_code", "park", "tags"}
	factColumns       = []string{"uscc", "field", "period", "value"}
)

// Column positions in a table's layout.
const (
	colUSCC = 0
	// enterprises
	colName         = 1
	colRegisteredOn = 2
	colIndustryCode = 3
	colPark         = 4
	colTags         = 5
	// facts
	colField  = 1
	colPeriod = 2
	colValue  = 3
)

func (k tableKind) columns() []string {
	if k == factTable {
		return factColumns
	}
	return enterpriseColumns
}

// header maps each layout column of a table to its position in the rows.
type header struct {
	kind  tableKind
	pos   []int // pos[layout column] = index in the row
	width int   // cells in the header row
}

// cell returns the layout column col of a row; a short row has empty cells.
func (h *header) cell(row []string, col int) string {
	if i := h.pos[col]; i < len(row) {
		return row[i]
	}
	return ""
}

// extra returns the 1-based position of the first non-empty cell to the
// right of the header's last column, or 0 when there is none.
func (h *header) extra(row []string) int {
	for i := h.width; i < len(row); i++ {
		if strings.TrimSpace(row[i]) != "" {
			return i + 1
		}
	}
	return 0
}

func normalizeColumn(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\uFEFF")))
}

// recognize tells the table by its header: a facts table has field, period
// or value columns, an enterprises table name, registered_on, industry_code,
// park or tags. It returns 0 when the header says neither or both.
func recognize(cells []string) tableKind {
	var fact, ent bool
	for _, c := range cells {
		switch normalizeColumn(c) {
		case "field", "period", "value":
			fact = true
		case "name", "registered_on", "industry_code", "park", "tags":
			ent = true
		}
	}
	switch {
	case fact && !ent:
		return factTable
	case ent && !fact:
		return enterpriseTable
	}
	return 0
}

// parseHeader checks a header row against the layout of kind and names every
// missing, unknown and duplicate column. The problems carry only a reason;
// the caller locates them.
func parseHeader(cells []string, kind tableKind) (header, []string) {
	cols := kind.columns()
	h := header{kind: kind, pos: make([]int, len(cols)), width: len(cells)}
	for i := range h.pos {
		h.pos[i] = -1
	}
	// Trailing empty header cells are a spreadsheet habit, not columns.
	for h.width > 0 && strings.TrimSpace(cells[h.width-1]) == "" {
		h.width--
	}
	var reasons []string
	for i, c := range cells[:h.width] {
		name := normalizeColumn(c)
		j := slices.Index(cols, name)
		switch {
		case name == "":
			reasons = append(reasons, fmt.Sprintf("column %d has no name in the header", i+1))
		case j < 0:
			reasons = append(reasons, fmt.Sprintf("unknown column %q (column %d): the %s table has the columns %s", strings.TrimSpace(c), i+1, kind, strings.Join(cols, ",")))
		case h.pos[j] >= 0:
			reasons = append(reasons, fmt.Sprintf("duplicate column %q (columns %d and %d)", name, h.pos[j]+1, i+1))
		default:
			h.pos[j] = i
		}
	}
	var missing []string
	for j, p := range h.pos {
		if p < 0 {
			missing = append(missing, cols[j])
		}
	}
	if len(missing) > 0 {
		reasons = append(reasons, fmt.Sprintf("missing column(s) %s: the %s table has the columns %s", strings.Join(missing, ","), kind, strings.Join(cols, ",")))
	}
	return h, reasons
}

// blank reports whether every cell of a row is empty: such rows are skipped,
// as spreadsheet tools leave them.
func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// tableReader streams the rows of one table of one file.
type tableReader struct {
	file, sheet string
	header      header
	// spreadsheet says the cells are raw XLSX values: dates may be serial
	// numbers and numbers may carry binary floating-point noise.
	spreadsheet bool
	date1904    bool
	// next returns the next non-blank row and its 1-based row number, or
	// io.EOF. A *rowError reports a bad row and reading goes on; any other
	// error ends the table and is reported as a problem of the file.
	next  func() (cells []string, row int, err error)
	close func() error
}

// rowError is a row that could not be read, such as a CSV line with a stray
// quote: a problem of that row, after which reading goes on.
type rowError struct {
	row    int
	reason string
}

func (e *rowError) Error() string { return fmt.Sprintf("row %d: %s", e.row, e.reason) }

// at locates a problem in this table.
func (t *tableReader) at(row int, uscc, field, reason string) apperr.Problem {
	return apperr.Problem{File: t.file, Sheet: t.sheet, Row: row, USCC: uscc, Field: field, Reason: reason}
}
