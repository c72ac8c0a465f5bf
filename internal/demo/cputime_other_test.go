//go:build !unix

package demo

import "time"

// processCPU is not measured off Unix; the benchmarks then report 0.
func processCPU() time.Duration { return 0 }
