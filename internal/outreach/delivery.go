package outreach

import (
	"context"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// DeliveryStatus is where a delivery is in the outbox.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliverySent    DeliveryStatus = "sent"
	DeliveryDead    DeliveryStatus = "dead" // its retries are spent: a dead letter
)

// Delivery is a package's delivery by one channel: a row of the outbox.
type Delivery struct {
	ID        int64
	PackageID int64
	Channel   Channel
	// Key is the idempotency key, the same on every attempt.
	Key string
	// Target is where it goes: an address, a number, a webhook, "portal".
	// Reads for people mask it.
	Target     string
	Status     DeliveryStatus
	Attempts   int
	LastError  string
	CreatedAt  time.Time
	EnqueuedAt time.Time
	SentAt     time.Time
	DeadAt     time.Time
	// The enterprise it goes to.
	EnterpriseID int64
	ParkID       int64
	Enterprise   string
}

const deliveryColumns = `d.id, d.package_id, d.channel, d.idem_key, d.target, d.status, d.attempts, d.last_error,
	d.created_at, d.enqueued_at, d.sent_at, d.dead_at, p.enterprise_id, COALESCE(e.park_id, 0), e.name`

func loadDeliveries(ctx context.Context, q store.Queryer, tail string, args ...any) ([]Delivery, error) {
	rows, err := q.Query(ctx, `SELECT `+deliveryColumns+` FROM outreach_deliveries d
JOIN outreach_packages p ON p.id = d.package_id JOIN enterprises e ON e.id = p.enterprise_id`+tail, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.PackageID, &d.Channel, &d.Key, &d.Target, &d.Status, &d.Attempts, &d.LastError,
			store.ScanTime(&d.CreatedAt), store.ScanTime(&d.EnqueuedAt), store.ScanTime(&d.SentAt), store.ScanTime(&d.DeadAt),
			&d.EnterpriseID, &d.ParkID, &d.Enterprise); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeadLetters returns a page of the deliveries whose retries are spent,
// newest first, and how many there are. A park-limited officer sees its
// park's. Addresses are masked as the officer must see them.
func (s *Service) DeadLetters(ctx context.Context, actor auth.Principal, limit, offset int) ([]Delivery, int, error) {
	if err := auth.Can(actor, auth.ManagePackages, auth.Resource{}); err != nil {
		return nil, 0, err
	}
	cond, args := " WHERE d.status = 'dead'", []any{}
	if actor.ParkID != 0 {
		cond += " AND e.park_id = ?"
		args = append(args, actor.ParkID)
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM outreach_deliveries d
JOIN outreach_packages p ON p.id = d.package_id JOIN enterprises e ON e.id = p.enterprise_id`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 50
	}
	list, err := loadDeliveries(ctx, s.DB, cond+" ORDER BY d.dead_at DESC, d.id DESC LIMIT ? OFFSET ?", append(args, limit, max(0, offset))...)
	if err != nil {
		return nil, 0, err
	}
	return maskDeliveries(actor, list), total, nil
}

// Retry puts a dead delivery back into the outbox, with its retries anew and
// the liaison's current address for its channel (they may have fixed it).
// Its idempotency key stays: a receiver that got it after all can tell.
func (s *Service) Retry(ctx context.Context, actor auth.Principal, deliveryID int64) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		var packageID int64
		var status DeliveryStatus
		var ch Channel
		var target, lastError string
		err := tx.QueryRow(ctx, "SELECT package_id, status, channel, target, last_error FROM outreach_deliveries WHERE id = ?", deliveryID).
			Scan(&packageID, &status, &ch, &target, &lastError)
		if isNotFound(err) {
			return errNotFound("delivery")
		}
		if err != nil {
			return err
		}
		h, err := packageHead(ctx, tx, packageID)
		if err != nil {
			return err
		}
		if err := mayManage(actor, h.enterprise); err != nil {
			return err
		}
		if status != DeliveryDead {
			return apperr.Errorf(apperr.Conflict, "the delivery is %s: only a dead one is sent again", status)
		}
		c, err := loadContact(ctx, tx, h.enterprise.id)
		if err != nil {
			return err
		}
		if t := c.target(ch); t != "" {
			target = t
		}
		if _, err := tx.Exec(ctx, `UPDATE outreach_deliveries SET status = 'pending', attempts = 0, last_error = '', target = ?,
	retries = retries + 1, enqueued_at = NULL, dead_at = NULL, lease_until = NULL WHERE id = ?`, target, deliveryID); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.delivery.retry", ObjectType: "delivery",
			ObjectID: itoa(deliveryID), Before: map[string]any{"status": status, "last_error": lastError},
			After: map[string]any{"status": DeliveryPending, "channel": ch}, At: now})
	})
}
