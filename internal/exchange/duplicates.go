package exchange

import (
	"hash/maphash"
	"maps"
	"slices"

	"github.com/parkdesk/parkdesk/internal/facts"
)

// factKey names one value of one enterprise: what an import must not give
// twice with different values.
type factKey struct {
	USCC   string
	Field  string
	Period facts.Period
}

// Sizes of the repeat filter. 2^26 bits (8 MiB) and three probes keep false
// alarms to about a hundred in a million distinct keys; the candidates kept
// are bounded so that a file that repeats everything cannot fill memory.
const (
	repeatFilterBits = 1 << 26
	repeatProbes     = 3
	maxRepeats       = 10000
)

// repeatFilter finds the facts an import gives more than once, in a fixed
// amount of memory however many rows it reads: a Bloom filter of the keys
// seen, and the few keys it has seen before (true repeats and rare false
// alarms), which the database then checks for differing values. Holding
// every key of a million-row import would not be bounded.
type repeatFilter struct {
	bits     []uint64 // allocated on the first key
	seed     maphash.Seed
	repeats  map[factKey]struct{}
	overflow bool // more than maxRepeats candidates: check the whole import
}

func newRepeatFilter() *repeatFilter {
	return &repeatFilter{seed: maphash.MakeSeed(), repeats: map[factKey]struct{}{}}
}

// add records a key and keeps it as a candidate when it may have been seen
// before.
func (r *repeatFilter) add(k factKey) {
	if r.overflow {
		return
	}
	if r.bits == nil {
		r.bits = make([]uint64, repeatFilterBits/64)
	}
	var h maphash.Hash
	h.SetSeed(r.seed)
	h.WriteString(k.USCC)
	h.WriteByte(0)
	h.WriteString(k.Field)
	h.WriteByte(byte(k.Period.Shape))
	h.WriteByte(byte(k.Period.Sub))
	h.WriteByte(byte(k.Period.Year))
	h.WriteByte(byte(k.Period.Year >> 8))
	sum := h.Sum64()
	// Double hashing: probe i is h1 + i·h2, as good as independent hashes
	// for a Bloom filter (Kirsch and Mitzenmacher).
	h1, h2 := sum, sum>>32|1
	seen := true
	for i := range uint64(repeatProbes) {
		bit := (h1 + i*h2) % repeatFilterBits
		word, mask := bit/64, uint64(1)<<(bit%64)
		if r.bits[word]&mask == 0 {
			seen = false
			r.bits[word] |= mask
		}
	}
	if !seen {
		return
	}
	if len(r.repeats) >= maxRepeats {
		r.overflow, r.repeats = true, nil
		return
	}
	r.repeats[k] = struct{}{}
}

// any reports whether a key may have been seen twice: only then are the
// import's values compared.
func (r *repeatFilter) any() bool { return r.overflow || len(r.repeats) > 0 }

// candidates lists the enterprises of the keys that may have been seen
// twice, sorted, or nil when there were too many to keep.
func (r *repeatFilter) candidates() []string {
	if r.overflow {
		return nil
	}
	seen := make(map[string]struct{}, len(r.repeats))
	for k := range r.repeats {
		seen[k.USCC] = struct{}{}
	}
	return slices.Sorted(maps.Keys(seen))
}
