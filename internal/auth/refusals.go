package auth

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Sign-ins refused without a look at the password — the login or the
// address is locked out, or the login is slowed down — are audited once
// when they start, and then once per RefusalWindow with how many there
// were, from where and for whom. Each one used to be an entry: a script
// retrying a locked login wrote 700 a second, filling the log and keeping
// the database's one writer busy. The counts are kept in memory between
// entries (no write per refusal); a crash loses at most one window's count,
// and each instance of a cluster writes its own.

// refusalKey is what refusals are counted by: the reason, and the login
// (a locked pair, a slowed login) or the address (a locked address).
type refusalKey struct {
	reason  string
	subject string
}

// refusalCount is the refusals of one key since its last entry.
type refusalCount struct {
	start       time.Time // when the window began: its first refusal, audited at once
	first, last time.Time // the refusals counted since
	n           int
	attempt     Principal           // the first refusal's actor, for the entry
	others      map[string]struct{} // the addresses (or logins) seen, up to maxOthers
	moreOthers  bool
}

// maxOthers bounds the addresses or logins an entry lists; maxRefusalKeys
// the keys counted at once, beyond which every count is written out.
const (
	maxOthers      = 20
	maxRefusalKeys = 10000
)

type refusalLog struct {
	mu   sync.Mutex
	open map[refusalKey]*refusalCount
}

// refuse records a refusal at now: an audit entry at once when it starts a
// window for its key, a count otherwise. other is the address of a
// refused login, or the login tried from a locked address.
func (s *Service) refuse(ctx context.Context, attempt Principal, key refusalKey, other string, now time.Time) error {
	s.refusals.mu.Lock()
	if s.refusals.open == nil {
		s.refusals.open = map[refusalKey]*refusalCount{}
	}
	due := s.refusals.takeDue(now, s.Limits.RefusalWindow, len(s.refusals.open) >= maxRefusalKeys)
	c, counting := s.refusals.open[key]
	if !counting {
		s.refusals.open[key] = &refusalCount{start: now, attempt: attempt, others: map[string]struct{}{}}
	} else {
		if c.n == 0 {
			c.first = now
		}
		c.n++
		c.last = now
		if _, seen := c.others[other]; !seen {
			if len(c.others) < maxOthers {
				c.others[other] = struct{}{}
			} else {
				c.moreOthers = true
			}
		}
	}
	s.refusals.mu.Unlock()
	if err := s.writeRefusals(ctx, due); err != nil {
		return err
	}
	if counting {
		return nil
	}
	return Audit(ctx, s.DB, Entry{Actor: attempt, Action: "login", ObjectType: "user",
		After: map[string]string{"reason": key.reason}, Outcome: Failure, At: now})
}

// dueRefusal is a count to write as an entry.
type dueRefusal struct {
	key refusalKey
	refusalCount
}

// takeDue removes and returns the keys whose window has passed at now, or
// all of them when all is set. Keys that counted nothing after their first
// refusal are dropped without an entry: that one was audited already.
func (l *refusalLog) takeDue(now time.Time, window time.Duration, all bool) []dueRefusal {
	var due []dueRefusal
	for k, c := range l.open {
		if !all && now.Sub(c.start) < window {
			continue
		}
		delete(l.open, k)
		if c.n > 0 {
			due = append(due, dueRefusal{key: k, refusalCount: *c})
		}
	}
	slices.SortFunc(due, func(a, b dueRefusal) int { return a.first.Compare(b.first) })
	return due
}

// writeRefusals writes one entry per count, in one transaction.
func (s *Service) writeRefusals(ctx context.Context, due []dueRefusal) error {
	if len(due) == 0 {
		return nil
	}
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		for _, d := range due {
			others := make([]string, 0, len(d.others))
			for o := range d.others {
				others = append(others, o)
			}
			slices.Sort(others)
			listed := "addresses"
			if d.key.reason == "address_locked" {
				listed = "logins"
			}
			after := map[string]any{"reason": d.key.reason, "repeated": d.n,
				"from": store.FormatTime(d.first), "to": store.FormatTime(d.last), listed: others}
			if d.moreOthers {
				after["more_"+listed] = true
			}
			if err := Audit(ctx, tx, Entry{Actor: d.attempt, Action: "login", ObjectType: "user",
				After: after, Outcome: Failure, At: d.last}); err != nil {
				return err
			}
		}
		return nil
	})
}

// FlushRefusals writes the counts whose window has passed, or every count
// when all is set (at shutdown).
func (s *Service) FlushRefusals(ctx context.Context, all bool) error {
	s.refusals.mu.Lock()
	due := s.refusals.takeDue(s.now(), s.Limits.RefusalWindow, all)
	s.refusals.mu.Unlock()
	return s.writeRefusals(ctx, due)
}

// FlushRefusalsEvery writes the counts of passed windows every interval
// until ctx ends, and then every count left: the server runs it in the
// background.
func (s *Service) FlushRefusalsEvery(ctx context.Context, interval time.Duration, logger *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := s.FlushRefusals(final, true); err != nil {
				logger.Warn("audit of refused sign-ins failed at shutdown", "err", err)
			}
			return
		case <-tick.C:
			if err := s.FlushRefusals(ctx, false); err != nil && ctx.Err() == nil {
				logger.Warn("audit of refused sign-ins failed", "err", err)
			}
		}
	}
}
