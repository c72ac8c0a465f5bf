package exchange

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/formula"
	"github.com/xuri/excelize/v2"
)

// recordWriter writes a stream of records in one format.
type recordWriter interface {
	write(rec *facts.Record) error
	// finish completes the output; nothing is valid before it returns.
	finish() error
}

// jsonWriter writes a JSON array of records, one record a line, so that
// exports diff well and stream: no record is held after it is written.
type jsonWriter struct {
	w *bufio.Writer
	n int
}

func newJSONWriter(w io.Writer) *jsonWriter { return &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)} }

func (j *jsonWriter) write(rec *facts.Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("export %s: %w", rec.USCC, err)
	}
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	j.w.WriteString(sep)
	_, err = j.w.Write(b)
	return err
}

func (j *jsonWriter) finish() error {
	if j.n == 0 {
		j.w.WriteString("[]\n")
	} else {
		j.w.WriteString("\n]\n")
	}
	return j.w.Flush()
}

// factCells calls fn with the cells of every fact of a record, in the order
// exports write them: fields by name, periods in time order.
func factCells(rec *facts.Record, fn func(field string, p facts.Period, v facts.Value) error) error {
	names := make([]string, 0, len(rec.Facts))
	for name := range rec.Facts {
		names = append(names, name)
	}
	slices.Sort(names)
	periods := make([]facts.Period, 0, 8)
	for _, name := range names {
		series := rec.Facts[name]
		periods = periods[:0]
		for p := range series {
			periods = append(periods, p)
		}
		slices.SortFunc(periods, func(a, b facts.Period) int { return a.Index() - b.Index() })
		for _, p := range periods {
			if err := fn(name, p, series[p]); err != nil {
				return err
			}
		}
	}
	return nil
}

// enterpriseCells are the cells of a record's row of the enterprises
// table. Text cells go through formula.Neutralize: a name is text someone
// typed, and a spreadsheet must show "=HYPERLINK(…)", not run it; the
// import takes the quote off again (readTable).
func enterpriseCells(rec *facts.Record) []string {
	cells := []string{rec.USCC, rec.Name, rec.RegisteredOn, rec.IndustryCode, rec.Park, strings.Join(rec.Tags, ";")}
	for i, c := range cells {
		cells[i] = formula.Neutralize(c)
	}
	return cells
}

// csvWriter writes the enterprises table and the facts table; either writer
// may be nil to leave its table out.
type csvWriter struct {
	enterprises, facts *csv.Writer
	row                []string
}

func newCSVWriter(enterprises, facts io.Writer) (*csvWriter, error) {
	c := &csvWriter{row: make([]string, len(factColumns))}
	if enterprises != nil {
		c.enterprises = csv.NewWriter(enterprises)
		if err := c.enterprises.Write(enterpriseColumns); err != nil {
			return nil, err
		}
	}
	if facts != nil {
		c.facts = csv.NewWriter(facts)
		if err := c.facts.Write(factColumns); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *csvWriter) write(rec *facts.Record) error {
	if c.enterprises != nil {
		if err := c.enterprises.Write(enterpriseCells(rec)); err != nil {
			return err
		}
	}
	if c.facts == nil {
		return nil
	}
	return factCells(rec, func(field string, p facts.Period, v facts.Value) error {
		c.row[colUSCC], c.row[colField], c.row[colPeriod], c.row[colValue] = rec.USCC, field, p.String(), formula.Neutralize(v.String())
		return c.facts.Write(c.row)
	})
}

func (c *csvWriter) finish() error {
	for _, w := range []*csv.Writer{c.enterprises, c.facts} {
		if w != nil {
			w.Flush()
			if err := w.Error(); err != nil {
				return err
			}
		}
	}
	return nil
}

// xlsxWriter writes a workbook with the two sheets through excelize's
// stream writers, which spill to temporary files beyond 16 MB: memory stays
// flat for a large park.
type xlsxWriter struct {
	out                io.Writer
	book               *excelize.File
	enterprises, facts *excelize.StreamWriter
	entRow, factRow    int
	cells              []any
}

func newXLSXWriter(out io.Writer) (*xlsxWriter, error) {
	book := excelize.NewFile()
	x := &xlsxWriter{out: out, book: book, cells: make([]any, len(enterpriseColumns))}
	// A new workbook has "Sheet1": it becomes the enterprises sheet.
	if err := book.SetSheetName(book.GetSheetName(0), sheetNames[enterpriseTable]); err != nil {
		book.Close()
		return nil, err
	}
	if _, err := book.NewSheet(sheetNames[factTable]); err != nil {
		book.Close()
		return nil, err
	}
	var err error
	if x.enterprises, err = book.NewStreamWriter(sheetNames[enterpriseTable]); err != nil {
		book.Close()
		return nil, err
	}
	if x.facts, err = book.NewStreamWriter(sheetNames[factTable]); err != nil {
		book.Close()
		return nil, err
	}
	for _, h := range []struct {
		sw   *excelize.StreamWriter
		cols []string
	}{{x.enterprises, enterpriseColumns}, {x.facts, factColumns}} {
		if err := h.sw.SetRow("A1", stringCells(h.cols)); err != nil {
			book.Close()
			return nil, err
		}
	}
	x.entRow, x.factRow = 1, 1
	return x, nil
}

func stringCells(s []string) []any {
	out := make([]any, len(s))
	for i, c := range s {
		out[i] = c
	}
	return out
}

func (x *xlsxWriter) write(rec *facts.Record) error {
	x.entRow++
	for i, c := range enterpriseCells(rec) {
		x.cells[i] = c
	}
	if err := x.enterprises.SetRow("A"+strconv.Itoa(x.entRow), x.cells[:len(enterpriseColumns)]); err != nil {
		return err
	}
	return factCells(rec, func(field string, p facts.Period, v facts.Value) error {
		x.factRow++
		x.cells[colUSCC], x.cells[colField], x.cells[colPeriod], x.cells[colValue] = rec.USCC, field, p.String(), spreadsheetValue(v)
		return x.facts.SetRow("A"+strconv.Itoa(x.factRow), x.cells[:len(factColumns)])
	})
}

func (x *xlsxWriter) finish() error {
	defer x.book.Close()
	if err := x.enterprises.Flush(); err != nil {
		return err
	}
	if err := x.facts.Flush(); err != nil {
		return err
	}
	return x.book.Write(x.out)
}

// spreadsheetValue is the cell of a value: a number cell when the number is
// exactly what a spreadsheet holds (at most 15 significant digits that a
// float64 keeps), so that people can compute with it; else the canonical
// text, which the import reads back exactly ("1200000.00" stays as given).
// Booleans are boolean cells.
func spreadsheetValue(v facts.Value) any {
	switch {
	case v.Type == facts.Bool:
		return v.Bool
	case v.Type.Numeric():
		text := v.String()
		if exactInSpreadsheet(text) {
			f, _ := strconv.ParseFloat(text, 64)
			return f
		}
		return text
	}
	return formula.Neutralize(v.String())
}

func exactInSpreadsheet(text string) bool {
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || strconv.FormatFloat(f, 'f', -1, 64) != text {
		return false
	}
	return significantDigits(text) <= excelSignificantDigits
}
