// Package demo generates a realistic Chinese high-tech zone: the parks,
// departments and tags of the committee, and a population of enterprises
// with their facts, for `parkdesk demo` and for benchmarks.
//
// Enterprise i is a pure function of (seed, i, evaluation date), drawn from
// its own random stream, so that a population streams in bounded memory,
// can be generated in slices on several cores, and is the same bytes on
// every run on one machine. (Go may fuse floating-point multiply-adds on
// some architectures, so the figures can differ in the last fen between,
// say, amd64 and arm64.)
//
// The distributions are hand-set to look like such a zone, not fitted to
// published statistics: an industry mix led by manufacturing and software,
// heavy-tailed (log-normal) revenue, headcount and assets tied to revenue,
// R&D intensities by industry with a share of firms just under the HNTE
// thresholds, mostly A/B tax credit ratings, and deliberate gaps in the
// data, so that some policy results are undetermined for lack of data as
// they are in a real registry.
package demo
