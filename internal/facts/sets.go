package facts

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"iter"
	"maps"
	"slices"
	"time"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/parkdesk/parkdesk/internal/store"
)

// The history is kept as fact sets (migration 0016): a row of fact_sets
// holds the facts one write recorded for one enterprise, as the JSON array
// [[field, period, value], …] in the order written, with their provenance
// once. A row per fact cost a million-fact import seconds of index inserts
// that a row per enterprise does not (docs/performance.md, "Where the floor
// is"). A fact keeps an id of its own, its set's id × 65536 plus its place
// in the set, which is what current_facts.fact_id holds; the view facts
// gives the history back a row per fact.

// factPlaceBits is how many low bits of a fact id give its place in its
// set; the SQL says 65536 (1 << factPlaceBits) where it needs the set.
const factPlaceBits = 16

// factID is the id of the fact at place in the set.
func factID(set int64, place int) int64 { return set<<factPlaceBits | int64(place) }

// setColumns are the columns a write of fact sets gives.
var setColumns = []string{"enterprise_id", "source", "actor", "batch_id", "recorded_at", "facts"}

// writeChunk is the most facts one write of sets takes, so that an
// enterprise's facts of one source in one write always fit the places of
// one set.
const writeChunk = 50_000

// A compile-time check: the constant below overflows if a write could
// hold more facts than a set has places.
const _ = uint(1<<factPlaceBits - writeChunk)

// textFact is a fact as stored: its period and value in their canonical
// text.
type textFact struct {
	enterprise           int64
	source               string
	field, period, value string
}

func textOf(f *Fact, source string) textFact {
	return textFact{f.EnterpriseID, source, f.Field, f.Period.String(), f.Value.String()}
}

// factSet is a set being built: facts of one enterprise from one source,
// in the order written.
type factSet struct {
	enterprise int64
	source     string
	facts      [][3]string
	// staged is the facts' text as an import staged them, when they are
	// exactly one staged set, which is then written as it is.
	staged string
}

// encode returns the set's facts as stored: the text it was staged as,
// when it is one staged set, else encodeSet's.
func (s *factSet) encode() (string, error) {
	if s.staged != "" {
		return s.staged, nil
	}
	text, err := encodeSet(s.facts)
	if err != nil {
		return "", fmt.Errorf("facts: encode the facts of enterprise %d: %w", s.enterprise, err)
	}
	return string(text), nil
}

// encodeSet writes facts as a set stores them, [[field, period, value], …],
// appending each array itself (jsontext quotes the strings), as
// encodeCurrent does.
func encodeSet(facts [][3]string) ([]byte, error) {
	buf := make([]byte, 0, 2+len(facts)*48)
	buf = append(buf, '[')
	var err error
	for i, f := range facts {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for j, text := range f {
			if j > 0 {
				buf = append(buf, ',')
			}
			if buf, err = jsontext.AppendQuote(buf, text); err != nil {
				return nil, err
			}
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}

// setKey names the set of a write: one per enterprise and source.
type setKey struct {
	enterprise int64
	source     string
}

// setWriter writes chunks of facts with one provenance (the source may
// differ by fact): a set per enterprise and source in the history, the
// newest of each key merged into the enterprise's current values.
type setWriter struct {
	tx     *store.Tx
	prov   Provenance
	at     string // prov.At, or now, as stored
	result Appended
	// changed collects the enterprises whose current values changed.
	changed map[int64]struct{}
}

func newSetWriter(tx *store.Tx, prov Provenance) *setWriter {
	at := prov.At
	if at.IsZero() {
		at = time.Now()
	}
	return &setWriter{tx: tx, prov: prov, at: store.FormatTime(at), changed: map[int64]struct{}{}}
}

// appended returns what the writer wrote, the enterprises ascending.
func (w *setWriter) appended() Appended {
	r := w.result
	r.Enterprises = slices.Sorted(maps.Keys(w.changed))
	return r
}

var setInsert = store.Insert{Table: "fact_sets", Columns: setColumns, Suffix: "RETURNING id, enterprise_id, source"}

// write records a chunk of at most writeChunk facts, which must name
// enterprises and fields that exist.
//
// staged gives, by enterprise and source, the text of the one staged set
// that holds all their facts in the chunk, to be written as it is (nil when
// there is none).
func (w *setWriter) write(ctx context.Context, chunk []textFact, staged map[setKey]string) error {
	if len(chunk) == 0 {
		return nil
	}
	if len(chunk) > writeChunk {
		return fmt.Errorf("facts: %d facts in one write, more than %d", len(chunk), writeChunk)
	}
	var sets []*factSet
	bySet := map[setKey]*factSet{}
	for i := range chunk {
		f := &chunk[i]
		k := setKey{f.enterprise, f.source}
		s := bySet[k]
		if s == nil {
			s = &factSet{enterprise: f.enterprise, source: f.source, staged: staged[k]}
			bySet[k] = s
			sets = append(sets, s)
		}
		s.facts = append(s.facts, [3]string{f.field, f.period, f.value})
	}
	batch := any(nil)
	if w.prov.BatchID != 0 {
		batch = w.prov.BatchID
	}
	row := make([]any, len(setColumns))
	var encodeErr error
	rows := func(yield func([]any) bool) {
		for _, s := range sets {
			text, err := s.encode()
			if err != nil {
				encodeErr = err
				return
			}
			row[0], row[1], row[2], row[3], row[4], row[5] = s.enterprise, s.source, w.prov.Actor, batch, w.at, text
			if !yield(row) {
				return
			}
		}
	}
	type written struct {
		id  int64
		set *factSet
	}
	var ids []written
	found := func(r *sql.Rows) error {
		var k setKey
		var id int64
		if err := r.Scan(&id, &k.enterprise, &k.source); err != nil {
			return err
		}
		s := bySet[k]
		if s == nil {
			return fmt.Errorf("set %d of enterprise %d from %s is not one this write made", id, k.enterprise, k.source)
		}
		ids = append(ids, written{id, s})
		return nil
	}
	// Set ids come back with their enterprise and source rather than in
	// the order of the rows, which neither database promises to keep. An
	// import's sets are copied (COPY on PostgreSQL) and found again by
	// their batch above the latest id before; sets without a batch come
	// back from RETURNING.
	var err error
	if w.prov.BatchID != 0 {
		err = w.copySets(ctx, rows, found)
	} else {
		err = w.tx.InsertRowsReturning(ctx, setInsert, rows, found)
	}
	if err == nil {
		err = encodeErr
	}
	if err == nil && len(ids) != len(sets) {
		err = fmt.Errorf("%d sets written, %d found again", len(sets), len(ids))
	}
	if err != nil {
		return fmt.Errorf("facts: write the history: %w", describeAppendError(err))
	}
	// The newest fact of each key: the last of the latest set giving it.
	// Kept in the order the facts came, which is often already key order
	// and then costs the merge's sort next to nothing.
	slices.SortFunc(ids, func(a, b written) int { return cmp.Compare(a.id, b.id) })
	newest := map[int64]*newerValues{}
	for _, wr := range ids {
		n := newest[wr.set.enterprise]
		if n == nil {
			n = &newerValues{values: make([]currentValue, 0, len(wr.set.facts))}
			newest[wr.set.enterprise] = n
		}
		for place, f := range wr.set.facts {
			n.add(currentValue{Field: f[0], Period: f[1], Value: f[2], FactID: factID(wr.id, place), RecordedAt: w.at})
		}
		w.result.Rows += len(wr.set.facts)
	}
	return w.mergeCurrentValues(ctx, newest)
}

// copySets copies the rows of sets of the writer's batch and calls found
// with each set's id, enterprise and source.
func (w *setWriter) copySets(ctx context.Context, rows iter.Seq[[]any], found func(*sql.Rows) error) error {
	var after int64
	if err := w.tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM fact_sets").Scan(&after); err != nil {
		return err
	}
	if _, err := w.tx.Copy(ctx, "fact_sets", setColumns, rows); err != nil {
		return err
	}
	back, err := w.tx.Query(ctx, "SELECT id, enterprise_id, source FROM fact_sets WHERE id > ? AND batch_id = ?", after, w.prov.BatchID)
	if err != nil {
		return err
	}
	defer back.Close()
	for back.Next() {
		if err := found(back); err != nil {
			return err
		}
	}
	return back.Err()
}

// checkFields returns an error naming a field of the facts that the
// dictionary lacks: the sets' JSON is not checked by a foreign key, as the
// rows of facts were.
func checkFields(ctx context.Context, tx *store.Tx, fields map[string]struct{}) error {
	if len(fields) == 0 {
		return nil
	}
	names := slices.Sorted(maps.Keys(fields))
	args := make([]any, len(names))
	for i, n := range names {
		args[i] = n
	}
	rows, err := tx.Query(ctx, "SELECT name FROM fields WHERE name IN ("+placeholders(len(names))+")", args...)
	if err != nil {
		return fmt.Errorf("facts: check the fields: %w", err)
	}
	defer rows.Close()
	known := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return fmt.Errorf("facts: check the fields: %w", err)
		}
		known[n] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("facts: check the fields: %w", err)
	}
	for _, n := range names {
		if !known[n] {
			return fmt.Errorf("facts: a fact names field %q, which the dictionary does not hold: %w", n, store.ErrReferenced)
		}
	}
	return nil
}

// writeFacts writes facts a chunk of size at a time, each chunk made ready
// first by prepare (its enterprises resolved, its keys checked), then
// counts them (finish), and returns what it wrote.
func (w *setWriter) writeFacts(ctx context.Context, facts iter.Seq[Fact], size int, prepare func(chunk []Fact) error) (Appended, error) {
	chunk := make([]Fact, 0, size)
	texts := make([]textFact, 0, size)
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		if err := prepare(chunk); err != nil {
			return err
		}
		texts = texts[:0]
		for i := range chunk {
			texts = append(texts, textOf(&chunk[i], w.prov.Source))
		}
		chunk = chunk[:0]
		return w.write(ctx, texts, nil)
	}
	for f := range facts {
		chunk = append(chunk, f)
		if len(chunk) == size {
			if err := flush(); err != nil {
				return Appended{}, err
			}
		}
	}
	if err := flush(); err != nil {
		return Appended{}, err
	}
	if err := w.finish(ctx); err != nil {
		return Appended{}, err
	}
	return w.appended(), nil
}

// finish counts the facts written in their import batch, if any, and
// marks the facts changed for the caches that follow them.
func (w *setWriter) finish(ctx context.Context) error {
	if w.result.Rows == 0 {
		return nil
	}
	if w.prov.BatchID != 0 {
		if _, err := w.tx.Exec(ctx, "UPDATE import_batches SET row_count = row_count + ? WHERE id = ?", w.result.Rows, w.prov.BatchID); err != nil {
			return fmt.Errorf("facts: count the rows of batch %d: %w", w.prov.BatchID, err)
		}
	}
	return store.Bump(ctx, w.tx, store.CounterFacts)
}
