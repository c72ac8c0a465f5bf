package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/indicator"
	"github.com/parkdesk/parkdesk/internal/project"
	"github.com/parkdesk/parkdesk/internal/store"
)

// benchReport imports a synthetic book of investment projects — three
// years of projects, signings (a quarter with a supplement) and monthly
// funds in place, over three parks — into a fresh SQLite database through
// the import an officer uses, then times the reports and the cockpit as
// the leader asks for them: each query several times, median and worst.
func benchReport(ctx context.Context, e env, _ *config, args []string) error {
	fs := flag.NewFlagSet("parkdesk bench report", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	n := fs.Int("projects", 100_000, "investment projects")
	runs := fs.Int("runs", 7, "times each query runs")
	dir := fs.String("dir", "", "where the SQLite database goes (default: the system's temporary directory)")
	seed := fs.Uint64("seed", 1, "the book's seed")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return errUsage
	}
	if *n < 1 || *runs < 1 {
		return usagef("--projects and --runs must be at least 1")
	}
	tmp, err := os.MkdirTemp(*dir, "parkdesk-bench-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	db, err := store.Open(ctx, filepath.Join(tmp, "bench.db"))
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
	parks := []string{"hq", "coop", "east"}
	for _, code := range parks {
		if err := enterprise.CreatePark(ctx, db, &enterprise.Park{Code: code, NameZh: "园区 " + code}); err != nil {
			return err
		}
	}
	now := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	prj := &project.Service{DB: db, Now: clock}
	ind := &indicator.Service{DB: db, Projects: prj, Now: clock}
	operator := auth.System("bench")
	fmt.Fprintf(e.stdout, "generating %d projects over 3 years in 3 parks (load average %s)\n", *n, loadAverage())
	files := reportBook(*n, parks, now, *seed)
	for _, f := range files {
		start := time.Now()
		rep, err := prj.Import(ctx, operator, f.name, []byte(f.data), false)
		if err != nil {
			return fmt.Errorf("import %s: %w", f.name, err)
		}
		fmt.Fprintf(e.stdout, "import %-13s %8d rows in %s\n", f.name, rep.Rows, time.Since(start).Round(time.Millisecond))
	}
	leader := auth.Principal{UserID: 1, Label: "bench-leader", Role: auth.RoleLeader}
	queries := []struct {
		name string
		run  func() error
	}{
		{"report 2025 (year, all parks)", func() error { _, err := ind.Report(ctx, leader, "2025", ""); return err }},
		{"report 2025 (year, one park)", func() error { _, err := ind.Report(ctx, leader, "2025", "hq"); return err }},
		{"report 2026Q1 (quarter)", func() error { _, err := ind.Report(ctx, leader, "2026Q1", ""); return err }},
		{"report 2026-05 (month)", func() error { _, err := ind.Report(ctx, leader, "2026-05", ""); return err }},
		{"cockpit 2026-05 (all of it)", func() error { _, err := ind.Cockpit(ctx, leader, "2026-05", ""); return err }},
		{"cockpit: pipeline", func() error { _, err := prj.Pipeline(ctx, leader); return err }},
		{"cockpit: stalled", func() error { _, _, err := prj.Stalled(ctx, leader, 10); return err }},
		{"projects list (page 1)", func() error { _, _, err := prj.List(ctx, leader, project.Filter{}); return err }},
	}
	fmt.Fprintf(e.stdout, "%-32s %10s %10s  (%d runs, load average %s)\n", "query", "median", "worst", *runs, loadAverage())
	for _, q := range queries {
		times := make([]time.Duration, *runs)
		for i := range times {
			start := time.Now()
			if err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			times[i] = time.Since(start)
		}
		slices.Sort(times)
		fmt.Fprintf(e.stdout, "%-32s %10s %10s\n", q.name, times[len(times)/2].Round(10*time.Microsecond), times[len(times)-1].Round(10*time.Microsecond))
	}
	fmt.Fprintf(e.stdout, "load average after: %s\n", loadAverage())
	return nil
}

type benchFile struct{ name, data string }

// reportBook writes the three files of a synthetic project book.
func reportBook(n int, parks []string, now time.Time, seed uint64) []benchFile {
	rng := rand.New(rand.NewPCG(seed, 0x7265706f))
	var projects, signings, funds strings.Builder
	projects.WriteString("code,name,investor,industry_code,stage,expected_output,park,stage_since\n")
	signings.WriteString("code,signed_on,total_investment\n")
	funds.WriteString("code,month,funds_in_place\n")
	start := now.AddDate(-3, 0, 0)
	for i := range n {
		code := fmt.Sprintf("B%07d", i)
		found := start.AddDate(0, 0, rng.IntN(1000))
		stage := "negotiating"
		if rng.IntN(5) == 0 {
			stage = "lead"
		}
		fmt.Fprintf(&projects, "%s,项目%d,投资方%d,C3841,%s,%d,%s,%s\n", code, i, i%997, stage, int64(1+rng.IntN(500))*1000000, parks[rng.IntN(len(parks))], found.Format(time.DateOnly))
		if stage == "lead" || rng.IntN(10) < 3 {
			continue
		}
		signed := found.AddDate(0, 0, 10+rng.IntN(90))
		if !signed.Before(now) {
			continue
		}
		total := int64(1+rng.IntN(300)) * 1000000
		fmt.Fprintf(&signings, "%s,%s,%d\n", code, signed.Format(time.DateOnly), total)
		if rng.IntN(4) == 0 {
			if later := signed.AddDate(0, 2+rng.IntN(10), 0); later.Before(now) {
				fmt.Fprintf(&signings, "%s,%s,%d\n", code, later.Format(time.DateOnly), total+int64(1+rng.IntN(50))*1000000)
			}
		}
		for m, k := time.Date(signed.Year(), signed.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0), 0; m.Before(now) && k < 8; m, k = m.AddDate(0, 1+rng.IntN(3), 0), k+1 {
			fmt.Fprintf(&funds, "%s,%s,%d\n", code, m.Format("2006-01"), int64(1+rng.IntN(200))*100000)
		}
	}
	return []benchFile{{"projects.csv", projects.String()}, {"signings.csv", signings.String()}, {"funds.csv", funds.String()}}
}
