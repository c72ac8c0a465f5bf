// Package store opens parkdesk's database, SQLite or PostgreSQL, applies its
// migrations and gives domain packages a thin, dialect-neutral layer over
// database/sql.
//
// # One SQL text for both databases
//
// Queries are written once, with ? placeholders, in the SQL that SQLite and
// PostgreSQL both accept (RETURNING and ON CONFLICT work on both). On
// PostgreSQL the store rewrites the placeholders to $1, $2 … and caches the
// rewrite. A ? inside a string literal, a quoted identifier or a comment is
// left alone; PostgreSQL's jsonb ? operators cannot be used (call
// jsonb_exists instead).
//
// # Conventions of the schema
//
//   - Timestamps are TEXT in UTC, written "2006-01-02T15:04:05.000Z" (24
//     characters, see TimeLayout) on both databases. A fixed width makes them
//     sort and compare as text, the same SQL filters them on both databases,
//     and Go reads them the same way from both; the columns check the width so
//     that a time.Time passed by mistake is refused. Write them with
//     FormatTime and read them with ScanTime.
//   - Calendar dates are TEXT "YYYY-MM-DD"; periods are TEXT "", "YYYY",
//     "YYYYQn" or "YYYY-MM".
//   - Money and other decimals are TEXT holding the canonical decimal, never
//     a float.
//   - Booleans are BOOLEAN on PostgreSQL and INTEGER 0/1 on SQLite; Go bool
//     arguments and scan targets work with both, as do the literals TRUE and
//     FALSE.
//   - Codes (USCC, industry, park, tag …) sort byte-wise on both databases:
//     PostgreSQL columns holding them use COLLATE "C".
//
// # Connections
//
// On SQLite there is one writer connection and a pool of read-only reader
// connections, the layout pocketbase uses: SQLite admits one writer at a time
// anyway, and serialising writers in the process instead of in SQLite's lock
// means no SQLITE_BUSY between our own goroutines. DB.Query and DB.QueryRow
// send a statement that only reads (it starts with SELECT, or WITH with no
// INSERT, UPDATE or DELETE) to the readers and everything else to the writer.
// Because the writer is a single connection, code running inside InTx must
// use the *Tx it was given, never the *DB: a second write on the DB would
// wait for the connection the transaction holds. On PostgreSQL one pool
// serves both.
//
// # Errors
//
// Driver errors are classified by their code, never by their text: see
// ErrNotFound, ErrConflict, ErrReferenced and ErrCheck, and MapError. The
// methods of DB, Tx and Row return mapped errors already.
package store
