package exchange

import (
	"context"
	"sync"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// stager writes an import's staged facts in the background, a batch per
// transaction, while the importer reads and checks the next rows: it
// gathers a batch into sets (facts.GroupStaged), numbers them and writes
// them, so that on two cores this work overlaps the reading, which is the
// longer (on PostgreSQL the reading also overlaps the server's work). At
// most one batch waits while one is written, so memory stays bounded by
// three batches (the one being read included).
type stager struct {
	db   *store.DB
	run  int64
	jobs chan []facts.StagedFact
	done chan struct{}
	// err is the first error of a write; once set, later batches are
	// dropped. Read it only after done is closed, or through failed.
	err error
	// sets counts the sets staged, which also numbers them. Read it only
	// after done is closed.
	sets    int64
	failed  chan struct{}
	closing sync.Once
}

func newStager(ctx context.Context, db *store.DB, run int64) *stager {
	s := &stager{db: db, run: run, jobs: make(chan []facts.StagedFact, 1), done: make(chan struct{}), failed: make(chan struct{})}
	go func() {
		defer close(s.done)
		for batch := range s.jobs {
			if s.err != nil {
				continue
			}
			sets := facts.GroupStaged(batch)
			if err := facts.StageSets(ctx, db, run, s.sets, sets); err != nil {
				s.err = err
				close(s.failed)
			}
			s.sets += int64(len(sets))
		}
	}()
	return s
}

// stage queues a batch, which the stager then owns; it returns an error
// when an earlier batch failed, or the context ended while it waited.
func (s *stager) stage(ctx context.Context, batch []facts.StagedFact) error {
	select {
	case <-s.failed:
		return s.wait()
	default:
	}
	select {
	case s.jobs <- batch:
		return nil
	case <-s.failed:
		return s.wait()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait ends the stager once every queued batch is written, and returns the
// first error; the sets staged are counted in sets after it. It may be called more than once; stage may not be called
// after it.
func (s *stager) wait() error {
	s.closing.Do(func() { close(s.jobs) })
	<-s.done
	return s.err
}
