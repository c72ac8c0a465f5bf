package heapwatch

import "testing"

func TestWatchSeesAnAllocation(t *testing.T) {
	w := Start()
	before := w.Peek()
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = byte(i)
	}
	during := w.Peek()
	peak := w.Stop()
	if during < before+32<<20 {
		t.Errorf("a 64 MiB allocation raised the peak from %d to %d only", before, during)
	}
	if peak < during {
		t.Errorf("Stop returned %d, below a sample of %d", peak, during)
	}
	_ = big[len(big)-1]
}
