package tech

import (
	"strings"

	"github.com/parkdesk/parkdesk/internal/enterprise"
)

// Catalogue ranks a set of achievements for needs, in memory: what the
// command line matches files with, and what the service keeps per
// database.
type Catalogue struct {
	an *analyzer
	ix *Index
}

// NewCatalogue indexes the achievements.
func NewCatalogue(achievements []Achievement) (*Catalogue, error) {
	an, err := loadAnalyzer()
	if err != nil {
		return nil, err
	}
	docs := make([]Doc, len(achievements))
	for i, a := range achievements {
		docs[i] = achievementDoc(a, an.achievementTerms(a))
	}
	ix := newIndex(an, achievementSchema)
	ix.build(docs)
	return &Catalogue{an: an, ix: ix}, nil
}

// Len is the number of achievements.
func (c *Catalogue) Len() int { return c.ix.Len() }

// Rank returns the top achievements for the need, best first.
func (c *Catalogue) Rank(n Need, top int) []Hit {
	return c.ix.Rank(c.an.needQuery(n, industryName(n.Industry)), top)
}

// industryName is the Chinese name of an industry code and of its division,
// whose words add the enterprise's context to its need; "" when unknown.
func industryName(code string) string {
	if code == "" {
		return ""
	}
	ind, err := enterprise.LookupIndustry(code)
	if err != nil {
		return ""
	}
	name := ind.NameZh
	if len(code) > 3 {
		if div, err := enterprise.LookupIndustry(code[:3]); err == nil {
			name = div.NameZh + " " + name
		}
	}
	return name
}

// Why is the reason of one recommendation, as the command line and the
// API print it.
type Why struct {
	Achievement string   `json:"achievement"`
	Score       float64  `json:"score"`
	SharedTerms []string `json:"shared_terms"`
	IndustryFit bool     `json:"industry_fit"`
	FieldFit    bool     `json:"field_fit"`
	Reason      string   `json:"reason"`
}

// NeedMatch is the ranked achievements of one need.
type NeedMatch struct {
	Need         string   `json:"need"`
	Achievements []string `json:"achievements"`
	Why          []Why    `json:"why"`
}

// MatchReport is what parkdesk tech match prints.
type MatchReport struct {
	Matches []NeedMatch `json:"matches"`
}

// WhyOf explains a hit in Chinese: the shared terms and the fits.
func WhyOf(h Hit, field Field, industry string) Why {
	w := Why{Achievement: h.Key, Score: h.Score, SharedTerms: h.Terms, IndustryFit: h.IndustryFit, FieldFit: h.FieldFit}
	if w.SharedTerms == nil {
		w.SharedTerms = []string{}
	}
	var parts []string
	if len(h.Terms) > 0 {
		parts = append(parts, "共同术语："+strings.Join(h.Terms, "、"))
	}
	if h.IndustryFit {
		parts = append(parts, "行业契合："+industryLabel(industry)+" ↔ "+field.Name("zh"))
	}
	if h.FieldFit {
		parts = append(parts, "领域一致："+field.Name("zh"))
	}
	w.Reason = strings.Join(parts, "；")
	return w
}

func industryLabel(code string) string {
	if ind, err := enterprise.LookupIndustry(code); err == nil {
		return ind.NameZh
	}
	return code
}

// Match ranks the catalogue for every need.
func (c *Catalogue) Match(needs []Need, achievements []Achievement, top int) MatchReport {
	fieldOf := make(map[string]Field, len(achievements))
	for _, a := range achievements {
		fieldOf[a.Code] = a.Field
	}
	rep := MatchReport{Matches: make([]NeedMatch, 0, len(needs))}
	for _, n := range needs {
		m := NeedMatch{Need: n.Code, Achievements: []string{}, Why: []Why{}}
		for _, h := range c.Rank(n, top) {
			m.Achievements = append(m.Achievements, h.Key)
			m.Why = append(m.Why, WhyOf(h, fieldOf[h.Key], n.Industry))
		}
		rep.Matches = append(rep.Matches, m)
	}
	return rep
}

// String describes the catalogue's index.
func (c *Catalogue) String() string { return c.ix.String() }
