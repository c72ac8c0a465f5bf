package vector

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// TestCmpFracIsExact holds the tie-break's 128-bit comparison to big.Rat on
// random fractions, extremes included.
func TestCmpFracIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return rng.Int64N(100) - 50
		case 1:
			return math.MaxInt64 - rng.Int64N(3)
		case 2:
			return -math.MaxInt64 + rng.Int64N(3)
		}
		return rng.Int64() - math.MaxInt64/2
	}
	den := func() int64 {
		if rng.IntN(2) == 0 {
			return 1 + rng.Int64N(1000)
		}
		return 1 + rng.Int64N(math.MaxInt64-1)
	}
	for range 100000 {
		a, b := frac{n: pick(), d: den()}, frac{n: pick(), d: den()}
		want := big.NewRat(a.n, a.d).Cmp(big.NewRat(b.n, b.d))
		if got := cmpFrac(a, b); got != want {
			t.Fatalf("cmpFrac(%d/%d, %d/%d) = %d, want %d", a.n, a.d, b.n, b.d, got, want)
		}
	}
}

func TestDecFrac(t *testing.T) {
	for _, c := range []struct {
		text string
		n, d int64
		ok   bool
	}{
		{"0.10", 10, 100, true}, {"0.055", 55, 1000, true}, {"-2.5", -25, 10, true}, {"3E+2", 300, 1, true},
		{"0.0000000000000000001", 0, 0, false}, {"1E+30", 0, 0, false},
	} {
		d, _, err := apd.NewFromString(c.text)
		if err != nil {
			t.Fatal(err)
		}
		f, ok := decFrac(d)
		if ok != c.ok || ok && (f.n != c.n || f.d != c.d) {
			t.Errorf("decFrac(%s) = %d/%d %v, want %d/%d %v", c.text, f.n, f.d, ok, c.n, c.d, c.ok)
		}
	}
	if _, ok := mulInt64(math.MaxInt64, 2); ok {
		t.Error("mulInt64 overflow not seen")
	}
	if p, ok := mulInt64(-3, 7); !ok || p != -21 {
		t.Errorf("mulInt64(-3, 7) = %d %v", p, ok)
	}
}
