//go:build unix

package demo

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the process has used (user and system,
// every thread, the garbage collector included). The benchmarks report it
// beside wall time, which a busy shared machine inflates.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
