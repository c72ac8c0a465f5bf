package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"

	"github.com/parkdesk/parkdesk/internal/bench"
)

// benchAppeals writes a year of appeals into a fresh database and prints
// the figures: the p99 of a department's work list and of the
// measures query, and the time to recompute every open deadline after a
// calendar change.
func benchAppeals(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench appeals", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	appeals := fs.Int("appeals", 1_000_000, "appeals to write")
	enterprises := fs.Int("enterprises", 20_000, "enterprises they belong to")
	repeat := fs.Int("repeat", 200, "times each query is run for its percentiles")
	dir := fs.String("dir", "", "where the SQLite database goes (default: the system's temporary directory)")
	seed := fs.Uint64("seed", 1, "seed of the generated appeals")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *appeals <= 0 || *enterprises <= 0 || *repeat <= 0 {
		return usagef("bench appeals takes positive --appeals, --enterprises and --repeat and no arguments")
	}
	db, where, closeDB, err := bench.FreshDB(ctx, cfg.DB, *dir)
	if err != nil {
		return err
	}
	defer closeDB()
	fmt.Fprintf(e.stdout, "writing %d appeals of %d enterprises into %s, on %d CPU(s), load average %s\n",
		*appeals, *enterprises, where, runtime.NumCPU(), bench.LoadAverage())
	rep, err := bench.BenchAppeals(ctx, db, *appeals, *enterprises, *repeat, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "written in %.1fs, %d open\n", rep.Load.Seconds(), rep.Open)
	fmt.Fprintf(e.stdout, "department work list: p50 %s p99 %s (%d runs)\n", ms(rep.WorkList.P50), ms(rep.WorkList.P99), rep.WorkList.N)
	fmt.Fprintf(e.stdout, "measures, 12 months: p50 %s p99 %s (%d runs)\n", ms(rep.Measures.P50), ms(rep.Measures.P99), rep.Measures.N)
	fmt.Fprintf(e.stdout, "recompute after a calendar change: %d open deadlines in %.2fs\n", rep.Recomputed, rep.Recompute.Seconds())
	return nil
}
