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
	"runtime/pprof"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
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
		{name: "import", summary: "import a synthetic facts table into a fresh database (SQLite, or a schema of --db postgres://…)", run: benchImport},
		{name: "match", summary: "match a generated population against the shipped policies, against the straightforward approach", run: benchMatch},
		{name: "schedule", summary: "plan a synthetic half year of touch requests into joint visits", run: benchSchedule},
		{name: "tech", summary: "rank generated technology needs against a generated catalogue: p50/p99 of ranking one need", run: benchTech},
		{name: "report", summary: "import a synthetic book of investment projects, then time the yearly report and the cockpit's queries", run: benchReport},
		{name: "appeals", summary: "a year of appeals (default 1,000,000): p99 of a department's work list and of the measures, time to recompute open deadlines", run: benchAppeals},
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
// temporary directory, imports them into a fresh database — a SQLite file
// there, or with --db postgres://… a schema of its own in that PostgreSQL
// database — and prints the wall time, the peak memory and, last, the rate:
// "rows/s: N".
func benchImport(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench import", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	rows := fs.Int("rows", 1_000_000, "fact rows to import")
	enterprises := fs.Int("enterprises", 0, "enterprises the facts belong to (default: rows/100, at least 1)")
	dryRun := fs.Bool("dry-run", false, "validate only: the transaction is rolled back")
	dir := fs.String("dir", "", "where the files and a SQLite database go (default: the system's temporary directory)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the import to this file")
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
	tmp, err := os.MkdirTemp(*dir, "parkdesk-bench-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	entPath, factPath := filepath.Join(tmp, "enterprises.csv"), filepath.Join(tmp, "facts.csv")
	if err := writeFiles(func(w []io.Writer) error {
		return bench.WriteSyntheticCSV(w[0], w[1], *enterprises, *rows)
	}, entPath, factPath); err != nil {
		return err
	}
	info, err := os.Stat(factPath)
	if err != nil {
		return err
	}
	db, where, closeDB, err := bench.FreshDB(ctx, cfg.DB, tmp)
	if err != nil {
		return err
	}
	defer closeDB()
	fmt.Fprintf(e.stdout, "importing %d fact rows over %d enterprises (facts.csv %.1f MB) into %s on %d CPU(s), load average %s\n",
		*rows, *enterprises, float64(info.Size())/1e6, where, runtime.NumCPU(), bench.LoadAverage())

	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	// As `parkdesk import` runs.
	gcPercent := useBatchGC(e)
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
	for _, s := range rep.Steps {
		fmt.Fprintf(e.stdout, "  %-20s %s\n", s.Name, s.Took.Round(time.Millisecond))
	}
	fmt.Fprintf(e.stdout, "wall time      %s\n", wall.Round(time.Millisecond))
	fmt.Fprintf(e.stdout, "peak heap      %.1f MB (in use, sampled every 10 ms; GC percent %d)\n", float64(heap)/1e6, gcPercent)
	if rss, ok := heapwatch.PeakRSS(); ok {
		fmt.Fprintf(e.stdout, "peak RSS       %.1f MB (whole process, VmHWM)\n", float64(rss)/1e6)
	}
	fmt.Fprintf(e.stdout, "load average   %s\n", bench.LoadAverage())
	fmt.Fprintf(e.stdout, "rows/s: %.0f\n", float64(*rows)/wall.Seconds())
	return nil
}

// startCPUProfile writes a CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
