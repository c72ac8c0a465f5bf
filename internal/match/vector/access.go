package vector

import (
	"fmt"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// Industry returns the row's industry code, "" when the record has none.
func (c *Chunk) Industry(row int) string {
	if i := c.industry[row]; i >= 0 {
		return c.view.codes[i]
	}
	return ""
}

// RegisteredOn returns the row's registration date as YYYY-MM-DD, "" when
// the record has none.
func (c *Chunk) RegisteredOn(row int) string {
	d := c.registered[row]
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100)
}

// Size returns the row's size class, reported or derived, when the program
// reads it (see WantSize); "" otherwise.
func (c *Chunk) Size(row int) string {
	ci := c.prog.sizeColumn()
	if ci < 0 || !getBit(c.present[ci], row) {
		return ""
	}
	if code := c.strs[ci][row]; code >= 0 {
		return c.prog.strs[code]
	}
	return ""
}

// WantSize makes the program read the size class (reported, else derived
// from revenue), which simulation groups by. Call it before building
// chunks.
func (p *Program) WantSize() {
	f, ok := p.dict.Field("enterprise_size")
	if !ok {
		return
	}
	layoutMu.Lock()
	defer layoutMu.Unlock()
	p.column(colKey{field: f.Name, kind: colSize, basis: "revenue"}, f)
	p.layout = nil
}

func (p *Program) sizeColumn() int32 {
	if c, ok := p.colIndex[colKey{field: "enterprise_size", kind: colSize, basis: "revenue"}]; ok {
		return c
	}
	return -1
}

// FieldsRead lists the dictionary fields whose values the program reads:
// the facts a chunk needs.
func (p *Program) FieldsRead() []string {
	var out []string
	for name, l := range p.layouts() {
		if len(l.cols) > 0 || len(l.size) > 0 || l.sizeInput != "" {
			out = append(out, name)
		}
	}
	return out
}

// Column is a (field, period) the program's snapshots hold; the derived
// size class is a column of enterprise_size with no period.
type Column struct {
	Field  *facts.Field
	Period facts.Period
}

// Reads lists the columns of the program's snapshots.
func (p *Program) Reads() []Column {
	out := make([]Column, len(p.cols))
	for i, col := range p.cols {
		out[i] = Column{Field: col.field, Period: col.period}
	}
	return out
}

// Program returns the program the chunk was built for.
func (c *Chunk) Program() *Program { return c.prog }
