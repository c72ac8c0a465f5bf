package main

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/bench"
	"github.com/parkdesk/parkdesk/internal/touch/schedule"
)

// benchSchedule generates a realistic half year of on-site touch requests
// (bench.SyntheticSchedule) and plans them, printing what the plan did and, last,
// the line the issue asks for:
//
//	visits: V lower-bound: L gap: G% time: Ts
func benchSchedule(_ context.Context, e env, cfg *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench schedule", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.declareGlobal(fs)
	requests := fs.Int("requests", 100_000, "on-site touch requests to plan")
	enterprises := fs.Int("enterprises", 20_000, "enterprises the requests concern")
	seed := fs.Uint64("seed", 1, "seed of the generated load")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		return usagef("bench schedule takes no arguments")
	}
	if *requests <= 0 || *enterprises <= 0 {
		return usagef("--requests and --enterprises must be positive")
	}
	load := bench.SyntheticSchedule(*seed, *requests, *enterprises)
	p := load.Problem
	fmt.Fprintf(e.stdout, "planning %d on-site requests of %d enterprises in %d parks, %d commissioners × %d visits a day, %s..%s, on %d CPU(s)\n",
		*requests, *enterprises, load.Parks, load.Commissioners, p.DailyCapacity, p.From, p.To, runtime.NumCPU())
	runtime.GC()
	start := time.Now()
	plan, err := schedule.Solve(p)
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	st := plan.Stats
	fmt.Fprintf(e.stdout, "due in horizon %d, served %d, taken along %d, deferred %d\n", st.Due, st.Served, st.RideAlong, len(plan.Deferred))
	reasons := make([]string, 0, len(st.Unmet))
	for r := range st.Unmet {
		reasons = append(reasons, string(r))
	}
	slices.Sort(reasons)
	fmt.Fprint(e.stdout, "unmet")
	for _, r := range reasons {
		fmt.Fprintf(e.stdout, " %s %d", r, st.Unmet[schedule.Reason(r)])
	}
	fmt.Fprintln(e.stdout)
	withProof := 0
	for _, u := range plan.Unmet {
		if u.Proof != nil {
			withProof++
		}
	}
	fmt.Fprintf(e.stdout, "cap refusals with a proof %d of %d\n", withProof, st.Unmet[schedule.ReasonCap])
	fmt.Fprintf(e.stdout, "exempt-only visits %d (on quiet days %d, over a cap %d), joint visits split for capacity %d, enterprises not proven minimal %d\n",
		st.ExemptOnly, st.QuietBreak, st.CapBreak, st.Split, plan.Unproven)
	fmt.Fprintf(e.stdout, "visits: %d lower-bound: %d gap: %.2f%% time: %.2fs\n",
		len(plan.Visits), plan.LowerBound, plan.GapPercent(), elapsed.Seconds())
	return nil
}
