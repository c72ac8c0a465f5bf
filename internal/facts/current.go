package facts

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/parkdesk/parkdesk/internal/store"
)

// The current values of an enterprise are one row of current_fact_sets
// (migration 0017): the JSON array [[field, period, value, fact id,
// recorded at], …] in field and period order. A row per value cost an
// import of a million facts seconds of index inserts (3.5–4.8 s of upserts
// on PostgreSQL); a row per enterprise costs a row per enterprise. The view
// current_facts gives them back a row per value.

// currentValue is one current value as stored.
type currentValue struct {
	Field, Period, Value string
	FactID               int64 // the fact (sets.go) that recorded it
	RecordedAt           string
}

func compareCurrent(a, b currentValue) int {
	return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(a.Period, b.Period))
}

// decodeCurrent reads an enterprise's stored current values.
func decodeCurrent(doc []byte) ([]currentValue, error) {
	var out []currentValue
	err := newCurrentScanner().scan(doc, nil, true, func(v currentValue) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// currentScanner reads stored rows of current values token by token. It
// keeps the names of the fields and periods it has read, which repeat from
// one enterprise to the next: reading a population's rows through
// json.Unmarshal spent three quarters of a population build in decoding.
type currentScanner struct {
	dec   *jsontext.Decoder
	names map[string]string
}

func newCurrentScanner() *currentScanner {
	return &currentScanner{dec: jsontext.NewDecoder(bytes.NewReader(nil)), names: map[string]string{}}
}

// name reads a string that names a field or a period.
func (s *currentScanner) name(item string) (string, error) {
	if kind := s.dec.PeekKind(); kind != '"' {
		return "", fmt.Errorf("a current value's %s is %v, not a string", item, kind)
	}
	raw, err := s.dec.ReadValue()
	if err != nil {
		return "", err
	}
	if n, ok := s.names[string(raw)]; ok {
		return n, nil
	}
	unquoted, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return "", err
	}
	n := string(unquoted)
	s.names[string(raw)] = n
	return n, nil
}

// text reads a string.
func (s *currentScanner) text(item string) (string, error) {
	if kind := s.dec.PeekKind(); kind != '"' {
		return "", fmt.Errorf("a current value's %s is %v, not a string", item, kind)
	}
	tok, err := s.dec.ReadToken()
	if err != nil {
		return "", err
	}
	return tok.String(), nil
}

// delim reads the delimiter kind, '[' or ']'.
func (s *currentScanner) delim(kind jsontext.Kind) error {
	tok, err := s.dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != kind {
		return fmt.Errorf("a current value has %v where %v belongs", tok.Kind(), kind)
	}
	return nil
}

// scan calls fn with each value of doc whose field keep accepts (every
// value when keep is nil). Without full, a value's fact id and time are
// skipped, not read.
func (s *currentScanner) scan(doc []byte, keep func(field string) bool, full bool, fn func(currentValue) error) error {
	s.dec.Reset(bytes.NewReader(doc))
	if err := s.delim('['); err != nil {
		return err
	}
	for s.dec.PeekKind() == '[' {
		if err := s.delim('['); err != nil {
			return err
		}
		var v currentValue
		var err error
		if v.Field, err = s.name("field"); err != nil {
			return err
		}
		if keep != nil && !keep(v.Field) {
			for range 4 {
				if err := s.dec.SkipValue(); err != nil {
					return err
				}
			}
			if err := s.delim(']'); err != nil {
				return err
			}
			continue
		}
		if v.Period, err = s.name("period"); err != nil {
			return err
		}
		if v.Value, err = s.text("value"); err != nil {
			return err
		}
		if full {
			if kind := s.dec.PeekKind(); kind != '0' {
				return fmt.Errorf("a current value's fact id is %v, not a number", kind)
			}
			raw, err := s.dec.ReadValue()
			if err != nil {
				return err
			}
			// The raw number, so that 1.5 or 1e3 are refused rather than
			// rounded.
			if v.FactID, err = strconv.ParseInt(string(raw), 10, 64); err != nil {
				return fmt.Errorf("a current value's fact id: %w", err)
			}
			if v.RecordedAt, err = s.text("time"); err != nil {
				return err
			}
		} else {
			for range 2 {
				if err := s.dec.SkipValue(); err != nil {
					return err
				}
			}
		}
		if err := s.delim(']'); err != nil {
			return err
		}
		if err := fn(v); err != nil {
			return err
		}
	}
	if err := s.delim(']'); err != nil {
		return err
	}
	if _, err := s.dec.ReadToken(); err != io.EOF {
		return fmt.Errorf("a row of current values goes on after its array (%v)", err)
	}
	return nil
}

// encodeCurrent writes an enterprise's current values as stored. It
// appends each array itself, the strings quoted by jsontext: a million
// values an import, through the encoder's token calls, cost twice as much.
func encodeCurrent(values []currentValue) ([]byte, error) {
	buf := make([]byte, 0, 2+len(values)*80)
	buf = append(buf, '[')
	var err error
	for i := range values {
		v := &values[i]
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		for _, text := range [...]string{v.Field, v.Period, v.Value} {
			if buf, err = jsontext.AppendQuote(buf, text); err != nil {
				return nil, err
			}
			buf = append(buf, ',')
		}
		buf = strconv.AppendInt(buf, v.FactID, 10)
		buf = append(buf, ',')
		if buf, err = jsontext.AppendQuote(buf, v.RecordedAt); err != nil {
			return nil, err
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}

// newerValues are an enterprise's newest values of a write, one per key, in
// the order their keys first came.
type newerValues struct {
	values []currentValue
	// at holds a key's place in values once a second fact of the key came
	// (nil until then: most writes give each key once).
	at map[[2]string]int
}

// add makes v the newest value of its key.
func (n *newerValues) add(v currentValue) {
	k := [2]string{v.Field, v.Period}
	if n.at == nil {
		// Until a key repeats, keys are checked against the values only when
		// one is out of order; in order, a repeat is the previous value's key.
		if last := len(n.values) - 1; last < 0 || compareCurrent(n.values[last], v) < 0 {
			n.values = append(n.values, v)
			return
		}
		n.at = make(map[[2]string]int, len(n.values)+1)
		for i := range n.values {
			n.at[[2]string{n.values[i].Field, n.values[i].Period}] = i
		}
	}
	if i, ok := n.at[k]; ok {
		n.values[i] = v
		return
	}
	n.at[k] = len(n.values)
	n.values = append(n.values, v)
}

// mergeCurrent makes each of the newer values (at most one per key) the
// current value of its key, unless the current one is equal or was
// recorded later, and returns the values and how many changed. current
// must be in key order; the result is. Newer values in key order cost the
// final sort a pass.
func mergeCurrent(current []currentValue, newer []currentValue) ([]currentValue, int) {
	if len(current) == 0 {
		slices.SortFunc(newer, compareCurrent)
		return newer, len(newer)
	}
	changed := 0
	var added []currentValue
	for _, n := range newer {
		i, found := slices.BinarySearchFunc(current, n, compareCurrent)
		switch {
		case !found:
			added = append(added, n)
		case current[i].Value != n.Value && current[i].RecordedAt <= n.RecordedAt:
			current[i] = n
		default:
			continue
		}
		changed++
	}
	if len(added) > 0 {
		current = append(current, added...)
		slices.SortFunc(current, compareCurrent)
	}
	return current, changed
}

// currentReadChunk is how many enterprises' current values one round of
// statements reads and writes.
const currentReadChunk = 1000

var (
	currentColumns     = []string{"enterprise_id", "facts"}
	currentRowsUpdated = store.Insert{Table: "current_fact_sets", Columns: currentColumns,
		Suffix: "ON CONFLICT (enterprise_id) DO UPDATE SET facts = excluded.facts", RowsPerStatement: currentReadChunk}
)

// drain reads every row of a query whose rows say nothing.
func drain(rows *sql.Rows) error {
	for rows.Next() {
	}
	return rows.Err()
}

// mergeCurrentValues merges the newest values of a write, by enterprise
// and key, into the enterprises' current values, and counts what changed.
func (w *setWriter) mergeCurrentValues(ctx context.Context, newest map[int64]*newerValues) error {
	ids := slices.Sorted(maps.Keys(newest))
	postgres := w.tx.Dialect() == store.Postgres
	for chunk := range slices.Chunk(ids, currentReadChunk) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if postgres {
			// Two writers of one enterprise's values take turns: its
			// registry row is locked first, in id order as every writer
			// does, so that none waits for another holding what it needs.
			// (Locking the row of values alone would let two writers of a
			// new enterprise, which has none yet, both write the first.)
			locked, err := w.tx.Query(ctx, "SELECT id FROM enterprises WHERE id IN ("+placeholders(len(chunk))+") ORDER BY id FOR NO KEY UPDATE", args...)
			if err != nil {
				return fmt.Errorf("facts: lock the enterprises: %w", err)
			}
			if err := errors.Join(drain(locked), locked.Close()); err != nil {
				return fmt.Errorf("facts: lock the enterprises: %w", err)
			}
		}
		docs := make(map[int64][]byte, len(chunk))
		rows, err := w.tx.Query(ctx, "SELECT enterprise_id, facts FROM current_fact_sets WHERE enterprise_id IN ("+placeholders(len(chunk))+")", args...)
		if err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		for rows.Next() {
			var id int64
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return fmt.Errorf("facts: read current values: %w", err)
			}
			docs[id] = doc
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		// Enterprises without a row yet get theirs copied in (COPY on
		// PostgreSQL), the others updated.
		var fresh, updated [][]any
		for _, id := range chunk {
			var current []currentValue
			if doc, ok := docs[id]; ok {
				if current, err = decodeCurrent(doc); err != nil {
					return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
				}
			}
			merged, n := mergeCurrent(current, newest[id].values)
			if n == 0 {
				continue
			}
			doc, err := encodeCurrent(merged)
			if err != nil {
				return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
			}
			w.result.Changed += n
			w.changed[id] = struct{}{}
			if _, ok := docs[id]; ok {
				updated = append(updated, []any{id, string(doc)})
			} else {
				fresh = append(fresh, []any{id, string(doc)})
			}
		}
		if _, err := w.tx.Copy(ctx, "current_fact_sets", currentColumns, slices.Values(fresh)); err != nil {
			return fmt.Errorf("facts: write current values: %w", describeAppendError(err))
		}
		if _, err := w.tx.InsertRows(ctx, currentRowsUpdated, slices.Values(updated)); err != nil {
			return fmt.Errorf("facts: update current values: %w", describeAppendError(err))
		}
	}
	return nil
}

// EachCurrent calls fn with the current values of the enterprises with ids
// first … last, in id order, of the fields wanted (every field when wanted
// is nil). Reading an enterprise's stored row costs one index lookup, where
// the view current_facts, joined to other tables, may make the database
// expand every enterprise's values first.
func EachCurrent(ctx context.Context, q store.Queryer, first, last int64, wanted map[string]bool, fn func(id int64, field, period, value string) error) error {
	rows, err := q.Query(ctx, "SELECT enterprise_id, facts FROM current_fact_sets WHERE enterprise_id BETWEEN ? AND ? ORDER BY enterprise_id", first, last)
	if err != nil {
		return fmt.Errorf("facts: read current values: %w", err)
	}
	defer rows.Close()
	scanner := newCurrentScanner()
	var keep func(string) bool
	if wanted != nil {
		keep = func(field string) bool { return wanted[field] }
	}
	var doc []byte
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &doc); err != nil {
			return fmt.Errorf("facts: read current values: %w", err)
		}
		var fnErr error
		err := scanner.scan(doc, keep, false, func(v currentValue) error {
			fnErr = fn(id, v.Field, v.Period, v.Value)
			return fnErr
		})
		if fnErr != nil {
			return fnErr
		}
		if err != nil {
			return fmt.Errorf("facts: current values of enterprise %d: %w", id, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("facts: read current values: %w", err)
	}
	return nil
}
