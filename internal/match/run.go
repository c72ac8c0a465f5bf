package match

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// A batch run is a durable job in the database's job queue (River): one job
// per partition of the enterprises by id range, so that a crash or a
// restart resumes with the partitions not done, and on PostgreSQL several
// instances running `parkdesk match` share the partitions. A partition's
// results and its done mark are written in one transaction: a partition
// done is never done again, even when its job runs twice.

// partitionKind is the River job kind of a partition of a run.
const partitionKind = "match_partition"

// QueueName is the River queue of matching jobs.
const QueueName = "match"

type partitionArgs struct {
	Run  int64 `json:"run"`
	Part int   `json:"part"`
}

func (partitionArgs) Kind() string { return partitionKind }

// RunOptions configure a batch run.
type RunOptions struct {
	On     time.Time
	Policy string // match one policy; "" for every policy in force
	// PartitionSize is how many enterprises a partition holds (default
	// 20,000): a partition is one transaction and one unit of resumption.
	PartitionSize int
	// Progress, when set, is called about twice a second with the
	// partitions done so far.
	Progress func(p RunProgress)
	// StopAfter makes Run return ErrStopped, the run unfinished, once this
	// process has done that many partitions of it (0: never): a test's way
	// of stopping part way, as a crash would, by stopping the job client
	// next.
	StopAfter int
}

// RunProgress is the state of a run.
type RunProgress struct {
	Run                    int64
	Partitions, Done       int
	Enterprises, Results   int64 // in the partitions done
	Written, Changes, Kept int64
	Resumed                bool // the run existed and was resumed
	Elapsed                time.Duration
}

// ErrStopped is returned by Run when RunOptions.StopAfter stopped it.
var ErrStopped = errors.New("match: the run was stopped before it finished")

// Run matches every enterprise of the database against the policies in
// force on opts.On as a durable job: it resumes the unfinished run of the
// same date, policy filter and policy versions, or starts one, enqueues the
// partitions not done, and waits until every partition is done — by the
// workers of this process's job client (m.Jobs, which must work the match
// queue: see RegisterJobs) or of another instance — then marks the run
// finished.
func (m *Matcher) Run(ctx context.Context, db *store.DB, opts RunOptions) (RunProgress, error) {
	start := time.Now()
	if m.Jobs == nil {
		return RunProgress{}, jobs.ErrNoClient
	}
	if opts.PartitionSize <= 0 {
		opts.PartitionSize = 20000
	}
	prog, err := m.Program(opts.On, opts.Policy)
	if err != nil {
		return RunProgress{}, err
	}
	key := runKey(prog, opts.Policy)
	runID, resumed, err := openRun(ctx, db, prog, opts, key)
	if err != nil {
		return RunProgress{}, err
	}
	if err := enqueue(ctx, db, m.Jobs, runID); err != nil {
		return RunProgress{}, err
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	wake := m.wake(runID)
	for {
		p, err := readProgress(ctx, db, runID)
		if err != nil {
			return p, err
		}
		p.Resumed, p.Elapsed = resumed, time.Since(start)
		if opts.Progress != nil {
			opts.Progress(p)
		}
		if p.Done == p.Partitions {
			_, err := db.Exec(ctx, "UPDATE match_runs SET finished_at = ? WHERE id = ? AND finished_at IS NULL", store.FormatTime(time.Now()), runID)
			if err != nil {
				return p, fmt.Errorf("match: finish the run: %w", err)
			}
			return p, nil
		}
		if opts.StopAfter > 0 && m.doneHere(runID) >= opts.StopAfter {
			return p, ErrStopped
		}
		if err := failedPartition(ctx, m.Jobs, runID); err != nil {
			return p, err
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-tick.C:
		case <-wake:
		}
	}
}

// runKey identifies what a run computes: the date, the filter and every
// policy version.
func runKey(prog *vector.Program, policyID string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s", prog.On.Format(time.DateOnly), policyID)
	var vs []string
	for _, pl := range prog.Policies {
		vs = append(vs, pl.ID+"="+pl.Version)
	}
	for _, pol := range prog.NotInForce {
		vs = append(vs, pol.ID()+"="+pol.Version())
	}
	sort.Strings(vs)
	fmt.Fprintf(h, "|%s", strings.Join(vs, ","))
	return hex.EncodeToString(h.Sum(nil))
}

// openRun returns the unfinished run of the key, or starts one with its
// partitions: ranges of PartitionSize enterprise ids in id order.
func openRun(ctx context.Context, db *store.DB, prog *vector.Program, opts RunOptions, key string) (int64, bool, error) {
	var id int64
	resumed := false
	err := db.InTx(ctx, func(tx *store.Tx) error {
		err := tx.QueryRow(ctx, "SELECT id FROM match_runs WHERE run_key = ? AND finished_at IS NULL", key).Scan(&id)
		if err == nil {
			resumed = true
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		var bounds [][2]int64
		rows, err := tx.Query(ctx, "SELECT id FROM enterprises ORDER BY id")
		if err != nil {
			return err
		}
		n := 0
		for rows.Next() {
			var eid int64
			if err := rows.Scan(&eid); err != nil {
				rows.Close()
				return err
			}
			if n%opts.PartitionSize == 0 {
				bounds = append(bounds, [2]int64{eid, eid})
			}
			bounds[len(bounds)-1][1] = eid
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var filter any
		if opts.Policy != "" {
			filter = opts.Policy
		}
		err = tx.QueryRow(ctx, `INSERT INTO match_runs (run_key, on_date, policy, partitions, started_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (run_key) WHERE finished_at IS NULL DO NOTHING RETURNING id`,
			key, prog.On.Format(time.DateOnly), filter, len(bounds), store.FormatTime(time.Now())).Scan(&id)
		if errors.Is(err, store.ErrNotFound) {
			// Another instance started it meanwhile: join it.
			resumed = true
			return tx.QueryRow(ctx, "SELECT id FROM match_runs WHERE run_key = ? AND finished_at IS NULL", key).Scan(&id)
		}
		if err != nil {
			return err
		}
		_, err = tx.InsertRows(ctx, store.Insert{Table: "match_partitions", Columns: []string{"run_id", "part", "first_id", "last_id"}},
			func(yield func([]any) bool) {
				for i, b := range bounds {
					if !yield([]any{id, i, b[0], b[1]}) {
						return
					}
				}
			})
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("match: open the run: %w", err)
	}
	return id, resumed, nil
}

// enqueue inserts a job for every partition of the run not done. River
// keeps one job per partition: a job already there is not added again.
func enqueue(ctx context.Context, db *store.DB, q jobs.Client, runID int64) error {
	rows, err := db.Query(ctx, "SELECT part FROM match_partitions WHERE run_id = ? AND done_at IS NULL ORDER BY part", runID)
	if err != nil {
		return fmt.Errorf("match: list partitions: %w", err)
	}
	var params []river.InsertManyParams
	for rows.Next() {
		var part int
		if err := rows.Scan(&part); err != nil {
			rows.Close()
			return err
		}
		params = append(params, river.InsertManyParams{Args: partitionArgs{Run: runID, Part: part},
			InsertOpts: &river.InsertOpts{Queue: QueueName, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for len(params) > 0 {
		n := min(len(params), 500)
		if _, err := q.InsertMany(ctx, params[:n]); err != nil {
			return fmt.Errorf("match: enqueue partitions: %w", err)
		}
		params = params[n:]
	}
	return nil
}

func readProgress(ctx context.Context, db *store.DB, runID int64) (RunProgress, error) {
	p := RunProgress{Run: runID}
	var ent, res, wr, ch, kept sql.NullInt64
	err := db.QueryRow(ctx, `SELECT COUNT(*), COUNT(done_at), SUM(CASE WHEN done_at IS NOT NULL THEN last_id - first_id + 1 END),
SUM(results), SUM(written), SUM(changes), SUM(kept) FROM match_partitions WHERE run_id = ?`, runID).
		Scan(&p.Partitions, &p.Done, &ent, &res, &wr, &ch, &kept)
	if err != nil {
		return p, fmt.Errorf("match: read the run's progress: %w", err)
	}
	p.Results, p.Written, p.Changes, p.Kept = res.Int64, wr.Int64, ch.Int64, kept.Int64
	p.Enterprises = ent.Int64
	return p, nil
}

// failedPartition returns an error when a partition job of the run failed
// for good (River discarded it after its attempts).
func failedPartition(ctx context.Context, q jobs.Client, runID int64) error {
	res, err := q.JobList(ctx, river.NewJobListParams().Kinds(partitionKind).States(rivertype.JobStateDiscarded).First(100))
	if err != nil {
		return nil // the queue's own trouble shows elsewhere; keep waiting
	}
	for _, j := range res.Jobs {
		var args partitionArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil || args.Run != runID {
			continue
		}
		msg := "failed"
		if n := len(j.Errors); n > 0 {
			msg = j.Errors[n-1].Error
		}
		return fmt.Errorf("match: partition %d failed after %d attempts: %s", args.Part, j.Attempt, msg)
	}
	return nil
}

// RegisterJobs registers the worker of matching partitions, which reads and
// writes db, in the registry main builds the job client from; the client
// must then work QueueName for Run to make progress in this process.
func (m *Matcher) RegisterJobs(reg *jobs.Registry, db *store.DB) {
	jobs.Add[partitionArgs](reg, &partitionWorker{m: m, db: db})
	reg.Queue(QueueName, 1)
}

// partitionWorker matches one partition of a run.
type partitionWorker struct {
	river.WorkerDefaults[partitionArgs]
	m  *Matcher
	db *store.DB
}

func (w *partitionWorker) Work(ctx context.Context, job *river.Job[partitionArgs]) error {
	var on, key string
	var policyID sql.NullString
	var first, last int64
	err := w.db.QueryRow(ctx, `SELECT r.on_date, r.policy, r.run_key, p.first_id, p.last_id
FROM match_runs r JOIN match_partitions p ON p.run_id = r.id WHERE r.id = ? AND p.part = ?`, job.Args.Run, job.Args.Part).
		Scan(&on, &policyID, &key, &first, &last)
	if errors.Is(err, store.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("partition %d of run %d does not exist", job.Args.Part, job.Args.Run))
	}
	if err != nil {
		return err
	}
	date, err := time.Parse(time.DateOnly, on)
	if err != nil {
		return river.JobCancel(err)
	}
	prog, err := w.m.Program(date, policyID.String)
	if err != nil {
		return err
	}
	if runKey(prog, policyID.String) != key {
		// This instance's policy files differ from those of the instance
		// that started the run: leave the partition to one that has them.
		return river.JobSnooze(30 * time.Second)
	}
	done := func(tx *store.Tx) (bool, error) {
		var doneAt sql.NullString
		if err := tx.QueryRow(ctx, "SELECT done_at FROM match_partitions WHERE run_id = ? AND part = ?"+forUpdate(tx),
			job.Args.Run, job.Args.Part).Scan(&doneAt); err != nil {
			return false, err
		}
		return doneAt.Valid, nil
	}
	finish := func(tx *store.Tx, s RangeStats) error {
		_, err := tx.Exec(ctx, `UPDATE match_partitions SET done_at = ?, results = ?, written = ?, changes = ?, kept = ?
WHERE run_id = ? AND part = ?`, store.FormatTime(time.Now()), s.Results, s.Written, s.Changes, s.Kept, job.Args.Run, job.Args.Part)
		return err
	}
	if _, err := w.m.MatchRange(ctx, w.db, prog, first, last, done, finish); err != nil {
		return err
	}
	w.m.partitionDone(job.Args.Run)
	return nil
}

// forUpdate locks the partition's row on PostgreSQL, so that two attempts
// of one partition on two instances write it once; SQLite's transaction
// holds the database's write lock already.
func forUpdate(tx *store.Tx) string {
	if tx.Dialect() == store.Postgres {
		return " FOR UPDATE"
	}
	return ""
}
