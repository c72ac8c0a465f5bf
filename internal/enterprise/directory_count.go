package enterprise

import (
	"context"
	"fmt"
	"sync"

	"github.com/parkdesk/parkdesk/internal/store"
)

// countCache keeps how many enterprises a list's filter matches while the
// registry's and the facts' change counters stand: paging through a list,
// or fifty people opening the same one, counts once, and a write on any
// instance moves the counters (the rows of the page itself are always
// read afresh).
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n   int
	key int64 // the change counters' key when counted
}

const countEntries = 4096

func newCountCache() *countCache { return &countCache{entries: map[string]countEntry{}} }

// count returns COUNT(*) of the enterprises matching where; the key is the
// condition's text with its arguments, so that the principal's scope is
// part of it.
func (c *countCache) count(ctx context.Context, db *store.DB, where string, args []any) (int, error) {
	key := where + "\x00" + fmt.Sprint(args...)
	counters, err := store.CounterKey(ctx, db, store.CounterRegistry, store.CounterFacts)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && e.key == counters {
		return e.n, nil
	}
	var n int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM enterprises e WHERE "+where, args...).Scan(&n); err != nil {
		return 0, err
	}
	c.mu.Lock()
	if len(c.entries) >= countEntries {
		clear(c.entries)
	}
	c.entries[key] = countEntry{n: n, key: counters}
	c.mu.Unlock()
	return n, nil
}

// invalidate forgets every count, after a change to the registry.
func (c *countCache) invalidate() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}
