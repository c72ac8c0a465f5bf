package exchange

import (
	"fmt"
	"io"

	"github.com/parkdesk/parkdesk/internal/formula"
	"github.com/xuri/excelize/v2"
)

// Sheet is a one-sheet XLSX workbook of a list the console shows
// (enterprises, results, packages, requests), written row by row through
// excelize's stream writer so that a long list is not held as cells. Text
// cells go through formula.Neutralize, as the record exports do: a name
// typed as "=HYPERLINK(…)" is shown, never run.
type Sheet struct {
	book *excelize.File
	sw   *excelize.StreamWriter
	row  int
}

// NewSheet starts a workbook whose one sheet has the name and the header.
func NewSheet(name string, header []string) (*Sheet, error) {
	book := excelize.NewFile()
	if err := book.SetSheetName("Sheet1", name); err != nil {
		return nil, err
	}
	sw, err := book.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	s := &Sheet{book: book, sw: sw}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	return s, s.Row(cells...)
}

// Row appends a row: strings are text (neutralised), numbers numbers.
func (s *Sheet) Row(cells ...any) error {
	s.row++
	out := make([]any, len(cells))
	for i, c := range cells {
		if text, ok := c.(string); ok {
			c = formula.Neutralize(text)
		}
		out[i] = c
	}
	cell, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	if err := s.sw.SetRow(cell, out); err != nil {
		return fmt.Errorf("sheet row %d: %w", s.row, err)
	}
	return nil
}

// WriteTo finishes the workbook and writes it.
func (s *Sheet) WriteTo(w io.Writer) (int64, error) {
	defer s.book.Close()
	if err := s.sw.Flush(); err != nil {
		return 0, err
	}
	return s.book.WriteTo(w)
}
