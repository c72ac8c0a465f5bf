package store

import (
	"context"
	"fmt"
)

// Change counters (change_counters, migration 0013) let several instances
// on one database keep caches without state only one process knows: a
// write that changes what a cache holds advances the counter of what it
// changed, and a cache keeps, with each copy, the counters it was computed
// under. A copy is current while those counters have not moved, whichever
// instance wrote; reading them is one small query. Counters only grow, so
// the sum of those a cache depends on moves whenever one of them does.
const (
	CounterRegistry   = "registry"   // enterprises, their parks and tags; parks, tags, departments
	CounterFacts      = "facts"      // reported values
	CounterDictionary = "dictionary" // the data dictionary's fields
	CounterResults    = "results"    // stored matching results and their coverage
)

// Bump advances the named counters. Called in the transaction of the write,
// the new value is seen exactly when the write is. A transaction advances
// each counter once, however many of its writes call Bump (an import
// creating ten thousand enterprises): one move is all a cache needs.
func Bump(ctx context.Context, q Queryer, names ...string) error {
	tx, _ := q.(*Tx)
	for _, name := range names {
		if tx != nil && tx.bumped[name] {
			continue
		}
		if _, err := q.Exec(ctx, bumpSQL, name); err != nil {
			return fmt.Errorf("store: advance the %s counter: %w", name, err)
		}
		if tx != nil {
			if tx.bumped == nil {
				tx.bumped = map[string]bool{}
			}
			tx.bumped[name] = true
		}
	}
	return nil
}

const bumpSQL = `INSERT INTO change_counters (name, value) VALUES (?, 1)
ON CONFLICT (name) DO UPDATE SET value = change_counters.value + 1`

// QueueBump is Bump as statements of a batch the transaction sends.
func (tx *Tx) QueueBump(b *Batch, names ...string) {
	for _, name := range names {
		if tx.bumped[name] {
			continue
		}
		b.Queue(bumpSQL, name)
		if tx.bumped == nil {
			tx.bumped = map[string]bool{}
		}
		tx.bumped[name] = true
	}
}

// Counters are the change counters as read at one moment.
type Counters map[string]int64

// ReadCounters reads every change counter.
func ReadCounters(ctx context.Context, q Queryer) (Counters, error) {
	rows, err := q.Query(ctx, "SELECT name, value FROM change_counters")
	if err != nil {
		return nil, fmt.Errorf("store: read the change counters: %w", err)
	}
	defer rows.Close()
	c := Counters{}
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			return nil, fmt.Errorf("store: read the change counters: %w", err)
		}
		c[name] = v
	}
	return c, rows.Err()
}

// Key is the sum of the named counters: it moves whenever one of them does.
func (c Counters) Key(names ...string) int64 {
	var k int64
	for _, n := range names {
		k += c[n]
	}
	return k
}

// CounterKey reads the named counters and returns their Key.
func CounterKey(ctx context.Context, q Queryer, names ...string) (int64, error) {
	c, err := ReadCounters(ctx, q)
	if err != nil {
		return 0, err
	}
	return c.Key(names...), nil
}
