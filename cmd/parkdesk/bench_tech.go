package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/heapwatch"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/tech"
)

// benchTech ranks generated needs against a generated catalogue and prints
// the p50 and p99 time of ranking one need.
func benchTech(ctx context.Context, e env, _ *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench tech", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	n := fs.Int("achievements", 100_000, "achievements in the catalogue")
	queries := fs.Int("needs", 1000, "needs to rank, one at a time")
	top := fs.Int("top", 10, "achievements returned per need")
	seed := fs.Uint64("seed", 1, "seed of the generated catalogue and needs")
	on := fs.String("store", "memory", "where the catalogue lives: memory (the index alone), sqlite (a temporary file), or a postgres:// URL of an empty database")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *n < 1 || *queries < 1 || *top < 1 {
		return usagef("--achievements, --needs and --top must be positive")
	}
	fmt.Fprintf(e.stdout, "ranking %d needs against %d achievements, top %d, on %d CPU(s); load average %s\n",
		*queries, *n, *top, runtime.NumCPU(), loadAverage())
	start := time.Now()
	if err := tech.Warm(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "dictionary loaded in %s\n", time.Since(start).Round(time.Millisecond))
	achs := tech.SyntheticAchievements(*seed, *n)
	if *on != "memory" {
		return benchTechStore(ctx, e, *on, achs, *queries, *top, *seed)
	}
	watch := heapwatch.Start()
	start = time.Now()
	cat, err := tech.NewCatalogue(achs)
	if err != nil {
		return err
	}
	built := time.Since(start)
	achs = nil
	runtime.GC()
	fmt.Fprintf(e.stdout, "index: %s, built in %s (segmenting every text)\n", cat, built.Round(time.Millisecond))
	times := make([]time.Duration, *queries)
	cpu := make([]time.Duration, *queries)
	// The ranking runs on this goroutine's thread alone, so that the
	// thread's CPU time is the ranking's.
	runtime.LockOSThread()
	for i := range times {
		if err := ctx.Err(); err != nil {
			return err
		}
		need := tech.SyntheticNeed(*seed+1, i)
		c0, _ := threadCPU()
		t := time.Now()
		cat.Rank(need, *top)
		times[i] = time.Since(t)
		c1, ok := threadCPU()
		if ok {
			cpu[i] = c1 - c0
		}
	}
	runtime.UnlockOSThread()
	peak := watch.Stop()
	slices.Sort(times)
	slices.Sort(cpu)
	fmt.Fprintf(e.stdout, "rank one need: p50 %s p99 %s max %s (target p99 ≤ 50ms); peak heap %d MiB\n",
		ms(times[len(times)/2]), ms(times[(len(times)*99)/100]), ms(times[len(times)-1]), peak>>20)
	if _, ok := threadCPU(); ok {
		fmt.Fprintf(e.stdout, "CPU time of ranking one need (what it costs, whatever the load): p50 %s p99 %s max %s\n",
			ms(cpu[len(cpu)/2]), ms(cpu[(len(cpu)*99)/100]), ms(cpu[len(cpu)-1]))
	}
	fmt.Fprintf(e.stdout, "load average after: %s\n", loadAverage())
	return nil
}

// loadAverage is the first three fields of /proc/loadavg, or "unknown":
// the figures above mean little without how busy the machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// benchTechStore loads the catalogue into a database through the service,
// then ranks through the service: the first ranking loads the index from
// the stored terms (what a restarted server does), the others read the
// change counter and the achievements ranked, as a request does.
func benchTechStore(ctx context.Context, e env, on string, achs []tech.Achievement, queries, top int, seed uint64) error {
	dsn := on
	if on == "sqlite" {
		dir, err := os.MkdirTemp("", "parkdesk-bench-tech")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "bench.db")
	} else if !strings.HasPrefix(on, "postgres://") && !strings.HasPrefix(on, "postgresql://") {
		return usagef("--store is memory, sqlite or a postgres:// URL")
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	var have int
	if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM tech_achievements").Scan(&have); err != nil {
		return err
	}
	if have > 0 {
		return fmt.Errorf("bench tech: the database already holds %d achievements: give an empty one", have)
	}
	operator := auth.System("bench")
	start := time.Now()
	if err := tech.NewService(db).SaveAchievements(ctx, operator, achs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "stored %d achievements on %s in %s (segmenting every text)\n", len(achs), db.Dialect(), time.Since(start).Round(time.Millisecond))
	svc := tech.NewService(db)
	start = time.Now()
	if _, err := svc.Preview(ctx, operator, tech.SyntheticNeed(seed+1, 0), top); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "first ranking, loading the index from the stored terms: %s\n", time.Since(start).Round(time.Millisecond))
	times := make([]time.Duration, queries)
	for i := range times {
		if err := ctx.Err(); err != nil {
			return err
		}
		need := tech.SyntheticNeed(seed+1, i)
		t := time.Now()
		if _, err := svc.Preview(ctx, operator, need, top); err != nil {
			return err
		}
		times[i] = time.Since(t)
	}
	slices.Sort(times)
	fmt.Fprintf(e.stdout, "rank one need through the service (counter check, ranking, %d achievements read): p50 %s p99 %s max %s (target p99 ≤ 50ms)\n",
		top, ms(times[len(times)/2]), ms(times[(len(times)*99)/100]), ms(times[len(times)-1]))
	fmt.Fprintf(e.stdout, "load average after: %s\n", loadAverage())
	return nil
}
