// Package bench holds the workloads of `parkdesk bench`: populations made
// by the demo generator, run through the domain packages, with the figures
// of each step. It is kept apart so that no domain package depends on the
// demo generator or on the benchmarks' memory sampling.
package bench
