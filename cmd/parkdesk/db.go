package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// openDB opens the configured database and brings its schema up to date, so
// that every command works on a fresh file without a separate migrate step.
func openDB(ctx context.Context, cfg *config) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	// The shipped dictionary is data the program brings, like the schema:
	// every command may rely on it.
	if err := facts.SeedDictionary(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("seed the data dictionary: %w", err)
	}
	return db, nil
}

func migrateCommand() command {
	return command{
		name:    "migrate",
		summary: "Create or update the database schema (every other command also does this on start).",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("migrate takes no arguments")
				}
				db, err := store.Open(ctx, cfg.DB)
				if err != nil {
					return fmt.Errorf("open database: %w", err)
				}
				defer db.Close()
				applied, err := db.Migrate(ctx)
				if err != nil {
					return err
				}
				if len(applied) == 0 {
					fmt.Fprintln(e.stdout, "schema is up to date")
				}
				for _, m := range applied {
					fmt.Fprintln(e.stdout, "applied", m)
				}
				return nil
			}
		},
	}
}

func backupCommand() command {
	return command{
		name:  "backup",
		usage: "FILE",
		summary: "Write a consistent copy of the SQLite database to FILE while it is in use (VACUUM INTO).\n" +
			"FILE must not exist; it opens as a database of its own (parkdesk --db FILE serve). A PostgreSQL\n" +
			"database is backed up with pg_dump (docs/deployment.md).",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) != 1 {
					return usagef("name one file to write the backup to")
				}
				db, err := store.Open(ctx, cfg.DB)
				if err != nil {
					return fmt.Errorf("open database: %w", err)
				}
				defer db.Close()
				start := time.Now()
				if err := db.Backup(ctx, args[0]); err != nil {
					if errors.Is(err, store.ErrBackupExists) {
						return apperr.Errorf(apperr.Invalid, "%s exists already: give a new file name", args[0])
					}
					return err
				}
				info, err := os.Stat(args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "backed up to %s (%.1f MB) in %s\n", args[0], float64(info.Size())/1e6, time.Since(start).Round(time.Millisecond))
				return nil
			}
		},
	}
}
