package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// benchMatch is `parkdesk bench match`: matching a generated population of
// N enterprises against the shipped policies, against the straightforward
// approach on the same population.
func benchMatch(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench match", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	n := fs.Int("enterprises", 1_000_000, "size of the generated population")
	on := fs.String("on", "2025-06-30", "the evaluation date (the default puts ten policies in force, the OpenFisca five among them)")
	seed := fs.Int64("seed", 1, "the population's seed")
	sample := fs.Int("sample", 5000, "enterprises the straightforward approach evaluates (its rate is extrapolated)")
	storeResults := fs.Bool("store", true, "measure end to end with the results stored in a fresh SQLite database")
	dir := fs.String("dir", "", "where the temporary SQLite database goes (default: the system's temporary directory)")
	incremental := fs.Int("incremental", 500, "incremental re-evaluations to time (needs --store)")
	chunk := fs.Int("chunk", 1<<16, "enterprises per chunk")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole benchmark to this file")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *n <= 0 || *chunk <= 0 || *sample < 0 {
		return usagef("--enterprises and --chunk must be positive")
	}
	date, err := dateFlag("--on", *on)
	if err != nil {
		return err
	}
	set, err := openPolicySet(cfg, "")
	if err != nil {
		return err
	}
	w := e.stdout
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(w, "bench match: %d enterprises on %s, %d CPU(s), GOMAXPROCS %d\n", *n, date.Format(time.DateOnly), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	rep, err := bench.Match(ctx, set, bench.MatchOptions{Enterprises: *n, On: date, Seed: *seed, Chunk: *chunk,
		Sample: *sample, Store: *storeResults, Dir: *dir, Incremental: *incremental, Log: e.stderr})
	if err != nil {
		return err
	}
	rate := func(evals int64, d time.Duration) string {
		if d <= 0 {
			return "-"
		}
		return fmt.Sprintf("%.2fM evaluations/s", float64(evals)/d.Seconds()/1e6)
	}
	mb := func(b uint64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "policies in force    %d (%s)\n", rep.Policies, strings.Join(rep.PolicyIDs, ", "))
	fmt.Fprintf(w, "program              %d operations over %d columns, compiled in %s\n", rep.Nodes, rep.Columns, rep.Compile.Round(time.Millisecond))
	fmt.Fprintf(w, "population build     %s (%d enterprises from the demo generator into columnar snapshots)\n", rep.Build.Round(time.Millisecond), rep.Enterprises)
	fmt.Fprintf(w, "evaluation pass      %s wall, %s CPU: %s (%d evaluations)\n", rep.Pass.Round(time.Millisecond),
		rep.PassCPU.Round(time.Millisecond), rate(rep.Evals, rep.Pass), rep.Evals)
	if rep.FiveFound > 0 {
		fmt.Fprintf(w, "  the OpenFisca %d    %s: %s (OpenFisca/numpy: 0.17 s for 5M, about 29M/s)\n", rep.FiveFound, rep.FivePass.Round(time.Millisecond), rate(rep.Five, rep.FivePass))
	}
	fmt.Fprintf(w, "  exact path         %d results (ties and near-ties the float bounds could not settle); policy engine %d\n", rep.Exact, rep.Engine)
	fmt.Fprintf(w, "results              %d eligible, %d ineligible (%d near misses), %d undetermined\n",
		rep.Status[policy.Eligible], rep.Status[policy.Ineligible], rep.NearMiss, rep.Status[policy.Undetermined])
	fmt.Fprintf(w, "explanations kept    %d (eligible, near-miss and undetermined results)\n", rep.Kept)
	if *storeResults {
		fmt.Fprintf(w, "storage              %s: %d results written to SQLite (%.0f MB), explanations rendered exactly\n",
			rep.Store.Round(time.Millisecond), rep.Written, float64(rep.DBBytes)/1e6)
		fmt.Fprintf(w, "end to end           %s wall: %s (build + pass + storage)\n", rep.EndToEnd.Round(time.Millisecond), rate(rep.Evals, rep.EndToEnd))
	}
	fmt.Fprintf(w, "wall time            %s\n", (rep.Compile + rep.EndToEnd).Round(time.Millisecond))
	fmt.Fprintf(w, "peak memory          heap %s, RSS %s during build and pass; heap %s, RSS %s in all\n",
		mb(rep.PeakHeapPass), mb(rep.PeakRSSPass), mb(rep.PeakHeap), mb(rep.PeakRSS))
	straight := float64(rep.StraightEvals) / rep.Straight.Seconds()
	fmt.Fprintf(w, "straightforward      %s on a sample of %d enterprises (%d evaluations, %s): %s; extrapolated to the\n",
		"policy engine (cel-go Program.Eval per criterion over a map of facts)", rep.StraightSample, rep.StraightEvals,
		rep.Straight.Round(time.Millisecond), rate(rep.StraightEvals, rep.Straight))
	fmt.Fprintf(w, "                     population: %s for %d evaluations; %d results differ from the vector program's\n",
		time.Duration(float64(rep.Evals)/straight*float64(time.Second)).Round(time.Second), rep.Evals, rep.StraightMismatch)
	if rep.IncrementalN > 0 {
		fmt.Fprintf(w, "incremental          p50 %s, p99 %s (%d re-evaluations of one enterprise after a fact changed, result stored)\n",
			rep.IncrementalP50.Round(10*time.Microsecond), rep.IncrementalP99.Round(10*time.Microsecond), rep.IncrementalN)
	}
	ours := float64(rep.Evals) / rep.Pass.Seconds()
	fmt.Fprintf(w, "speedup: %.1fx\n", ours/straight)
	return nil
}
