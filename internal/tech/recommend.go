package tech

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Recommendation is an achievement ranked for a need, with why.
type Recommendation struct {
	Achievement Achievement `json:"achievement"`
	Why         Why         `json:"why"`
	// Docking is the introduction already made for this pair, 0 if none.
	Docking int64 `json:"docking,omitempty"`
}

// Recommend ranks the catalogue for one need the actor may see.
func (s *Service) Recommend(ctx context.Context, actor auth.Principal, needID int64, top int) (Need, []Recommendation, error) {
	n, err := s.visibleNeed(ctx, actor, needID, auth.ViewTechNeed)
	if err != nil {
		return Need{}, nil, err
	}
	if top <= 0 || top > 100 {
		top = 10
	}
	ix, err := s.catalogue(ctx)
	if err != nil {
		return Need{}, nil, err
	}
	out, err := s.recommendations(ctx, ix.Rank(s.mustAnalyzer().needQuery(n, industryName(n.Industry)), top), n)
	if err != nil {
		return Need{}, nil, err
	}
	for i := range out {
		err = s.DB.QueryRow(ctx, "SELECT id FROM tech_dockings WHERE enterprise_id = ? AND achievement_id = ?", n.EnterpriseID, out[i].Achievement.ID).Scan(&out[i].Docking)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return Need{}, nil, err
		}
	}
	return n, out, nil
}

// Preview ranks the catalogue for a need not yet posted (what a liaison
// types), with the enterprise's industry as a signal when given.
func (s *Service) Preview(ctx context.Context, actor auth.Principal, n Need, top int) ([]Recommendation, error) {
	if err := auth.Can(actor, auth.ViewTechCatalogue, auth.Resource{}); err != nil {
		return nil, err
	}
	if top <= 0 || top > 100 {
		top = 10
	}
	ix, err := s.catalogue(ctx)
	if err != nil {
		return nil, err
	}
	return s.recommendations(ctx, ix.Rank(s.mustAnalyzer().needQuery(n, industryName(n.Industry)), top), n)
}

// relevanceFloor is the share of the best score below which a hit is not
// shown to people: an achievement that shares one common word with the
// need is noise on a page, however high it would rank in a small catalogue.
const relevanceFloor = 0.15

// recommendations reads the achievements of the hits and explains them.
func (s *Service) recommendations(ctx context.Context, hits []Hit, n Need) ([]Recommendation, error) {
	for i, h := range hits {
		if h.Score < relevanceFloor*hits[0].Score {
			hits = hits[:i]
			break
		}
	}
	codes := make([]string, len(hits))
	for i, h := range hits {
		codes[i] = h.Key
	}
	achs, err := s.achievementsByCode(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]Recommendation, 0, len(hits))
	for _, h := range hits {
		a, ok := achs[h.Key]
		if !ok {
			continue // withdrawn between the ranking and the read
		}
		out = append(out, Recommendation{Achievement: a, Why: WhyOf(h, a.Field, n.Industry)})
	}
	return out, nil
}

// Candidate is an enterprise that may take an achievement up: by a need
// of its own that the achievement answers, or by its profile (an industry
// that takes up the field, and R&D of its own).
type Candidate struct {
	EnterpriseID int64    `json:"enterprise_id"`
	Enterprise   string   `json:"enterprise"`
	Industry     string   `json:"industry"`
	Need         *Need    `json:"need,omitempty"`
	Score        float64  `json:"score"`
	SharedTerms  []string `json:"shared_terms"`
	IndustryFit  bool     `json:"industry_fit"`
	// RDExpense is the enterprise's latest yearly R&D expense in yuan, ""
	// when not on file.
	RDExpense string `json:"rd_expense,omitempty"`
	RDYear    string `json:"rd_year,omitempty"`
}

// Candidates ranks, for one achievement, the open needs it answers, then
// fills up to top with enterprises whose industry takes up its field and
// who spend on R&D, most R&D first: the park's officer sees whom to
// introduce it to.
func (s *Service) Candidates(ctx context.Context, actor auth.Principal, code string, top int) (Achievement, []Candidate, error) {
	if err := auth.Can(actor, auth.MatchTechEnterprises, auth.Resource{}); err != nil {
		return Achievement{}, nil, err
	}
	a, err := s.achievementByCode(ctx, s.DB, code)
	if err != nil {
		return Achievement{}, nil, err
	}
	if top <= 0 || top > 100 {
		top = 10
	}
	ix, err := s.needIndex(ctx)
	if err != nil {
		return Achievement{}, nil, err
	}
	var out []Candidate
	seen := map[int64]bool{}
	// Needs the actor may not see are skipped: rank more than shown.
	for _, h := range ix.Rank(s.mustAnalyzer().achievementQuery(a), 4*top) {
		var id int64
		if err := s.DB.QueryRow(ctx, "SELECT id FROM tech_needs WHERE code = ?", h.Key).Scan(&id); err != nil {
			return Achievement{}, nil, err
		}
		n, err := s.needByID(ctx, s.DB, id)
		if err != nil {
			return Achievement{}, nil, err
		}
		if !auth.Allowed(actor, auth.ViewTechNeed, auth.Enterprise(n.EnterpriseID, n.ParkID)) || seen[n.EnterpriseID] {
			continue
		}
		seen[n.EnterpriseID] = true
		out = append(out, Candidate{EnterpriseID: n.EnterpriseID, Enterprise: n.Enterprise, Industry: n.Industry, Need: &n,
			Score: h.Score, SharedTerms: nonNilStrings(h.Terms), IndustryFit: h.IndustryFit})
		if len(out) == top {
			return a, out, nil
		}
	}
	profiles, err := s.profileCandidates(ctx, actor, a, top-len(out), seen)
	if err != nil {
		return Achievement{}, nil, err
	}
	return a, append(out, profiles...), nil
}

// profileCandidates are enterprises of the industries that take up the
// achievement's field, by their latest R&D expense.
func (s *Service) profileCandidates(ctx context.Context, actor auth.Principal, a Achievement, n int, skip map[int64]bool) ([]Candidate, error) {
	fi, ok := a.Field.info()
	// R&D expense is internal data: ranking by it is for those who may see it.
	rd := auth.Field{Name: "rd_expense", Sensitivity: auth.Internal, Department: "science"}
	if !ok || n <= 0 || !auth.FieldVisible(actor, rd) {
		return nil, nil
	}
	scope := auth.Scope(actor, auth.ViewEnterprise, auth.Columns{Enterprise: "e.id"})
	rows, err := s.DB.Query(ctx, `SELECT e.id, e.name, COALESCE(e.industry_code, ''), f.value, f.period
FROM enterprises e JOIN current_facts f ON f.enterprise_id = e.id AND f.field = 'rd_expense'
WHERE `+scope.SQL+` AND e.industry_code IS NOT NULL ORDER BY f.period DESC, e.id`, scope.Args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type row struct {
		c   Candidate
		fen float64
	}
	var picked []row
	latest := map[int64]bool{}
	for rows.Next() {
		var c Candidate
		var value sql.NullString
		if err := rows.Scan(&c.EnterpriseID, &c.Enterprise, &c.Industry, &value, &c.RDYear); err != nil {
			return nil, err
		}
		if latest[c.EnterpriseID] || skip[c.EnterpriseID] {
			continue
		}
		latest[c.EnterpriseID] = true
		if !fi.industries.Contains(c.Industry) || !value.Valid {
			continue
		}
		c.RDExpense, c.IndustryFit, c.SharedTerms = value.String, true, []string{}
		picked = append(picked, row{c, parseFloat(value.String)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(picked, func(x, y row) int {
		switch {
		case x.fen > y.fen:
			return -1
		case x.fen < y.fen:
			return 1
		}
		return 0
	})
	var out []Candidate
	for _, p := range picked {
		if p.fen <= 0 {
			continue
		}
		out = append(out, p.c)
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// IndustryName is the Chinese or English name of a GB/T 4754 code, for
// pages; the code itself when unknown.
func IndustryName(code, lang string) string {
	ind, err := enterprise.LookupIndustry(code)
	if err != nil {
		return code
	}
	return ind.Name(lang)
}

// parseFloat reads a stored decimal for ordering only (never for money
// shown or summed); 0 when it is not one.
func parseFloat(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}
