package tech

import (
	"testing"
)

func BenchmarkRankOneNeed100k(b *testing.B) {
	c, err := NewCatalogue(SyntheticAchievements(1, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	b.Log(c.ix.String())
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		c.Rank(SyntheticNeed(2, i), 10)
	}
}
