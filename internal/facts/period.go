package facts

import (
	"fmt"
	"strconv"
)

// Shape says how a field's values are keyed in time.
type Shape uint8

// The shapes of reference/policies.md: timeless facts are scalars describing
// the enterprise as of the evaluation date; the others are keyed YYYY,
// YYYYQn and YYYY-MM.
const (
	Timeless Shape = iota
	Annual
	Quarterly
	Monthly
)

var shapeNames = [...]string{Timeless: "timeless", Annual: "annual", Quarterly: "quarterly", Monthly: "monthly"}

func (s Shape) String() string {
	if int(s) < len(shapeNames) {
		return shapeNames[s]
	}
	return "shape(" + strconv.Itoa(int(s)) + ")"
}

// ParseShape parses "timeless", "annual", "quarterly" or "monthly".
func ParseShape(s string) (Shape, error) {
	for i, n := range shapeNames {
		if n == s {
			return Shape(i), nil
		}
	}
	return 0, fmt.Errorf("unknown period shape %q (want timeless, annual, quarterly or monthly)", s)
}

// Period is when a value holds: a year, a quarter or a month. The zero Period
// is the timeless one. Periods are comparable and usable as map keys.
type Period struct {
	Shape Shape
	Year  int
	Sub   int // quarter 1–4 or month 1–12; 0 for annual and timeless
}

// Year returns the annual period y.
func Year(y int) Period { return Period{Shape: Annual, Year: y} }

// Quarter returns quarter q (1–4) of year y.
func Quarter(y, q int) Period { return Period{Shape: Quarterly, Year: y, Sub: q} }

// Month returns month m (1–12) of year y.
func Month(y, m int) Period { return Period{Shape: Monthly, Year: y, Sub: m} }

// String gives the canonical text: "", "2023", "2023Q4" or "2023-07".
func (p Period) String() string {
	switch p.Shape {
	case Annual:
		return fmt.Sprintf("%04d", p.Year)
	case Quarterly:
		return fmt.Sprintf("%04dQ%d", p.Year, p.Sub)
	case Monthly:
		return fmt.Sprintf("%04d-%02d", p.Year, p.Sub)
	}
	return ""
}

// AddMonths moves a monthly period by n months (n may be negative).
func (p Period) AddMonths(n int) Period {
	i := p.Year*12 + p.Sub - 1 + n
	return Month(floorDiv(i, 12), i-floorDiv(i, 12)*12+1)
}

// AddQuarters moves a quarterly period by n quarters.
func (p Period) AddQuarters(n int) Period {
	i := p.Year*4 + p.Sub - 1 + n
	return Quarter(floorDiv(i, 4), i-floorDiv(i, 4)*4+1)
}

// Index orders periods of one shape: consecutive periods have consecutive
// indexes, which lets columnar stores address a period by offset.
func (p Period) Index() int {
	switch p.Shape {
	case Quarterly:
		return p.Year*4 + p.Sub - 1
	case Monthly:
		return p.Year*12 + p.Sub - 1
	}
	return p.Year
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ParsePeriod parses "" (timeless), "YYYY", "YYYYQn" or "YYYY-MM". Years run
// from 1900 to 2999 so that a typo such as "20233" is caught.
func ParsePeriod(s string) (Period, error) {
	bad := func(why string) (Period, error) {
		return Period{}, fmt.Errorf("period %q: %s (want YYYY, YYYYQn or YYYY-MM)", s, why)
	}
	if s == "" {
		return Period{}, nil
	}
	if len(s) < 4 {
		return bad("too short")
	}
	y, ok := digits(s[:4])
	if !ok {
		return bad("the year is not 4 digits")
	}
	if y < 1900 || y > 2999 {
		return bad("the year is out of range")
	}
	switch {
	case len(s) == 4:
		return Year(y), nil
	case len(s) == 6 && s[4] == 'Q':
		q := int(s[5] - '0')
		if q < 1 || q > 4 {
			return bad("the quarter must be 1 to 4")
		}
		return Quarter(y, q), nil
	case len(s) == 7 && s[4] == '-':
		m, ok := digits(s[5:])
		if !ok || m < 1 || m > 12 {
			return bad("the month must be 01 to 12")
		}
		return Month(y, m), nil
	}
	return bad("unknown form")
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
