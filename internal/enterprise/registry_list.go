package enterprise

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Filter is the one filter of the registry's list: the console's list, the
// API's and the command line's narrow and order it with these fields.
// Empty fields select everything.
type Filter struct {
	// Query is what a person types into the search box: a fragment of the
	// name, or any part of a USCC ("9711"); see Matches.
	Query    string
	Industry string // a section letter or the start of an industry code ("C", "C39", "I65")
	Park     string // park code
	ParkID   int64
	Tag      string // tag code
	// Sort is one of name (the default), uscc, registered_on,
	// industry_code, created_at and updated_at, with a leading '-' for
	// descending order. Enterprises without a registration date or an
	// industry come last either way.
	Sort   string
	Limit  int // 0 means DefaultPageSize; at most MaxPageSize
	Offset int
}

// Page sizes of a list.
const (
	DefaultPageSize = 50
	MaxPageSize     = 1000
)

// sortColumns maps the sort keys users may give to columns; nothing else
// reaches the ORDER BY.
var sortColumns = map[string]string{
	"uscc":          "e.uscc",
	"name":          "e.name",
	"registered_on": "e.registered_on",
	"industry_code": "e.industry_code",
	"created_at":    "e.created_at",
	"updated_at":    "e.updated_at",
}

// search is the text of a query as Matches and the SQL compare it.
type search struct {
	lower  string      // ASCII lower case, as LIKE compares
	code   string      // upper case, for the USCC; "" when the query cannot be part of one
	splits [][2]string // the name fragments: two parts of at least two characters each
}

// newSearch prepares a query: a USCC part is letters and digits of the
// code's alphabet with at least one digit; a name is searched as given and
// as two fragments with anything between them, so that "昊晟机器人" finds
// "昊晟（杭州）机器人有限公司" (the place in brackets between trade name and
// business) — fragments of two characters at least, so that a short query
// does not match every name holding its characters apart.
func newSearch(q string) search {
	q = strings.TrimSpace(q)
	s := search{lower: asciiLower(q)}
	if code := strings.ToUpper(q); uscPart(code) {
		s.code = code
	}
	runes := []rune(s.lower)
	for k := 2; k+2 <= len(runes); k++ {
		s.splits = append(s.splits, [2]string{string(runes[:k]), string(runes[k:])})
	}
	return s
}

// uscPart reports whether q may be part of a unified social credit code:
// its alphabet (digits and capitals but I, O, S, V, Z) with a digit.
func uscPart(q string) bool {
	if q == "" || len(q) > 18 {
		return false
	}
	digit := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z' && !strings.ContainsRune("IOSVZ", rune(c)):
		default:
			return false
		}
	}
	return digit
}

// Matches reports whether an enterprise's name or USCC answers the query
// q, as the list's SQL decides it.
func Matches(q, name, uscc string) bool {
	s := newSearch(q)
	return s.matches(asciiLower(name), uscc)
}

func (s search) matches(lowerName, uscc string) bool {
	if s.lower == "" {
		return true
	}
	if s.code != "" && strings.Contains(uscc, s.code) {
		return true
	}
	if strings.Contains(lowerName, s.lower) {
		return true
	}
	for _, sp := range s.splits {
		if i := strings.Index(lowerName, sp[0]); i >= 0 && strings.Contains(lowerName[i+len(sp[0]):], sp[1]) {
			return true
		}
	}
	return false
}

// sql is the search as a condition.
func (s search) sql(d store.Dialect) (string, []any) {
	like := "LIKE"
	if d == store.Postgres {
		like = "ILIKE"
	}
	var conds []string
	var args []any
	if s.code != "" {
		conds = append(conds, "e.uscc LIKE ?")
		args = append(args, "%"+s.code+"%")
	}
	conds = append(conds, "e.name "+like+` ? ESCAPE '\'`)
	args = append(args, "%"+escapeLike(s.lower)+"%")
	for _, sp := range s.splits {
		conds = append(conds, "e.name "+like+` ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(sp[0])+"%"+escapeLike(sp[1])+"%")
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// where is the condition of the filter, without the principal's scope.
func (f Filter) where(d store.Dialect) ([]string, []any, error) {
	var conds []string
	var args []any
	if s := newSearch(f.Query); s.lower != "" {
		c, a := s.sql(d)
		conds, args = append(conds, c), append(args, a...)
	}
	if ind := strings.ToUpper(strings.TrimSpace(f.Industry)); ind != "" {
		// A range rather than LIKE 'C39%', so that the index on the
		// industry code serves it on both databases. Codes are letters
		// and digits; anything else matches nothing.
		if upper, ok := asciiPrefixUpperBound(ind); ok && codeLike(ind) {
			conds = append(conds, "e.industry_code >= ? AND e.industry_code < ?")
			args = append(args, ind, upper)
		} else {
			conds = append(conds, "1 = 0")
		}
	}
	if f.Park != "" {
		conds = append(conds, "e.park_id = (SELECT id FROM parks WHERE code = ?)")
		args = append(args, f.Park)
	}
	if f.ParkID != 0 {
		conds = append(conds, "e.park_id = ?")
		args = append(args, f.ParkID)
	}
	if f.Tag != "" {
		conds = append(conds, "e.id IN (SELECT et.enterprise_id FROM enterprise_tags et JOIN tags t ON t.id = et.tag_id WHERE t.code = ?)")
		args = append(args, f.Tag)
	}
	return conds, args, nil
}

// sortKey returns the filter's sort key and direction.
func (f Filter) sortKey() (string, bool, error) {
	key, desc := strings.CutPrefix(f.Sort, "-")
	if key == "" {
		key = "name"
	}
	if _, ok := sortColumns[key]; !ok {
		return "", false, apperr.InvalidInput("the sort order is not valid", apperr.Problem{Field: "sort",
			Reason: fmt.Sprintf("%q is not one of name, uscc, registered_on, industry_code, created_at, updated_at (with '-' for descending)", f.Sort)})
	}
	return key, desc, nil
}

func (f Filter) orderBy() (string, error) {
	key, desc, err := f.sortKey()
	if err != nil {
		return "", err
	}
	column := sortColumns[key]
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	// The id settles ties so that pages do not overlap; NULLs (no
	// registration date, no industry) go last either way, on both
	// databases.
	if key == "registered_on" || key == "industry_code" {
		return " ORDER BY " + column + " IS NULL, " + column + dir + ", e.id" + dir, nil
	}
	return " ORDER BY " + column + dir + ", e.id" + dir, nil
}

func (f Filter) limit() int {
	switch {
	case f.Limit <= 0:
		return DefaultPageSize
	case f.Limit > MaxPageSize:
		return MaxPageSize
	}
	return f.Limit
}

func codeLike(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// asciiLower lowers ASCII letters only, as SQLite's LIKE compares.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// asciiPrefixUpperBound returns the least string greater, in byte order,
// than every string starting with the ASCII prefix, or false when prefix is
// empty or not printable ASCII.
func asciiPrefixUpperBound(prefix string) (string, bool) {
	if prefix == "" || !utf8.ValidString(prefix) {
		return "", false
	}
	for i := 0; i < len(prefix); i++ {
		if prefix[i] < ' ' || prefix[i] >= '~' {
			return "", false
		}
	}
	b := []byte(prefix)
	b[len(b)-1]++
	return string(b), true
}
