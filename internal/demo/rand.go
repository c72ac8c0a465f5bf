package demo

import "math"

// stream is a small deterministic random source (SplitMix64). The generator
// owns its algorithm rather than relying on math/rand so that a seed keeps
// producing the same park across Go releases.
type stream struct{ state uint64 }

// newStream returns the stream of enterprise index under seed. Mixing both
// through SplitMix64's finaliser gives unrelated streams for neighbouring
// indexes and seeds.
func newStream(seed int64, index uint64, purpose uint64) *stream {
	s := &stream{state: mix64(uint64(seed)) ^ mix64(index+0x9e3779b97f4a7c15) ^ mix64(purpose*0xbf58476d1ce4e5b9+1)}
	return s
}

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (s *stream) next() uint64 {
	s.state += 0x9e3779b97f4a7c15
	return mix64(s.state)
}

// float returns a number in the open interval (0, 1), never 0 so that its
// logarithm is finite.
func (s *stream) float() float64 {
	return (float64(s.next()>>11) + 0.5) / (1 << 53)
}

// intn returns an integer in [0, n).
func (s *stream) intn(n int) int {
	return int((s.next() >> 1) % uint64(n))
}

// between returns an integer in [lo, hi].
func (s *stream) between(lo, hi int) int {
	return lo + s.intn(hi-lo+1)
}

// uniform returns a number in [lo, hi).
func (s *stream) uniform(lo, hi float64) float64 {
	return lo + (hi-lo)*s.float()
}

// chance reports true with probability p.
func (s *stream) chance(p float64) bool {
	return s.float() < p
}

// normal returns a standard normal deviate (Box–Muller; one of the pair is
// dropped to keep the stream stateless apart from its counter).
func (s *stream) normal() float64 {
	return math.Sqrt(-2*math.Log(s.float())) * math.Cos(2*math.Pi*s.float())
}

// logNormal returns exp(N(ln median, sigma²)).
func (s *stream) logNormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*s.normal())
}

// poisson returns a Poisson deviate of mean lambda (Knuth's method, fine for
// the small means used here).
func (s *stream) poisson(lambda float64) int {
	limit := math.Exp(-lambda)
	k, p := 0, s.float()
	for p > limit {
		k++
		p *= s.float()
	}
	return k
}

// weighted returns an index into weights chosen in proportion to them.
func (s *stream) weighted(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := s.float() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}
