package outreach

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/store"
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
// pending deliveries, works the queues of its channels, and returns once no
// delivery of those channels is left to try before wait has passed. A
// retry due later is left for the next run. Cancelling ctx stops the push
// after the attempts under way, which finish.
func (o *Outbox) Push(ctx context.Context, wait time.Duration) (report PushReport, err error) {
	sent0, failed0, dead0 := o.sent.Load(), o.failed.Load(), o.dead.Load()
	client, err := o.client(ctx)
	if err != nil {
		return report, err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.lease())
		defer cancel()
		if err := client.Stop(stopCtx); err != nil {
			o.logger().Warn("stopping the job queue", "err", err)
		}
		report.Sent = int(o.sent.Load() - sent0)
		report.Failed = int(o.failed.Load() - failed0)
		report.Dead = int(o.dead.Load() - dead0)
	}()
	if err := o.requeueStopped(ctx); err != nil {
		return report, err
	}
	if report.Queued, err = o.relay(ctx, client); err != nil {
		return report, err
	}
	// The client runs on a context of its own, so that cancelling ctx lets
	// the attempts under way finish (Stop) instead of cutting them off.
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return report, fmt.Errorf("outreach: start the job queue: %w", err)
	}
	deadline := o.now().Add(wait)
	tick := time.NewTicker(pushTick)
	defer tick.Stop()
	for {
		left, later, err := o.left(ctx, client, deadline)
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
	if err := o.reconcile(ctx, client); err != nil {
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

// requeueStopped makes the delivery jobs left running by a process that
// stopped available again. On SQLite only: there River's rescuer would wait
// for its own interval, and the jobs of a process that still runs are safe
// anyway, since a delivery's lease keeps a second worker from sending it.
// On PostgreSQL River's rescuer moves them after RescueStuckJobsAfter.
func (o *Outbox) requeueStopped(ctx context.Context) error {
	if o.DB.Dialect() != store.SQLite {
		return nil
	}
	_, err := o.DB.Exec(ctx, "UPDATE river_job SET state = 'available' WHERE kind = ? AND state = 'running'", deliverKind)
	if err != nil {
		return fmt.Errorf("outreach: requeue deliveries of a stopped run: %w", err)
	}
	return nil
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
// deliveries as they come and works them, retries included.
func (o *Outbox) Run(ctx context.Context) error {
	kick := o.kickChan()
	client, err := o.client(ctx)
	if err != nil {
		return err
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("outreach: start the job queue: %w", err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), o.lease())
		defer cancel()
		if err := client.Stop(stopCtx); err != nil {
			o.logger().Warn("stopping the job queue", "err", err)
		}
	}()
	tick := time.NewTicker(RelayInterval)
	defer tick.Stop()
	for {
		if _, err := o.relay(ctx, client); err != nil && ctx.Err() == nil {
			o.logger().Error("queueing deliveries", "err", err)
		}
		if err := o.reconcile(ctx, client); err != nil && ctx.Err() == nil {
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
