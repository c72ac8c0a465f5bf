package outreach

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Approve sends a draft package: it becomes approved, and one delivery per
// channel the liaison chose is written to the outbox in the same
// transaction.
func (s *Service) Approve(ctx context.Context, actor auth.Principal, packageID int64) error {
	return s.decide(ctx, actor, packageID, PackageApproved)
}

// Withdraw decides not to send a draft package. Its offers stay on record,
// so the same results are not offered again.
func (s *Service) Withdraw(ctx context.Context, actor auth.Principal, packageID int64) error {
	return s.decide(ctx, actor, packageID, PackageWithdrawn)
}

func (s *Service) decide(ctx context.Context, actor auth.Principal, packageID int64, to PackageStatus) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		return s.decideIn(ctx, tx, actor, packageID, to, now)
	})
}

// decideIn decides one draft in the transaction; a refusal (not found,
// not a draft, empty) comes before any write.
func (s *Service) decideIn(ctx context.Context, tx *store.Tx, actor auth.Principal, packageID int64, to PackageStatus, now time.Time) error {
	head, err := packageHead(ctx, tx, packageID)
	if err != nil {
		return err
	}
	if err := mayManage(actor, head.enterprise); err != nil {
		return err
	}
	if head.status != PackageDraft {
		return apperr.Errorf(apperr.Conflict, "the package is %s already: only a draft can be approved or withdrawn", head.status)
	}
	stamp := store.FormatTime(now)
	after := map[string]any{"status": to}
	switch to {
	case PackageApproved:
		var items int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM outreach_items WHERE package_id = ?", packageID).Scan(&items); err != nil {
			return err
		}
		if items == 0 {
			return apperr.Errorf(apperr.Conflict, "the package offers nothing")
		}
		if _, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'approved', approved_at = ?, approved_by = ? WHERE id = ?",
			stamp, actor.Label, packageID); err != nil {
			return err
		}
		channels, err := queueDeliveries(ctx, tx, packageID, head.enterprise.id, now)
		if err != nil {
			return err
		}
		after["channels"] = channels
	case PackageWithdrawn:
		if _, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'withdrawn', withdrawn_at = ?, withdrawn_by = ? WHERE id = ?",
			stamp, actor.Label, packageID); err != nil {
			return err
		}
	default:
		return fmt.Errorf("outreach: cannot decide a package to %s", to)
	}
	verb := map[PackageStatus]string{PackageApproved: "approve", PackageWithdrawn: "withdraw"}[to]
	return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.package." + verb, ObjectType: "package",
		ObjectID: itoa(packageID), Before: map[string]any{"status": head.status}, After: after, At: now})
}

// queueDeliveries writes the outbox rows of an approved package: one per
// channel of the enterprise's contact, each with its idempotency key.
// Queued twice, it adds nothing.
func queueDeliveries(ctx context.Context, tx *store.Tx, packageID, enterpriseID int64, now time.Time) ([]Channel, error) {
	c, err := loadContact(ctx, tx, enterpriseID)
	if err != nil {
		return nil, err
	}
	channels := c.Channels()
	for _, ch := range channels {
		if _, err := tx.Exec(ctx, `INSERT INTO outreach_deliveries (package_id, channel, idem_key, target, created_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			packageID, string(ch), idempotencyKey(packageID, ch), c.target(ch), store.FormatTime(now)); err != nil {
			return nil, err
		}
	}
	return channels, nil
}

// idempotencyKey names the delivery of a package by a channel, the same
// however often it is tried.
func idempotencyKey(packageID int64, ch Channel) string {
	return fmt.Sprintf("pkg-%d-%s", packageID, ch)
}

// head is what decisions need of a package.
type head struct {
	enterprise enterpriseRef
	status     PackageStatus
}

// packageHead reads a package's enterprise and status, as not-found when
// there is none.
func packageHead(ctx context.Context, q store.Queryer, packageID int64) (head, error) {
	var h head
	var park *int64
	err := q.QueryRow(ctx, `SELECT p.enterprise_id, e.park_id, p.status FROM outreach_packages p
JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?`, packageID).Scan(&h.enterprise.id, &park, &h.status)
	if isNotFound(err) {
		return h, errNotFound("package")
	}
	if park != nil {
		h.enterprise.parkID = *park
	}
	return h, err
}
