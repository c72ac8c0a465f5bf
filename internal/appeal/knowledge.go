package appeal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// terms cuts text into the words a search matches: runs of letters and
// digits for Latin text, and overlapping pairs of characters (bigrams) for
// Chinese, which has no spaces between words. Bigrams are the classic CJK
// full-text index (Lucene's CJKAnalyzer): no dictionary to keep, and a
// two-character word, the commonest in Chinese, is always found.
func terms(s string) []string {
	var out []string
	var latin, han []rune
	flushLatin := func() {
		if len(latin) > 0 {
			out = append(out, strings.ToLower(string(latin)))
			latin = latin[:0]
		}
	}
	flushHan := func() {
		if len(han) == 1 {
			out = append(out, string(han))
		}
		for i := 0; i+1 < len(han); i++ {
			out = append(out, string(han[i:i+2]))
		}
		han = han[:0]
	}
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			flushLatin()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			latin = append(latin, r)
		default:
			flushLatin()
			flushHan()
		}
	}
	flushLatin()
	flushHan()
	slices.Sort(out)
	return slices.Compact(out)
}

// similarity is the share of the query's terms found in the other text's.
func similarity(query, other []string) float64 {
	if len(query) == 0 {
		return 0
	}
	n := 0
	for _, t := range query {
		if _, ok := slices.BinarySearch(other, t); ok {
			n++
		}
	}
	return float64(n) / float64(len(query))
}

// learn keeps a closed consultation, its question and the answer the
// enterprise was satisfied with, in the knowledge base.
func learn(ctx context.Context, tx *store.Tx, id int64, now time.Time) error {
	var category, title, body, reply string
	if err := tx.QueryRow(ctx, "SELECT category, title, body, reply FROM appeals WHERE id = ?", id).Scan(&category, &title, &body, &reply); err != nil {
		return fmt.Errorf("appeal: read for the knowledge base: %w", err)
	}
	if category != "policy" || strings.TrimSpace(reply) == "" {
		return nil
	}
	question := strings.TrimSpace(title + "\n" + body)
	_, err := tx.Exec(ctx, `INSERT INTO appeal_knowledge (appeal_id, category, question, answer, terms, created_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (appeal_id) DO UPDATE SET question = excluded.question, answer = excluded.answer, terms = excluded.terms`,
		id, category, question, reply, strings.Join(terms(question+" "+reply), " "), store.FormatTime(now))
	if err != nil {
		return fmt.Errorf("appeal: knowledge base: %w", err)
	}
	return nil
}

// Answer is an entry of the knowledge base.
type Answer struct {
	ID       int64
	Question string
	Answer   string
	Score    float64
}

// Search finds the knowledge base's answers to a question, best first:
// what the liaison sees while filing a consultation, before waiting a day
// for an answer already given. The entries carry no enterprise's name, so
// anyone signed in may search.
func (s *Service) Search(ctx context.Context, actor auth.Principal, query string, limit int) ([]Answer, error) {
	if !actor.Authenticated() {
		return nil, apperr.Errorf(apperr.Unauthorized, "sign in first")
	}
	q := terms(query)
	if len(q) == 0 {
		return nil, nil
	}
	if limit <= 0 || limit > 20 {
		limit = 5
	}
	// The candidates share at least one term; the knowledge base is a few
	// thousand entries, so the ranking in Go is cheap.
	likes := make([]string, 0, min(len(q), 8))
	args := make([]any, 0, cap(likes))
	for _, t := range q[:min(len(q), 8)] {
		likes = append(likes, "terms LIKE ?")
		args = append(args, "%"+t+"%")
	}
	rows, err := s.DB.Query(ctx, "SELECT id, question, answer, terms FROM appeal_knowledge WHERE "+strings.Join(likes, " OR ")+" LIMIT 2000", args...)
	if err != nil {
		return nil, fmt.Errorf("appeal: search: %w", err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var a Answer
		var ts string
		if err := rows.Scan(&a.ID, &a.Question, &a.Answer, &ts); err != nil {
			return nil, fmt.Errorf("appeal: search: %w", err)
		}
		if a.Score = similarity(q, strings.Fields(ts)); a.Score >= 0.3 {
			out = append(out, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Answer) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return int(b.ID - a.ID)
	})
	return out[:min(len(out), limit)], nil
}
