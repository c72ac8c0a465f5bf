package facts

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

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

// setCapacity is the most facts one set holds.
const setCapacity = 1 << factPlaceBits

// factID is the id of the fact at place in the set.
func factID(set int64, place int) int64 { return set<<factPlaceBits | int64(place) }

// setColumns are the columns a write of fact sets gives.
var setColumns = []string{"enterprise_id", "source", "actor", "batch_id", "recorded_at", "facts"}

// factSet is a set being built: facts of one enterprise, in the order
// written.
type factSet struct {
	enterprise int64
	facts      [][3]string
}

// add appends a fact to the set.
func (s *factSet) add(f *Fact) {
	s.facts = append(s.facts, [3]string{f.Field, f.Period.String(), f.Value.String()})
}

// encode returns the set's facts as stored.
func (s *factSet) encode() (string, error) {
	text, err := json.Marshal(s.facts)
	if err != nil {
		return "", fmt.Errorf("facts: encode the facts of enterprise %d: %w", s.enterprise, err)
	}
	return string(text), nil
}

// repeats reports whether the set gives a (field, period) more than once.
func (s *factSet) repeats() bool {
	seen := make(map[[2]string]struct{}, len(s.facts))
	for _, f := range s.facts {
		k := [2]string{f[0], f[1]}
		if _, ok := seen[k]; ok {
			return true
		}
		seen[k] = struct{}{}
	}
	return false
}

// groupSets splits facts that name their enterprise by id into sets, one
// per enterprise in the order they first appear (more when one would
// exceed setCapacity).
func groupSets(facts []Fact) []*factSet {
	var sets []*factSet
	open := map[int64]*factSet{}
	for i := range facts {
		f := &facts[i]
		s := open[f.EnterpriseID]
		if s == nil || len(s.facts) == setCapacity {
			s = &factSet{enterprise: f.EnterpriseID}
			open[f.EnterpriseID] = s
			sets = append(sets, s)
		}
		s.add(f)
	}
	return sets
}

// latestSet returns the greatest fact set id, 0 when there is none: the
// sets a write makes then have ids above it, which with its batch is how
// the set-based statements after it find them.
func latestSet(ctx context.Context, tx *store.Tx) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM fact_sets").Scan(&id); err != nil {
		return 0, fmt.Errorf("facts: the latest fact set: %w", err)
	}
	return id, nil
}

// factsOfSets is the SQL of a derived table of the facts of the sets above
// an id and of a batch (its two parameters), a row per fact with the
// columns of current_facts.
func factsOfSets(d store.Dialect) string {
	if d == store.Postgres {
		return `SELECT s.enterprise_id, j.fact ->> 0 AS field, j.fact ->> 1 AS period, j.fact ->> 2 AS value,
	s.id * 65536 + j.ord - 1 AS fact_id, s.recorded_at
FROM fact_sets s CROSS JOIN LATERAL json_array_elements(s.facts) WITH ORDINALITY AS j (fact, ord)
WHERE s.id > ? AND s.batch_id = ?`
	}
	return `SELECT s.enterprise_id, j.value ->> 0 AS field, j.value ->> 1 AS period, j.value ->> 2 AS value,
	s.id * 65536 + j.key AS fact_id, s.recorded_at
FROM fact_sets s, json_each(s.facts) j
WHERE s.id > ? AND s.batch_id = ?`
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
