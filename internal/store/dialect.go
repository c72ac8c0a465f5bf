package store

// Dialect is the SQL database behind a DB.
type Dialect uint8

// The dialects parkdesk runs on.
const (
	SQLite Dialect = iota + 1
	Postgres
)

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// maxParams is the most bind parameters one statement may carry:
// SQLITE_MAX_VARIABLE_NUMBER is 32766 since SQLite 3.32, and PostgreSQL's
// wire protocol counts parameters in 16 bits.
func (d Dialect) maxParams() int {
	if d == Postgres {
		return 65535
	}
	return 32766
}
