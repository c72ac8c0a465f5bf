package outreach

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkdesk/parkdesk/internal/jobs"
)

// PushReport says what a push did and what it left.
type PushReport struct {
	Queued int // deliveries put into the job queue by this run
	Sent   int // deliveries sent by this run
	Failed int // attempts that failed (each is retried until its last)
	Dead   int // deliveries whose retries ran out in this run
	// Later counts the deliveries of this run's channels whose next retry
	// comes after the run gave up waiting; the next run tries them.
	Later int
	// Unconfigured counts, per channel, the pending deliveries of channels
	// this run cannot send (no SMTP server given, say).
	Unconfigured map[Channel]int
}

// pushTick is how often a push looks whether the outbox is empty.
const pushTick = 100 * time.Millisecond

// Push runs the outbox until it is empty, for cron and tests: it queues the
// pending deliveries and returns once no delivery of its channels is left
// to try before wait has passed. The deliveries are sent by the job client
// (o.Jobs), which must be started and work o.Queues(); a retry due later is
// left for the next run. Cancelling ctx stops waiting; stopping the client
// next lets the attempts under way finish.
func (o *Outbox) Push(ctx context.Context, wait time.Duration) (report PushReport, err error) {
	if o.Jobs == nil {
		return report, jobs.ErrNoClient
	}
	sent0, failed0, dead0 := o.sent.Load(), o.failed.Load(), o.dead.Load()
	defer func() {
		report.Sent = int(o.sent.Load() - sent0)
		report.Failed = int(o.failed.Load() - failed0)
		report.Dead = int(o.dead.Load() - dead0)
	}()
	if report.Queued, err = o.relay(ctx, o.Jobs); err != nil {
		return report, err
	}
	deadline := o.now().Add(wait)
	tick := time.NewTicker(pushTick)
	defer tick.Stop()
	for {
		left, later, err := o.left(ctx, o.Jobs, deadline)
		if ctx.Err() != nil {
			return report, ctx.Err()
		}
		if err != nil {
			return report, err
		}
		if left == 0 {
			report.Later = later
			break
		}
		select {
		case <-ctx.Done():
			return report, ctx.Err()
		case <-tick.C:
		}
	}
	if err := o.reconcile(ctx, o.Jobs); err != nil {
		return report, err
	}
	pending, err := o.waiting(ctx)
	if err != nil {
		return report, err
	}
	for _, ch := range o.channels() {
		delete(pending, ch)
	}
	if len(pending) > 0 {
		report.Unconfigured = pending
	}
	return report, nil
}

// left counts the delivery jobs of this outbox's queues still to try before
// the deadline, and those due after it.
func (o *Outbox) left(ctx context.Context, client jobs.Client, deadline time.Time) (left, later int, err error) {
	var queues []string
	for _, ch := range o.channels() {
		queues = append(queues, ch.queue())
	}
	params := river.NewJobListParams().Kinds(deliverKind).Queues(queues...).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled).First(1000)
	res, err := client.JobList(ctx, params)
	if err != nil {
		return 0, 0, fmt.Errorf("outreach: list delivery jobs: %w", err)
	}
	for _, j := range res.Jobs {
		switch j.State {
		case rivertype.JobStateRetryable, rivertype.JobStateScheduled:
			if j.ScheduledAt.After(deadline) {
				later++
				continue
			}
		}
		left++
	}
	return left, later, nil
}

// Kick asks a running outbox (Run) to queue new deliveries now rather than
// at its next look: an officer just approved a package. It never blocks.
func (o *Outbox) Kick() {
	select {
	case o.kickChan() <- struct{}{}:
	default:
	}
}

func (o *Outbox) kickChan() chan struct{} {
	o.kickOnce.Do(func() { o.kick = make(chan struct{}, 1) })
	return o.kick
}

// RelayInterval is how often a running outbox looks for new deliveries
// unless kicked.
const RelayInterval = 5 * time.Second

// Run runs the outbox until ctx is done, for `parkdesk serve`: it queues new
// deliveries as they come, for the job client (o.Jobs) to send, and finds
// the deliveries whose jobs failed for good.
func (o *Outbox) Run(ctx context.Context) error {
	if o.Jobs == nil {
		return jobs.ErrNoClient
	}
	kick := o.kickChan()
	tick := time.NewTicker(RelayInterval)
	defer tick.Stop()
	for {
		if _, err := o.relay(ctx, o.Jobs); err != nil && ctx.Err() == nil {
			o.logger().Error("queueing deliveries", "err", err)
		}
		if err := o.reconcile(ctx, o.Jobs); err != nil && ctx.Err() == nil {
			o.logger().Error("finding failed deliveries", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-kick:
		}
	}
}
