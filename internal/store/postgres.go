package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"

	// pgx through database/sql: the same *sql.DB API as SQLite, so that
	// domain code has one path for both databases.
	_ "github.com/jackc/pgx/v5/stdlib"
)

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	conns := min(max(8, 4*runtime.GOMAXPROCS(0)), 64)
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		// The DSN may hold a password: name the database kind, not the URL.
		return nil, fmt.Errorf("store: connect to PostgreSQL: %w", err)
	}
	return &DB{dialect: Postgres, writer: pool, reader: pool}, nil
}
