package schedule

import (
	"math/bits"
	"math/rand/v2"
	"testing"

	"github.com/parkdesk/parkdesk/internal/workday"
)

// randomSite builds an enterprise over a short horizon with random quiet
// days and requests; exemptShare and quietShare steer between the uniform
// case (all requests may use the same days) and the mixed one.
func randomSite(t *testing.T, rng *rand.Rand, days int, quietShare, exemptShare float64) (*horizon, *siteState, []int) {
	t.Helper()
	from := mustDate(t, "2025-03-03")
	holiday := from + workday.Date(rng.IntN(days))
	cal, err := workday.New(workday.Entry{Date: holiday, Name: "random holiday"})
	if err != nil {
		t.Fatal(err)
	}
	p := &Problem{From: from, To: from + workday.Date(days-1), Calendar: cal}
	h := newHorizon(p)
	st := &siteState{id: 1, commissioner: 1}
	if quietShare > 0 {
		st.quiet = make([]bool, days)
		for d := range st.quiet {
			st.quiet[d] = rng.Float64() < quietShare
		}
	}
	n := 1 + rng.IntN(8)
	for i := range n {
		s := rng.IntN(days)
		e := min(days-1, s+rng.IntN(8))
		st.items = append(st.items, item{id: int64(i + 1), s: s, e: e, due: true, exempt: rng.Float64() < exemptShare})
	}
	st.locate(h)
	var idx []int
	for i := range st.items {
		if st.items[i].last >= 0 {
			idx = append(idx, i)
		}
	}
	return h, st, idx
}

// bruteForceMin tries every set of days, smallest first.
func bruteForceMin(h *horizon, st *siteState, idx []int) int {
	days := h.days()
	masks := make([]uint32, len(idx))
	for k, i := range idx {
		for d := 0; d < days; d++ {
			if d >= st.items[i].s && d <= st.items[i].e && st.permits(h, &st.items[i], d) {
				masks[k] |= 1 << d
			}
		}
	}
	best := days + 1
	for set := uint32(0); set < 1<<days; set++ {
		n := bits.OnesCount32(set)
		if n >= best {
			continue
		}
		ok := true
		for _, m := range masks {
			if m&set == 0 {
				ok = false
				break
			}
		}
		if ok {
			best = n
		}
	}
	return best
}

func TestCoverIsMinimalAgainstBruteForce(t *testing.T) {
	tests := []struct {
		name              string
		quiet, exemptRate float64
	}{
		{"no quiet days", 0, 0.3},
		{"quiet days, no exemptions", 0.4, 0},
		{"quiet days, some exempt requests", 0.4, 0.3},
		{"mostly quiet, mostly exempt", 0.7, 0.6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, uint64(len(tt.name))))
			sawMixed := false
			for round := range 400 {
				h, st, idx := randomSite(t, rng, 15, tt.quiet, tt.exemptRate)
				if len(idx) == 0 {
					continue
				}
				sawMixed = sawMixed || mixed(h, st, idx)
				days, serve, proven := cover(h, st, idx)
				if !proven {
					t.Fatalf("round %d: a tiny instance was not solved exactly", round)
				}
				for k, i := range idx {
					it := &st.items[i]
					d := days[serve[k]]
					if d < it.s || d > it.e || !st.permits(h, it, d) {
						t.Fatalf("round %d: request %d (days %d..%d, exempt %v) served on day %d it does not permit",
							round, it.id, it.s, it.e, it.exempt, d)
					}
				}
				if want := bruteForceMin(h, st, idx); len(days) != want {
					t.Fatalf("round %d: cover uses %d days, the minimum is %d (items %+v, quiet %v)",
						round, len(days), want, st.items, st.quiet)
				}
			}
			if tt.exemptRate > 0 && tt.quiet > 0 && !sawMixed {
				t.Fatal("no instance exercised the exact search for mixed permitted days")
			}
		})
	}
}

// TestCoverMixedNeedsMoreThanGreedy pins the case that makes the exact
// search necessary: the greedy visit on the exempt request's last (quiet)
// day would leave the routine request to a second visit, while one visit on
// the last open day serves both.
func TestCoverMixedNeedsMoreThanGreedy(t *testing.T) {
	from := mustDate(t, "2025-03-03") // a Monday
	h := newHorizon(&Problem{From: from, To: from + 13, Calendar: workday.Weekends()})
	st := &siteState{id: 1, quiet: make([]bool, 14)}
	for d := 7; d <= 11; d++ { // the second week is quiet
		st.quiet[d] = true
	}
	st.items = []item{
		{id: 1, s: 2, e: 9, exempt: true, due: true}, // last working day 9 is quiet, last open day 4
		{id: 2, s: 3, e: 13, due: true},              // open days 3, 4, and none after
	}
	st.locate(h)
	days, _, _ := cover(h, st, []int{0, 1})
	if len(days) != 1 || days[0] != 4 {
		t.Fatalf("cover = %v, want one visit on day 4", days)
	}
}
