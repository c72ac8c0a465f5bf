package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
	"github.com/parkdesk/parkdesk/internal/store"
)

// benchmark is one workload of `parkdesk bench`.
type benchmark struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, cfg *config, args []string) error
}

// benchmarks lists the workloads of `parkdesk bench NAME`.
func benchmarks() []benchmark {
	return []benchmark{
		{name: "import", summary: "import a synthetic facts table into a fresh SQLite database", run: benchImport},
		{name: "match", summary: "match a generated population against the shipped policies, against the straightforward approach", run: benchMatch},
		{name: "schedule", summary: "plan a synthetic half year of touch requests into joint visits", run: benchSchedule},
		{name: "http", summary: "serve the 13,000-enterprise demo park to 50 concurrent clients: p50/p99 of the main pages", run: benchHTTP},
	}
}

func benchCommand() command {
	var names []string
	for _, b := range benchmarks() {
		names = append(names, "  "+b.name+": "+b.summary)
	}
	return command{
		name:    "bench",
		usage:   "NAME [flags]",
		summary: "Measure a workload on this machine and print its figures. Workloads:\n" + strings.Join(names, "\n"),
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			return func(ctx context.Context, e env, args []string) error {
				if len(args) == 0 {
					return usagef("name a workload: parkdesk bench NAME")
				}
				for _, b := range benchmarks() {
					if b.name == args[0] {
						return b.run(ctx, e, cfg, args[1:])
					}
				}
				return usagef("unknown workload %q", args[0])
			}
		},
	}
}

// benchImport writes a synthetic enterprises table and facts table to a
// temporary directory, imports them into a fresh SQLite database there, and
// prints the rate, the wall time and the peak memory of the import.
func benchImport(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	rows := fs.Int("rows", 1_000_000, "fact rows to import")
	enterprises := fs.Int("enterprises", 0, "enterprises the facts belong to (default: rows/100, at least 1)")
	dryRun := fs.Bool("dry-run", false, "validate only: the transaction is rolled back")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		return usagef("bench import takes no arguments")
	}
	if *rows <= 0 {
		return usagef("--rows must be positive")
	}
	if *enterprises <= 0 {
		*enterprises = max(1, *rows/100)
	}
	dir, err := os.MkdirTemp("", "parkdesk-bench-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	entPath, factPath := filepath.Join(dir, "enterprises.csv"), filepath.Join(dir, "facts.csv")
	if err := writeFiles(func(w []io.Writer) error {
		return bench.WriteSyntheticCSV(w[0], w[1], *enterprises, *rows)
	}, entPath, factPath); err != nil {
		return err
	}
	info, err := os.Stat(factPath)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	if err := facts.SeedDictionary(ctx, db); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "importing %d fact rows over %d enterprises (facts.csv %.1f MB) into SQLite on %d CPU(s)\n",
		*rows, *enterprises, float64(info.Size())/1e6, runtime.NumCPU())

	runtime.GC()
	peak := heapwatch.Start()
	start := time.Now()
	rep, err := exchange.Import(ctx, db, []exchange.File{exchange.PathFile(entPath), exchange.PathFile(factPath)},
		exchange.Options{DryRun: *dryRun, Actor: "bench"})
	wall := time.Since(start)
	heap := peak.Stop()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rows read      %d (%d enterprises created, %d facts written)\n", rep.RowsRead, rep.EnterprisesCreated, rep.FactsWritten)
	fmt.Fprintf(e.stdout, "wall time      %s\n", wall.Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "rate           %.0f fact rows/s\n", float64(*rows)/wall.Seconds())
	fmt.Fprintf(e.stdout, "peak heap      %.1f MB (in use, sampled every 10 ms)\n", float64(heap)/1e6)
	if rss, ok := heapwatch.PeakRSS(); ok {
		fmt.Fprintf(e.stdout, "peak RSS       %.1f MB (whole process, VmHWM)\n", float64(rss)/1e6)
	}
	return nil
}
