// Package jobs sets up the database job queue, River, on parkdesk's
// database: River's own migrations (under an advisory lock on PostgreSQL,
// so that instances starting together do not race), and one client per
// process on the driver of the dialect — riversqlite on the store's single
// writer connection (River's writes queue with ours there, as SQLite would
// make them anyway), or riverpgxv5 on a pgx pool of its own, which the
// client closes when it stops.
//
// The domain packages register their workers and queues in a Registry;
// main builds one client from it, gives it to the services, starts it, and
// stops it last, after the work that enqueues jobs.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
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

// Registry collects the workers of every job kind and the queues they run
// on, so that one client serves every domain package.
type Registry struct {
	workers *river.Workers
	queues  map[string]int // queue → most jobs at once
	kinds   []string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{workers: river.NewWorkers(), queues: map[string]int{}}
}

// Add registers the worker of a job kind.
func Add[T river.JobArgs](r *Registry, w river.Worker[T]) {
	river.AddWorker(r.workers, w)
	var args T
	r.kinds = append(r.kinds, args.Kind())
}

// Queue declares a queue the registered jobs run on, with at most
// maxWorkers of its jobs at once in a process.
func (r *Registry) Queue(name string, maxWorkers int) {
	r.queues[name] = max(r.queues[name], maxWorkers)
}

// Queues lists the registered queues.
func (r *Registry) Queues() []string { return slices.Sorted(maps.Keys(r.queues)) }

// Options configure a client.
type Options struct {
	// Logger receives River's warnings and errors; its routine reports
	// (job counts every few seconds) are left out.
	Logger *slog.Logger
	// Work names the queues this process works (each must be registered);
	// none makes a client that only inserts and lists jobs.
	Work []string
	// RescueStuckJobsAfter is how long a job may run before River gives it
	// to another worker, on PostgreSQL where another instance may have died
	// holding it (default 15 minutes). A job's work must be safe to run
	// twice: a matching partition checks its done mark, a delivery its
	// lease.
	RescueStuckJobsAfter time.Duration
	// FetchPollInterval is how often the client looks for new jobs where
	// nothing tells it of them (on SQLite, which has no LISTEN/NOTIFY);
	// default 1 second.
	FetchPollInterval time.Duration
}

// New runs River's migrations on db and returns a client of the registry's
// workers. On SQLite it first makes the jobs of the registered kinds that a
// stopped process left running available again: a SQLite file is worked by
// the processes of one machine, and each kind's work is safe to run twice.
func New(ctx context.Context, db *store.DB, reg *Registry, opts Options) (Client, error) {
	logger := slog.New(slog.DiscardHandler)
	if opts.Logger != nil {
		logger = slog.New(warnings{opts.Logger.Handler()})
	}
	cfg := &river.Config{
		Workers:              reg.workers,
		Logger:               logger,
		JobTimeout:           -1, // a worker bounds its own jobs (river.Worker.Timeout)
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
		FetchPollInterval:    opts.FetchPollInterval,
	}
	if cfg.RescueStuckJobsAfter <= 0 {
		cfg.RescueStuckJobsAfter = 15 * time.Minute
	}
	if cfg.FetchPollInterval <= 0 {
		cfg.FetchPollInterval = time.Second
	}
	cfg.FetchCooldown = min(cfg.FetchPollInterval/2, 100*time.Millisecond)
	if len(opts.Work) > 0 {
		cfg.Queues = map[string]river.QueueConfig{}
		for _, q := range opts.Work {
			n, ok := reg.queues[q]
			if !ok {
				return nil, fmt.Errorf("jobs: no worker runs on queue %q", q)
			}
			cfg.Queues[q] = river.QueueConfig{MaxWorkers: n}
		}
	}
	switch db.Dialect() {
	case store.SQLite:
		driver := riversqlite.New(db.Writer())
		if err := migrate(ctx, driver, logger); err != nil {
			return nil, err
		}
		if err := requeueStopped(ctx, db, reg.kinds); err != nil {
			return nil, err
		}
		cfg.PollOnly = true // SQLite has no LISTEN/NOTIFY
		client, err := river.NewClient[*sql.Tx](driver, cfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: %w", err)
		}
		return client, nil
	case store.Postgres:
		pool, err := pgxpool.New(ctx, db.URL())
		if err != nil {
			return nil, fmt.Errorf("jobs: River's pool: %w", err)
		}
		driver := riverpgxv5.New(pool)
		if err := migratePostgres(ctx, pool, driver, logger); err != nil {
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

// requeueStopped makes the jobs of the kinds left running available again.
func requeueStopped(ctx context.Context, db *store.DB, kinds []string) error {
	for _, kind := range kinds {
		if _, err := db.Exec(ctx, "UPDATE river_job SET state = 'available' WHERE kind = ? AND state = 'running'", kind); err != nil {
			return fmt.Errorf("jobs: requeue the %s jobs of a stopped process: %w", kind, err)
		}
	}
	return nil
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

// migrationLock is the advisory lock under which instances run River's
// migrations one at a time (its migrator does not lock); the second half of
// the key is the schema, as for parkdesk's own migrations.
const migrationLock = 0x72697672 // "rivr"

func migratePostgres(ctx context.Context, pool *pgxpool.Pool, driver *riverpgxv5.Driver, logger *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: River migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, hashtext(current_schema()))", migrationLock); err != nil {
		return fmt.Errorf("jobs: River migrations: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", migrationLock)
	return migrate(ctx, driver, logger)
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

// ErrNoClient is returned by a service asked to run jobs without a client.
var ErrNoClient = errors.New("jobs: no job queue client was given")

// warnings passes on only warnings and errors.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}

func (w warnings) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnings{w.Handler.WithAttrs(attrs)}
}
func (w warnings) WithGroup(name string) slog.Handler { return warnings{w.Handler.WithGroup(name)} }
