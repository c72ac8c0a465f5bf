package enterprise

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// countCache keeps how many enterprises a list's filter matches, for
// countTTL: paging through a list, or fifty people opening the same one,
// counts once. Imports through this process clear it; otherwise a count
// is at most countTTL old (the rows of the page itself are always read
// afresh).
type countCache struct {
	mu      sync.Mutex
	entries map[string]countEntry
}

type countEntry struct {
	n  int
	at time.Time
}

const (
	countTTL     = 30 * time.Second
	countEntries = 4096
)

func newCountCache() *countCache { return &countCache{entries: map[string]countEntry{}} }

// count returns COUNT(*) of the enterprises matching where; the key is the
// condition's text with its arguments, so that the principal's scope is
// part of it.
func (c *countCache) count(ctx context.Context, db *store.DB, where string, args []any) (int, error) {
	key := where + "\x00" + fmt.Sprint(args...)
	c.mu.Lock()
	e, ok := c.entries[key]
	c.mu.Unlock()
	if ok && time.Since(e.at) < countTTL {
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
	c.entries[key] = countEntry{n: n, at: time.Now()}
	c.mu.Unlock()
	return n, nil
}

// invalidate forgets every count, after a change to the registry.
func (c *countCache) invalidate() {
	c.mu.Lock()
	clear(c.entries)
	c.mu.Unlock()
}
