package outreach

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
)

// MarkRead records that the liaison opened a delivered package. Opening it
// again, or by anyone else, changes nothing.
func (s *Service) MarkRead(ctx context.Context, actor auth.Principal, packageID int64) error {
	now := s.now()
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		h, err := packageHead(ctx, tx, packageID)
		if err != nil {
			return err
		}
		if err := s.mayRead(actor, h); err != nil {
			return err
		}
		if h.status != PackageDelivered || !auth.Allowed(actor, auth.AnswerPackage, h.enterprise.resource()) {
			return nil
		}
		if _, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'read', read_at = ? WHERE id = ? AND status = 'delivered'",
			store.FormatTime(now), packageID); err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.package.read", ObjectType: "package",
			ObjectID: itoa(packageID), Before: map[string]any{"status": h.status}, After: map[string]any{"status": PackageRead}, At: now})
	})
}

// Answer is the liaison's answer to one offer.
type Answer struct {
	// Status is ItemConfirmed (the intention to take an automatic
	// benefit), ItemApplied (an application was made) or ItemDeclined.
	Status ItemStatus
	// Reason says why an offer is declined; it is required then.
	Reason string
}

// maxReason bounds a decline reason, in characters.
const maxReason = 500

// Respond records the liaison's answer to an offer of a delivered package:
// an automatic benefit is confirmed, an apply-mode one applied for, either
// declined with a reason. An offer is answered once; answering opens the
// package if it was not yet.
func (s *Service) Respond(ctx context.Context, actor auth.Principal, itemID int64, a Answer) error {
	now := s.now()
	a.Reason = strings.TrimSpace(a.Reason)
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		it, h, err := itemWithHead(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if err := s.mayRead(actor, h); err != nil {
			return err
		}
		if err := auth.Can(actor, auth.AnswerPackage, h.enterprise.resource()); err != nil {
			return err
		}
		if it.Status != ItemOffered {
			return apperr.Errorf(apperr.Conflict, "this offer was answered already (%s)", it.Status)
		}
		switch {
		case a.Status == ItemDeclined:
			if a.Reason == "" {
				return apperr.InvalidInput("say why the offer is declined", apperr.Problem{Field: "reason", Reason: "is required to decline"})
			}
			if utf8.RuneCountInString(a.Reason) > maxReason {
				return apperr.InvalidInput("the reason is too long", apperr.Problem{Field: "reason", Reason: "is longer than 500 characters"})
			}
		case a.Status == ItemConfirmed && it.Mode == policy.Automatic, a.Status == ItemApplied && it.Mode == policy.Apply:
			a.Reason = ""
		default:
			return apperr.InvalidInput("this offer cannot be answered so",
				apperr.Problem{Field: "answer", Reason: "an automatic benefit is confirmed, an apply-mode one applied for, and either may be declined"})
		}
		stamp := store.FormatTime(now)
		if _, err := tx.Exec(ctx, `UPDATE outreach_items SET status = ?, responded_at = ?, responded_by = ?, decline_reason = ? WHERE id = ?`,
			string(a.Status), stamp, actor.Label, a.Reason, itemID); err != nil {
			return err
		}
		if h.status == PackageDelivered {
			if _, err := tx.Exec(ctx, "UPDATE outreach_packages SET status = 'read', read_at = ? WHERE id = ? AND status = 'delivered'",
				stamp, it.PackageID); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.offer.answer", ObjectType: "offer", ObjectID: itoa(itemID),
			Before: map[string]any{"status": it.Status, "policy": it.Policy, "package_id": it.PackageID},
			After:  map[string]any{"status": a.Status, "reason": a.Reason}, At: now})
	})
}

// Grant is what an enterprise actually received for one offer.
type Grant struct {
	Amount string // yuan, at most two decimals
	On     string // the date it was received, YYYY-MM-DD
}

// check normalises the grant and says what is wrong with it.
func (g *Grant) check(today time.Time) []apperr.Problem {
	var problems []apperr.Problem
	g.Amount, g.On = strings.TrimSpace(g.Amount), strings.TrimSpace(g.On)
	if f, ok := ParseFen(g.Amount); !ok || f <= 0 {
		problems = append(problems, apperr.Problem{Field: "amount", Reason: "is not a positive yuan amount with at most two decimals"})
	} else {
		g.Amount = f.String()
	}
	if d, err := time.Parse(time.DateOnly, g.On); err != nil {
		problems = append(problems, apperr.Problem{Field: "granted_on", Reason: "is not a date YYYY-MM-DD"})
	} else if d.After(today) {
		problems = append(problems, apperr.Problem{Field: "granted_on", Reason: "is in the future"})
	}
	return problems
}

// RecordGrant records the amount an enterprise received for an offer of a
// delivered package, and when. An offer declined or granted already is
// refused.
func (s *Service) RecordGrant(ctx context.Context, actor auth.Principal, itemID int64, g Grant) error {
	now := s.now()
	if problems := g.check(now); len(problems) > 0 {
		return apperr.InvalidInput("the grant is not valid", problems...)
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		it, h, err := itemWithHead(ctx, tx, itemID)
		if err != nil {
			return err
		}
		if err := mayManage(actor, h.enterprise); err != nil {
			return err
		}
		if err := grantable(it, h); err != nil {
			return err
		}
		return writeGrant(ctx, tx, actor, it, g, now)
	})
}

// grantable says why an offer cannot take a grant, nil when it can.
func grantable(it Item, h head) error {
	if !delivered(h.status) {
		return apperr.Errorf(apperr.Conflict, "the package was not delivered: nothing was offered yet")
	}
	if it.Status == ItemGranted || it.Status == ItemDeclined {
		return apperr.Errorf(apperr.Conflict, "the offer is %s already", it.Status)
	}
	return nil
}

func writeGrant(ctx context.Context, tx *store.Tx, actor auth.Principal, it Item, g Grant, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE outreach_items SET status = 'granted', granted_amount = ?, granted_on = ?, granted_by = ?, granted_at = ?
WHERE id = ?`, g.Amount, g.On, actor.Label, store.FormatTime(now), it.ID); err != nil {
		return err
	}
	return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.offer.grant", ObjectType: "offer", ObjectID: itoa(it.ID),
		Before: map[string]any{"status": it.Status, "policy": it.Policy, "offered": it.Amount},
		After:  map[string]any{"status": ItemGranted, "amount": g.Amount, "granted_on": g.On}, At: now})
}

// itemWithHead reads an offer and its package's head.
func itemWithHead(ctx context.Context, q store.Queryer, itemID int64) (Item, head, error) {
	it, err := scanItem(q.QueryRow(ctx, "SELECT "+itemColumns+" FROM outreach_items i WHERE i.id = ?", itemID))
	if isNotFound(err) {
		return it, head{}, errNotFound("offer")
	}
	if err != nil {
		return it, head{}, err
	}
	h, err := packageHead(ctx, q, it.PackageID)
	return it, h, err
}
