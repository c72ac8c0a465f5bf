package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/outreach"
)

func pushCommand() command {
	return command{
		name:  "push",
		usage: "[--wait DURATION] [--no-build]",
		summary: `Send the approved benefit packages and stop when the outbox is empty (for cron).
It first builds packages from the results matching found since the last run:
the offers of auto-send policies are approved at once, the others wait for an
officer. Each delivery goes once; a failed one is retried with backoff, and
retries due after --wait are left for the next run. Channels: the portal,
e-mail (PARKDESK_SMTP_URL, PARKDESK_SMTP_FROM), SMS (PARKDESK_SMS=log), and
the enterprises' WeCom and DingTalk robots.`,
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			wait := fs.Duration("wait", time.Minute, "how long to wait for retries that come due")
			noBuild := fs.Bool("no-build", false, "only send what is approved already")
			return func(ctx context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("push takes no arguments")
				}
				if *wait < 0 {
					return usagef("--wait must not be negative")
				}
				s, err := openServices(ctx, cfg, cfg.newLogger(e.stderr), true)
				if err != nil {
					return err
				}
				defer s.close()
				if !*noBuild {
					svc := &outreach.Service{DB: s.db, Policies: s.policies.Library}
					b, err := svc.Build(ctx, auth.System("push"))
					if err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "built %d offers: %d new draft packages for officers to review, %d packages of auto-send policies approved\n",
						b.Offers, b.Drafts, b.AutoApproved)
				}
				if err := s.startJobs(ctx, s.outbox.Queues()...); err != nil {
					return err
				}
				r, err := s.outbox.Push(ctx, *wait)
				// The attempts under way finish before the report.
				s.stopJobs()
				printPush(e, r)
				return err
			}
		},
	}
}

func printPush(e env, r outreach.PushReport) {
	fmt.Fprintf(e.stdout, "queued %d deliveries, sent %d; %d attempts failed, %d deliveries dead (see the dead letters)\n",
		r.Queued, r.Sent, r.Failed, r.Dead)
	if r.Later > 0 {
		fmt.Fprintf(e.stdout, "%d deliveries retry later: the next run sends them\n", r.Later)
	}
	var channels []outreach.Channel
	for ch := range r.Unconfigured {
		channels = append(channels, ch)
	}
	slices.Sort(channels)
	for _, ch := range channels {
		why := ""
		switch ch {
		case outreach.Email:
			why = " (PARKDESK_SMTP_URL is not set)"
		case outreach.SMS:
			why = " (PARKDESK_SMS is not set)"
		}
		fmt.Fprintf(e.stdout, "%d %s deliveries wait%s\n", r.Unconfigured[ch], ch, why)
	}
}
