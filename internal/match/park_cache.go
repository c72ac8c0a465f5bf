package match

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// parkCache keeps each park's figures, which take a few GROUP BY scans of
// every result, so that fifty people opening the dashboard cost one
// computation. An entry is fresh while the results' and the registry's
// change counters stand (matching advances the first whenever it writes a
// result, on whichever instance); a stale one is served while one request
// computes it again in the background, so that only the very first request
// of a park waits for the scans.
type parkCache struct {
	logger *slog.Logger
	mu     sync.Mutex
	parks  map[int64]*parkEntry
}

type parkEntry struct {
	figures   *ParkResults
	at        time.Time
	key       int64 // the change counters' key when computed
	computing bool
	done      chan struct{} // closed when the first computation ends
	err       error
}

func newParkCache(logger *slog.Logger) *parkCache {
	return &parkCache{logger: logger, parks: map[int64]*parkEntry{}}
}

func (c *parkCache) get(ctx context.Context, r *Results, parkID int64) (*ParkResults, error) {
	key, err := changeKey(ctx, r.DB)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	e, ok := c.parks[parkID]
	if !ok {
		// The first request of a park computes, and the others wait for it.
		e = &parkEntry{computing: true, done: make(chan struct{})}
		c.parks[parkID] = e
		c.mu.Unlock()
		figures, err := r.parkFigures(ctx, parkID)
		c.mu.Lock()
		e.figures, e.err, e.at, e.key, e.computing = figures, err, time.Now(), key, false
		if err != nil {
			delete(c.parks, parkID)
		}
		close(e.done)
		c.mu.Unlock()
		return figures, err
	}
	if e.figures == nil {
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		c.mu.Lock()
		figures, err := e.figures, e.err
		c.mu.Unlock()
		if figures == nil && err == nil {
			return c.get(ctx, r, parkID)
		}
		return figures, err
	}
	stale := e.at.IsZero() || e.key != key
	figures := e.figures
	if stale && !e.computing {
		e.computing = true
		go c.refresh(r, parkID, e, key)
	}
	c.mu.Unlock()
	return figures, nil
}

func (c *parkCache) refresh(r *Results, parkID int64, e *parkEntry, key int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	figures, err := r.parkFigures(ctx, parkID)
	c.mu.Lock()
	defer c.mu.Unlock()
	e.computing = false
	if err != nil {
		c.logger.Error("refresh the park's result figures", "park", parkID, "err", err)
		return
	}
	e.figures, e.at, e.key = figures, time.Now(), key
}

// invalidate marks every park's figures stale: the next request refreshes
// them.
func (c *parkCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.parks {
		if e.figures != nil && !e.computing {
			e.at = time.Time{}
		}
	}
}
