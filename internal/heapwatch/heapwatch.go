// Package heapwatch measures the peak heap of a workload, for the benchmarks
// that report memory beside speed (imports, matching). runtime.MemStats
// keeps no high-water mark of the heap in use, so it is sampled.
package heapwatch

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Interval is how often the heap is sampled: short enough to catch the
// peaks of batch work, long enough that ReadMemStats' stop-the-world pauses
// do not slow the workload measured.
const Interval = 10 * time.Millisecond

// Watch samples the heap in use until it is stopped, keeping the highest.
type Watch struct {
	mu   sync.Mutex
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

// Start begins sampling.
func Start() *Watch {
	w := &Watch{done: make(chan struct{})}
	w.sample()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(Interval)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				w.sample()
			}
		}
	}()
	return w
}

func (w *Watch) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	w.mu.Lock()
	w.peak = max(w.peak, m.HeapInuse)
	w.mu.Unlock()
}

// Peek returns the highest heap in use so far, in bytes.
func (w *Watch) Peek() uint64 {
	w.sample()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.peak
}

// Stop ends the sampling and returns the highest heap in use, in bytes.
func (w *Watch) Stop() uint64 {
	close(w.done)
	w.wg.Wait()
	return w.Peek()
}

// PeakRSS reads the process's peak resident set size from Linux's
// /proc/self/status; elsewhere it reports false.
func PeakRSS() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb * 1024, err == nil
		}
	}
	return 0, false
}
