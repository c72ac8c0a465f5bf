package store

import "context"

// MigrateUpTo applies the migrations up to the version last: a test of a
// migration fills the schema before it.
func (db *DB) MigrateUpTo(ctx context.Context, last int) ([]string, error) {
	return db.migrate(ctx, last)
}
