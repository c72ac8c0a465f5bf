package store

import (
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
)

// Sentinel errors for the outcomes domain code handles. Test for them with
// errors.Is; the driver's error stays reachable with errors.As.
var (
	// ErrNotFound: the query returned no row.
	ErrNotFound = errors.New("store: not found")
	// ErrConflict: a unique or primary key already holds the value.
	ErrConflict = errors.New("store: conflict with an existing row")
	// ErrReferenced: a foreign key refers to a row that does not exist, or a
	// row still referred to was to be deleted.
	ErrReferenced = errors.New("store: foreign key violation")
	// ErrCheck: a CHECK or NOT NULL constraint refused a value.
	ErrCheck = errors.New("store: check constraint violation")
	// ErrBusy: the database is locked by another writer (SQLite's
	// SQLITE_BUSY, after the busy timeout and the retries of InTx) or
	// gave up a lock wait, a serialization or a deadlock (PostgreSQL).
	// Nothing was done; the same request may be tried again.
	ErrBusy = errors.New("store: the database is busy")
)

// Driver codes. SQLite's constraint codes are extended result codes, its
// busy and locked codes primary ones; PostgreSQL's are SQLSTATEs.
const (
	sqliteConstraintCheck      = 275  // SQLITE_CONSTRAINT_CHECK
	sqliteConstraintForeignKey = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	sqliteConstraintNotNull    = 1299 // SQLITE_CONSTRAINT_NOTNULL
	sqliteConstraintPrimaryKey = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	sqliteConstraintUnique     = 2067 // SQLITE_CONSTRAINT_UNIQUE

	sqliteBusy   = 5 // SQLITE_BUSY, the primary code of its extended ones
	sqliteLocked = 6 // SQLITE_LOCKED, likewise

	pgNotNullViolation    = "23502"
	pgForeignKeyViolation = "23503"
	pgUniqueViolation     = "23505"
	pgCheckViolation      = "23514"
	pgSerialization       = "40001"
	pgDeadlock            = "40P01"
	pgLockNotAvailable    = "55P03"
)

// MapError classifies a driver error by its code and wraps it with the
// matching sentinel; errors.Is(err, sql.ErrNoRows) and errors.As to the
// driver's error still work on the result. Other errors, and nil, are
// returned as they are.
func MapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, ErrReferenced) || errors.Is(err, ErrCheck) || errors.Is(err, ErrBusy) {
		return err // already mapped
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &mappedError{kind: ErrNotFound, err: err}
	}
	var lite sqlite3.Error // the driver returns it as a value
	if errors.As(err, &lite) {
		switch int(lite.ExtendedCode) {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return &mappedError{kind: ErrConflict, err: err}
		case sqliteConstraintForeignKey:
			return &mappedError{kind: ErrReferenced, err: err}
		case sqliteConstraintCheck, sqliteConstraintNotNull:
			return &mappedError{kind: ErrCheck, err: err}
		}
		if c := int(lite.Code); c == sqliteBusy || c == sqliteLocked {
			return &mappedError{kind: ErrBusy, err: err}
		}
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case pgUniqueViolation:
			return &mappedError{kind: ErrConflict, err: err, constraint: pg.ConstraintName}
		case pgForeignKeyViolation:
			return &mappedError{kind: ErrReferenced, err: err, constraint: pg.ConstraintName}
		case pgCheckViolation, pgNotNullViolation:
			return &mappedError{kind: ErrCheck, err: err, constraint: pg.ConstraintName}
		case pgSerialization, pgDeadlock, pgLockNotAvailable:
			return &mappedError{kind: ErrBusy, err: err}
		}
	}
	return err
}

// mappedError is a driver error with its class.
type mappedError struct {
	kind       error
	err        error
	constraint string
}

func (e *mappedError) Error() string   { return e.err.Error() }
func (e *mappedError) Unwrap() []error { return []error{e.kind, e.err} }

// Constraint returns the name of the constraint a mapped error violated,
// when the database tells it (PostgreSQL does; SQLite only names it in the
// message text, which is not parsed), or "".
func Constraint(err error) string {
	var m *mappedError
	if errors.As(err, &m) {
		return m.constraint
	}
	return ""
}
