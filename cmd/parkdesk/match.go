package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/policies"
)

func matchCommand() command {
	return command{
		name:  "match",
		usage: "[--on YYYY-MM-DD] [--policy ID]",
		summary: "Match every enterprise of the database against the policies in force, and store the results\n" +
			"that changed. It runs as a durable job in the database's job queue: interrupted, it resumes where\n" +
			"it stopped; on PostgreSQL several instances share the work.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			on := fs.String("on", "", "the evaluation date, YYYY-MM-DD (default: today)")
			policyID := fs.String("policy", "", "match this policy only")
			size := fs.Int("partition-size", 20000, "enterprises per partition (a transaction, and the unit of resumption)")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("match takes no arguments")
				}
				date, err := dateFlag("--on", *on)
				if err != nil {
					return err
				}
				if *size <= 0 {
					return usagef("--partition-size must be positive")
				}
				s, err := openServices(ctx, cfg, cfg.newLogger(e.stderr), false)
				if err != nil {
					return err
				}
				defer s.close()
				if *policyID != "" {
					if _, ok := s.policies.Policy(*policyID); !ok {
						return apperr.Errorf(apperr.NotFound, "no policy %q in the library", *policyID)
					}
				}
				if err := s.startJobs(ctx, match.QueueName); err != nil {
					return err
				}
				db := s.db
				bar := newProgress(e.stderr)
				opts := match.RunOptions{On: date, Policy: *policyID, PartitionSize: *size, Progress: bar.update}
				p, err := s.matcher.Run(ctx, db, opts)
				bar.finish()
				if err != nil {
					return err
				}
				if db.Dialect() == store.SQLite {
					// Statistics for the planner now that the results may
					// have grown by millions (PostgreSQL's autovacuum does it there).
					if _, err := db.Exec(ctx, "PRAGMA optimize"); err != nil {
						return fmt.Errorf("optimize the database after matching: %w", err)
					}
				}
				how := "started"
				if p.Resumed {
					how = "resumed"
				}
				fmt.Fprintf(e.stdout, "matched %d enterprises on %s (run %d %s, %d partitions) in %s\n",
					p.Enterprises, date.Format(time.DateOnly), p.Run, how, p.Partitions, p.Elapsed.Round(time.Millisecond))
				fmt.Fprintf(e.stdout, "%d results, %d written (new or changed), %d status or amount changes, %d explanations kept\n",
					p.Results, p.Written, p.Changes, p.Kept)
				results := &match.Results{DB: db, Library: func() *policy.Library { return s.policies.Library }}
				tot, err := results.On(ctx, auth.System("cli"), date)
				if err != nil {
					return err
				}
				printTotals(e.stdout, tot)
				return nil
			}
		},
	}
}

// dateFlag parses a date flag; "" is today.
func dateFlag(name, s string) (time.Time, error) {
	if s == "" {
		y, m, d := time.Now().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usagef("%s %q is not a date YYYY-MM-DD", name, s)
	}
	return t, nil
}

// openPolicySet loads the named directory; without one, the configured one
// (cfg.effectivePolicies): ./policies when it exists, else the library built
// into the binary.
func openPolicySet(cfg *config, dir string) (*match.PolicySet, error) {
	if dir == "" {
		dir = cfg.effectivePolicies()
	}
	var set *match.PolicySet
	var err error
	if dir == "" {
		set, err = match.LoadPoliciesFS(policies.FS, ".", facts.Builtin())
	} else {
		set, err = match.LoadPolicies(dir, facts.Builtin())
	}
	if err != nil {
		return set, err
	}
	return set, setPolicyLocal(cfg, set.Library)
}

func printTotals(w io.Writer, t *match.ParkResults) {
	fmt.Fprintf(w, "\n%-26s %-13s %9s %9s %12s %12s %18s %18s\n", "policy", "benefit", "eligible", "near miss", "undetermined", "ineligible", "amount (yuan)", "value (yuan)")
	for _, p := range t.Policies {
		fmt.Fprintf(w, "%-26s %-13s %9d %9d %12d %12d %18s %18s\n", p.Policy, p.Benefit, p.Eligible, p.NearMiss, p.Undetermined, p.Ineligible-p.NearMiss, p.Amount, p.Value)
	}
	s := t.Summary
	fmt.Fprintf(w, "%d enterprises, %d with at least one benefit, worth %s yuan (cash %s, tax saved %s, deductions of %s worth %s in tax); qualifications estimated at %s, not included\n",
		s.Enterprises, s.EligibleEnterprises, s.Totals.Total, s.Totals.Cash, s.Totals.TaxSaving, s.Totals.Deduction, s.Totals.DeductionTax, s.Totals.Qualification)
}

// progress shows a run's progress: a bar redrawn in place on a terminal,
// plain lines every tenth of the way otherwise (logs, pipes).
type progress struct {
	w        io.Writer
	terminal bool
	lastStep int
	drawn    bool
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, lastStep: -1}
	if f, ok := w.(*os.File); ok {
		if info, err := f.Stat(); err == nil && info.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	return p
}

func (p *progress) update(r match.RunProgress) {
	if r.Partitions == 0 {
		return
	}
	frac := float64(r.Done) / float64(r.Partitions)
	if p.terminal {
		const width = 30
		n := int(frac * width)
		fmt.Fprintf(p.w, "\r[%s%s] %3.0f%%  %d/%d partitions  %d enterprises  %s ",
			strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, r.Done, r.Partitions, r.Enterprises,
			r.Elapsed.Round(100*time.Millisecond))
		p.drawn = true
		return
	}
	if step := int(frac * 10); step != p.lastStep {
		p.lastStep = step
		fmt.Fprintf(p.w, "match: %d/%d partitions (%.0f%%), %d enterprises, %s\n", r.Done, r.Partitions, frac*100,
			r.Enterprises, r.Elapsed.Round(time.Millisecond))
	}
}

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
