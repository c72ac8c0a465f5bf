package web

import (
	"context"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// uiState is what the console keeps between requests in this process:
// caches, each copy kept with the change counters it was computed under
// (store.Counters), so that every instance sees every write. Uploads
// awaiting confirmation are staged in the database (exchange.StageUpload);
// the park's figures of matching are cached by match.Results, the
// registry's list by enterprise.Directory.
type uiState struct {
	dict     dictCache
	realized *viewCache[realizedView] // the dashboard's benefits received
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

func newUIState() *uiState {
	return &uiState{realized: newViewCache[realizedView](time.Minute)}
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
