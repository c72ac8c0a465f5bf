package vector

import (
	"math"
	"strconv"
	"sync"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
)

// Chunk is a columnar snapshot of a slice of the population: for each
// column of the program an array of values with a presence bitmap. Numbers
// are float64, the nearest to the exact decimal; a decimal with more than
// 15 significant digits, which the float cannot give back, marks its row
// inexact so that the exact path reads that row's record instead.
type Chunk struct {
	prog *Program
	N    int
	// ID identifies each row: the enterprise id, or the index in a
	// generated population.
	ID   []int64
	USCC []string

	industry   []int32 // index into the program's industry table; -1 missing
	registered []int64 // yyyymmdd; 0 missing

	num     [][]float64 // per numeric column
	present [][]uint64  // per column
	bools   [][]uint64  // per bool column
	strs    [][]int32   // per enum and size column; -1 missing
	inexact []uint64
	// fraction marks the numeric columns holding a value that is not a
	// whole number below 2^53: the others convert exactly, and their
	// values carry no error bound.
	fraction []bool
	// fracRows marks, in a fractional column, the rows whose value is not
	// a whole number: only they carry a bound (nil for other columns).
	fracRows [][]uint64

	view *industryView
}

func words(n int) int { return (n + 63) / 64 }

func setBit(b []uint64, i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func getBit(b []uint64, i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func clearBit(b []uint64, i int)    { b[i>>6] &^= 1 << (uint(i) & 63) }

// Builder fills a chunk row by row. It is not safe for concurrent use;
// build chunks on several goroutines with a builder each.
type Builder struct {
	p   *Program
	c   *Chunk
	row int
	// The inputs of the derived size class of the current row.
	sizeIn  sizeInputs
	sizeSet bool
}

type sizeInputs struct {
	revenue, vatSales, assets     apd.Decimal
	hasRevenue, hasVAT, hasAssets bool
	employees                     int64
	hasEmployees                  bool
}

// fieldLayout says where a field's values go: its columns by period.
type fieldLayout struct {
	field *facts.Field
	shape facts.Shape
	base  int     // period index of cols[0]
	cols  []int32 // -1 where no column
	size  []int32 // enterprise_size: the size columns
	// sizeInput marks the last fiscal year's revenue, VAT sales, assets
	// and employees, which the size class is derived from.
	sizeInput string
}

var layoutMu sync.Mutex

func (p *Program) layouts() map[string]*fieldLayout {
	layoutMu.Lock()
	defer layoutMu.Unlock()
	if p.layout != nil {
		return p.layout
	}
	m := map[string]*fieldLayout{}
	get := func(f *facts.Field) *fieldLayout {
		l := m[f.Name]
		if l == nil {
			l = &fieldLayout{field: f, shape: f.Shape}
			m[f.Name] = l
		}
		return l
	}
	for ci, c := range p.cols {
		l := get(c.field)
		if c.kind == colSize {
			l.size = append(l.size, int32(ci))
			continue
		}
		idx := c.period.Index()
		if len(l.cols) == 0 {
			l.base = idx
			l.cols = []int32{int32(ci)}
			continue
		}
		if idx < l.base {
			grown := make([]int32, l.base-idx+len(l.cols))
			for i := range grown {
				grown[i] = -1
			}
			copy(grown[l.base-idx:], l.cols)
			l.cols, l.base = grown, idx
		}
		for idx-l.base >= len(l.cols) {
			l.cols = append(l.cols, -1)
		}
		l.cols[idx-l.base] = int32(ci)
	}
	if p.needsSize() {
		for _, name := range []string{"revenue", "vat_sales", "total_assets", "employees"} {
			if f, ok := p.dict.Field(name); ok {
				get(f).sizeInput = name
			}
		}
	}
	p.layout = m
	p.colHashes = make([]uint64, len(p.cols))
	for i := range p.cols {
		p.colHashes[i] = colHash(&p.cols[i])
	}
	return m
}

func (p *Program) needsSize() bool {
	for _, c := range p.cols {
		if c.kind == colSize {
			return true
		}
	}
	return false
}

// NewBuilder starts a chunk of at most capacity rows.
func (p *Program) NewBuilder(capacity int) *Builder {
	c := &Chunk{prog: p}
	c.ID = make([]int64, 0, capacity)
	c.USCC = make([]string, 0, capacity)
	c.industry = make([]int32, 0, capacity)
	c.registered = make([]int64, 0, capacity)
	c.num = make([][]float64, len(p.cols))
	c.present = make([][]uint64, len(p.cols))
	c.bools = make([][]uint64, len(p.cols))
	c.strs = make([][]int32, len(p.cols))
	w := words(capacity)
	for i, col := range p.cols {
		c.present[i] = make([]uint64, w)
		switch col.kind {
		case colNum:
			c.num[i] = make([]float64, capacity)
		case colBool:
			c.bools[i] = make([]uint64, w)
		case colStr, colSize:
			c.strs[i] = make([]int32, capacity)
		}
	}
	c.inexact = make([]uint64, w)
	c.fraction = make([]bool, len(p.cols))
	c.fracRows = make([][]uint64, len(p.cols))
	p.layouts()
	return &Builder{p: p, c: c, row: -1}
}

// Len is the number of rows added.
func (b *Builder) Len() int { return b.row + 1 }

// Row starts the next row.
func (b *Builder) Row(id int64, uscc, industryCode, registeredOn string) {
	b.finishRow()
	b.row++
	c := b.c
	c.ID = append(c.ID, id)
	c.USCC = append(c.USCC, uscc)
	ind := int32(-1)
	if industryCode != "" {
		ind = b.p.industry(industryCode)
	}
	c.industry = append(c.industry, ind)
	var reg int64
	if len(registeredOn) == 10 {
		y, _ := strconv.Atoi(registeredOn[:4])
		m, _ := strconv.Atoi(registeredOn[5:7])
		d, _ := strconv.Atoi(registeredOn[8:])
		reg = int64(y)*10000 + int64(m)*100 + int64(d)
	}
	c.registered = append(c.registered, reg)
	for i := range c.strs {
		if c.strs[i] != nil {
			c.strs[i] = append(c.strs[i][:b.row], -1)
		}
	}
	b.sizeIn = sizeInputs{}
	b.sizeSet = false
}

// Value adds a fact of the current row.
func (b *Builder) Value(field string, per facts.Period, v *facts.Value) {
	l := b.p.layout[field]
	if l == nil {
		return
	}
	if l.sizeInput != "" && per.Shape == facts.Annual && per.Year == b.p.lastYear && v.Type.Numeric() {
		b.noteSizeInput(l.sizeInput, &v.Num)
	}
	if len(l.size) > 0 {
		if v.Type == facts.Enum {
			code := b.p.lookupStr(v.Text)
			for _, ci := range l.size {
				b.c.strs[ci][b.row] = code
				setBit(b.c.present[ci], b.row)
			}
			b.sizeSet = true
		}
	}
	ci := l.col(per)
	if ci < 0 {
		return
	}
	b.put(ci, v)
}

func (l *fieldLayout) col(per facts.Period) int32 {
	if len(l.cols) == 0 {
		return -1
	}
	i := per.Index() - l.base
	if per.Shape != l.shape || i < 0 || i >= len(l.cols) {
		return -1
	}
	return l.cols[i]
}

func (b *Builder) put(ci int32, v *facts.Value) {
	c, row := b.c, b.row
	switch b.p.cols[ci].kind {
	case colNum:
		if !v.Type.Numeric() {
			return
		}
		f, exact := floatOfFact(&v.Num)
		c.num[ci][row] = f
		if !exact {
			setBit(c.inexact, row)
		}
		if !whole(f) {
			b.markFraction(ci, row)
		}
	case colBool:
		if v.Type != facts.Bool {
			return
		}
		if v.Bool {
			setBit(c.bools[ci], row)
		}
	case colStr:
		c.strs[ci][row] = b.p.lookupStr(v.Text)
	default:
		return
	}
	setBit(c.present[ci], row)
}

// Text adds a fact of the current row given as its canonical text, as the
// database stores it.
func (b *Builder) Text(field string, per facts.Period, text string) {
	l := b.p.layout[field]
	if l == nil {
		return
	}
	f := l.field
	if l.sizeInput != "" && per.Shape == facts.Annual && per.Year == b.p.lastYear && f.Type.Numeric() {
		if d, err := decimalOfText(text); err == nil {
			b.noteSizeInput(l.sizeInput, &d)
		}
	}
	if len(l.size) > 0 && f.Type == facts.Enum {
		code := b.p.lookupStr(text)
		for _, ci := range l.size {
			b.c.strs[ci][b.row] = code
			setBit(b.c.present[ci], b.row)
		}
		b.sizeSet = true
	}
	ci := l.col(per)
	if ci < 0 {
		return
	}
	c, row := b.c, b.row
	switch b.p.cols[ci].kind {
	case colNum:
		x, exact, ok := floatOfText(text)
		if !ok {
			return
		}
		c.num[ci][row] = x
		if !exact {
			setBit(c.inexact, row)
		}
		if !whole(x) {
			b.markFraction(ci, row)
		}
	case colBool:
		switch text {
		case "true":
			setBit(c.bools[ci], row)
		case "false":
		default:
			return
		}
	case colStr:
		c.strs[ci][row] = b.p.lookupStr(text)
	default:
		return
	}
	setBit(c.present[ci], row)
}

// markFraction notes a value that is not a whole number.
func (b *Builder) markFraction(ci int32, row int) {
	c := b.c
	c.fraction[ci] = true
	if c.fracRows[ci] == nil {
		c.fracRows[ci] = make([]uint64, words(cap(c.ID)))
	}
	setBit(c.fracRows[ci], row)
}

func (b *Builder) noteSizeInput(name string, d *apd.Decimal) {
	in := &b.sizeIn
	switch name {
	case "revenue":
		in.revenue.Set(d)
		in.hasRevenue = true
	case "vat_sales":
		in.vatSales.Set(d)
		in.hasVAT = true
	case "total_assets":
		in.assets.Set(d)
		in.hasAssets = true
	case "employees":
		if n, err := d.Int64(); err == nil {
			in.employees, in.hasEmployees = n, true
		}
	}
}

// finishRow derives the size class of the row when it was not reported:
// from the industry and the last fiscal year's figures, as the engine does.
func (b *Builder) finishRow() {
	if b.row < 0 {
		return
	}
	c, row := b.c, b.row
	for ci, col := range b.p.cols {
		if col.kind != colSize || c.industry[row] < 0 {
			continue
		}
		// A reported class stands for revenue-based sizes; the VAT refund's
		// class is derived from VAT sales and assets first, the reported one
		// standing in only when it cannot be (as the engine's deriveSize).
		if b.sizeSet && col.basis != "vat_sales" {
			continue
		}
		code := b.p.inds[c.industry[row]]
		var in enterprise.SizeInputs
		if col.basis == "vat_sales" {
			if b.sizeIn.hasVAT {
				in.Revenue = &b.sizeIn.vatSales
			}
		} else if b.sizeIn.hasRevenue {
			in.Revenue = &b.sizeIn.revenue
		}
		if b.sizeIn.hasAssets {
			in.Assets = &b.sizeIn.assets
		}
		if b.sizeIn.hasEmployees {
			in.Employees = &b.sizeIn.employees
		}
		classify := enterprise.ClassifySize
		if col.basis == "vat_sales" {
			classify = enterprise.ClassifySizeForVATRefund
		}
		size, _, err := classify(code, in)
		if err != nil || size == "" {
			continue
		}
		c.strs[ci][row] = b.p.lookupStr(string(size))
		setBit(c.present[ci], row)
	}
}

// Finish returns the chunk.
func (b *Builder) Finish() *Chunk {
	b.finishRow()
	c := b.c
	c.N = b.row + 1
	c.view = b.p.industryView()
	return c
}

// whole reports whether a float is a whole number converted exactly.
func whole(f float64) bool { return math.Abs(f) < 1<<53 && f == float64(int64(f)) }

var pow10 = [23]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// maxExactCoefficient bounds the coefficient of a decimal whose nearest
// float64 gives it back (by its shortest representation): 15 significant
// digits.
const maxExactCoefficient = 1e15

// floatOfFact returns the float64 nearest d and whether d has at most 15
// significant digits.
func floatOfFact(d *apd.Decimal) (float64, bool) {
	if d.Form == apd.Finite && d.Coeff.IsUint64() {
		return floatOfParts(d.Coeff.Uint64(), int(d.Exponent), d.Negative)
	}
	f, err := strconv.ParseFloat(d.Text('e'), 64)
	if err != nil {
		return math.NaN(), false
	}
	return f, false
}

// floatOfParts converts coeff·10^exp, correctly rounded: both factors are
// exact floats below 2^53 and 10^22, and one multiplication or division
// rounds once.
func floatOfParts(coeff uint64, exp int, negative bool) (float64, bool) {
	for coeff != 0 && coeff%10 == 0 {
		coeff /= 10
		exp++
	}
	exact := coeff < maxExactCoefficient
	var f float64
	switch {
	case coeff == 0:
		f = 0
	case coeff < 1<<53 && exp >= 0 && exp <= 22:
		f = float64(coeff) * pow10[exp]
	case coeff < 1<<53 && exp < 0 && exp >= -22:
		f = float64(coeff) / pow10[-exp]
	default:
		f, _ = strconv.ParseFloat(strconv.FormatUint(coeff, 10)+"e"+strconv.Itoa(exp), 64)
	}
	if negative {
		f = -f
	}
	return f, exact
}

// floatOfText parses a canonical decimal ("-123.45").
func floatOfText(s string) (f float64, exact, ok bool) {
	neg := false
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var coeff uint64
	digits, exp := 0, 0
	seenDot, any := false, false
	for ; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch >= '0' && ch <= '9':
			any = true
			if digits >= 19 {
				d, err := decimalOfText(s)
				if err != nil {
					return 0, false, false
				}
				f, _ := floatOfFact(&d)
				return f, false, true
			}
			coeff = coeff*10 + uint64(ch-'0')
			if coeff != 0 {
				digits++
			}
			if seenDot {
				exp--
			}
		case ch == '.' && !seenDot:
			seenDot = true
		default:
			d, err := decimalOfText(s)
			if err != nil {
				return 0, false, false
			}
			f, exact := floatOfFact(&d)
			return f, exact, true
		}
	}
	if !any {
		return 0, false, false
	}
	f, exact = floatOfParts(coeff, exp, neg)
	return f, exact, true
}
