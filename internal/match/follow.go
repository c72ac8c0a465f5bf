package match

import (
	"context"
	"fmt"
	"time"

	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/store"
)

// FollowFacts subscribes the matcher to the facts service: after every
// change of current values, whoever reported them (the API, the portal,
// the touch form, an import), the enterprises whose data changed are
// evaluated again for the policies that read those fields. A change of
// more than incrementalLimit enterprises is one batch run when batch is
// true (the command line, which waits for it); a server, whose reporter
// waits on a request, leaves it to the next run and says so.
func (m *Matcher) FollowFacts(fs *facts.Service, db *store.DB, batch bool) {
	fs.Subscribe(func(ctx context.Context, ch facts.Changed) error {
		_, err := m.FactsChanged(ctx, db, ch, batch)
		return err
	})
}

// FactsChanged is what matching does after a change of facts (see
// FollowFacts); it returns the results written. The command line's import
// calls it directly, to report the count and fail on an error.
func (m *Matcher) FactsChanged(ctx context.Context, db *store.DB, ch facts.Changed, batch bool) (int, error) {
	on, ok, err := ReevaluationDate(ctx, db)
	if err != nil || !ok || len(ch.Enterprises) == 0 {
		return 0, err
	}
	if len(ch.Enterprises) > incrementalLimit && !batch {
		return 0, fmt.Errorf("match: %d enterprises changed, too many to re-evaluate while the reporter waits; run 'parkdesk match'", len(ch.Enterprises))
	}
	written, err := m.AfterImport(ctx, db, on, ch.Enterprises, ch.Fields)
	if err != nil {
		return written, fmt.Errorf("match: re-evaluate after facts changed: %w", err)
	}
	return written, nil
}

// ReevaluationDate is the one rule for the date results are brought up to
// date on after facts change: the date of the park's current results (the
// latest date matching ran on), which every page and list reads — so that
// a change moves the results people see, not results of another day. ok
// is false when matching never ran: then there are no results to bring up
// to date, and `parkdesk match` evaluates everyone.
func ReevaluationDate(ctx context.Context, db *store.DB) (on time.Time, ok bool, err error) {
	day, err := (&Results{DB: db}).CurrentOn(ctx)
	if err != nil || day == "" {
		return time.Time{}, false, err
	}
	on, err = time.Parse(time.DateOnly, day)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("match: results date %q: %w", day, err)
	}
	return on, true, nil
}
