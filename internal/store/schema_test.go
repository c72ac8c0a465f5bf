package store_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// schema is what the two dialects must agree on, read back from a migrated
// database: per table, its columns with their kind and nullability, its
// primary key, and its indexes (unique or not, partial or not) and foreign
// keys by the columns they cover. Names of indexes and constraints, and the
// order of columns, are left out: they may differ without harm.
type schema map[string]*table

type table struct {
	columns map[string]string // name → "kind null|not null"
	primary string            // the key's columns, comma-separated
	indexes map[string]bool   // "unique (a,b) where" → present
	foreign map[string]bool   // "(a,b) → other(c,d)" → present
}

func (s schema) table(name string) *table {
	t := s[name]
	if t == nil {
		t = &table{columns: map[string]string{}, indexes: map[string]bool{}, foreign: map[string]bool{}}
		s[name] = t
	}
	return t
}

// kind maps a declared type to what both dialects mean by it. SQLite keeps
// booleans as INTEGER 0/1 (0001_foundation.sql says so), so a PostgreSQL
// boolean is an integer here; and JSON as TEXT checked by json_valid, so a
// PostgreSQL json is text.
func kind(declared string) string {
	d := strings.ToLower(declared)
	switch {
	case strings.Contains(d, "int"), d == "boolean":
		return "integer"
	case strings.Contains(d, "char"), d == "text", d == "json", d == "jsonb":
		return "text"
	case strings.Contains(d, "real"), strings.Contains(d, "double"), strings.Contains(d, "numeric"), strings.Contains(d, "float"):
		return "real"
	case d == "blob", d == "bytea":
		return "blob"
	}
	return "other:" + d
}

func index(unique bool, cols []string, partial bool) string {
	s := "(" + strings.Join(cols, ",") + ")"
	if unique {
		s = "unique " + s
	}
	if partial {
		s += " where"
	}
	return s
}

func readSQLiteSchema(t *testing.T, db *store.DB) schema {
	ctx := context.Background()
	s := schema{}
	rows, err := db.Query(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	for _, name := range tables {
		tb := s.table(name)
		var pk []string
		each(t, db, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", []any{name}, func(scan func(...any) error) {
			var col, typ string
			var notNull, pkPos int
			if err := scan(&col, &typ, &notNull, &pkPos); err != nil {
				t.Fatal(err)
			}
			null := "null"
			if notNull == 1 || pkPos > 0 {
				null = "not null"
			}
			tb.columns[col] = kind(typ) + " " + null
			if pkPos > 0 {
				pk = append(pk, col)
			}
		})
		slices.Sort(pk)
		tb.primary = strings.Join(pk, ",")
		type idx struct {
			name            string
			unique, partial bool
			origin          string
		}
		var idxs []idx
		each(t, db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", []any{name}, func(scan func(...any) error) {
			var i idx
			if err := scan(&i.name, &i.unique, &i.origin, &i.partial); err != nil {
				t.Fatal(err)
			}
			idxs = append(idxs, i)
		})
		for _, i := range idxs {
			if i.origin == "pk" {
				continue
			}
			var cols []string
			each(t, db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno", []any{i.name}, func(scan func(...any) error) {
				var c *string
				if err := scan(&c); err != nil {
					t.Fatal(err)
				}
				if c == nil {
					cols = append(cols, "<expression>")
				} else {
					cols = append(cols, *c)
				}
			})
			tb.indexes[index(i.unique, cols, i.partial)] = true
		}
		fks := map[int][][2]string{}
		fkTable := map[int]string{}
		each(t, db, "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq", []any{name}, func(scan func(...any) error) {
			var id int
			var other, from string
			var to *string
			if err := scan(&id, &other, &from, &to); err != nil {
				t.Fatal(err)
			}
			target := ""
			if to != nil {
				target = *to
			}
			fks[id] = append(fks[id], [2]string{from, target})
			fkTable[id] = other
		})
		for id, pairs := range fks {
			tb.foreign[foreignKey(fkTable[id], pairs, s, db, t)] = true
		}
	}
	return s
}

// foreignKey writes a foreign key; a SQLite key naming no target columns
// refers to the other table's primary key.
func foreignKey(other string, pairs [][2]string, _ schema, db *store.DB, t *testing.T) string {
	var from, to []string
	for _, p := range pairs {
		from = append(from, p[0])
		to = append(to, p[1])
	}
	if to[0] == "" {
		to = nil
		each(t, db, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", []any{other}, func(scan func(...any) error) {
			var c string
			if err := scan(&c); err != nil {
				t.Fatal(err)
			}
			to = append(to, c)
		})
	}
	return fmt.Sprintf("(%s) → %s(%s)", strings.Join(from, ","), other, strings.Join(to, ","))
}

func readPostgresSchema(t *testing.T, db *store.DB) schema {
	s := schema{}
	each(t, db, `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
WHERE table_schema = current_schema()
  AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')`, nil, func(scan func(...any) error) {
		var tbl, col, typ, nullable string
		if err := scan(&tbl, &col, &typ, &nullable); err != nil {
			t.Fatal(err)
		}
		null := "null"
		if nullable == "NO" {
			null = "not null"
		}
		s.table(tbl).columns[col] = kind(typ) + " " + null
	})
	each(t, db, `SELECT c.relname, i.indisprimary, i.indisunique, i.indpred IS NOT NULL,
  ARRAY(SELECT COALESCE(a.attname, '<expression>') FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
        LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0 ORDER BY k.n)::text
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE ns.nspname = current_schema()`, nil, func(scan func(...any) error) {
		var tbl, cols string
		var primary, unique, partial bool
		if err := scan(&tbl, &primary, &unique, &partial, &cols); err != nil {
			t.Fatal(err)
		}
		list := strings.Split(strings.Trim(cols, "{}"), ",")
		for i, c := range list {
			list[i] = strings.Trim(c, `"`)
		}
		if primary {
			slices.Sort(list)
			s.table(tbl).primary = strings.Join(list, ",")
			return
		}
		s.table(tbl).indexes[index(unique, list, partial)] = true
	})
	each(t, db, `SELECT c.relname, o.relname,
  ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.attnum ORDER BY x.n)::text,
  ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY x(attnum, n) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.attnum ORDER BY x.n)::text
FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class o ON o.oid = k.confrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
WHERE k.contype = 'f' AND ns.nspname = current_schema()`, nil, func(scan func(...any) error) {
		var tbl, other, from, to string
		if err := scan(&tbl, &other, &from, &to); err != nil {
			t.Fatal(err)
		}
		s.table(tbl).foreign[fmt.Sprintf("(%s) → %s(%s)", strings.Trim(from, "{}"), other, strings.Trim(to, "{}"))] = true
	})
	return s
}

func each(t *testing.T, db *store.DB, query string, args []any, fn func(scan func(...any) error)) {
	t.Helper()
	rows, err := db.Query(context.Background(), query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(rows.Scan)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestSchemasMatchAcrossDialects migrates a SQLite and a PostgreSQL
// database and compares what the migrations made, table by table: the
// same columns of the same kinds and nullability, the same primary keys,
// indexes and foreign keys. Two dialects' files may drift apart while
// keeping the same names; this finds it.
func TestSchemasMatchAcrossDialects(t *testing.T) {
	if !slices.Contains(storetest.Dialects(), store.Postgres) {
		t.Skipf("needs PostgreSQL (%s)", storetest.PostgresEnv)
	}
	lite := readSQLiteSchema(t, storetest.Open(t, store.SQLite))
	pg := readPostgresSchema(t, storetest.Open(t, store.Postgres))
	// (0003 made match_results a rowid table with a unique key on SQLite;
	// 0013 keys it by the same columns as PostgreSQL, now that its rows are
	// compact: nothing to set aside any more.)
	if len(lite) < 10 {
		t.Fatalf("only %d tables read from SQLite", len(lite))
	}
	for _, name := range slices.Sorted(maps.Keys(lite)) {
		l, p := lite[name], pg[name]
		if p == nil {
			t.Errorf("table %s is in SQLite only", name)
			continue
		}
		for _, col := range slices.Sorted(maps.Keys(l.columns)) {
			if got := p.columns[col]; got != l.columns[col] {
				t.Errorf("%s.%s: SQLite %q, PostgreSQL %q", name, col, l.columns[col], got)
			}
		}
		for col := range p.columns {
			if _, ok := l.columns[col]; !ok {
				t.Errorf("%s.%s is in PostgreSQL only", name, col)
			}
		}
		if l.primary != p.primary {
			t.Errorf("%s: primary key (%s) in SQLite, (%s) in PostgreSQL", name, l.primary, p.primary)
		}
		compareSets(t, name+" index", l.indexes, p.indexes)
		compareSets(t, name+" foreign key", l.foreign, p.foreign)
	}
	for name := range pg {
		if lite[name] == nil {
			t.Errorf("table %s is in PostgreSQL only", name)
		}
	}
}

func compareSets(t *testing.T, what string, lite, pg map[string]bool) {
	t.Helper()
	for _, k := range slices.Sorted(maps.Keys(lite)) {
		if !pg[k] {
			t.Errorf("%s %s is in SQLite only", what, k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(pg)) {
		if !lite[k] {
			t.Errorf("%s %s is in PostgreSQL only", what, k)
		}
	}
}
