package facts

import (
	"context"
	"sync"

	"github.com/parkdesk/parkdesk/internal/store"
)

// dictionaryCache keeps the dictionary a Service read while the
// dictionary's change counter stands: an enterprise page asked for the
// dictionary twice (its facts, its results' mask), a query of thirty-odd
// rows and their JSON each time. The counter is read first, on every
// call, so that a field added on another instance is seen at once. A kept
// Dictionary is shared by every reader and never changed after loading.
type dictionaryCache struct {
	mu   sync.Mutex
	dict *Dictionary
	key  int64
}

// Dictionary returns the dictionary the database holds, as LoadDictionary
// does, kept while the dictionary's counter stands.
func (s *Service) Dictionary(ctx context.Context) (*Dictionary, error) {
	key, err := store.CounterKey(ctx, s.DB, store.CounterDictionary)
	if err != nil {
		return nil, err
	}
	c := &s.dict
	c.mu.Lock()
	dict, at := c.dict, c.key
	c.mu.Unlock()
	if dict != nil && at == key {
		return dict, nil
	}
	if dict, err = LoadDictionary(ctx, s.DB); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.dict == nil || c.key <= key {
		c.dict, c.key = dict, key
	}
	c.mu.Unlock()
	return dict, nil
}
