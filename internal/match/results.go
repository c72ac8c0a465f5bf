package match

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Matcher matches enterprises in a database against a policy set: it
// compiles a program per evaluation date once and stores results.
type Matcher struct {
	set *PolicySet
	// Workers is how many goroutines evaluate (0: one per core).
	Workers int
	// Jobs is the process's job client, which Run enqueues partitions on;
	// main builds it from a registry where RegisterJobs put the
	// partition worker.
	Jobs jobs.Client

	mu       sync.Mutex
	programs map[string]*vector.Program // by date and policy filter
	versions map[[2]string]versionRow   // by (policy, version)
	runDone  map[int64]int              // partitions this process finished, by run
	runWake  map[int64]chan struct{}
}

// NewMatcher returns a matcher for the policies of set.
func NewMatcher(set *PolicySet) *Matcher {
	return &Matcher{set: set, programs: map[string]*vector.Program{}, versions: map[[2]string]versionRow{}, runDone: map[int64]int{},
		runWake: map[int64]chan struct{}{}}
}

// Policies is the matcher's policy set.
func (m *Matcher) Policies() *PolicySet { return m.set }

// Program returns the program for the date, compiled once; policyID
// restricts it to one policy ("" for all).
func (m *Matcher) Program(on time.Time, policyID string) (*vector.Program, error) {
	key := on.Format(time.DateOnly) + "|" + policyID
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.programs[key]; ok {
		return p, nil
	}
	set := m.set
	if policyID != "" {
		var ok bool
		if set, ok = m.set.Only(policyID); !ok {
			return nil, fmt.Errorf("match: no policy %q", policyID)
		}
	}
	p, err := vector.Compile(set, on)
	if err != nil {
		return nil, err
	}
	m.programs[key] = p
	return p, nil
}

// versionIDs returns the match_policy_versions ids of the program's
// policies, adding the versions not seen before, and what the stored
// explanations of each version share (nil where the version's row holds
// another meta than the plan's, whose explanations then stay in the JSON
// form).
func (m *Matcher) versionIDs(ctx context.Context, q store.Queryer, prog *vector.Program) (map[string]int64, map[string]*vector.ExplainMeta, error) {
	out := make(map[string]int64, len(prog.Policies))
	metas := make(map[string]*vector.ExplainMeta, len(prog.Policies))
	m.mu.Lock()
	for _, pl := range prog.Policies {
		if v, ok := m.versions[[2]string{pl.ID, pl.Version}]; ok {
			out[pl.ID], metas[pl.ID] = v.id, v.meta
		}
	}
	m.mu.Unlock()
	for _, pl := range prog.Policies {
		if _, ok := out[pl.ID]; ok {
			continue
		}
		meta := pl.ExplainMeta()
		metaJSON := meta.JSON()
		if _, err := q.Exec(ctx, `INSERT INTO match_policy_versions (policy, version, first_seen, explain_meta) VALUES (?, ?, ?, ?)
ON CONFLICT (policy, version) DO NOTHING`, pl.ID, pl.Version, store.FormatTime(time.Now()), metaJSON); err != nil {
			return nil, nil, fmt.Errorf("match: record policy version: %w", err)
		}
		var id int64
		var stored sql.NullString
		if err := q.QueryRow(ctx, "SELECT id, explain_meta FROM match_policy_versions WHERE policy = ? AND version = ?", pl.ID, pl.Version).Scan(&id, &stored); err != nil {
			return nil, nil, fmt.Errorf("match: record policy version: %w", err)
		}
		if !stored.Valid {
			// A version recorded before migration 0015.
			if _, err := q.Exec(ctx, "UPDATE match_policy_versions SET explain_meta = ? WHERE id = ? AND explain_meta IS NULL", metaJSON, id); err != nil {
				return nil, nil, fmt.Errorf("match: record policy version: %w", err)
			}
			stored = sql.NullString{String: metaJSON, Valid: true}
		}
		v := versionRow{id: id}
		if stored.String == metaJSON {
			v.meta = &meta
		}
		out[pl.ID], metas[pl.ID] = v.id, v.meta
		m.mu.Lock()
		m.versions[[2]string{pl.ID, pl.Version}] = v
		m.mu.Unlock()
	}
	return out, metas, nil
}

// versionRow is a policy version's row of match_policy_versions.
type versionRow struct {
	id   int64
	meta *vector.ExplainMeta // nil: its explanations are stored as JSON
}

// RangeStats says what matching a range of enterprises did.
type RangeStats struct {
	Enterprises int
	Results     int // results computed
	Written     int // results new or changed, written
	Changes     int // status or amount changes recorded
	Kept        int // explanations kept: eligible, near-miss and undetermined results
	Exact       int // results settled by the exact path
	Engine      int // results evaluated by the policy engine
}

// MatchRange evaluates the enterprises with ids first … last against the
// program's policies and stores the results that changed, in one
// transaction. When done is not nil it runs first in that transaction: if
// it reports the range done already (another attempt finished it), nothing
// is written; else finish runs last, with the stats, to mark it done.
func (m *Matcher) MatchRange(ctx context.Context, db *store.DB, prog *vector.Program, first, last int64,
	done func(tx *store.Tx) (bool, error), finish func(tx *store.Tx, s RangeStats) error) (RangeStats, error) {
	c, err := LoadChunk(ctx, db, prog, first, last)
	if err != nil {
		return RangeStats{}, err
	}
	return m.storeRange(ctx, db, prog, c, nil, first, last, done, finish)
}

// storeRange evaluates a loaded chunk (plans nil: every policy) and stores
// what changed.
func (m *Matcher) storeRange(ctx context.Context, db *store.DB, prog *vector.Program, c *vector.Chunk, plans []*vector.Plan, first, last int64,
	done func(tx *store.Tx) (bool, error), finish func(tx *store.Tx, s RangeStats) error) (RangeStats, error) {
	ev, err := prog.EvaluatePlans(c, DBRecords{Ctx: ctx, Q: db}, m.Workers, plans)
	if err != nil {
		return RangeStats{}, err
	}
	return m.store(ctx, db, ev, plans == nil, first, last, done, finish)
}

// StoreEvaluation stores the results of an evaluation of every policy of
// its program over the enterprises with ids first … last that differ from
// the stored ones, in one transaction, as a batch run does: a benchmark's
// way of storing chunks it evaluated itself.
func (m *Matcher) StoreEvaluation(ctx context.Context, db *store.DB, ev *vector.Evaluation, first, last int64) (RangeStats, error) {
	return m.store(ctx, db, ev, true, first, last, nil, nil)
}

// store writes an evaluation's results that differ from the stored ones;
// all says it covers every policy of its program, so that the results of
// policies no longer in force go.
func (m *Matcher) store(ctx context.Context, db *store.DB, ev *vector.Evaluation, all bool, first, last int64,
	done func(tx *store.Tx) (bool, error), finish func(tx *store.Tx, s RangeStats) error) (RangeStats, error) {
	var stats RangeStats
	prog := ev.Chunk.Program()
	versions, metas, err := m.versionIDs(ctx, db, prog)
	if err != nil {
		return stats, err
	}
	now := store.FormatTime(time.Now())
	on := prog.On.Format(time.DateOnly)
	err = db.InTx(ctx, func(tx *store.Tx) error {
		if done != nil {
			if already, err := done(tx); err != nil || already {
				return err
			}
		}
		stored, err := readStored(ctx, tx, on, first, last, prog)
		if err != nil {
			return err
		}
		cov, err := readCoverage(ctx, tx, on, first, last)
		if err != nil {
			return err
		}
		s, err := writeResults(ctx, tx, ev, on, now, versions, metas, stored, cov)
		if err != nil {
			return err
		}
		covChanged, err := writeCoverage(ctx, tx, ev, cov, on, now, versions, first, last)
		if err != nil {
			return err
		}
		if all {
			if err := removeNotInForce(ctx, tx, prog, on, first, last); err != nil {
				return err
			}
		}
		// Last in the transaction: on PostgreSQL the counter's row stays
		// locked until the commit, so that partitions of several instances
		// wait on each other only for that long.
		if s.Written > 0 || covChanged || (all && len(prog.NotInForce) > 0) {
			if err := store.Bump(ctx, tx, store.CounterResults); err != nil {
				return err
			}
		}
		stats = s
		if finish != nil {
			return finish(tx, s)
		}
		return nil
	})
	return stats, err
}

type storedKey struct {
	enterprise int64
	policy     string
}

type storedResult struct {
	status, amount, nearMiss, missing, fingerprint string
	versionID                                      int64
}

func readStored(ctx context.Context, q store.Queryer, on string, first, last int64, prog *vector.Program) (map[storedKey]storedResult, error) {
	out := map[storedKey]storedResult{}
	args := []any{on, first, last}
	for _, pl := range prog.Policies {
		args = append(args, pl.ID)
	}
	if len(prog.Policies) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, `SELECT enterprise_id, policy, status, amount, near_miss, missing, version_id, fingerprint
FROM match_results WHERE on_date = ? AND enterprise_id BETWEEN ? AND ? AND policy IN (`+placeholders(len(prog.Policies))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("match: read stored results: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k storedKey
		var r storedResult
		var amount, nearMiss, missing sql.NullString
		if err := rows.Scan(&k.enterprise, &k.policy, &r.status, &amount, &nearMiss, &missing, &r.versionID, &r.fingerprint); err != nil {
			return nil, fmt.Errorf("match: read stored results: %w", err)
		}
		r.amount, r.nearMiss, r.missing = amount.String, nearMiss.String, missing.String
		out[k] = r
	}
	return out, rows.Err()
}

var (
	resultUpsert = store.Insert{Table: "match_results",
		Columns: []string{"enterprise_id", "policy", "on_date", "status", "amount", "near_miss", "missing", "explanation",
			"version_id", "fingerprint", "evaluated_at"},
		Suffix: `ON CONFLICT (enterprise_id, policy, on_date) DO UPDATE SET status = excluded.status, amount = excluded.amount,
near_miss = excluded.near_miss, missing = excluded.missing, explanation = excluded.explanation,
version_id = excluded.version_id, fingerprint = excluded.fingerprint, evaluated_at = excluded.evaluated_at`}
	resultInsert = store.Insert{Table: resultUpsert.Table, Columns: resultUpsert.Columns}
	changeInsert = store.Insert{Table: "match_changes",
		Columns: []string{"enterprise_id", "policy", "on_date", "old_status", "old_amount", "new_status", "new_amount", "version_id", "changed_at"}}
)

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeResults compares the evaluation with the stored results and writes
// the results that are new or changed, and a change record where a status
// or an amount changed. A plainly ineligible result (no near miss) has no
// row: where one was stored it is deleted, and the coverage of the range
// says the enterprise was evaluated. A first result (the enterprise was not
// covered before) is no change: its row is its record.
//
// A few thousand enterprises at a time, so that memory holds one slice's
// rows, not a partition's; a second goroutine prepares the next slice (the
// comparison and the exact explanations, a third of the work) while this
// one writes, so that the database's one writer is kept busy.
func writeResults(ctx context.Context, tx *store.Tx, ev *vector.Evaluation, on, now string, versions map[string]int64, metas map[string]*vector.ExplainMeta,
	stored map[storedKey]storedResult, cov coverage) (RangeStats, error) {
	stats := RangeStats{Enterprises: ev.Chunk.N, Exact: ev.Pending, Engine: ev.Engine}
	const slice = 2048
	ready := make(chan *preparedSlice, 1)
	stop := make(chan struct{})
	go func() {
		defer close(ready)
		x := ev.Chunk.Program().NewExplainer()
		for from := 0; from < ev.Chunk.N; from += slice {
			p := prepareSlice(ev, from, min(ev.Chunk.N, from+slice), on, now, versions, metas, stored, cov, x)
			select {
			case ready <- p:
			case <-stop:
				return
			}
		}
	}()
	defer func() {
		close(stop)
		for range ready {
		}
	}()
	for p := range ready {
		if err := writePrepared(ctx, tx, p, on, now); err != nil {
			return stats, err
		}
		stats.Results += p.results
		stats.Written += p.written
		stats.Kept += p.kept
		stats.Changes += len(p.changes)
	}
	return stats, nil
}

type change struct {
	enterprise                   int64
	policy, oldStatus, oldAmount string
	newStatus, newAmount         string
	versionID                    int64
}

// preparedSlice is what a slice of enterprises writes.
type preparedSlice struct {
	inserts                []resultRow // new results, copied in
	updates                []resultRow // results stored before that changed: upserted
	deletes                []storedKey // stored results now plainly ineligible
	changes                []change
	results, written, kept int
}

// resultRow is a result to write, typed: a slice's rows become the
// driver's values one at a time, as they are written.
type resultRow struct {
	enterprise, versionID           int64
	policy, status, explanation, fp string
	amount, nearMiss, missing       string
}

// values iterates over rows as the columns of resultUpsert, reusing one
// slice.
func values(rows []resultRow, on, now string) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		row := make([]any, len(resultUpsert.Columns))
		for i := range rows {
			r := &rows[i]
			row[0], row[1], row[2], row[3] = r.enterprise, r.policy, on, r.status
			row[4], row[5], row[6], row[7] = nullable(r.amount), nullable(r.nearMiss), nullable(r.missing), r.explanation
			row[8], row[9], row[10] = r.versionID, r.fp, now
			if !yield(row) {
				return
			}
		}
	}
}

// prepareSlice compares the results of rows from … to-1 with the stored
// ones and renders the rows to write; it reads nothing from the database.
func prepareSlice(ev *vector.Evaluation, from, to int, on, now string, versions map[string]int64, metas map[string]*vector.ExplainMeta,
	stored map[storedKey]storedResult, cov coverage, x *vector.Explainer) *preparedSlice {
	c := ev.Chunk
	p := &preparedSlice{}
	var jsonBuf []byte
	for r := from; r < to; r++ {
		eid := c.ID[r]
		for _, o := range ev.Policies {
			p.results++
			s := o.Summary(r)
			vid := versions[o.Plan.ID]
			key := storedKey{eid, o.Plan.ID}
			old, had := stored[key]
			if s.Status == policy.Ineligible && s.NearMiss == "" {
				// Plainly ineligible: no row of its own.
				if had {
					p.deletes = append(p.deletes, key)
					p.written++
					if old.status != string(s.Status) || old.amount != "" {
						p.changes = append(p.changes, change{eid, o.Plan.ID, old.status, old.amount, string(s.Status), "", vid})
					}
				}
				continue
			}
			p.kept++
			missing := ""
			if s.Status == policy.Undetermined {
				missing = string(vector.AppendJSONStrings(nil, s.Missing))
			}
			fp := c.Fingerprint(o.Plan, r)
			if had && old.status == string(s.Status) && old.amount == s.Amount && old.nearMiss == s.NearMiss &&
				old.missing == missing && old.versionID == vid && old.fingerprint == fp {
				continue
			}
			if had && (old.status != string(s.Status) || old.amount != s.Amount) {
				p.changes = append(p.changes, change{eid, o.Plan.ID, old.status, old.amount, string(s.Status), s.Amount, vid})
			} else if !had && s.Status != policy.Ineligible && cov.covers(o.Plan.ID, eid) {
				// Evaluated before with no row: it was plainly ineligible.
				p.changes = append(p.changes, change{eid, o.Plan.ID, string(policy.Ineligible), "", string(s.Status), s.Amount, vid})
			}
			jsonBuf = o.Explain(c, r, x).AppendCompact(jsonBuf[:0], metas[o.Plan.ID])
			p.written++
			row := resultRow{enterprise: eid, versionID: vid, policy: o.Plan.ID, status: string(s.Status), explanation: string(jsonBuf),
				fp: fp, amount: s.Amount, nearMiss: s.NearMiss, missing: missing}
			if had {
				p.updates = append(p.updates, row)
			} else {
				p.inserts = append(p.inserts, row)
			}
		}
	}
	return p
}

// fewRows is the most results written by one upsert rather than copied.
const fewRows = 64

// writePrepared writes a prepared slice: new results by the bulk path (COPY
// on PostgreSQL, plain INSERTs on SQLite, which runs them markedly faster
// than upserts), the changed ones after as upserts, then the deletions and
// the change records. A slice of a few rows (an incremental
// re-evaluation's) is one batch of statements instead, where COPY would
// cost PostgreSQL round trips of its own.
func writePrepared(ctx context.Context, tx *store.Tx, p *preparedSlice, on, now string) error {
	if len(p.inserts)+len(p.updates) <= fewRows {
		var b store.Batch
		queuePrepared(&b, tx.Dialect(), p, on, now)
		if err := tx.SendBatch(ctx, &b); err != nil {
			return fmt.Errorf("match: write results: %w", err)
		}
		return nil
	}
	if _, err := tx.Copy(ctx, resultInsert.Table, resultInsert.Columns, values(p.inserts, on, now)); err != nil {
		return fmt.Errorf("match: write results: %w", err)
	}
	if _, err := tx.InsertRows(ctx, resultUpsert, values(p.updates, on, now)); err != nil {
		return fmt.Errorf("match: write results: %w", err)
	}
	for _, k := range p.deletes {
		if _, err := tx.Exec(ctx, deleteResultSQL, k.enterprise, k.policy, on); err != nil {
			return fmt.Errorf("match: remove a result now plainly ineligible: %w", err)
		}
	}
	if _, err := tx.InsertRows(ctx, changeInsert, changeRows(p.changes, on, now)); err != nil {
		return fmt.Errorf("match: record changes: %w", err)
	}
	return nil
}

const deleteResultSQL = "DELETE FROM match_results WHERE enterprise_id = ? AND policy = ? AND on_date = ?"

// queuePrepared queues the statements that write a prepared slice of a few
// rows: its results as one upsert, its deletions and its change records.
func queuePrepared(b *store.Batch, d store.Dialect, p *preparedSlice, on, now string) {
	rows := make([]resultRow, 0, len(p.updates)+len(p.inserts))
	rows = append(append(rows, p.updates...), p.inserts...)
	b.QueueInsert(d, resultUpsert, values(rows, on, now))
	for _, k := range p.deletes {
		b.Queue(deleteResultSQL, k.enterprise, k.policy, on)
	}
	b.QueueInsert(d, changeInsert, changeRows(p.changes, on, now))
}

// changeRows iterates over change records as the columns of changeInsert,
// reusing one slice.
func changeRows(changes []change, on, now string) iter.Seq[[]any] {
	return func(yield func([]any) bool) {
		row := make([]any, len(changeInsert.Columns))
		for _, ch := range changes {
			row[0], row[1], row[2] = ch.enterprise, ch.policy, on
			row[3], row[4] = nullable(ch.oldStatus), nullable(ch.oldAmount)
			row[5], row[6], row[7], row[8] = ch.newStatus, nullable(ch.newAmount), ch.versionID, now
			if !yield(row) {
				return
			}
		}
	}
}

// removeNotInForce deletes the stored results, for the date, of policies of
// the set that are not in force on it (a policy file whose dates changed).
func removeNotInForce(ctx context.Context, tx *store.Tx, prog *vector.Program, on string, first, last int64) error {
	for _, pol := range prog.NotInForce {
		if _, err := tx.Exec(ctx, "DELETE FROM match_results WHERE on_date = ? AND policy = ? AND enterprise_id BETWEEN ? AND ?",
			on, pol.ID(), first, last); err != nil {
			return fmt.Errorf("match: remove results of %s: %w", pol.ID(), err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM match_coverage WHERE on_date = ? AND policy = ? AND first_id >= ? AND last_id <= ?",
			on, pol.ID(), first, last); err != nil {
			return fmt.Errorf("match: remove the coverage of %s: %w", pol.ID(), err)
		}
	}
	return nil
}

func (m *Matcher) partitionDone(run int64) {
	m.mu.Lock()
	m.runDone[run]++
	wake := m.runWake[run]
	m.mu.Unlock()
	if wake != nil {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
}

// wake returns a channel signalled when this process finishes a partition
// of the run.
func (m *Matcher) wake(run int64) chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.runWake[run] == nil {
		m.runWake[run] = make(chan struct{}, 1)
	}
	return m.runWake[run]
}

func (m *Matcher) doneHere(run int64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.runDone[run]
}
