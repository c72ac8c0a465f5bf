package vector

import (
	"encoding/hex"
	"math"
)

// Fingerprint is a 128-bit hash of exactly the facts a policy reads for a
// row: each column it reads (field and period) with its value or its
// absence, and the record attributes it reads. Two rows with the same
// fingerprint gave the policy the same data; it is stored with each result
// so that a result can be traced to the data behind it, and a batch
// rewrites a result only when it or its data changed.
func (c *Chunk) Fingerprint(plan *Plan, row int) string {
	p := c.prog
	h := fpState{a: 0x243f6a8885a308d3, b: 0x13198a2e03707344}
	for _, ci := range plan.fieldCols {
		h.mix(p.colHashes[ci])
		if !getBit(c.present[ci], row) {
			h.mix(0x9e3779b97f4a7c15) // absent
			continue
		}
		switch col := &p.cols[ci]; col.kind {
		case colNum:
			v := c.num[ci][row]
			if v == 0 {
				v = 0 // -0 and 0 are the same decimal
			}
			h.mix(math.Float64bits(v))
		case colBool:
			if getBit(c.bools[ci], row) {
				h.mix(1)
			} else {
				h.mix(2)
			}
		case colStr, colSize:
			if code := c.strs[ci][row]; code >= 0 {
				h.mixString(p.strs[code])
			} else {
				h.mix(3) // a value no policy names
			}
		}
	}
	if plan.attrs&attrIndustry != 0 {
		h.mix(0x696e64) // "ind"
		if i := c.industry[row]; i >= 0 {
			h.mixString(c.view.codes[i])
		}
	}
	if plan.attrs&attrRegistered != 0 {
		h.mix(0x726567) // "reg"
		h.mix(uint64(c.registered[row]))
	}
	if plan.attrs&attrUSCC != 0 {
		h.mixString(c.USCC[row])
	}
	var out [16]byte
	a, b := fmix(h.a), fmix(h.b^h.a)
	for i := range 8 {
		out[i] = byte(a >> (8 * i))
		out[8+i] = byte(b >> (8 * i))
	}
	return hex.EncodeToString(out[:])
}

// colHash identifies a column by its field and period, the same in every
// program.
func colHash(col *column) uint64 {
	var h fpState
	h.mixString(col.field.Name)
	h.mixString(col.period.String())
	h.mixString(col.basis)
	return fmix(h.a ^ h.b)
}

type fpState struct{ a, b uint64 }

func (h *fpState) mix(x uint64) {
	h.a = (h.a ^ x) * 0x100000001b3
	h.a ^= h.a >> 29
	h.b = (h.b + x) * 0xff51afd7ed558ccd
	h.b ^= h.b >> 31
}

func (h *fpState) mixString(s string) {
	h.mix(uint64(len(s)))
	for len(s) >= 8 {
		h.mix(uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56)
		s = s[8:]
	}
	var x uint64
	for i := 0; i < len(s); i++ {
		x |= uint64(s[i]) << (8 * i)
	}
	h.mix(x)
}

// fmix is MurmurHash3's finaliser.
func fmix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}
