package store

import "context"

// Ping checks that the database answers, for the readiness probe. On SQLite
// it asks the writer, the connection that a full disk or a lock would stop.
func (db *DB) Ping(ctx context.Context) error {
	return db.writer.PingContext(ctx)
}
