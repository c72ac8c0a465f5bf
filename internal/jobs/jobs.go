// Package jobs sets up the database job queue, River, on parkdesk's
// database: River's own migrations, and a client on the driver of the
// dialect — riversqlite on the store's single writer connection (River's
// writes queue with ours there, as SQLite would make them anyway), or
// riverpgxv5 on a pgx pool of its own, which the client closes when it
// stops. Domain packages register their workers and queues and use the
// Client interface, whatever the driver.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Client is what parkdesk uses of a River client.
type Client interface {
	// Start works the configured queues until Stop; cancelling ctx stops
	// the client and cancels the jobs running (see river.Client.Start).
	Start(ctx context.Context) error
	// Stop lets the running jobs finish, then stops; on PostgreSQL it
	// closes the client's pool. Call it once the client is of no more use,
	// started or not.
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
}

// Options configure a client.
type Options struct {
	// PostgresDSN is the database's URL when it is PostgreSQL: River's
	// driver needs a pgx pool, which database/sql does not give.
	PostgresDSN string
	// Logger receives River's warnings and errors; its routine reports
	// (job counts every few seconds) are left out.
	Logger *slog.Logger
	// Queues are the queues this client works; none makes a client that
	// only inserts.
	Queues  map[string]river.QueueConfig
	Workers *river.Workers
	// JobTimeout, RescueStuckJobsAfter and FetchPollInterval are River's
	// (river.Config); zero keeps River's defaults.
	JobTimeout           time.Duration
	RescueStuckJobsAfter time.Duration
	FetchPollInterval    time.Duration
}

// New runs River's migrations on db and returns a client.
func New(ctx context.Context, db *store.DB, opts Options) (Client, error) {
	logger := slog.New(slog.DiscardHandler)
	if opts.Logger != nil {
		logger = slog.New(warnings{opts.Logger.Handler()})
	}
	cfg := &river.Config{
		Queues:               opts.Queues,
		Workers:              opts.Workers,
		Logger:               logger,
		JobTimeout:           opts.JobTimeout,
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
		FetchPollInterval:    opts.FetchPollInterval,
	}
	if cfg.FetchPollInterval > 0 {
		cfg.FetchCooldown = min(cfg.FetchPollInterval/2, 100*time.Millisecond)
	}
	switch db.Dialect() {
	case store.SQLite:
		driver := riversqlite.New(db.Writer())
		if err := migrate(ctx, driver, logger); err != nil {
			return nil, err
		}
		cfg.PollOnly = true // SQLite has no LISTEN/NOTIFY
		client, err := river.NewClient[*sql.Tx](driver, cfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		return client, nil
	case store.Postgres:
		if opts.PostgresDSN == "" {
			return nil, errors.New("jobs: the job queue on PostgreSQL needs the database URL for River's pool")
		}
		pool, err := pgxpool.New(ctx, opts.PostgresDSN)
		if err != nil {
			return nil, fmt.Errorf("jobs: River's pool: %w", err)
		}
		driver := riverpgxv5.New(pool)
		if err := migrate(ctx, driver, logger); err != nil {
			pool.Close()
			return nil, err
		}
		client, err := river.NewClient[pgx.Tx](driver, cfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("jobs: %w", err)
		}
		return &pgClient{Client: client, pool: pool}, nil
	}
	return nil, fmt.Errorf("jobs: no job queue for %s", db.Dialect())
}

// migrate brings River's tables up to date, each migration in a
// transaction; a migration already applied is skipped.
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], logger *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("jobs: River migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: River migrations: %w", err)
	}
	return nil
}

// pgClient closes River's pool when the client stops.
type pgClient struct {
	*river.Client[pgx.Tx]
	pool *pgxpool.Pool
}

func (c *pgClient) Stop(ctx context.Context) error {
	err := c.Client.Stop(ctx)
	c.pool.Close()
	return err
}

// warnings passes on only warnings and errors.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnings{w.Handler.WithAttrs(attrs)}
}
func (w warnings) WithGroup(name string) slog.Handler { return warnings{w.Handler.WithGroup(name)} }
