package exchange

import (
	"context"
	"sync"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// stager writes an import's staged facts in the background, a batch per
// transaction, while the importer reads and checks the next rows: reading
// a CSV costs about as much CPU as staging its rows, and on two cores the
// two then overlap (on PostgreSQL the reading also overlaps the server's
// work). At most one batch waits while one is written, so memory stays
// bounded by three batches (the one being read included).
type stager struct {
	db   *store.DB
	run  int64
	jobs chan stageJob
	done chan struct{}
	// err is the first error of a write; once set, later batches are
	// dropped. Read it only after done is closed, or through failed.
	err     error
	failed  chan struct{}
	closing sync.Once
}

type stageJob struct {
	seq  int64
	sets []facts.StagedSet
}

func newStager(ctx context.Context, db *store.DB, run int64) *stager {
	s := &stager{db: db, run: run, jobs: make(chan stageJob, 1), done: make(chan struct{}), failed: make(chan struct{})}
	go func() {
		defer close(s.done)
		for job := range s.jobs {
			if s.err != nil {
				continue
			}
			if err := facts.StageSets(ctx, db, run, job.seq, job.sets); err != nil {
				s.err = err
				close(s.failed)
			}
		}
	}()
	return s
}

// stage queues a batch; it returns an error when an earlier batch failed,
// or the context ended while it waited.
func (s *stager) stage(ctx context.Context, seq int64, batch []facts.StagedSet) error {
	select {
	case <-s.failed:
		return s.wait()
	default:
	}
	select {
	case s.jobs <- stageJob{seq: seq, sets: batch}:
		return nil
	case <-s.failed:
		return s.wait()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait ends the stager once every queued batch is written, and returns the
// first error. It may be called more than once; stage may not be called
// after it.
func (s *stager) wait() error {
	s.closing.Do(func() { close(s.jobs) })
	<-s.done
	return s.err
}
