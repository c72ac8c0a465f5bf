package jobs

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

type echoArgs struct {
	Word string `json:"word"`
}

func (echoArgs) Kind() string { return "jobs_test_echo" }

type echoWorker struct {
	river.WorkerDefaults[echoArgs]
	got chan string
}

func (w *echoWorker) Work(_ context.Context, job *river.Job[echoArgs]) error {
	w.got <- job.Args.Word
	return nil
}

// A client on either database runs River's migrations, works a job
// inserted through it, and stops (closing its pool on PostgreSQL).
func TestClientWorksAJob(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			w := &echoWorker{got: make(chan string, 1)}
			reg := NewRegistry()
			Add[echoArgs](reg, w)
			reg.Queue(river.QueueDefault, 1)
			opts := Options{Work: reg.Queues(), FetchPollInterval: 20 * time.Millisecond}
			client, err := New(ctx, db, reg, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := client.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := client.Insert(ctx, echoArgs{Word: "园区"}, nil); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-w.got:
				if got != "园区" {
					t.Errorf("the job carried %q", got)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the job was not worked")
			}
			if err := client.Stop(ctx); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Instances starting together on one PostgreSQL database run River's
// migrations one after the other, under the advisory lock: none fails.
func TestInstancesMigrateTogether(t *testing.T) {
	t.Parallel()
	for _, d := range storetest.Dialects() {
		if d != store.Postgres {
			continue
		}
		ctx := context.Background()
		dsn := storetest.DSN(t, d)
		const n = 4
		errs := make(chan error, n)
		for range n {
			go func() {
				db, err := store.Open(ctx, dsn)
				if err != nil {
					errs <- err
					return
				}
				defer db.Close()
				if _, err := db.Migrate(ctx); err != nil {
					errs <- err
					return
				}
				client, err := New(ctx, db, NewRegistry(), Options{})
				if err == nil {
					err = client.Stop(ctx)
				}
				errs <- err
			}()
		}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("an instance: %v", err)
			}
		}
	}
}

// On SQLite a client made after a process stopped gives the jobs it left
// running to the workers again.
func TestJobsLeftRunningAreRequeued(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := storetest.Open(t, store.SQLite)
	w := &echoWorker{got: make(chan string, 1)}
	reg := NewRegistry()
	Add[echoArgs](reg, w)
	reg.Queue(river.QueueDefault, 1)
	insertOnly, err := New(ctx, db, reg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := insertOnly.Insert(ctx, echoArgs{Word: "left"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "UPDATE river_job SET state = 'running', attempt = 1 WHERE id = ?", res.Job.ID); err != nil {
		t.Fatal(err)
	}
	insertOnly.Stop(ctx)
	client, err := New(ctx, db, reg, Options{Work: reg.Queues(), FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx)
	select {
	case got := <-w.got:
		if got != "left" {
			t.Errorf("worked %q", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the job left running was not worked again")
	}
}

func TestWarningsOnly(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(warnings{slog.NewTextHandler(&buf, nil)}).With("client", "x")
	logger.Info("routine")
	logger.Warn("trouble")
	if got := buf.String(); bytes.Contains(buf.Bytes(), []byte("routine")) || !bytes.Contains(buf.Bytes(), []byte("trouble client=x")) {
		t.Errorf("logged %q: want the warning only, with its attributes", got)
	}
}
