package demo

// permute maps i in [0, n) to a distinct number in [0, n), scrambled by key:
// a four-round Feistel network over the smallest even number of bits that
// covers n, cycle-walking past values outside [0, n). Being a bijection, it
// gives every enterprise its own company name and USCC serial without
// remembering the ones already handed out, so that a million enterprises
// stream in bounded memory.
func permute(i, n, key uint64) uint64 {
	half := uint(1)
	for uint64(1)<<(2*half) < n {
		half++
	}
	mask := uint64(1)<<half - 1
	x := i
	for {
		left, right := x>>half, x&mask
		for round := range uint64(4) {
			left, right = right, left^(mix64(right^key^(round+1)*0x9e3779b97f4a7c15)&mask)
		}
		x = left<<half | right
		if x < n {
			return x
		}
	}
}
