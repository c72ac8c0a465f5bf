package store

import (
	"strconv"
	"strings"
	"testing"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		want     string // rewritten for PostgreSQL
		readOnly bool
	}{
		{"no placeholder", "SELECT 1", "SELECT 1", true},
		{"placeholders numbered in order", "SELECT a FROM t WHERE b = ? AND c IN (?, ?)", "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)", true},
		{"question mark in a string", "SELECT '?' , ? FROM t", "SELECT '?' , $1 FROM t", true},
		{"doubled quote in a string", "SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", true},
		{"escape string", `SELECT E'a\'?', ?`, `SELECT E'a\'?', $1`, true},
		{"backslash in a standard string", `SELECT 'a\', ?`, `SELECT 'a\', $1`, true},
		{"quoted identifier", `SELECT "we?rd" FROM t WHERE x = ?`, `SELECT "we?rd" FROM t WHERE x = $1`, true},
		{"line comment", "SELECT 1 -- why?\nWHERE x = ?", "SELECT 1 -- why?\nWHERE x = $1", true},
		{"block comment", "SELECT /* ? */ ?", "SELECT /* ? */ $1", true},
		{"dollar quoted", "SELECT $f$ ? $f$, ?", "SELECT $f$ ? $f$, $1", true},
		{"empty dollar quote", "SELECT $$?$$, ?", "SELECT $$?$$, $1", true},
		{"positional parameter is not a quote", "SELECT $1, ?", "SELECT $1, $1", true},
		{"insert writes", "INSERT INTO t (a) VALUES (?) RETURNING id", "INSERT INTO t (a) VALUES ($1) RETURNING id", false},
		{"update writes", "update t set a = ?", "update t set a = $1", false},
		{"with around a delete writes", "WITH x AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM x)", "WITH x AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM x)", false},
		{"with that reads", "WITH x AS (SELECT ?) SELECT * FROM x", "WITH x AS (SELECT $1) SELECT * FROM x", true},
		{"leading comment and space", "  -- list\n  SELECT ?", "  -- list\n  SELECT $1", true},
		{"keyword in a string does not write", "SELECT 'DELETE' FROM t", "SELECT 'DELETE' FROM t", true},
		{"column named like a keyword prefix", "SELECT updated_at FROM t", "SELECT updated_at FROM t", true},
		{"pragma is not a read", "PRAGMA journal_mode", "PRAGMA journal_mode", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseQuery(tt.in, true)
			if got.text != tt.want || got.readOnly != tt.readOnly {
				t.Errorf("parseQuery(%q) = %q, readOnly %v; want %q, readOnly %v", tt.in, got.text, got.readOnly, tt.want, tt.readOnly)
			}
			lite := parseQuery(tt.in, false)
			if lite.text != tt.in || lite.readOnly != tt.readOnly {
				t.Errorf("SQLite: parseQuery(%q) = %q, readOnly %v; want the text unchanged, readOnly %v", tt.in, lite.text, lite.readOnly, tt.readOnly)
			}
		})
	}
}

func TestQueryCacheIsBounded(t *testing.T) {
	c := newQueryCache(Postgres)
	for i := range queryCacheSize + 10 {
		c.get("SELECT " + strconv.Itoa(i) + " WHERE a = ?")
	}
	if len(c.m) > queryCacheSize {
		t.Errorf("cache holds %d statements, more than its bound %d", len(c.m), queryCacheSize)
	}
	if got := c.get("SELECT 1 WHERE a = ?").text; got != "SELECT 1 WHERE a = $1" {
		t.Errorf("after a reset the cache returns %q", got)
	}
}

// FuzzParseQuery checks the rewrite on any text: it never panics, SQLite
// text is left as it is, and PostgreSQL placeholders are numbered 1, 2, 3 …
// with the text around them unchanged.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"SELECT ?", "SELECT '?', ?", "SELECT $a$ ? $a$ ?", "E'\\'?'", "-- ?\n?", "/* ? */ ?", `"?" ?`, "$", "$$", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := parseQuery(s, false); got.text != s {
			t.Fatalf("SQLite text changed: %q -> %q", s, got.text)
		}
		got := parseQuery(s, true).text
		// Undo the numbering: each $n in the output that was not in the
		// input must be the next number, and replacing it by ? gives the
		// input back.
		var back strings.Builder
		next := 1
		i, j := 0, 0
		for j < len(got) {
			if i < len(s) && s[i] == got[j] {
				back.WriteByte(got[j])
				i++
				j++
				continue
			}
			want := "$" + strconv.Itoa(next)
			if !strings.HasPrefix(got[j:], want) || i >= len(s) || s[i] != '?' {
				t.Fatalf("rewrite of %q gave %q: unexpected text at output byte %d", s, got, j)
			}
			back.WriteByte('?')
			next++
			i++
			j += len(want)
		}
		if back.String() != s || i != len(s) {
			t.Fatalf("rewrite of %q gave %q, which does not map back", s, got)
		}
	})
}
