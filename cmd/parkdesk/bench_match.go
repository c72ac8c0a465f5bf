package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/policy"
)

// benchMatch is `parkdesk bench match`: matching a generated population of
// N enterprises against the shipped policies, against the straightforward
// approach on the same population, and with --openfisca against OpenFisca
// on the five policies both implement, run right after on the same N.
func benchMatch(ctx context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench match", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	n := fs.Int("enterprises", 1_000_000, "size of the generated population")
	on := fs.String("on", "2025-06-30", "the evaluation date (the default puts ten policies in force, the OpenFisca five among them)")
	seed := fs.Int64("seed", 1, "the population's seed")
	sample := fs.Int("sample", 5000, "enterprises the straightforward approach evaluates (its rate is extrapolated)")
	storeResults := fs.Bool("store", true, "measure end to end with the results stored in a fresh database (a schema of --db postgres://…, else SQLite)")
	fromDB := fs.Bool("from-db", false, "with --store: write every enterprise's facts, then time reading the population from the database and a `parkdesk match` run over it")
	dir := fs.String("dir", "", "where a temporary SQLite database goes (default: the system's temporary directory)")
	incremental := fs.Int("incremental", 500, "incremental re-evaluations to time (needs --store)")
	chunk := fs.Int("chunk", 1<<16, "enterprises per chunk")
	openfisca := fs.String("openfisca", "", "the directory of OpenFisca's run script (../shared/bench/openfisca): run it on the same N after our pass and print, last, the ratio")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole benchmark to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *n <= 0 || *chunk <= 0 || *sample < 0 {
		return usagef("--enterprises and --chunk must be positive")
	}
	if *fromDB && !*storeResults {
		return usagef("--from-db needs --store")
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
	if *openfisca != "" {
		// A short run first, so that a missing Python module is said now,
		// not after our pass over the whole population.
		if _, err := runOpenFisca(ctx, *openfisca, 1000); err != nil {
			return err
		}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(w, "bench match: %d enterprises on %s, %d CPU(s), GOMAXPROCS %d, load average %s\n", *n, date.Format(time.DateOnly),
		runtime.NumCPU(), runtime.GOMAXPROCS(0), bench.LoadAverage())
	rep, err := bench.Match(ctx, set, bench.MatchOptions{Enterprises: *n, On: date, Seed: *seed, Chunk: *chunk,
		Sample: *sample, Store: *storeResults, DB: cfg.DB, Dir: *dir, FromDB: *fromDB, Incremental: *incremental, Log: e.stderr})
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
	perMillion := func(d time.Duration) string {
		return (time.Duration(float64(d) * 1e6 / float64(*n))).Round(10 * time.Millisecond).String()
	}
	fmt.Fprintf(w, "policies in force    %d (%s)\n", rep.Policies, strings.Join(rep.PolicyIDs, ", "))
	fmt.Fprintf(w, "program              %d operations over %d columns, compiled in %s\n", rep.Nodes, rep.Columns, rep.Compile.Round(time.Millisecond))
	fmt.Fprintf(w, "population build     %s (%d enterprises from the demo generator into columnar snapshots; %s per million)\n",
		rep.Build.Round(time.Millisecond), rep.Enterprises, perMillion(rep.Build))
	fmt.Fprintf(w, "evaluation pass      %s wall, %s CPU: %s (%d evaluations)\n", rep.Pass.Round(time.Millisecond),
		rep.PassCPU.Round(time.Millisecond), rate(rep.Evals, rep.Pass), rep.Evals)
	if rep.FiveFound > 0 {
		fmt.Fprintf(w, "  the OpenFisca %d    %s wall on %d cores, %s CPU: %s\n", rep.FiveFound, rep.FivePass.Round(time.Millisecond),
			rep.Workers, rep.FiveCPU.Round(time.Millisecond), rate(rep.Five, rep.FivePass))
	}
	fmt.Fprintf(w, "  exact path         %d results (ties and near-ties the float bounds could not settle); policy engine %d\n", rep.Exact, rep.Engine)
	fmt.Fprintf(w, "results              %d eligible, %d ineligible (%d near misses), %d undetermined\n",
		rep.Status[policy.Eligible], rep.Status[policy.Ineligible], rep.NearMiss, rep.Status[policy.Undetermined])
	fmt.Fprintf(w, "explanations kept    %d (eligible, near-miss and undetermined results)\n", rep.Kept)
	if *storeResults && !*fromDB {
		fmt.Fprintf(w, "storage              %s: %d results written to %s (%.0f MB), explanations rendered exactly\n",
			rep.Store.Round(time.Millisecond), rep.Written, rep.Where, float64(rep.DBBytes)/1e6)
		fmt.Fprintf(w, "end to end           %s wall: %s (build + pass + storage)\n", rep.EndToEnd.Round(time.Millisecond), rate(rep.Evals, rep.EndToEnd))
	}
	if *fromDB {
		fmt.Fprintf(w, "facts written        %d rows in %s: %.0f rows/s (%s, the bulk path of a fresh park)\n",
			rep.FactRows, rep.FactLoad.Round(time.Millisecond), float64(rep.FactRows)/rep.FactLoad.Seconds(), rep.Where)
		fmt.Fprintf(w, "build from database  %s: the population read into columns (%s per million)\n",
			rep.DBBuild.Round(time.Millisecond), perMillion(rep.DBBuild))
		fmt.Fprintf(w, "end to end           %s wall: a match run reading, evaluating and storing %d results (%d written, %.0f MB in all)\n",
			rep.RunWall.Round(time.Millisecond), rep.RunResults, rep.RunWritten, float64(rep.DBBytes)/1e6)
	}
	fmt.Fprintf(w, "wall time            %s\n", (rep.Compile + rep.EndToEnd).Round(time.Millisecond))
	fmt.Fprintf(w, "peak memory          heap %s, RSS %s during build and pass; heap %s, RSS %s in all\n",
		mb(rep.PeakHeapPass), mb(rep.PeakRSSPass), mb(rep.PeakHeap), mb(rep.PeakRSS))
	straight := float64(rep.StraightEvals) / rep.Straight.Seconds()
	if rep.StraightEvals > 0 {
		fmt.Fprintf(w, "straightforward      %s on a sample of %d enterprises (%d evaluations, %s): %s; extrapolated to the\n",
			"policy engine (cel-go Program.Eval per criterion over a map of facts)", rep.StraightSample, rep.StraightEvals,
			rep.Straight.Round(time.Millisecond), rate(rep.StraightEvals, rep.Straight))
		fmt.Fprintf(w, "                     population: %s for %d evaluations; %d results differ from the vector program's\n",
			time.Duration(float64(rep.Evals)/straight*float64(time.Second)).Round(time.Second), rep.Evals, rep.StraightMismatch)
	}
	if rep.IncrementalN > 0 {
		fmt.Fprintf(w, "incremental          p50 %s, p99 %s, %s CPU each (%d re-evaluations of one enterprise after a fact changed, result stored)\n",
			rep.IncrementalP50.Round(10*time.Microsecond), rep.IncrementalP99.Round(10*time.Microsecond),
			rep.IncrementalCPU.Round(10*time.Microsecond), rep.IncrementalN)
	}
	fmt.Fprintf(w, "load average         %s\n", bench.LoadAverage())
	ours := float64(rep.Evals) / rep.Pass.Seconds()
	fmt.Fprintf(w, "speedup: %.1fx\n", ours/straight)
	if *openfisca == "" {
		return nil
	}
	if rep.FiveFound != len(bench.OpenFiscaFive) {
		return fmt.Errorf("bench match: only %d of the OpenFisca five are in force on %s", rep.FiveFound, date.Format(time.DateOnly))
	}
	of, err := runOpenFisca(ctx, *openfisca, *n)
	if err != nil {
		return err
	}
	// Per core: the five's evaluations per CPU-second of our pass (every
	// thread of the process while it ran, the garbage collector's
	// included), against OpenFisca's rate on its one thread: per CPU-second
	// of its calculation when its script reports it (calc_cpu_s), else per
	// second of its calculation's wall time. CPU time is what a process
	// gets of a core whatever the load; a wall-based ratio is unfair to
	// whichever side meets other processes, so it is printed beside, not
	// used.
	perCore := float64(rep.Five) / rep.FiveCPU.Seconds()
	wallPerCore := float64(rep.Five) / (rep.FivePass.Seconds() * float64(rep.Workers))
	theirs, basis := of.rate, "per second of its calculation's wall time"
	if of.cpuRate > 0 {
		theirs, basis = of.cpuRate, "per CPU-second of its calculation"
	}
	fmt.Fprintf(w, "openfisca            %s\n", of.line)
	fmt.Fprintf(w, "  ours, the five     %.2fM evaluations per CPU-second (%s wall, %s CPU on %d cores: %.2fM/s, %.2fM/s per core by wall)\n",
		perCore/1e6, rep.FivePass.Round(time.Millisecond), rep.FiveCPU.Round(time.Millisecond), rep.Workers,
		float64(rep.Five)/rep.FivePass.Seconds()/1e6, wallPerCore/1e6)
	fmt.Fprintf(w, "  OpenFisca          %.2fM/s on one thread by wall time%s\n", of.rate/1e6, of.cpuNote())
	fmt.Fprintf(w, "  ratio by wall      %.2fx (ours per core by wall over OpenFisca by wall: the load weighs on both)\n", wallPerCore/of.rate)
	fmt.Fprintf(w, "load average         %s\n", bench.LoadAverage())
	fmt.Fprintf(w, "  vs openfisca = ours per CPU-second %.2fM / OpenFisca %s %.2fM\n", perCore/1e6, basis, theirs/1e6)
	fmt.Fprintf(w, "vs openfisca: %.1fx\n", perCore/theirs)
	return nil
}

func (r openFiscaRun) cpuNote() string {
	if r.cpuRate <= 0 {
		return " (its script reports no calc_cpu_s)"
	}
	return fmt.Sprintf(", %.2fM per CPU-second", r.cpuRate/1e6)
}

// openFiscaRun is what OpenFisca's benchmark printed.
type openFiscaRun struct {
	line    string  // its last line
	rate    float64 // evals_per_s
	cpuRate float64 // evaluations over calc_cpu_s, when reported
}

// runOpenFisca runs dir/run n and reads its last line:
// "openfisca: enterprises=N setup_s=S calc_s=S evals_per_s=R peak_rss_mib=M".
func runOpenFisca(ctx context.Context, dir string, n int) (openFiscaRun, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(dir, "run"), strconv.Itoa(n))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		if m := missingModule.FindStringSubmatch(errOut.String()); m != nil {
			return openFiscaRun{}, fmt.Errorf("bench match: OpenFisca cannot run: the Python module %s is missing (on Debian: apt-get install -y python3-%s)",
				m[1], strings.ReplaceAll(strings.ToLower(m[1]), "_", "-"))
		}
		return openFiscaRun{}, fmt.Errorf("bench match: OpenFisca's run failed: %w\n%s", err, lastLines(errOut.String(), 5))
	}
	var run openFiscaRun
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "openfisca:") {
			continue
		}
		run.line = line
		for _, f := range strings.Fields(line) {
			if v, ok := strings.CutPrefix(f, "evals_per_s="); ok {
				run.rate, _ = strconv.ParseFloat(v, 64)
			}
			if v, ok := strings.CutPrefix(f, "calc_cpu_s="); ok {
				if cpu, err := strconv.ParseFloat(v, 64); err == nil && cpu > 0 {
					run.cpuRate = float64(n*len(bench.OpenFiscaFive)) / cpu
				}
			}
			if v, ok := strings.CutPrefix(f, "enterprises="); ok && v != strconv.Itoa(n) {
				return run, fmt.Errorf("bench match: OpenFisca ran %s enterprises, not %d", v, n)
			}
		}
	}
	if run.rate <= 0 {
		return run, fmt.Errorf("bench match: OpenFisca printed no rate:\n%s", lastLines(out.String(), 5))
	}
	return run, nil
}

// missingModule finds Python's complaint about a module it cannot import.
var missingModule = regexp.MustCompile(`No module named '([A-Za-z0-9_.]+)'`)

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
