package exchange

import (
	"cmp"
	"context"
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

// errRollback ends the import's transaction without committing it: on a
// dry run, or when there were problems.
var errRollback = errors.New("exchange: roll back")

// Import reads the files and, when every row and record of every file is
// valid and opts.DryRun is false, writes their enterprises and facts in one
// transaction. Otherwise it writes nothing. The report counts what was (or
// would have been) written and lists the problems; the error is an
// *apperr.Error of code Invalid when there are problems, and any other error
// means the import could not run (the database failed, say).
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
	err = db.InTx(ctx, func(tx *store.Tx) error {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = filepath.Base(f.Name)
		}
		batch, err := facts.NewBatch(ctx, tx, "import:"+truncate(strings.Join(names, ","), 200), opts.Actor)
		if err != nil {
			return err
		}
		var before int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM facts").Scan(&before); err != nil {
			return err
		}
		t := &dbTarget{tx: tx, files: files, opts: opts, batch: batch, before: before, at: at, ids: map[string]int64{},
			changed: map[int64]struct{}{}, fields: map[string]struct{}{}}
		defer func() {
			rep.Changed = slices.Sorted(maps.Keys(t.changed))
			rep.ChangedFields = slices.Sorted(maps.Keys(t.fields))
		}()
		im := newImporter(files, dict, t, &rep)
		im.onFile = func(i int) { t.file = i }
		if err := im.run(ctx); err != nil {
			return err
		}
		if im.writing() {
			if err := t.conflictingFacts(ctx, im.repeats, &rep); err != nil {
				return err
			}
		}
		if rep.ProblemsTotal > 0 || opts.DryRun {
			return errRollback
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
	case err != nil:
		return rep, err
	default:
		rep.Written = true
	}
	if !rep.Written {
		rep.Changed, rep.ChangedFields = nil, nil
	}
	return rep, rep.Err()
}

// truncate cuts s to at most n bytes, dropping a character cut in half.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// dbTarget writes into the import's transaction through the registry and
// the fact store.
type dbTarget struct {
	tx    *store.Tx
	files []File
	opts  Options
	batch int64
	// before is the newest fact id when the import began: its rows are
	// found by the primary key above it, and their batch.
	before int64
	at     time.Time
	file   int // the file being read, for the facts' source
	// ids holds the enterprise id of every USCC this import wrote or looked
	// up (0: not in the database), so that facts need no lookup.
	ids map[string]int64
	// changed and fields gather what matching must look at again: the
	// enterprises whose current values changed, and the fields imported.
	changed map[int64]struct{}
	fields  map[string]struct{}
}

func (t *dbTarget) enterpriseExists(ctx context.Context, uscc string) (bool, error) {
	if id, ok := t.ids[uscc]; ok {
		return id != 0, nil
	}
	ids, err := enterprise.IDsByUSCC(ctx, t.tx, []string{uscc})
	if err != nil {
		return false, err
	}
	t.ids[uscc] = ids[uscc]
	return ids[uscc] != 0, nil
}

func (t *dbTarget) putEnterprise(ctx context.Context, rec facts.Record) (bool, error) {
	e := enterprise.Enterprise{USCC: rec.USCC, Name: rec.Name, RegisteredOn: rec.RegisteredOn,
		IndustryCode: rec.IndustryCode, Park: rec.Park, Tags: rec.Tags}
	created, err := enterprise.Put(ctx, t.tx, &e)
	if err != nil {
		return false, err
	}
	t.ids[e.USCC] = e.ID
	return created, nil
}

func (t *dbTarget) source() string {
	if t.opts.Source != "" {
		return t.opts.Source
	}
	return "import:" + truncate(filepath.Base(t.files[t.file].Name), 200)
}

func (t *dbTarget) appendFacts(ctx context.Context, batch []fact) error {
	prov := facts.Provenance{Source: t.source(), Actor: t.opts.Actor, BatchID: t.batch, At: t.at}
	seq := func(yield func(facts.Fact) bool) {
		for _, f := range batch {
			if !yield(facts.Fact{EnterpriseID: t.ids[f.USCC], USCC: f.USCC, Field: f.Field.Name, Period: f.Period, Value: f.Value}) {
				return
			}
		}
	}
	appended, err := facts.BulkAppend(ctx, t.tx, prov, seq)
	if err != nil {
		return err
	}
	for _, id := range appended.Enterprises {
		t.changed[id] = struct{}{}
	}
	for _, f := range batch {
		t.fields[f.Field.Name] = struct{}{}
	}
	return nil
}

// maxConflicts bounds the conflicting facts reported.
const maxConflicts = 100

// conflictingFacts reports every (enterprise, field, period) that this
// import gives two different values: which one should count is a question
// for the person importing, not a guess for the program. Identical repeats
// are harmless and pass. The values are compared in the database, for the
// keys the repeat filter saw more than once, or when it saw too many, over
// the whole import's batch (slower: a grouping of every row).
func (t *dbTarget) conflictingFacts(ctx context.Context, repeats *repeatFilter, rep *Report) error {
	const aggregates = "count(DISTINCT f.value), min(f.value), max(f.value), min(f.source), max(f.source)"
	found := 0
	report := func(uscc, field, period string, n int, low, high, src1, src2 string) {
		found++
		where := strings.TrimPrefix(src1, "import:")
		if src2 != src1 {
			where += " and " + strings.TrimPrefix(src2, "import:")
		}
		at := "the value"
		if period != "" {
			at = "period " + period
		}
		rep.problem(apperr.Problem{USCC: uscc, Field: field,
			Reason: fmt.Sprintf("%s is given %d different values in this import (%s … %s, in %s): give one", at, n, low, high, where)})
	}
	if !repeats.overflow {
		keys := slices.SortedFunc(maps.Keys(repeats.repeats), func(a, b factKey) int {
			return cmp.Or(cmp.Compare(a.USCC, b.USCC), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Period.Index(), b.Period.Index()))
		})
		for _, k := range keys {
			if found == maxConflicts {
				break
			}
			var n int
			var low, high, src1, src2 string
			err := t.tx.QueryRow(ctx, "SELECT "+aggregates+` FROM facts f
WHERE f.enterprise_id = ? AND f.field = ? AND f.period = ? AND f.batch_id = ?`,
				t.ids[k.USCC], k.Field, k.Period.String(), t.batch).Scan(&n, &low, &high, &src1, &src2)
			if err != nil {
				return fmt.Errorf("exchange: look for conflicting facts: %w", err)
			}
			if n > 1 {
				report(k.USCC, k.Field, k.Period.String(), n, low, high, src1, src2)
			}
		}
		return nil
	}
	rows, err := t.tx.Query(ctx, `SELECT e.uscc, d.field, d.period, d.n, d.low, d.high, d.src1, d.src2
FROM (SELECT f.enterprise_id, f.field, f.period, count(DISTINCT f.value) AS n, min(f.value) AS low,
             max(f.value) AS high, min(f.source) AS src1, max(f.source) AS src2
      FROM facts f WHERE f.id > ? AND f.batch_id = ? GROUP BY f.enterprise_id, f.field, f.period HAVING count(DISTINCT f.value) > 1) d
JOIN enterprises e ON e.id = d.enterprise_id
ORDER BY e.uscc, d.field, d.period
LIMIT ?`, t.before, t.batch, maxConflicts)
	if err != nil {
		return fmt.Errorf("exchange: look for conflicting facts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var uscc, field, period, low, high, src1, src2 string
		var n int
		if err := rows.Scan(&uscc, &field, &period, &n, &low, &high, &src1, &src2); err != nil {
			return fmt.Errorf("exchange: look for conflicting facts: %w", err)
		}
		report(uscc, field, period, n, low, high, src1, src2)
	}
	return rows.Err()
}
