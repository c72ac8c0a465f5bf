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
			workers := river.NewWorkers()
			river.AddWorker(workers, w)
			opts := Options{Workers: workers, Queues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 1}},
				FetchPollInterval: 20 * time.Millisecond}
			if d == store.Postgres {
				opts.PostgresDSN = dsn
			}
			client, err := New(ctx, db, opts)
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
