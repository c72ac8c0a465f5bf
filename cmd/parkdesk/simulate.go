package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/match"
)

// policySimulate is `parkdesk policy simulate`: a draft policy over the
// enterprises of the database, against the current version of its id,
// without storing anything.
func policySimulate(ctx context.Context, e env, cfg *config, args []string) error {
	fs := subFlags(e, "simulate", "simulate [--on YYYY-MM-DD] [--policies DIR] [--limit N] [--json] FILE.yaml\n\n"+
		"Evaluates the draft policy of FILE over every enterprise of the database, without storing anything:\n"+
		"how many qualify, the total amount, by industry section and size class, and against the current\n"+
		"version of the same policy id, who gains and who loses.")
	on := fs.String("on", "", "the evaluation date (default: today)")
	dir := fs.String("policies", "", "the policy directory holding the current versions (default: ./policies if present, else the policies built in)")
	limit := fs.Int("limit", 20, "enterprises listed per list (the counts are complete)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	rest, err := parseSub(fs, args)
	if err != nil {
		return helpOrUsage(err)
	}
	if len(rest) != 1 {
		return usagef("name one draft policy file")
	}
	date, err := dateFlag("--on", *on)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(rest[0])
	if err != nil {
		return apperr.Errorf(apperr.Invalid, "cannot read %s: %v", rest[0], err)
	}
	set, err := openPolicySet(cfg, *dir)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := match.NewMatcher(set).Simulate(ctx, db, rest[0], raw, match.SimOptions{On: date, Limit: max(0, *limit)})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	printSimulation(e.stdout, rep)
	return nil
}

func printSimulation(w io.Writer, r match.SimReport) {
	fmt.Fprintf(w, "draft %s over %d enterprises on %s (%s)\n\n", r.Policy, r.Enterprises, r.On, r.Wall.Round(time.Millisecond))
	side := func(name string, s *match.SimSide) {
		fmt.Fprintf(w, "%-8s %9d eligible %9d near misses %9d undetermined   %s yuan\n", name, s.Eligible, s.NearMisses, s.Undetermined, s.Amount)
	}
	side("draft", &r.Draft)
	if r.Current != nil {
		side("current", r.Current)
	} else {
		fmt.Fprintln(w, "current  (no policy with this id yet)")
	}
	groups := func(title string, gs []match.Group) {
		fmt.Fprintf(w, "\ndraft, eligible by %s:\n", title)
		for _, g := range gs {
			fmt.Fprintf(w, "  %-10s %9d  %18s yuan\n", g.Key, g.Count, g.Amount)
		}
	}
	groups("industry section", r.Draft.ByIndustry)
	groups("size class", r.Draft.BySize)
	list := func(title string, l match.SimList) {
		fmt.Fprintf(w, "\n%s: %d enterprises, %s yuan\n", title, l.Count, l.Amount)
		for _, x := range l.Enterprises {
			fmt.Fprintf(w, "  %s %-30s %s → %s  %s → %s\n", x.USCC, x.Name, x.Before, x.After, orDash(x.AmountBefore), orDash(x.AmountAfter))
		}
		if l.Count > len(l.Enterprises) {
			fmt.Fprintf(w, "  … and %d more\n", l.Count-len(l.Enterprises))
		}
	}
	list("gain (become eligible)", r.Gainers)
	list("lose (no longer eligible)", r.Losers)
	list("amount changes", r.AmountChanged)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
