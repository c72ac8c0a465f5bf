package store

import (
	"slices"
	"testing"
)

// Both dialects must have the same migrations, or a PostgreSQL deployment
// and a SQLite one would disagree about what version N means.
func TestMigrationsMatchAcrossDialects(t *testing.T) {
	names := func(d Dialect) []string {
		ms, err := migrationsFor(d)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.name)
		}
		return out
	}
	lite, pg := names(SQLite), names(Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations embedded")
	}
	if !slices.Equal(lite, pg) {
		t.Errorf("SQLite migrations %v differ from PostgreSQL's %v", lite, pg)
	}
}
