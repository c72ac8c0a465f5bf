package tech

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Service is the technology transfer desk on a database. Every method takes
// the principal who asks and decides with auth.Can or auth.Scope itself;
// every change is audited in its own transaction.
type Service struct {
	DB *store.DB
	// Now is the clock; nil is the wall clock.
	Now func() time.Time
	// PortalURL is the app's address as enterprises and holders reach it,
	// for the links in notices; "" leaves them relative.
	PortalURL string

	mu           sync.Mutex
	achievements *cachedIndex
	needs        *cachedIndex
}

// NewService returns the service on db.
func NewService(db *store.DB) *Service { return &Service{DB: db} }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// analyzerVersion is stamped on the terms stored with each row; rows
// analysed by another version are analysed again when an index loads them.
const analyzerVersion = 1

// encodeTerms stores analysed terms: a line per field, terms separated by
// spaces (the analyzer never makes a term with a space or a newline).
func encodeTerms(a analysed) string {
	lines := make([]string, len(a))
	for i, f := range a {
		lines[i] = strings.Join(f, " ")
	}
	return strings.Join(lines, "\n")
}

func decodeTerms(s string, fields int) analysed {
	lines := strings.Split(s, "\n")
	out := make(analysed, fields)
	for i := 0; i < fields && i < len(lines); i++ {
		out[i] = strings.Fields(lines[i])
	}
	return out
}

// bumpCounter advances a change counter in tx and returns its new value:
// the revision of the rows tx writes.
func bumpCounter(ctx context.Context, tx *store.Tx, name string) (int64, error) {
	var v int64
	if err := tx.QueryRow(ctx, "UPDATE tech_counters SET value = value + 1 WHERE name = ? RETURNING value", name).Scan(&v); err != nil {
		return 0, fmt.Errorf("tech: advance the %s counter: %w", name, err)
	}
	return v, nil
}

func readCounter(ctx context.Context, q store.Queryer, name string) (int64, error) {
	var v int64
	if err := q.QueryRow(ctx, "SELECT value FROM tech_counters WHERE name = ?", name).Scan(&v); err != nil {
		return 0, fmt.Errorf("tech: read the %s counter: %w", name, err)
	}
	return v, nil
}

// cachedIndex is an index of one table as of a revision of its counter.
type cachedIndex struct {
	mu       sync.Mutex // serialises refreshes; ranking uses the index's own lock
	ix       *Index
	revision int64
}

// refresh brings the index up to the table's counter: it reads only the
// rows written since the revision it has, so that a write costs the next
// ranking one small query, and an instance that has not seen the write
// (another process on the same PostgreSQL) sees it at its next ranking.
func (c *cachedIndex) refresh(ctx context.Context, db *store.DB, counter string, load func(ctx context.Context, since int64, each func(Doc, bool)) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	rev, err := readCounter(ctx, db, counter)
	if err != nil {
		return err
	}
	if rev == c.revision {
		return nil
	}
	first := c.revision == 0
	var docs []Doc
	err = load(ctx, c.revision, func(d Doc, live bool) {
		switch {
		case first && live:
			docs = append(docs, d)
		case first:
		case live:
			c.ix.Add(d)
		default:
			c.ix.Remove(d.Key)
		}
	})
	if err != nil {
		return err
	}
	if first {
		c.ix.build(docs)
	}
	c.revision = rev
	return nil
}

// catalogue returns the achievements' index, refreshed.
func (s *Service) catalogue(ctx context.Context) (*Index, error) {
	an, err := loadAnalyzer()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.achievements == nil {
		s.achievements = &cachedIndex{ix: newIndex(an, achievementSchema)}
	}
	c := s.achievements
	s.mu.Unlock()
	err = c.refresh(ctx, s.DB, "achievements", func(ctx context.Context, since int64, each func(Doc, bool)) error {
		return s.loadAchievementDocs(ctx, an, since, each)
	})
	return c.ix, err
}

// needIndex returns the open needs' index, refreshed.
func (s *Service) needIndex(ctx context.Context) (*Index, error) {
	an, err := loadAnalyzer()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.needs == nil {
		s.needs = &cachedIndex{ix: newIndex(an, needSchema)}
	}
	c := s.needs
	s.mu.Unlock()
	err = c.refresh(ctx, s.DB, "needs", func(ctx context.Context, since int64, each func(Doc, bool)) error {
		return s.loadNeedDocs(ctx, an, since, each)
	})
	return c.ix, err
}

// loadAchievementDocs reads the achievements written after a revision
// with their stored terms; live is false for withdrawn ones.
func (s *Service) loadAchievementDocs(ctx context.Context, an *analyzer, since int64, each func(Doc, bool)) error {
	rows, err := s.DB.Query(ctx, `SELECT code, field, status, terms, analyzer FROM tech_achievements WHERE revision > ? ORDER BY revision, id`, since)
	if err != nil {
		return err
	}
	defer rows.Close()
	var stale []string
	for rows.Next() {
		var code, field, status, terms string
		var version int
		if err := rows.Scan(&code, &field, &status, &terms, &version); err != nil {
			return err
		}
		if version != analyzerVersion {
			stale = append(stale, code)
			continue
		}
		each(Doc{Key: code, Terms: decodeTerms(terms, len(achievementSchema.names)), Field: Field(field)}, status == string(StatusListed))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, code := range stale {
		a, err := s.achievementByCode(ctx, s.DB, code)
		if err != nil {
			return err
		}
		each(achievementDoc(a, an.achievementTerms(a)), a.Status == StatusListed)
	}
	return nil
}

func (s *Service) loadNeedDocs(ctx context.Context, an *analyzer, since int64, each func(Doc, bool)) error {
	rows, err := s.DB.Query(ctx, `SELECT n.code, n.field, n.status, n.terms, n.analyzer, COALESCE(e.industry_code, ''), n.title, n.description
FROM tech_needs n JOIN enterprises e ON e.id = n.enterprise_id WHERE n.revision > ? ORDER BY n.revision, n.id`, since)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n Need
		var status, terms string
		var version int
		if err := rows.Scan(&n.Code, &n.Field, &status, &terms, &version, &n.Industry, &n.Title, &n.Description); err != nil {
			return err
		}
		t := decodeTerms(terms, len(needSchema.names))
		if version != analyzerVersion {
			t = an.needTerms(n)
		}
		each(needDoc(n, t), status == string(StatusOpen))
	}
	return rows.Err()
}

// notFound turns store.ErrNotFound into the user's "not found".
func notFound(err error, what string) error {
	if errors.Is(err, store.ErrNotFound) {
		return apperr.Errorf(apperr.NotFound, "no such %s", what)
	}
	return err
}
