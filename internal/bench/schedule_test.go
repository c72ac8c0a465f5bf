package bench

import (
	"testing"

	"github.com/parkdesk/parkdesk/internal/touch/schedule"
)

func BenchmarkSchedule(b *testing.B) {
	load := SyntheticSchedule(1, 100_000, 20_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := schedule.Solve(load.Problem); err != nil {
			b.Fatal(err)
		}
	}
}
