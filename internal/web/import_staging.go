package web

import (
	"crypto/rand"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/exchange"
)

// stagedImport is an upload that passed its dry run and waits for the user
// to confirm it. It is kept in this process's memory: on several instances
// behind a balancer without sticky sessions, a confirmation that reaches
// another instance is told to upload again, and nothing is written twice.
type stagedImport struct {
	owner   int64 // the user who uploaded it; nobody else may confirm it
	files   []exchange.File
	size    int64
	expires time.Time
}

// importStage holds the uploads awaiting confirmation, bounded in number,
// in bytes and in time.
type importStage struct {
	mu      sync.Mutex
	entries map[string]*stagedImport
	bytes   int64
}

const (
	stageTTL      = 30 * time.Minute
	stageMaxBytes = 256 << 20
	stageMaxCount = 64
)

func newImportStage() *importStage { return &importStage{entries: map[string]*stagedImport{}} }

// put keeps an upload and returns the id its confirmation names.
func (st *importStage) put(owner int64, files []exchange.File, now time.Time) string {
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expire(now)
	for (len(st.entries) >= stageMaxCount || st.bytes+size > stageMaxBytes) && len(st.entries) > 0 {
		st.evictOldest()
	}
	id := rand.Text()
	st.entries[id] = &stagedImport{owner: owner, files: files, size: size, expires: now.Add(stageTTL)}
	st.bytes += size
	return id
}

// take removes and returns the owner's upload with the id.
func (st *importStage) take(id string, owner int64, now time.Time) ([]exchange.File, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.expire(now)
	e, ok := st.entries[id]
	if !ok || e.owner != owner {
		return nil, false
	}
	delete(st.entries, id)
	st.bytes -= e.size
	return e.files, true
}

func (st *importStage) expire(now time.Time) {
	for id, e := range st.entries {
		if now.After(e.expires) {
			delete(st.entries, id)
			st.bytes -= e.size
		}
	}
}

func (st *importStage) evictOldest() {
	var oldest string
	for id, e := range st.entries {
		if oldest == "" || e.expires.Before(st.entries[oldest].expires) {
			oldest = id
		}
	}
	st.bytes -= st.entries[oldest].size
	delete(st.entries, oldest)
}
