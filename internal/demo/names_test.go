package demo

import (
	"strings"
	"testing"
)

func TestPermuteIsABijection(t *testing.T) {
	tests := []struct {
		name string
		n    uint64
		key  uint64
	}{
		{"one", 1, 7},
		{"two", 2, 7},
		{"odd", 1001, 3},
		{"power of four", 1 << 12, 99},
		{"two-character names", twoCharNames, 12345},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := make([]bool, tt.n)
			for i := range tt.n {
				p := permute(i, tt.n, tt.key)
				if p >= tt.n {
					t.Fatalf("permute(%d, %d) = %d, outside the domain", i, tt.n, p)
				}
				if seen[p] {
					t.Fatalf("permute(%d, %d) = %d twice", i, tt.n, p)
				}
				seen[p] = true
			}
		})
	}
}

func TestPermuteScrambles(t *testing.T) {
	// Neighbouring enterprises should not get neighbouring names.
	close := 0
	for i := range uint64(1000) {
		a, b := permute(i, twoCharNames, 1), permute(i+1, twoCharNames, 1)
		if a+1 == b || b+1 == a {
			close++
		}
	}
	if close > 10 {
		t.Errorf("%d of 1000 neighbours map to neighbours", close)
	}
}

func TestTradeNameCharsAreDistinct(t *testing.T) {
	seen := map[rune]bool{}
	for _, c := range tradeNameChars {
		if seen[c] {
			t.Errorf("trade-name character %c appears twice", c)
		}
		seen[c] = true
	}
}

// TestIndustryWordsKeepNamesApart checks what makes names unique whatever
// words are drawn: a two- and a three-character trade name with the same
// start could give the same name only if one industry word were another
// with a trade-name character in front (华芯 + 微电子 = 华芯微 + 电子), or one
// ended in 股份.
func TestIndustryWordsKeepNamesApart(t *testing.T) {
	var words []string
	for _, s := range sectors {
		words = append(words, s.words...)
	}
	for _, w1 := range words {
		if strings.HasSuffix(w1, "股份") {
			t.Errorf("industry word %q ends in 股份", w1)
		}
		for _, w2 := range words {
			for _, c := range tradeNameChars {
				if w1 == string(c)+w2 {
					t.Errorf("industry word %q is %q after the trade-name character %c", w1, w2, c)
				}
			}
		}
	}
}

func TestCompanyNamesAreUnique(t *testing.T) {
	// Past the 67,500 two-character names, so the overflow into three
	// characters is exercised too.
	const n = 90000
	seen := make(map[string]uint64, n)
	words := []string{"科技", "电子"}
	for i := range uint64(n) {
		name := companyName(i, 42, words[i%2], i%7 == 0)
		if j, dup := seen[name]; dup {
			t.Fatalf("enterprises %d and %d are both named %s", j, i, name)
		}
		seen[name] = i
	}
}

func TestMaxEnterprisesHasNames(t *testing.T) {
	// The last index of each kind must still address a slot of the
	// three-character space (companyName's layout).
	last := uint64(MaxEnterprises - 1)
	lastFifth := last - (last+1)%5 // the last index ≡ 4 mod 5
	if slot := 2 * (lastFifth / 5); slot >= threeChars {
		t.Errorf("index %d takes slot %d of %d", lastFifth, slot, threeChars)
	}
	if overflow := last - last/5 - twoCharNames; 2*overflow+1 >= threeChars {
		t.Errorf("index %d takes slot %d of %d", last, 2*overflow+1, threeChars)
	}
	if MaxEnterprises >= usccSerials {
		t.Errorf("MaxEnterprises %d exceeds the %d USCC serials", MaxEnterprises, usccSerials)
	}
}
