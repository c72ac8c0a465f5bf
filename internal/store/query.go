package store

import (
	"strconv"
	"strings"
	"sync"
)

// query is a statement prepared for the dialect: its text with the
// placeholders the driver wants, and whether it only reads.
type query struct {
	text     string
	readOnly bool
}

// queryCache remembers the rewrite of every statement text. The SQL texts of
// a program are few, but some are built (a filter's WHERE, an IN list), so
// the cache is bounded: when full it starts again, which costs one rewrite
// per statement and keeps memory flat.
type queryCache struct {
	numbered bool
	mu       sync.RWMutex
	m        map[string]query
}

const queryCacheSize = 4096

func newQueryCache(d Dialect) *queryCache {
	return &queryCache{numbered: d == Postgres, m: make(map[string]query)}
}

func (c *queryCache) get(text string) query {
	c.mu.RLock()
	q, ok := c.m[text]
	c.mu.RUnlock()
	if ok {
		return q
	}
	q = parseQuery(text, c.numbered)
	c.mu.Lock()
	if len(c.m) >= queryCacheSize {
		clear(c.m)
	}
	c.m[text] = q
	c.mu.Unlock()
	return q
}

// parseQuery scans a statement once: it replaces each ? placeholder by $n
// when numbered is set, and tells whether the statement only reads. String
// literals ('…', E'…'), quoted identifiers ("…"), dollar-quoted strings and
// comments are copied as they are.
func parseQuery(text string, numbered bool) query {
	var out strings.Builder
	if numbered {
		out.Grow(len(text) + 16)
	}
	n := 0
	first := ""
	writes := false
	i := 0
	for i < len(text) {
		c := text[i]
		start := i
		switch {
		case c == '\'':
			escapes := i > 0 && (text[i-1] == 'E' || text[i-1] == 'e') && (i < 2 || !isIdentByte(text[i-2]))
			i = skipQuoted(text, i, '\'', escapes)
		case c == '"':
			i = skipQuoted(text, i, '"', false)
		case c == '-' && i+1 < len(text) && text[i+1] == '-':
			if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(text)
			}
		case c == '/' && i+1 < len(text) && text[i+1] == '*':
			if j := strings.Index(text[i+2:], "*/"); j >= 0 {
				i += 2 + j + 2
			} else {
				i = len(text)
			}
		case c == '$' && (i == 0 || !isIdentByte(text[i-1])):
			i = skipDollarQuoted(text, i)
		case c == '?':
			n++
			if numbered {
				out.WriteString("$")
				out.WriteString(strconv.Itoa(n))
				i++
				continue
			}
			i++
		case isIdentStart(c):
			for i < len(text) && isIdentByte(text[i]) {
				i++
			}
			word := strings.ToUpper(text[start:i])
			if first == "" {
				first = word
			}
			switch word {
			case "INSERT", "UPDATE", "DELETE", "REPLACE":
				writes = true
			}
		default:
			i++
		}
		if numbered {
			out.WriteString(text[start:i])
		}
	}
	q := query{text: text, readOnly: (first == "SELECT" || first == "WITH") && !writes}
	if numbered {
		q.text = out.String()
	}
	return q
}

// skipQuoted returns the index after the quoted text starting at i: a
// doubled quote stands for itself, and with escapes a backslash escapes the
// next byte.
func skipQuoted(text string, i int, quote byte, escapes bool) int {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			if escapes {
				j++
			}
		case quote:
			if j+1 < len(text) && text[j+1] == quote {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(text)
}

// skipDollarQuoted returns the index after a PostgreSQL dollar-quoted string
// ($$…$$ or $tag$…$tag$) starting at i, or i+1 when the $ starts none (a $1
// parameter, say).
func skipDollarQuoted(text string, i int) int {
	j := i + 1
	if j < len(text) && isIdentStart(text[j]) {
		for j < len(text) && isIdentByte(text[j]) && text[j] != '$' {
			j++
		}
	}
	if j >= len(text) || text[j] != '$' {
		return i + 1
	}
	tag := text[i : j+1]
	if k := strings.Index(text[j+1:], tag); k >= 0 {
		return j + 1 + k + len(tag)
	}
	return len(text)
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}
