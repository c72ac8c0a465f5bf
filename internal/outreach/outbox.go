package outreach

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Outbox sends the deliveries of approved packages through River.
type Outbox struct {
	DB *store.DB
	// Jobs is the process's job client, which deliveries are queued on;
	// main builds it from a registry where RegisterJobs put the delivery
	// worker, and starts it working the outbox's Queues.
	Jobs jobs.Client
	// Senders are the channels that can send here. The deliveries of a
	// channel without one wait in the queue for a run that has it. The
	// portal needs none.
	Senders map[Channel]Sender
	// PortalURL is where a liaison answers, written into the messages;
	// "" leaves the link out.
	PortalURL string
	// MaxAttempts is how often a delivery is tried before it is dead;
	// 0 means 8.
	MaxAttempts int
	// RetryBase is the wait after the first failure, doubled after each
	// next one up to RetryMax; 0 means 30 seconds and 1 hour.
	RetryBase, RetryMax time.Duration
	// SendTimeout bounds one attempt; 0 means 1 minute.
	SendTimeout time.Duration
	Logger      *slog.Logger
	// Now is the clock; nil is the wall clock.
	Now func() time.Time

	sent, failed, dead atomic.Int64
	kickOnce           sync.Once
	kick               chan struct{}
}

// deliverKind is the River job kind of a delivery.
const deliverKind = "outreach_deliver"

// deliverArgs names a delivery; Retry tells an officer's new try from the
// jobs before it, which River would otherwise take for a duplicate.
type deliverArgs struct {
	Delivery int64 `json:"delivery"`
	Retry    int   `json:"retry"`
}

func (deliverArgs) Kind() string { return deliverKind }

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Outbox) logger() *slog.Logger {
	if o.Logger != nil {
		return o.Logger
	}
	return slog.New(slog.DiscardHandler)
}

func (o *Outbox) maxAttempts() int { return cmpOr(o.MaxAttempts, 8) }

func (o *Outbox) sendTimeout() time.Duration { return cmpOr(o.SendTimeout, time.Minute) }

// lease is how long a worker holds a delivery it sends: longer than an
// attempt may take, with room for marking it.
func (o *Outbox) lease() time.Duration { return 2 * o.sendTimeout() }

func cmpOr[T comparable](v, fallback T) T {
	var zero T
	if v == zero {
		return fallback
	}
	return v
}

// backoff is the wait after the attempt-th failure: RetryBase doubled per
// failure, at most RetryMax, less up to a fifth at random so that the
// deliveries that failed together do not all come back together.
func (o *Outbox) backoff(attempt int) time.Duration {
	base, most := cmpOr(o.RetryBase, 30*time.Second), cmpOr(o.RetryMax, time.Hour)
	d := base
	for i := 1; i < attempt && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d - time.Duration(rand.Int64N(int64(d)/5+1))
}

// channels are the channels this outbox can send, in order.
func (o *Outbox) channels() []Channel {
	out := []Channel{Portal}
	for _, ch := range Channels[1:] {
		if o.Senders[ch] != nil {
			out = append(out, ch)
		}
	}
	return out
}

func (o *Outbox) sender(ch Channel) Sender {
	if ch == Portal {
		return portalSender{}
	}
	return o.Senders[ch]
}

// RegisterJobs registers the delivery worker, for every channel's queue, in
// the registry main builds the job client from.
func (o *Outbox) RegisterJobs(reg *jobs.Registry) {
	jobs.Add[deliverArgs](reg, &deliverWorker{o: o})
	for _, ch := range Channels {
		reg.Queue(ch.queue(), 4)
	}
}

// Queues are the job queues of the channels this outbox can send: those a
// process with this outbox works.
func (o *Outbox) Queues() []string {
	var out []string
	for _, ch := range o.channels() {
		out = append(out, ch.queue())
	}
	return out
}

// relay puts the pending deliveries that have no job yet into River's
// queue, and returns how many. A delivery relayed twice (a crash between
// the insert and its mark) gets one job: River keeps jobs unique by their
// arguments.
func (o *Outbox) relay(ctx context.Context, client jobs.Client) (int, error) {
	total := 0
	for {
		rows, err := o.DB.Query(ctx, `SELECT id, channel, retries FROM outreach_deliveries
WHERE status = 'pending' AND enqueued_at IS NULL ORDER BY id LIMIT 500`)
		if err != nil {
			return total, err
		}
		var params []river.InsertManyParams
		var ids []any
		for rows.Next() {
			var id int64
			var ch Channel
			var retries int
			if err := rows.Scan(&id, &ch, &retries); err != nil {
				rows.Close()
				return total, err
			}
			params = append(params, river.InsertManyParams{Args: deliverArgs{Delivery: id, Retry: retries},
				InsertOpts: &river.InsertOpts{Queue: ch.queue(), MaxAttempts: o.maxAttempts(), UniqueOpts: river.UniqueOpts{ByArgs: true}}})
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(params) == 0 {
			return total, err
		}
		if _, err := client.InsertMany(ctx, params); err != nil {
			if ctx.Err() != nil {
				// Stopped while queueing (the job queue's commit may say so
				// in words of its own): a stop, not a failure.
				return total, ctx.Err()
			}
			return total, fmt.Errorf("outreach: queue deliveries: %w", err)
		}
		in := placeholders(len(ids))
		if _, err := o.DB.Exec(ctx, "UPDATE outreach_deliveries SET enqueued_at = ? WHERE id IN "+in,
			append([]any{store.FormatTime(o.now())}, ids...)...); err != nil {
			return total, err
		}
		total += len(ids)
	}
}

func placeholders(n int) string {
	b := make([]byte, 0, 3*n+1)
	b = append(b, '(')
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(append(b, ')'))
}

// deliverWorker works the delivery jobs.
type deliverWorker struct {
	river.WorkerDefaults[deliverArgs]
	o *Outbox
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	return w.o.deliver(ctx, job.Args.Delivery, job.Attempt, job.MaxAttempts)
}

// NextRetry is the outbox's own backoff, whatever the client's policy.
func (w *deliverWorker) NextRetry(job *river.Job[deliverArgs]) time.Time {
	return time.Now().Add(w.o.backoff(job.Attempt))
}

// Timeout bounds one attempt.
func (w *deliverWorker) Timeout(*river.Job[deliverArgs]) time.Duration { return w.o.sendTimeout() }

// recordTimeout bounds the transaction that records an attempt's outcome,
// which runs past the attempt's own deadline.
const recordTimeout = 30 * time.Second

// errLeased: another worker is sending the delivery.
var errLeased = errors.New("another worker is sending this delivery")

// deliver sends one delivery, once: a delivery already sent is done, one
// another worker holds waits for it, a dead one is left alone.
func (o *Outbox) deliver(ctx context.Context, id int64, attempt, maxAttempts int) error {
	out, pkgID, err := o.claim(ctx, id)
	switch {
	case errors.Is(err, errSent):
		return nil
	case errors.Is(err, errLeased):
		return river.JobSnooze(o.lease())
	case err != nil && apperrNotFound(err):
		return river.JobCancel(err)
	case err != nil:
		return err
	}
	sendCtx, cancel := context.WithTimeout(ctx, o.sendTimeout())
	sendErr := safeSend(sendCtx, o.sender(out.Channel), out)
	cancel()
	// What the send did is recorded whatever is left of the attempt's
	// time: a message that went out as the deadline passed, left
	// unrecorded, would be sent again at the next attempt.
	record, cancelRecord := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancelRecord()
	if sendErr == nil {
		return o.markSent(record, id, pkgID, out.Channel)
	}
	final := isPermanent(sendErr) || attempt >= maxAttempts
	if err := o.markFailed(record, id, pkgID, out.Channel, sendErr, final); err != nil {
		return errors.Join(sendErr, err)
	}
	o.logger().Warn("delivery failed", "delivery", id, "channel", out.Channel, "attempt", attempt, "final", final, "err", sendErr)
	if isPermanent(sendErr) {
		return river.JobCancel(sendErr)
	}
	return sendErr
}

// safeSend sends, turning a sender's panic into a failure of the attempt:
// the delivery's lease is released and the failure recorded as any other.
func safeSend(ctx context.Context, s Sender, out Outgoing) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the %s sender failed: %v", out.Channel, r)
		}
	}()
	return s.Send(ctx, out)
}

// errSent: the delivery was sent already.
var errSent = errors.New("the delivery was sent already")

func apperrNotFound(err error) bool {
	var nf notFoundError
	return errors.As(err, &nf)
}

type notFoundError struct{ what string }

func (e notFoundError) Error() string { return e.what + " not found" }

// claim takes the delivery for this worker until its lease ends and reads
// what to send.
func (o *Outbox) claim(ctx context.Context, id int64) (Outgoing, int64, error) {
	var out Outgoing
	var pkgID int64
	now := o.now()
	err := o.DB.InTx(ctx, func(tx *store.Tx) error {
		var status DeliveryStatus
		var lease *string
		var key string
		var pkg, notice sql.NullInt64
		err := tx.QueryRow(ctx, "SELECT package_id, notice_id, channel, target, idem_key, status, lease_until FROM outreach_deliveries WHERE id = ?", id).
			Scan(&pkg, &notice, &out.Channel, &out.Target, &key, &status, &lease)
		pkgID = pkg.Int64
		if isNotFound(err) {
			return notFoundError{"delivery"}
		}
		if err != nil {
			return err
		}
		switch {
		case status == DeliverySent:
			return errSent
		case status == DeliveryDead:
			return notFoundError{"pending delivery"}
		case lease != nil && *lease > store.FormatTime(now):
			return errLeased
		}
		if _, err := tx.Exec(ctx, "UPDATE outreach_deliveries SET lease_until = ?, attempts = attempts + 1 WHERE id = ?",
			store.FormatTime(now.Add(o.lease())), id); err != nil {
			return err
		}
		if notice.Valid {
			return claimNotice(ctx, tx, notice.Int64, key, &out)
		}
		pkgs, err := loadPackages(ctx, tx, " WHERE p.id = ?", pkgID)
		if err != nil {
			return err
		}
		if len(pkgs) == 0 {
			return notFoundError{"package"}
		}
		if out.Channel == DingTalk {
			c, err := loadContact(ctx, tx, pkgs[0].EnterpriseID)
			if err != nil {
				return err
			}
			out.Secret = c.DingTalkSecret
		}
		out.Message, err = render(pkgs[0], key, o.PortalURL)
		return err
	})
	return out, pkgID, err
}

// outboxActor is who the audit log names for the outbox's changes.
var outboxActor = auth.System("outbox")

func (o *Outbox) markSent(ctx context.Context, id, pkgID int64, ch Channel) error {
	now := o.now()
	err := o.DB.InTx(ctx, func(tx *store.Tx) error {
		stamp := store.FormatTime(now)
		if _, err := tx.Exec(ctx, `UPDATE outreach_deliveries SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = ''
WHERE id = ? AND status = 'pending'`, stamp, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'delivered', delivered_at = ? WHERE id = ? AND status = 'approved'",
			stamp, pkgID); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: outboxActor, Action: "outreach.delivery.sent", ObjectType: "delivery",
			ObjectID: itoa(id), After: map[string]any{"package_id": pkgID, "channel": ch}, At: now})
	})
	if err == nil {
		o.sent.Add(1)
	}
	return err
}

// maxErrorText bounds the failure kept with a delivery, in characters.
const maxErrorText = 500

func (o *Outbox) markFailed(ctx context.Context, id, pkgID int64, ch Channel, sendErr error, final bool) error {
	now := o.now()
	text := sendErr.Error()
	if utf8.RuneCountInString(text) > maxErrorText {
		text = string([]rune(text)[:maxErrorText]) + "…"
	}
	err := o.DB.InTx(ctx, func(tx *store.Tx) error {
		if !final {
			_, err := tx.Exec(ctx, "UPDATE outreach_deliveries SET last_error = ?, lease_until = NULL WHERE id = ? AND status = 'pending'", text, id)
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE outreach_deliveries SET status = 'dead', dead_at = ?, last_error = ?, lease_until = NULL
WHERE id = ? AND status = 'pending'`, store.FormatTime(now), text, id); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: outboxActor, Action: "outreach.delivery.dead", ObjectType: "delivery",
			ObjectID: itoa(id), After: map[string]any{"package_id": pkgID, "channel": ch, "error": text}, At: now})
	})
	if err == nil {
		o.failed.Add(1)
		if final {
			o.dead.Add(1)
		}
	}
	return err
}

// reconcile makes dead the pending deliveries whose job River gave up
// outside the worker's own failure path: a worker that panicked, or one
// that could not record its last failure. Without this they would stay
// pending with no job to send them, and no officer would see them.
func (o *Outbox) reconcile(ctx context.Context, client jobs.Client) error {
	res, err := client.JobList(ctx, river.NewJobListParams().Kinds(deliverKind).
		States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(500))
	if err != nil {
		return fmt.Errorf("outreach: list failed delivery jobs: %w", err)
	}
	failed := map[int64]deliverArgs{}
	reasons := map[int64]string{}
	var ids []any
	for _, j := range res.Jobs {
		var args deliverArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			continue
		}
		if _, seen := failed[args.Delivery]; seen {
			continue // the newest job of the delivery counts
		}
		reason := "the job failed"
		if n := len(j.Errors); n > 0 {
			reason = j.Errors[n-1].Error
		}
		failed[args.Delivery], reasons[args.Delivery] = args, reason
		ids = append(ids, args.Delivery)
	}
	if len(ids) == 0 {
		return nil
	}
	// Most of them are dead or sent already: find the few still pending in
	// one query before writing anything.
	rows, err := o.DB.Query(ctx, "SELECT id, retries FROM outreach_deliveries WHERE status = 'pending' AND id IN "+placeholders(len(ids)), ids...)
	if err != nil {
		return err
	}
	var stuck []int64
	for rows.Next() {
		var id int64
		var retries int
		if err := rows.Scan(&id, &retries); err != nil {
			rows.Close()
			return err
		}
		if failed[id].Retry == retries {
			stuck = append(stuck, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	now := o.now()
	for _, id := range stuck {
		reason := reasons[id]
		if utf8.RuneCountInString(reason) > maxErrorText {
			reason = string([]rune(reason)[:maxErrorText]) + "…"
		}
		err := o.DB.InTx(ctx, func(tx *store.Tx) error {
			res, err := tx.Exec(ctx, `UPDATE outreach_deliveries SET status = 'dead', dead_at = ?, lease_until = NULL,
	last_error = CASE WHEN last_error = '' THEN ? ELSE last_error END
WHERE id = ? AND status = 'pending' AND retries = ?`, store.FormatTime(now), reason, id, failed[id].Retry)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			o.dead.Add(1)
			return auth.Audit(ctx, tx, auth.Entry{Actor: outboxActor, Action: "outreach.delivery.dead", ObjectType: "delivery",
				ObjectID: itoa(id), After: map[string]any{"error": reason}, At: now})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// waiting counts the pending deliveries by channel.
func (o *Outbox) waiting(ctx context.Context) (map[Channel]int, error) {
	rows, err := o.DB.Query(ctx, "SELECT channel, COUNT(*) FROM outreach_deliveries WHERE status = 'pending' GROUP BY channel")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Channel]int{}
	for rows.Next() {
		var ch Channel
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return nil, err
		}
		out[ch] = n
	}
	return out, rows.Err()
}
