package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps SQLite statements prepared, per pool: the driver
// otherwise prepares (parses and plans) a statement's text anew for every
// call, which on modernc.org/sqlite, the driver before, was a fifth of an
// incremental re-evaluation's time. SQLite's C parser under
// mattn/go-sqlite3 costs less, but still every call. (pgx keeps prepared
// statements by text on its own.) Texts are few but some are built (an IN
// list), so the cache stops growing at its size: past it, statements are
// prepared per call as before. Entries are never evicted, so that a
// statement in use is never closed under its caller.
type stmtCache struct {
	pool *sql.DB
	mu   sync.RWMutex
	m    map[string]*sql.Stmt
	// wanted are texts first run inside a transaction, prepared once it
	// ends: preparing on the pool from inside a transaction would wait for
	// a connection the transaction itself may hold (the one writer).
	wanted map[string]bool
}

const stmtCacheSize = 512

func newStmtCache(pool *sql.DB) *stmtCache {
	return &stmtCache{pool: pool, m: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// get returns the statement of text prepared on the pool, or nil when the
// cache is full or the text does not prepare (the caller then runs it
// directly and gets the error there). In a transaction it only looks: a
// text not prepared yet is noted, and prepared by prepareWanted.
func (c *stmtCache) get(ctx context.Context, text string, inTx bool) *sql.Stmt {
	c.mu.RLock()
	s, ok := c.m[text]
	full := len(c.m) >= stmtCacheSize
	c.mu.RUnlock()
	if ok || full {
		return s
	}
	if inTx {
		c.mu.Lock()
		c.wanted[text] = true
		c.mu.Unlock()
		return nil
	}
	return c.prepare(ctx, text)
}

// prepare prepares text on the pool and keeps it. The lock is not held
// while preparing: that waits for a connection, which a transaction may
// hold while it looks in the cache.
func (c *stmtCache) prepare(ctx context.Context, text string) *sql.Stmt {
	s, err := c.pool.PrepareContext(ctx, text)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[text]; ok {
		s.Close() // another goroutine prepared it meanwhile
		return old
	}
	c.m[text] = s
	return s
}

// prepareWanted prepares the texts transactions ran unprepared; the caller
// holds no connection of the pool.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	var texts []string
	for text := range c.wanted {
		if _, ok := c.m[text]; !ok {
			texts = append(texts, text)
		}
	}
	clear(c.wanted)
	room := stmtCacheSize - len(c.m)
	c.mu.Unlock()
	for _, text := range texts[:min(len(texts), max(room, 0))] {
		c.prepare(ctx, text)
	}
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.m {
		s.Close()
	}
	clear(c.m)
}
