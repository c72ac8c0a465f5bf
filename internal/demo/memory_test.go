package demo

import (
	"runtime"
	"testing"
)

// TestStreamingKeepsNothing checks that the generator retains nothing per
// enterprise, so that `bench match --enterprises 1000000` streams in bounded
// memory: the live heap after 6,000 enterprises is that after 1,000, within
// 40 bytes per enterprise in between (a set of the names handed out, say,
// would take several times that).
func TestStreamingKeepsNothing(t *testing.T) {
	g, err := New(Options{Seed: 4, Enterprises: 6000, On: testOn})
	if err != nil {
		t.Fatal(err)
	}
	liveHeap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	var after1000 uint64
	seen := 0
	err = g.Each(func(e Enterprise) error {
		seen++
		if seen == 1000 {
			after1000 = liveHeap()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after6000 := liveHeap()
	t.Logf("live heap %d bytes after 1,000 enterprises, %d after 6,000", after1000, after6000)
	if after6000 > after1000+5000*40 {
		t.Errorf("the live heap grew from %d to %d bytes over 5,000 enterprises", after1000, after6000)
	}
}
