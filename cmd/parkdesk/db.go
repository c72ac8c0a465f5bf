package main

import (
	"context"
	"flag"
	"fmt"

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
