package match

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/match/vector"
	"github.com/parkdesk/parkdesk/internal/store"
)

// SimSide is one version's figures over the population.
type SimSide struct {
	Version      string  `json:"version"`
	Eligible     int     `json:"eligible"`
	Undetermined int     `json:"undetermined"`
	NearMisses   int     `json:"near_misses"`
	Amount       string  `json:"amount"`
	ByIndustry   []Group `json:"by_industry"`
	BySize       []Group `json:"by_size"`
	fen          int64
	industry     map[string]*Group
	size         map[string]*Group
}

// SimEntry is an enterprise whose result the draft changes.
type SimEntry struct {
	EnterpriseID int64  `json:"enterprise_id"`
	USCC         string `json:"uscc"`
	Name         string `json:"name"`
	Before       string `json:"before"`
	After        string `json:"after"`
	AmountBefore string `json:"amount_before,omitempty"`
	AmountAfter  string `json:"amount_after,omitempty"`
}

// SimList is a capped list of enterprises with the full count and the
// amount they gain or lose in all.
type SimList struct {
	Count       int        `json:"count"`
	Amount      string     `json:"amount"`
	Enterprises []SimEntry `json:"enterprises"`
	fen         int64
}

// SimReport is a draft policy evaluated over the population without
// storing anything, against the current version of the same id.
type SimReport struct {
	Policy      string   `json:"policy"`
	On          string   `json:"on"`
	Enterprises int      `json:"enterprises"`
	Draft       SimSide  `json:"draft"`
	Current     *SimSide `json:"current,omitempty"` // nil when the id is new
	// Gainers become eligible under the draft, Losers stop being, and
	// AmountChanged stay eligible with another amount.
	Gainers       SimList       `json:"gainers"`
	Losers        SimList       `json:"losers"`
	AmountChanged SimList       `json:"amount_changed"`
	Wall          time.Duration `json:"-"`
}

// SimOptions configure a simulation.
type SimOptions struct {
	On            time.Time
	Limit         int // enterprises listed per list (the counts are complete)
	PartitionSize int // enterprises read at a time (default 20,000)
}

// Simulate evaluates a draft policy file over every enterprise of the
// database, and the current version of the same id beside it, in one
// program: nothing is stored.
func (m *Matcher) Simulate(ctx context.Context, db *store.DB, file string, raw []byte, opts SimOptions) (SimReport, error) {
	start := time.Now()
	if opts.PartitionSize <= 0 {
		opts.PartitionSize = 20000
	}
	set, draft, err := m.set.CompileDraft(file, raw)
	if err != nil {
		return SimReport{}, err
	}
	prog, err := vector.Compile(set, opts.On)
	if err != nil {
		return SimReport{}, err
	}
	rep := SimReport{Policy: draft.ID(), On: prog.On.Format(time.DateOnly)}
	if len(prog.Policies) == 0 || prog.Policies[0].Policy != draft {
		return rep, apperr.Errorf(apperr.Invalid, "the draft of %s is not in force on %s", draft.ID(), rep.On)
	}
	prog.WantSize()
	newSide := func(pl *vector.Plan) *SimSide {
		return &SimSide{Version: pl.Version, industry: map[string]*Group{}, size: map[string]*Group{}}
	}
	rep.Draft = *newSide(prog.Policies[0])
	if len(prog.Policies) > 1 {
		rep.Current = newSide(prog.Policies[1])
	}
	limit := opts.Limit
	var after int64
	for {
		ids, err := nextIDs(ctx, db, after, opts.PartitionSize)
		if err != nil {
			return rep, err
		}
		if len(ids) == 0 {
			break
		}
		after = ids[len(ids)-1]
		c, err := LoadChunk(ctx, db, prog, ids[0], after)
		if err != nil {
			return rep, err
		}
		ev, err := prog.Evaluate(c, DBRecords{Ctx: ctx, Q: db}, m.Workers)
		if err != nil {
			return rep, err
		}
		for r := 0; r < c.N; r++ {
			rep.Enterprises++
			sec := "unknown"
			if code := c.Industry(r); code != "" {
				sec = cmp.Or(enterprise.SectionOf(code), "unknown")
			}
			size := cmp.Or(c.Size(r), "unknown")
			d := ev.Policies[0].Summary(r)
			rep.Draft.count(d, sec, size)
			if rep.Current == nil {
				if d.Status == "eligible" {
					rep.Gainers.add(c, r, vector.Summary{Status: "none"}, d, limit)
				}
				continue
			}
			cur := ev.Policies[1].Summary(r)
			rep.Current.count(cur, sec, size)
			switch {
			case d.Status == "eligible" && cur.Status != "eligible":
				rep.Gainers.add(c, r, cur, d, limit)
			case d.Status != "eligible" && cur.Status == "eligible":
				rep.Losers.add(c, r, cur, d, limit)
			case d.Status == "eligible" && d.Amount != cur.Amount:
				rep.AmountChanged.add(c, r, cur, d, limit)
			}
		}
	}
	for _, s := range []*SimSide{&rep.Draft, rep.Current} {
		if s != nil {
			s.finish()
		}
	}
	for _, l := range []*SimList{&rep.Gainers, &rep.Losers, &rep.AmountChanged} {
		l.Amount = vector.FenText(l.fen)
		if l.Enterprises == nil {
			l.Enterprises = []SimEntry{}
		}
		if err := names(ctx, db, l.Enterprises); err != nil {
			return rep, err
		}
	}
	rep.Wall = time.Since(start)
	return rep, nil
}

func (s *SimSide) count(r vector.Summary, sec, size string) {
	switch {
	case r.Status == "eligible":
		s.Eligible++
		f := fenOf(r.Amount)
		s.fen += f
		d := apd.New(f, -2)
		addGroup(s.industry, sec, d)
		addGroup(s.size, size, d)
	case r.Status == "undetermined":
		s.Undetermined++
	case r.NearMiss != "":
		s.NearMisses++
	}
}

func (s *SimSide) finish() {
	s.Amount = vector.FenText(s.fen)
	s.ByIndustry, s.BySize = groups(s.industry), groups(s.size)
}

func (l *SimList) add(c *vector.Chunk, r int, before, after vector.Summary, limit int) {
	l.Count++
	l.fen += fenOf(after.Amount) - fenOf(before.Amount)
	if len(l.Enterprises) < limit {
		l.Enterprises = append(l.Enterprises, SimEntry{EnterpriseID: c.ID[r], USCC: c.USCC[r], Before: string(before.Status),
			After: string(after.Status), AmountBefore: before.Amount, AmountAfter: after.Amount})
	}
}

// fenOf parses an amount with two decimals ("1760000.00") into fen.
func fenOf(s string) int64 {
	if s == "" {
		return 0
	}
	var d apd.Decimal
	if _, _, err := d.SetString(s); err != nil {
		return 0
	}
	var f apd.Decimal
	fenContext.Quantize(&f, &d, -2)
	f.Exponent = 0
	n, err := f.Int64()
	if err != nil {
		return 0
	}
	return n
}

func nextIDs(ctx context.Context, db *store.DB, after int64, n int) ([]int64, error) {
	rows, err := db.Query(ctx, "SELECT id FROM enterprises WHERE id > ? ORDER BY id LIMIT ?", after, n)
	if err != nil {
		return nil, fmt.Errorf("match: list enterprises: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func names(ctx context.Context, db *store.DB, list []SimEntry) error {
	for i := range list {
		e, err := enterprise.Get(ctx, db, list[i].EnterpriseID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		list[i].Name = e.Name
	}
	return nil
}
