package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/touch"
	"github.com/parkdesk/parkdesk/internal/workday"
)

// defaultScheduleDays is the horizon when --to is not given: a quarter,
// the span departments plan their inspections in.
const defaultScheduleDays = 91

func scheduleCommand() command {
	return command{
		name:  "schedule",
		usage: "[--from DATE] [--to DATE] [--calendar FILE]",
		summary: "Plan the pending on-site touch requests into joint visits: each joins a planned visit of its enterprise\n" +
			"when it can, the rest are merged into the fewest visits within quiet rules, caps and commissioners' capacity.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			from := fs.String("from", "", "first day of the horizon, YYYY-MM-DD (default today)")
			to := fs.String("to", "", fmt.Sprintf("last day of the horizon, YYYY-MM-DD (default %d days after --from)", defaultScheduleDays-1))
			calendar := fs.String("calendar", "", "a holiday file to record first (lines: DATE[..DATE] holiday|workday NAME), e.g. the State Council's schedule of the year")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("schedule takes no arguments")
				}
				start := workday.Of(time.Now())
				if *from != "" {
					d, err := workday.ParseDate(*from)
					if err != nil {
						return usagef("--from: %v", err)
					}
					start = d
				}
				end := start + defaultScheduleDays - 1
				if *to != "" {
					d, err := workday.ParseDate(*to)
					if err != nil {
						return usagef("--to: %v", err)
					}
					end = d
				}
				if end < start {
					return usagef("--to %s is before --from %s", end, start)
				}
				db, err := openDB(ctx, cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				svc := touch.NewService(db)
				if *calendar != "" {
					f, err := os.Open(*calendar)
					if err != nil {
						return err
					}
					n, err := svc.ImportCalendar(ctx, auth.System("schedule"), f, filepath.Base(*calendar))
					f.Close()
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "calendar               %d days recorded from %s\n", n, *calendar)
				}
				res, err := svc.Plan(ctx, auth.System("schedule"), start, end)
				if err != nil {
					return err
				}
				printPlan(e, res)
				return nil
			}
		},
	}
}

func printPlan(e env, res touch.PlanResult) {
	plan := res.Plan
	fmt.Fprintf(e.stdout, "horizon %s..%s\n", res.From, res.To)
	if res.Clipped != "" {
		fmt.Fprintf(e.stdout, "horizon ends early     %s\n", res.Clipped)
	}
	fmt.Fprintf(e.stdout, "joined planned visits  %d requests\n", res.Joined)
	fmt.Fprintf(e.stdout, "new joint visits       %d for %d requests (%d taken along before they are due)\n",
		res.NewVisits, res.Planned, plan.Stats.RideAlong)
	reasons := make([]string, 0, len(plan.Stats.Unmet))
	for r := range plan.Stats.Unmet {
		reasons = append(reasons, string(r))
	}
	slices.Sort(reasons)
	for _, r := range reasons {
		fmt.Fprintf(e.stdout, "cannot be met          %d (%s)\n", plan.Stats.Unmet[touch.Reason(r)], r)
	}
	if plan.Stats.ExemptOnly > 0 {
		fmt.Fprintf(e.stdout, "exempt visits          %d (in a quiet period %d, beyond a cap %d)\n",
			plan.Stats.ExemptOnly, plan.Stats.QuietBreak, plan.Stats.CapBreak)
	}
	fmt.Fprintf(e.stdout, "waiting for later      %d requests not yet due\n", len(plan.Deferred))
	fmt.Fprintf(e.stdout, "lower bound            %d visits (gap %.2f%%)\n", plan.LowerBound, plan.GapPercent())
}
