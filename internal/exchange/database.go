package exchange

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// An import runs in steps, so that it never holds the database's one writer
// (SQLite has one) for long, and still writes nothing when any row is bad:
//
//  1. The files are read and every row is checked, against the database by
//     reads only; what the valid rows bring is staged — written to the
//     import run's own tables (migration 0007), a chunk per transaction,
//     which nothing else reads. Between chunks, sign-ins, reported facts
//     and other imports write as usual.
//  2. When there is no problem (and it is not a dry run), one transaction
//     writes the enterprises through the registry, which checks them again
//     against what the database holds now, and marks the run as applying.
//     A problem found then (a park removed meanwhile) rolls it back: still
//     nothing is written.
//  3. The facts follow, a chunk per transaction, by set-based statements
//     (facts.CommitStaged); the run records how far it got in the same
//     transaction. An import interrupted here (a crash, a lost connection)
//     is completed by the next import, from where it stopped.
//
// While step 3 runs, readers may see some of the import's facts and not
// yet the others, as with any change made in several transactions; the
// import's report and the re-evaluation it triggers come once all are in.
// The staged rows are deleted afterwards — the staging tables emptied
// whole when no other import has rows staged, else a chunk per
// transaction; those of an import that crashed while reading are deleted
// by the next import a day later.

// Import reads the files and, when every row and record of every file is
// valid and opts.DryRun is false, writes their enterprises and facts.
// Otherwise it writes nothing. The report counts what was (or would have
// been) written and lists the problems; the error is an *apperr.Error of
// code Invalid when there are problems, and any other error means the
// import could not run (the database failed, say).
func Import(ctx context.Context, db *store.DB, files []File, opts Options) (Report, error) {
	rep := Report{DryRun: opts.DryRun, Files: len(files)}
	if len(files) == 0 {
		return rep, apperr.Errorf(apperr.Invalid, "no file to import")
	}
	dict, err := facts.LoadDictionary(ctx, db)
	if err != nil {
		return rep, err
	}
	if len(dict.Fields()) == 0 {
		return rep, errors.New("exchange: the database has an empty data dictionary: it was not seeded")
	}
	at := time.Now()
	if err := finishRuns(ctx, db, at); err != nil {
		return rep, err
	}
	run, err := newRun(ctx, db, at, opts.Actor)
	if err != nil {
		return rep, err
	}
	t := &runTarget{db: db, run: run, files: files, opts: opts, ids: map[string]int64{}, fields: map[string]struct{}{}}
	if ids, ok, err := enterprise.IDsUpTo(ctx, db, preloadLimit); err != nil {
		_ = dropRun(context.WithoutCancel(ctx), db, run)
		return rep, err
	} else if ok {
		t.ids, t.preloaded = ids, true
	}
	t.stager = newStager(ctx, db, run)
	dropped := false
	defer func() {
		// The staged rows are dropped once none is being written.
		_ = t.stager.wait()
		// Deleted even when the import's context was cancelled — unless
		// its facts are half written: the next import completes them.
		if !t.applying && !dropped {
			_ = dropRun(context.WithoutCancel(ctx), db, run)
		}
	}()
	stepStart := time.Now()
	step := func(name string) {
		now := time.Now()
		rep.Steps = append(rep.Steps, Step{Name: name, Took: now.Sub(stepStart)})
		stepStart = now
	}
	t.step = step
	im := newImporter(files, dict, t, &rep)
	im.onFile = func(i int) { t.file = i }
	if err := im.run(ctx); err != nil {
		return rep, err
	}
	if err := t.stager.wait(); err != nil {
		return rep, err
	}
	if err := t.flushEnterprises(ctx); err != nil {
		return rep, err
	}
	step("read and stage")
	// The filter's candidates are checked in the staged rows: most of a
	// big import's are false alarms.
	if im.writing() && im.repeats.any() {
		if err := conflictingFacts(ctx, db, run, im.repeats.candidates(), &rep); err != nil {
			return rep, err
		}
	}
	if rep.ProblemsTotal > 0 || opts.DryRun {
		return rep, rep.Err()
	}
	if err := t.commit(ctx, at, &rep); err != nil {
		return rep, err
	}
	rep.Written = true
	rep.ChangedFields = slices.Sorted(maps.Keys(t.fields))
	dropped = true
	if err := dropRun(context.WithoutCancel(ctx), db, run); err != nil {
		return rep, err
	}
	step("drop staged rows")
	return rep, nil
}

// truncate cuts s to at most n bytes, dropping a character cut in half.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// runTarget stages an import's rows in its import run (step 1) and moves
// them in (step 2, commit).
type runTarget struct {
	db    *store.DB
	run   int64
	files []File
	opts  Options
	file  int // the file being read, for the facts' source
	// ids holds the enterprise id of every USCC this import looked up (0:
	// not in the database), or when preloaded, of every enterprise the
	// database held when the import began.
	ids       map[string]int64
	preloaded bool
	// ents are enterprises checked and waiting to be staged; entSeq and
	// factSeq number the staged rows.
	ents            []enterprise.Enterprise
	entSeq, factSeq int64
	unchanged       int // enterprises named as they are on file: not staged
	// fields are the fields imported: what matching has to look at again.
	fields map[string]struct{}
	// applying is set once the enterprises are written and the facts are
	// being written (step 3) until they all are.
	applying bool
	stager   *stager
	// step ends a step of the import's timing (Report.Steps).
	step func(name string)
}

// preloadLimit is how many enterprises the database may hold for an import
// to read all their USCCs when it begins (a few megabytes) rather than ask
// for each enterprise it names (tens of thousands of queries, each a round
// trip on PostgreSQL).
const preloadLimit = 200_000

// entChunk is how many enterprises are staged per transaction.
const entChunk = 2000

func (t *runTarget) enterpriseExists(ctx context.Context, uscc string) (bool, error) {
	if id, ok := t.ids[uscc]; ok {
		return id != 0, nil
	}
	ids, err := enterprise.IDsByUSCC(ctx, t.db, []string{uscc})
	if err != nil {
		return false, err
	}
	t.ids[uscc] = ids[uscc]
	return ids[uscc] != 0, nil
}

// putEnterprise checks the enterprise as the registry will write it, and
// stages it. Created says whether the database lacks it now; commit counts
// again what the registry did.
func (t *runTarget) putEnterprise(ctx context.Context, rec facts.Record) (bool, error) {
	e := enterprise.Enterprise{USCC: rec.USCC, Name: rec.Name, RegisteredOn: rec.RegisteredOn,
		IndustryCode: rec.IndustryCode, Park: rec.Park, Tags: rec.Tags}
	if err := enterprise.Check(ctx, t.db, &e); err != nil {
		return false, err
	}
	// An enterprise created by someone else since the preload is taken for
	// new here; the transaction that writes the enterprises finds it and
	// updates it, and counts it as updated.
	exists := t.preloaded && t.ids[e.USCC] != 0
	if !t.preloaded {
		var err error
		if exists, err = t.enterpriseExists(ctx, e.USCC); err != nil {
			return false, err
		}
	}
	if exists {
		// An enterprise named again as it is on file (a monthly import
		// lists the park's enterprises with their figures) has nothing
		// to write: it is left out of the transaction that writes them.
		cur, err := enterprise.GetByUSCC(ctx, t.db, e.USCC)
		if err != nil {
			return false, err
		}
		if sameRegistration(cur, e) {
			t.unchanged++
			return false, nil
		}
	}
	t.ents = append(t.ents, e)
	if len(t.ents) >= entChunk {
		if err := t.flushEnterprises(ctx); err != nil {
			return false, err
		}
	}
	return !exists, nil
}

// sameRegistration reports whether the checked enterprise e would leave
// the registry's cur as it is.
func sameRegistration(cur, e enterprise.Enterprise) bool {
	return cur.Name == e.Name && cur.RegisteredOn == e.RegisteredOn && cur.IndustryCode == e.IndustryCode &&
		cur.Park == e.Park && slices.Equal(cur.Tags, e.Tags)
}

var runEnterpriseColumns = []string{"run_id", "seq", "uscc", "name", "registered_on", "industry_code", "park", "tags"}

// flushEnterprises stages the enterprises checked so far, in a transaction
// of its own.
func (t *runTarget) flushEnterprises(ctx context.Context) error {
	if len(t.ents) == 0 {
		return nil
	}
	err := t.db.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.CommitWithoutFlush(ctx); err != nil {
			return err
		}
		var rowErr error
		row := make([]any, len(runEnterpriseColumns))
		rows := func(yield func([]any) bool) {
			for i, e := range t.ents {
				tags, err := json.Marshal(e.Tags)
				if err != nil {
					rowErr = err
					return
				}
				row[0], row[1], row[2], row[3] = t.run, t.entSeq+int64(i), e.USCC, e.Name
				row[4], row[5], row[6], row[7] = e.RegisteredOn, e.IndustryCode, e.Park, string(tags)
				if !yield(row) {
					return
				}
			}
		}
		_, err := tx.Copy(ctx, "import_run_enterprises", runEnterpriseColumns, rows)
		return errors.Join(rowErr, err)
	})
	if err != nil {
		return fmt.Errorf("exchange: stage enterprises: %w", err)
	}
	t.entSeq += int64(len(t.ents))
	t.ents = t.ents[:0]
	return nil
}

func (t *runTarget) source() string {
	if t.opts.Source != "" {
		return t.opts.Source
	}
	return "import:" + truncate(filepath.Base(t.files[t.file].Name), 200)
}

// appendFacts stages a batch of valid facts, in a transaction of its own
// written in the background (stager).
func (t *runTarget) appendFacts(ctx context.Context, batch []fact) error {
	staged := make([]facts.StagedFact, len(batch))
	source := t.source()
	for i, f := range batch {
		staged[i] = facts.StagedFact{USCC: f.USCC, Field: f.Field.Name, Period: f.Period, Value: f.Value, Source: source}
		t.fields[f.Field.Name] = struct{}{}
	}
	if err := t.stager.stage(ctx, staged); err != nil {
		return err
	}
	t.factSeq += int64(len(batch))
	return nil
}

// errChanged ends the step that writes the enterprises when the database
// changed since they were checked.
var errChanged = errors.New("exchange: changed meanwhile")

// commit writes the staged rows (steps 2 and 3).
func (t *runTarget) commit(ctx context.Context, at time.Time, rep *Report) error {
	names := make([]string, len(t.files))
	for i, f := range t.files {
		names[i] = filepath.Base(f.Name)
	}
	var created, updated int
	var problems []apperr.Problem
	err := t.db.InTx(ctx, func(tx *store.Tx) error {
		created, updated, problems = 0, 0, nil
		batch, err := facts.NewBatch(ctx, tx, "import:"+truncate(strings.Join(names, ","), 200), t.opts.Actor)
		if err != nil {
			return err
		}
		for from := int64(0); from < t.entSeq; from += entChunk {
			ents, err := stagedEnterprises(ctx, tx, t.run, from, from+entChunk)
			if err != nil {
				return err
			}
			c, u, ps, err := enterprise.PutMany(ctx, tx, ents)
			if err != nil {
				return fmt.Errorf("exchange: import enterprises: %w", err)
			}
			created, updated = created+c, updated+u
			for _, p := range ps {
				p.Reason += " (changed while the import was read)"
				problems = append(problems, p)
			}
		}
		if len(problems) > 0 {
			return errChanged
		}
		_, err = tx.Exec(ctx, "UPDATE import_runs SET state = 'applying', batch_id = ?, recorded_at = ?, staged_sets = ?, updated_at = ? WHERE id = ?",
			batch, store.FormatTime(at), t.stager.sets, store.FormatTime(time.Now()), t.run)
		return err
	})
	if errors.Is(err, errChanged) {
		for _, p := range problems {
			rep.problem(p)
		}
		return rep.Err()
	}
	if err != nil {
		return err
	}
	// Counted as the registry wrote them, with those named as they are on
	// file, which are updated to what they were.
	rep.EnterprisesCreated, rep.EnterprisesUpdated = created, updated+t.unchanged
	t.applying = true
	t.step("write enterprises")
	applied, err := applyFacts(ctx, t.db, t.run)
	t.step("write facts")
	rep.FactsWritten = applied.Rows
	rep.Changed = applied.Enterprises
	if err != nil {
		return fmt.Errorf("%w (the import stopped while writing its facts: %d of %d are written; the next import writes the others)",
			err, applied.Rows, t.factSeq)
	}
	t.applying = false
	if int64(applied.Rows) != t.factSeq {
		rep.problem(apperr.Problem{Reason: fmt.Sprintf("%d of the %d facts name an enterprise removed while the import was read, and were not written",
			t.factSeq-int64(applied.Rows), t.factSeq)})
		return rep.Err()
	}
	return nil
}

// factChunk is how many staged facts one transaction of step 3 writes at
// most (a staged set holding more, up to factBatch, is written alone).
const factChunk = 20_000

// applyFacts writes the staged sets of an applying run from where it got
// to, a chunk per transaction (step 3), and returns what it wrote.
func applyFacts(ctx context.Context, db *store.DB, run int64) (facts.Appended, error) {
	var total facts.Appended
	var (
		actor, recordedAt  string
		batch              int64
		staged, appliedSeq int64
	)
	err := db.QueryRow(ctx, "SELECT actor, batch_id, recorded_at, staged_sets, applied_sets FROM import_runs WHERE id = ? AND state = 'applying'", run).
		Scan(&actor, &batch, &recordedAt, &staged, &appliedSeq)
	if err != nil {
		return total, fmt.Errorf("exchange: apply import run %d: %w", run, err)
	}
	at, err := store.ParseTime(recordedAt)
	if err != nil {
		return total, fmt.Errorf("exchange: apply import run %d: %w", run, err)
	}
	chunks, err := facts.StagedChunks(ctx, db, run, appliedSeq, staged, factChunk)
	if err != nil {
		return total, fmt.Errorf("exchange: apply import run %d: %w", run, err)
	}
	changed := map[int64]struct{}{}
	for _, chunk := range chunks {
		from, to := chunk[0], chunk[1]
		err := db.InTx(ctx, func(tx *store.Tx) error {
			// The run's row is locked (PostgreSQL) or the database is
			// (SQLite) before its progress is read: another import
			// finishing this run at the same time writes each fact once.
			var done int64
			if err := tx.QueryRow(ctx, "UPDATE import_runs SET updated_at = ? WHERE id = ? RETURNING applied_sets",
				store.FormatTime(time.Now()), run).Scan(&done); err != nil {
				return err
			}
			if done >= to {
				return nil
			}
			if to < staged {
				// The last chunk's commit waits for the flush, and with it
				// the earlier ones; should the server lose some of them,
				// it loses their progress too, and they are written again.
				if err := tx.CommitWithoutFlush(ctx); err != nil {
					return err
				}
			}
			got, err := facts.CommitStaged(ctx, tx, run, max(from, done), to, facts.Provenance{Actor: actor, BatchID: batch, At: at})
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, "UPDATE import_runs SET applied_sets = ? WHERE id = ?", to, run); err != nil {
				return err
			}
			total.Rows += got.Rows
			total.Changed += got.Changed
			for _, id := range got.Enterprises {
				changed[id] = struct{}{}
			}
			return nil
		})
		if err != nil {
			total.Enterprises = slices.Sorted(maps.Keys(changed))
			return total, fmt.Errorf("exchange: apply import run %d: %w", run, err)
		}
	}
	total.Enterprises = slices.Sorted(maps.Keys(changed))
	return total, nil
}

// stagedEnterprises reads the staged enterprises of run numbered from
// from up to (not including) to.
func stagedEnterprises(ctx context.Context, q store.Queryer, run, from, to int64) ([]enterprise.Enterprise, error) {
	rows, err := q.Query(ctx, `SELECT uscc, name, registered_on, industry_code, park, tags FROM import_run_enterprises
WHERE run_id = ? AND seq >= ? AND seq < ? ORDER BY seq`, run, from, to)
	if err != nil {
		return nil, fmt.Errorf("exchange: read staged enterprises: %w", err)
	}
	defer rows.Close()
	var out []enterprise.Enterprise
	for rows.Next() {
		var e enterprise.Enterprise
		var tags string
		if err := rows.Scan(&e.USCC, &e.Name, &e.RegisteredOn, &e.IndustryCode, &e.Park, &tags); err != nil {
			return nil, fmt.Errorf("exchange: read staged enterprises: %w", err)
		}
		if err := json.Unmarshal([]byte(tags), &e.Tags); err != nil {
			return nil, fmt.Errorf("exchange: read staged enterprises: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// maxConflicts bounds the conflicting facts reported.
const maxConflicts = 100

// conflictingFacts reports every (enterprise, field, period) that this
// import gives two different values: which one should count is a question
// for the person importing, not a guess for the program. Identical repeats
// are harmless and pass. The staged values are compared in the database,
// by reads only; it is asked only when the repeat filter saw a fact twice.
// usccs are the enterprises of the candidate repeats (nil: too many to
// name, all are compared).
func conflictingFacts(ctx context.Context, db *store.DB, run int64, usccs []string, rep *Report) error {
	found, err := facts.StagedConflicts(ctx, db, run, maxConflicts, usccs)
	if err != nil {
		return err
	}
	for _, c := range found {
		where := strings.TrimPrefix(c.Source1, "import:")
		if c.Source2 != c.Source1 {
			where += " and " + strings.TrimPrefix(c.Source2, "import:")
		}
		at := "the value"
		if c.Period != "" {
			at = "period " + c.Period
		}
		rep.problem(apperr.Problem{USCC: c.USCC, Field: c.Field,
			Reason: fmt.Sprintf("%s is given %d different values in this import (%s … %s, in %s): give one", at, c.Values, c.Low, c.High, where)})
	}
	return nil
}

// newRun records an import run and returns its id.
func newRun(ctx context.Context, db *store.DB, at time.Time, actor string) (int64, error) {
	var id int64
	if err := db.QueryRow(ctx, "INSERT INTO import_runs (created_at, actor) VALUES (?, ?) RETURNING id", store.FormatTime(at), actor).Scan(&id); err != nil {
		return 0, fmt.Errorf("exchange: start an import run: %w", err)
	}
	return id, nil
}

// runDropChunk is how many staged enterprises one transaction of dropRun
// deletes.
const runDropChunk = 20_000

// dropRun deletes an import run's staged rows, then the run.
func dropRun(ctx context.Context, db *store.DB, run int64) error {
	emptied, err := emptyStaging(ctx, db, run)
	if err != nil {
		return err
	}
	if !emptied {
		if err := dropStagedRows(ctx, db, run); err != nil {
			return err
		}
	}
	if _, err := db.Exec(ctx, "DELETE FROM import_runs WHERE id = ?", run); err != nil {
		return fmt.Errorf("exchange: drop import run %d: %w", run, err)
	}
	return nil
}

// dropStagedRows deletes the staged rows of run, a chunk per transaction,
// beside those of other runs.
func dropStagedRows(ctx context.Context, db *store.DB, run int64) error {
	if err := facts.DropStaged(ctx, db, run); err != nil {
		return err
	}
	var high int64
	if err := db.QueryRow(ctx, "SELECT COALESCE(MAX(seq), -1) FROM import_run_enterprises WHERE run_id = ?", run).Scan(&high); err != nil {
		return fmt.Errorf("exchange: drop import run %d: %w", run, err)
	}
	for from := int64(0); from <= high; from += runDropChunk {
		if _, err := db.Exec(ctx, "DELETE FROM import_run_enterprises WHERE run_id = ? AND seq >= ? AND seq < ?", run, from, from+runDropChunk); err != nil {
			return fmt.Errorf("exchange: drop import run %d: %w", run, err)
		}
	}
	return nil
}

// emptyStaging empties the staging tables in one short transaction when
// no import run but run exists — the common case, one import
// at a time — and reports whether it did. Emptying a table whole frees its
// pages without visiting a row (SQLite's truncate optimization of a DELETE
// without WHERE; TRUNCATE on PostgreSQL): a tenth of a second for a
// million staged facts, against half a second to one second deleted in
// chunks. A run's staged rows never outlive its row in import_runs, so
// none is found means no other import has rows staged; on PostgreSQL the
// staging tables are locked before looking, so that none can stage a row
// between the look and the emptying (on SQLite the transaction holds the
// one writer from its start).
func emptyStaging(ctx context.Context, db *store.DB, run int64) (bool, error) {
	emptied := false
	err := db.InTx(ctx, func(tx *store.Tx) error {
		emptied = false
		empty := "DELETE FROM "
		if tx.Dialect() == store.Postgres {
			if _, err := tx.Exec(ctx, "LOCK TABLE import_run_sets, import_run_enterprises IN ACCESS EXCLUSIVE MODE"); err != nil {
				return err
			}
			empty = "TRUNCATE "
		}
		var others int
		if err := tx.QueryRow(ctx, "SELECT count(*) FROM import_runs WHERE id <> ?", run).Scan(&others); err != nil {
			return err
		}
		if others > 0 {
			return nil
		}
		for _, table := range []string{"import_run_sets", "import_run_enterprises"} {
			if _, err := tx.Exec(ctx, empty+table); err != nil {
				return err
			}
		}
		emptied = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("exchange: drop import run %d: %w", run, err)
	}
	return emptied, nil
}

// An import run is taken for one that was interrupted — its import
// crashed or lost its connection — when it has not written for a while:
// staleRun while it was reading (no import reads its files for a day), and
// stalledApply while it was writing its facts (a chunk takes seconds).
const (
	staleRun     = 24 * time.Hour
	stalledApply = 10 * time.Minute
)

// finishRuns completes the imports that were interrupted while they wrote
// their facts (step 3), and drops the runs of imports that crashed while
// reading. Should the interrupted import still be alive after all, both
// get to the end and each fact is written once (see applyFacts).
func finishRuns(ctx context.Context, db *store.DB, now time.Time) error {
	rows, err := db.Query(ctx, "SELECT id, state, created_at, COALESCE(updated_at, created_at) FROM import_runs ORDER BY id")
	if err != nil {
		return fmt.Errorf("exchange: look for interrupted imports: %w", err)
	}
	type pending struct {
		id       int64
		applying bool
	}
	var todo []pending
	for rows.Next() {
		var id int64
		var state, created, updated string
		if err := rows.Scan(&id, &state, &created, &updated); err != nil {
			rows.Close()
			return fmt.Errorf("exchange: look for interrupted imports: %w", err)
		}
		createdAt, err1 := store.ParseTime(created)
		updatedAt, err2 := store.ParseTime(updated)
		switch {
		case state == "applying" && err2 == nil && now.Sub(updatedAt) > stalledApply:
			todo = append(todo, pending{id, true})
		case state == "reading" && err1 == nil && now.Sub(createdAt) > staleRun:
			todo = append(todo, pending{id, false})
		}
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return fmt.Errorf("exchange: look for interrupted imports: %w", err)
	}
	rows.Close()
	for _, p := range todo {
		if p.applying {
			if _, err := applyFacts(ctx, db, p.id); err != nil {
				return err
			}
		}
		if err := dropRun(ctx, db, p.id); err != nil {
			return err
		}
	}
	return nil
}
