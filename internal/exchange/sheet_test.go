package exchange

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSheetNeutralisesFormulas: a list's text cells that look like
// formulas are written with the quote, numbers as numbers.
func TestSheetNeutralisesFormulas(t *testing.T) {
	s, err := NewSheet("企业", []string{"名称", "金额"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Row(`=HYPERLINK("x")`, 1200.5); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows("企业")
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v (%v)", rows, err)
	}
	if rows[1][0] != `'=HYPERLINK("x")` || rows[1][1] != "1200.5" {
		t.Errorf("row %q, want the formula quoted and the number kept", rows[1])
	}
	if f, _ := book.GetCellFormula("企业", "A2"); f != "" {
		t.Errorf("A2 holds a formula %q", f)
	}
}
