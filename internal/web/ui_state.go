package web

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// uiState is what the console keeps between requests in this process:
// caches, each copy kept with the change counters it was computed under
// (store.Counters), so that every instance sees every write. Uploads
// awaiting confirmation are staged in the database (exchange.StageUpload).
type uiState struct {
	aggregates *aggregateCache
	counts     *countCache
	dict       dictCache
	registry   indexHolder
	realized   *viewCache[realizedView] // the dashboard's benefits received
}

// dictCache keeps the data dictionary while its change counter stands:
// every page with facts names them by it, and it changes when an admin
// adds a field, on whichever instance.
type dictCache struct {
	mu   sync.Mutex
	rows []fieldRow
	key  int64
}

// fields returns the data dictionary as the pages show it.
func (s *Server) fields(ctx context.Context) ([]fieldRow, error) {
	key, err := store.CounterKey(ctx, s.deps.Store, store.CounterDictionary)
	if err != nil {
		return nil, err
	}
	c := &s.ui.dict
	c.mu.Lock()
	rows, at := c.rows, c.key
	c.mu.Unlock()
	if rows != nil && at == key {
		return rows, nil
	}
	rows, err = loadFields(ctx, s.deps.Store)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.rows, c.key = rows, key
	c.mu.Unlock()
	return rows, nil
}

func newUIState(logger *slog.Logger) *uiState {
	return &uiState{aggregates: newAggregateCache(logger), counts: newCountCache(),
		registry: indexHolder{logger: logger}, realized: newViewCache[realizedView](time.Minute)}
}

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
// condition's text with its arguments, so that the scope of the principal
// is part of it.
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

// aggregateCache keeps the park's result aggregates, which take a few
// GROUP BY scans of every result, so that fifty people opening the
// dashboard cost one computation. An entry is fresh while the results'
// and the registry's change counters stand (matching advances the first
// whenever it writes a result, on whichever instance); a stale one is
// served while one request computes it again in the background, so that
// only the very first request of a park waits for the scans.
type aggregateCache struct {
	logger *slog.Logger
	mu     sync.Mutex
	parks  map[int64]*aggregateEntry
}

type aggregateEntry struct {
	agg       *parkAggregates
	at        time.Time
	key       int64 // the change counters' key when computed
	computing bool
	done      chan struct{} // closed when the first computation ends
	err       error
}

func newAggregateCache(logger *slog.Logger) *aggregateCache {
	return &aggregateCache{logger: logger, parks: map[int64]*aggregateEntry{}}
}

// changeKey moves whenever matching writes a result or the registry
// changes, on any instance.
func changeKey(ctx context.Context, db *store.DB) (int64, error) {
	return store.CounterKey(ctx, db, store.CounterResults, store.CounterRegistry)
}

func (c *aggregateCache) get(ctx context.Context, db *store.DB, parkID int64) (*parkAggregates, error) {
	key, err := changeKey(ctx, db)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e, ok := c.parks[parkID]
	if !ok {
		// The first request of a park computes, and the others wait for it.
		e = &aggregateEntry{computing: true, done: make(chan struct{})}
		c.parks[parkID] = e
		c.mu.Unlock()
		agg, err := computeAggregates(ctx, db, parkID)
		c.mu.Lock()
		e.agg, e.err, e.at, e.key, e.computing = agg, err, time.Now(), key, false
		if err != nil {
			delete(c.parks, parkID)
		}
		close(e.done)
		c.mu.Unlock()
		return agg, err
	}
	if e.agg == nil {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		c.mu.Lock()
		agg, err := e.agg, e.err
		c.mu.Unlock()
		if agg == nil && err == nil {
			return c.get(ctx, db, parkID)
		}
		return agg, err
	}
	stale := e.at.IsZero() || e.key != key
	agg := e.agg
	if stale && !e.computing {
		e.computing = true
		go c.refresh(db, parkID, e, key)
	}
	c.mu.Unlock()
	return agg, nil
}

func (c *aggregateCache) refresh(db *store.DB, parkID int64, e *aggregateEntry, key int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	agg, err := computeAggregates(ctx, db, parkID)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.computing = false
	if err != nil {
		c.logger.Error("refresh the dashboard's aggregates", "park", parkID, "err", err)
		return
	}
	e.agg, e.at, e.key = agg, time.Now(), key
}

// invalidate drops every park's aggregates, after a change the change
// key does not see (an import through the console).
func (c *aggregateCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.parks {
		if e.agg != nil && !e.computing {
			e.at = time.Time{} // stale: the next request refreshes it
		}
	}
}

// viewCache keeps computed parts of pages that scan much and change
// slowly (a report over every benefit package), for ttl per key: a stale
// part is served while one request computes it again in the background,
// so that only the first request of a key waits.
type viewCache[T any] struct {
	ttl     time.Duration
	mu      sync.Mutex
	entries map[string]*viewEntry[T]
}

type viewEntry[T any] struct {
	v    T
	at   time.Time
	busy bool
}

func newViewCache[T any](ttl time.Duration) *viewCache[T] {
	return &viewCache[T]{ttl: ttl, entries: map[string]*viewEntry[T]{}}
}

func (c *viewCache[T]) get(ctx context.Context, key string, compute func(context.Context) (T, error)) (T, error) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		v := e.v
		if time.Since(e.at) >= c.ttl && !e.busy {
			e.busy = true
			go func() {
				bg, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				v, err := compute(bg)
				c.mu.Lock()
				defer c.mu.Unlock()
				e.busy = false
				if err == nil {
					e.v, e.at = v, time.Now()
				}
			}()
		}
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := compute(ctx)
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.entries) > 1024 {
		clear(c.entries)
	}
	c.entries[key] = &viewEntry[T]{v: v, at: time.Now()}
	c.mu.Unlock()
	return v, nil
}
