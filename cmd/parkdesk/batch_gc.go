package main

import "runtime/debug"

// batchGCPercent is the garbage collector's target for a one-shot import
// process: its heap may grow to five times what is live between
// collections instead of twice. An import of a million facts then spends
// about 30 % less CPU collecting (bench import on PostgreSQL: 4.0 against
// 5.5 s of CPU, 193–221 k against 179–182 k rows/s) for a peak RSS of
// about 280 MB instead of 145 MB (docs/performance.md). `parkdesk serve`
// keeps Go's default: a server's heap lives for weeks.
const batchGCPercent = 400

// useBatchGC sets batchGCPercent for this process, unless GOGC says
// otherwise, and returns the percent in force.
func useBatchGC(e env) int {
	if e.getenv("GOGC") != "" {
		old := debug.SetGCPercent(100)
		debug.SetGCPercent(old)
		return old
	}
	debug.SetGCPercent(batchGCPercent)
	return batchGCPercent
}
