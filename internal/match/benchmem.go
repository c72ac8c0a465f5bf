package match

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// heapWatch samples the heap in use every 10 ms, keeping the highest.
type heapWatch struct {
	mu   sync.Mutex
	peak uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func watchHeap() *heapWatch {
	h := &heapWatch{done: make(chan struct{})}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.done:
				return
			case <-t.C:
				h.sample()
			}
		}
	}()
	return h
}

func (h *heapWatch) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.mu.Lock()
	h.peak = max(h.peak, m.HeapInuse)
	h.mu.Unlock()
}

// peek returns the highest sample so far.
func (h *heapWatch) peek() uint64 {
	h.sample()
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.peak
}

// stop ends the sampling and returns the highest sample.
func (h *heapWatch) stop() uint64 {
	close(h.done)
	h.wg.Wait()
	return h.peek()
}

// PeakRSS is the process's peak resident set size (VmHWM of Linux's
// /proc/self/status); false elsewhere.
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

func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
